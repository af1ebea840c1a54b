"""bptui's trainer against the seed's own record loop, in one run: admissions, 900 epochs, each
with its full history (bptui: train and test loss and accuracy every epoch; the seed loop: the
train loss every epoch, which the seed itself printed every 90).

    python benchmarks/bench_trainer.py [--rounds 5] [--repeat 9] [--json FILE]

Honest by construction:
- one thread: OMP, OpenBLAS and MKL are limited to one thread before NumPy loads;
- CPU time (time.process_time), so a busy shared machine slows the clock less;
- alternating rounds: the seed loop once, then bptui --repeat times (its median is the
  round's time), so a slow spell hits both; the figure is the median of the per-round ratios;
- every round checks bptui's weights against the seed loop's (≤ 1e-12) and its history's
  train loss against the seed loop's per-epoch loss.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bptui.core import scenario  # noqa: E402
from tests.seedloop import seed_record_loop  # noqa: E402

EPOCHS = 900


def bptui_run(sc) -> tuple[float, float, object]:
    """One timed run (setup untimed): (seconds with the history, seconds of the epochs alone,
    the trainer)."""
    tr = sc.build()
    t0 = time.process_time()
    tr.run(EPOCHS, snapshots=False)
    t1 = time.process_time()
    tr.settle()
    t2 = time.process_time()
    return t2 - t0, t1 - t0, tr


def check(tr, wih, who, seed_losses) -> tuple[float, float]:
    """Largest weight and train-loss differences; fails the benchmark beyond 1e-12."""
    dw = max(np.abs(tr.net.W[0] - wih).max(), np.abs(tr.net.W[1][:, 0] - who).max())
    h = tr.history
    dl = np.abs(h.column("train_loss")[1:] - np.array(seed_losses)).max()
    assert len(h) == EPOCHS + 1 and dw <= 1e-12 and dl <= 1e-12, (len(h), dw, dl)
    return float(dw), float(dl)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5, help="rounds of seed loop + bptui")
    ap.add_argument("--repeat", type=int, default=9, help="bptui runs per round (their median counts)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    sc = scenario.load("admissions")
    X, y = sc.build().data.X, sc.build().data.y[:, 0]
    rounds = []
    for _ in range(args.rounds):
        t0 = time.process_time()
        wih, who, seed_losses = seed_record_loop(X, y, EPOCHS, history=True)
        seed = time.process_time() - t0
        runs = [bptui_run(sc) for _ in range(args.repeat)]
        full = statistics.median(r[0] for r in runs)
        bare = statistics.median(r[1] for r in runs)
        dw, dl = check(runs[-1][2], wih, who, seed_losses)
        rounds.append({"seed_s": seed, "bptui_s": full, "bptui_epochs_only_s": bare, "ratio": seed / full})
        print(
            f"round {len(rounds)}: seed {seed:.3f} s, bptui {full * 1e3:.1f} ms → {seed / full:.0f}x",
            flush=True,
        )
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    ratios = [r["ratio"] for r in rounds]
    acc = runs[-1][2].history.last()["test_accuracy"]
    res = {
        "benchmark": f"admissions {EPOCHS} epochs, full history, one thread, CPU time",
        "median": med,
        "ratio_range": [min(ratios), max(ratios)],
        "rounds": rounds,
        "max_weight_diff": dw,
        "max_train_loss_diff": dl,
        "test_accuracy": acc,
    }
    print(f"seed record loop, median of rounds          {med['seed_s']:.3f} s")
    print(f"bptui Trainer.run({EPOCHS}) + full history      {med['bptui_s'] * 1e3:.1f} ms")
    print(f"  of which the epochs alone                 {med['bptui_epochs_only_s'] * 1e3:.1f} ms")
    print(
        f"ratio: median {med['ratio']:.0f}x (rounds {min(ratios):.0f}–{max(ratios):.0f}x; goal ≥ 200x)   "
        f"max |ΔW| {dw:.1e}   max |Δloss| {dl:.1e}   test accuracy {acc}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
