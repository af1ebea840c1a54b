"""Memory over a long run: the app (headless, 120×40) runs `diamond` to 2,000,000 epochs with
"run to end", as a user pressing E would, and the resident set size (RSS) is sampled along the
way; the trainer alone, driven the way the app drives it (run a slice, settle the history),
is measured beside it. Goal: the app stays at or under 150 MB.

    python benchmarks/bench_memory.py [--epochs 2000000] [--frame 0.25] [--json FILE]

So that the app's run ends in minutes rather than hours, its play cycle is `--frame` seconds
(default 0.25: the screen, every panel and plot, redraws about four times a second and
training has the rest); memory is what is measured here, not frame rates (bench_app.py
measures those). Longer slices hold more epochs' outputs until the history scores them, so
the peak is higher than at play's own 40 ms cycle (at 20,000 epochs: 92 MB at 0.04 s,
105 MB at 0.25 s, 115 MB at 1 s).

Each measurement runs in a fresh interpreter, so one does not inherit the other's memory.
Prints RSS (MB) at 0, 10 %, 25 %, 50 % and 100 % of the epochs, the peak (VmHWM), and the
history kept at the end (rows, and which epochs).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = f"""
import asyncio, json, sys, time
sys.path.insert(0, {str(ROOT)!r})
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
marks = [int(x) for x in sys.argv[1].split(',')]
out = {{"rss_mb": []}}
"""

APP = """
from bptui.tui import play
from bptui.tui.app import BptuiApp
play.FRAME = play.SLICE_MAX = float(sys.argv[2])  # the play cycle: a slice, then the screen
async def main():
    app = BptuiApp('diamond')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["rss_mb"].append((0, status('VmRSS')))
        player = app.main.player  # its frame: the screen's every panel and plot, redrawn
        frames, show = [0], player.on_frame
        def counted(*a, **kw):
            frames[0] += 1
            return show(*a, **kw)
        player.on_frame = counted
        t = time.perf_counter()
        app.main.action_run_to_end(marks[-1])
        for m in marks:
            while app.tr.epoch < m:
                await pilot.pause(0.1)
            out["rss_mb"].append((app.tr.epoch, status('VmRSS')))
        out["seconds"] = time.perf_counter() - t
        out["frames"] = frames[0]
        h = app.tr.history
        out["history_rows"], out["history_kept"] = len(h), h.kept()
asyncio.run(main())
"""

TRAINER = """
from bptui.core import scenario
tr = scenario.load('diamond').build()
out["rss_mb"].append((0, status('VmRSS')))
t = time.perf_counter()
for m in marks:
    while tr.epoch < m:
        tr.run(min(200, m - tr.epoch))  # about one play slice
        tr.settle()
    out["rss_mb"].append((tr.epoch, status('VmRSS')))
out["seconds"] = time.perf_counter() - t
out["history_rows"], out["history_kept"] = len(tr.history), tr.history.kept()
"""

END = """
out["peak_mb"] = status('VmHWM')
print(json.dumps(out))
"""


def measure(code: str, epochs: int, frame: float) -> dict:
    marks = [epochs // 10, epochs // 4, epochs // 2, epochs]
    cmd = [sys.executable, "-c", COMMON + code + END, ",".join(map(str, marks)), str(frame)]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2_000_000)
    ap.add_argument("--frame", type=float, default=0.25, help="the app's play cycle, seconds")
    ap.add_argument("--json")
    args = ap.parse_args()
    res = {
        "epochs": args.epochs,
        "frame_s": args.frame,
        "app": measure(APP, args.epochs, args.frame),
        "trainer": measure(TRAINER, args.epochs, args.frame),
    }
    for what in ("app", "trainer"):
        r = res[what]
        marks = ", ".join(f"{e:,}: {mb:.0f}" for e, mb in r["rss_mb"])
        print(f"{what:<8} RSS MB at epoch {marks}; peak {r['peak_mb']:.0f} MB; {r['seconds']:.0f} s")
        if "frames" in r:
            print(f"{'':<8} {r['frames']} screen updates on the way")
        print(f"{'':<8} history: {r['history_rows']:,} rows, {r['history_kept']}")
    ok = res["app"]["peak_mb"] <= 150
    print(f"app peak {res['app']['peak_mb']:.0f} MB (goal ≤ 150 MB): {'ok' if ok else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
