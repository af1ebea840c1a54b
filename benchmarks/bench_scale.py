"""Speed at size and over time, each measured in one run:

- record-step latency (forward, backward, δ, accumulate) on the seeds' nets
- `diamond` 5000 epochs "run to end" in the app, against the trainer alone
- memory (RSS) while the app plays 100k epochs of `diamond`: flat, ≤ 200 MB
- a 784-64-10 network on 10,000 synthetic records: epoch time headless, and in the app key
  latency (network as heatmaps, δ panel summarised by layer)

    python benchmarks/bench_scale.py [--json FILE] [--epochs 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench_app import _watch_paints  # noqa: E402

from bptui.core import data, scenario  # noqa: E402
from bptui.core.network import Network, init_weights  # noqa: E402
from bptui.core.trainer import Trainer  # noqa: E402


def record_step_us() -> dict:
    out = {}
    for name in ["worked-example", "exercise", "admissions", "diamond"]:
        tr = scenario.load(name).build()
        ts = []
        for _ in range(3000):
            if tr.update_due():
                tr.step_update()
            t = time.perf_counter()
            tr.step_record()
            ts.append(time.perf_counter() - t)
        out[name] = statistics.median(ts) * 1e6
    return out


async def run_to_end_seconds() -> float:
    from bptui.tui.app import BptuiApp

    app = BptuiApp("diamond")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        t = time.perf_counter()
        app.main.action_run_to_end()
        while app.tr.epoch < 5000:
            await pilot.pause(0.01)
        await pilot.pause()
        return time.perf_counter() - t


def headless_diamond_seconds() -> float:
    tr = scenario.load("diamond").build()
    t = time.perf_counter()
    tr.run(5000)
    tr.settle()
    return time.perf_counter() - t


MEMORY = """
import asyncio, json, resource, sys
from bptui.tui.app import BptuiApp
def rss_mb():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
marks = [int(x) for x in sys.argv[1].split(',')]
async def main():
    app = BptuiApp('diamond')
    out = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out.append((0, rss_mb()))
        app.main.action_run_to_end(marks[-1])
        for m in marks:
            while app.tr.epoch < m:
                await pilot.pause(0.05)
            out.append((app.tr.epoch, rss_mb()))
    print(json.dumps(out))
asyncio.run(main())
"""


def memory_profile(epochs: int) -> list:
    marks = [epochs // 10, epochs // 4, epochs // 2, epochs]
    out = subprocess.run(
        [sys.executable, "-c", MEMORY, ",".join(map(str, marks))], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def big_trainer():
    rs = np.random.RandomState(0)
    X = rs.normal(size=(10_000, 784))
    W_true = rs.normal(size=(784, 10))
    Y = np.eye(10)[(X @ W_true).argmax(1)]
    ds = data.make(X, Y, [f"p{i}" for i in range(784)], 0.1, 1, [f"c{j}" for j in range(10)])
    sizes = [784, 64, 10]
    net = Network(
        sizes, init_weights(sizes, "normal", None, 1), "tanh", "sigmoid", [np.zeros(64), np.zeros(10)]
    )
    return Trainer(net, ds, "log", 0.5, "minibatch", 100, shuffle=True, seed=1)


async def big_app_latency() -> dict:
    from bptui.core.scenario import from_text
    from bptui.tui.app import BptuiApp
    from bptui.tui.widgets.network import NetworkView

    sc = from_text('title = "784-64-10 synthetic"\n[network]\nsizes = [1, 1]\n[data]\nx = [[0]]\ny = [0]\n')
    app = BptuiApp(loaded=(sc, big_trainer()))
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        paints = _watch_paints(app.main)
        for key in ["n"] * 10 + ["e"] * 2:
            t = time.perf_counter()
            await pilot.press(key)
            await pilot.pause(0.05)
            later = [p for p in paints if p > t]
            times.append((key, later[-1] - t) if later else (key, float("nan")))
        mode = app.main.query_one(NetworkView).mode
        summary = (
            "summarised" in app.main.query_one("#backward").text.plain
            or "hidden 1" in app.main.query_one("#backward").text.plain
        )
    n_ms = statistics.median(t for k, t in times if k == "n") * 1000
    e_ms = statistics.median(t for k, t in times if k == "e") * 1000
    return {"n_ms": n_ms, "e_ms": e_ms, "network_mode": mode, "delta_panel_by_layer": summary}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("--epochs", type=int, default=100_000, help="epochs of play for the memory profile")
    args = ap.parse_args()
    res = {"record_step_us": record_step_us()}
    res["diamond_5000_run_to_end_s"] = asyncio.run(run_to_end_seconds())
    res["diamond_5000_headless_s"] = headless_diamond_seconds()
    tr = big_trainer()
    t = time.perf_counter()
    tr.run(1)
    tr.settle()
    res["784_64_10_epoch_s"] = time.perf_counter() - t
    res["784_64_10_app"] = asyncio.run(big_app_latency())
    res["memory_mb_by_epoch"] = memory_profile(args.epochs)
    print(json.dumps(res, indent=2))
    ok = lambda b: "ok" if b else "MISSED"  # noqa: E731
    print(
        f"record step: {', '.join(f'{k} {v:.0f} µs' for k, v in res['record_step_us'].items())}  (goal ≤ 50 µs) {ok(max(res['record_step_us'].values()) <= 50)}"
    )
    print(
        f"diamond 5000 epochs, run to end in the app: {res['diamond_5000_run_to_end_s']:.2f} s (trainer alone {res['diamond_5000_headless_s']:.2f} s; goal ≤ 3 s) {ok(res['diamond_5000_run_to_end_s'] <= 3)}"
    )
    mem = res["memory_mb_by_epoch"]
    print(
        f"memory while playing: {', '.join(f'{e} epochs {m:.0f} MB' for e, m in mem)} (goal flat, ≤ 200 MB) {ok(max(m for _, m in mem) <= 200)}"
    )
    b = res["784_64_10_app"]
    print(
        f"784-64-10 on 10,000 records: epoch {res['784_64_10_epoch_s']:.2f} s headless; in the app n → screen {b['n_ms']:.0f} ms, e → screen {b['e_ms']:.0f} ms; network as {b['network_mode']}; δ panel by layer: {b['delta_panel_by_layer']}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
