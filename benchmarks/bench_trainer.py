"""Trainer vs the seed's own record loop, in one run: admissions, 900 epochs, full history.

    python benchmarks/bench_trainer.py [--rounds N] [--repeat N] [--json FILE]

The two are timed in alternating rounds (the seed loop once, then bptui --repeat times), so
that a slow spell of a shared machine hits both. Prints the best time of each, their ratio,
the lowest per-round ratio, and the largest weight difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bptui.core import scenario  # noqa: E402


def seed_loop(features, targets, epochs=900, learnrate=0.005, n_hidden=2):
    """Seed 001's solution, as printed (plus the per-epoch loss over the whole set, which is
    what "full history" means; the seed itself only printed it every 90 epochs)."""
    np.random.seed(21)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    n_records, n_features = features.shape
    wih = np.random.normal(scale=1 / n_features**0.5, size=(n_features, n_hidden))
    who = np.random.normal(scale=1 / n_features**0.5, size=n_hidden)
    losses = []
    for _ in range(epochs):
        dih = np.zeros(wih.shape)
        dho = np.zeros(who.shape)
        for x, y in zip(features, targets):
            ho = sigmoid(np.dot(x, wih))
            out = sigmoid(np.dot(ho, who))
            oet = (y - out) * out * (1 - out)
            het = np.dot(oet, who) * ho * (1 - ho)
            dho += oet * ho
            dih += het * x[:, None]
        wih += learnrate * dih / n_records
        who += learnrate * dho / n_records
        out = sigmoid(np.dot(sigmoid(np.dot(features, wih)), who))
        losses.append(np.mean((out - targets) ** 2))
    return wih, who, losses


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="rounds of seed loop + bptui")
    ap.add_argument("--repeat", type=int, default=5, help="bptui runs per round (best is kept)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    sc = scenario.load("admissions")
    base = sc.build()
    X, y = base.data.X, base.data.y[:, 0]

    # time training and the full history, as the seed loop is timed without its data prep
    seeds, ours = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        wih, who, seed_losses = seed_loop(X, y)
        seeds.append(time.perf_counter() - t0)
        best = float("inf")
        for _ in range(args.repeat):
            tr = sc.build()
            t0 = time.perf_counter()
            tr.run(900, snapshots=False)
            hist = tr.history
            best = min(best, time.perf_counter() - t0)
        ours.append(best)
    t_seed, t_ours = min(seeds), min(ours)
    worst = min(s / o for s, o in zip(seeds, ours))
    diff = max(np.abs(tr.net.W[0] - wih).max(), np.abs(tr.net.W[1][:, 0] - who).max())
    loss_diff = np.abs(hist.column("train_loss")[1:] - np.array(seed_losses)).max()
    res = {
        "benchmark": "admissions 900 epochs, full history",
        "seed_record_loop_s": t_seed,
        "bptui_trainer_s": t_ours,
        "ratio": t_seed / t_ours,
        "lowest_round_ratio": worst,
        "seed_rounds_s": seeds,
        "bptui_rounds_s": ours,
        "max_weight_diff": float(diff),
        "max_train_loss_diff": float(loss_diff),
        "history_rows": len(hist),
        "test_accuracy": hist.last()["test_accuracy"],
    }
    print(f"{'what':<38}{'seconds':>10}")
    print(f"{'seed record loop (900 epochs), best':<38}{t_seed:>10.4f}")
    print(f"{'bptui Trainer.run(900) + history, best':<38}{t_ours:>10.4f}")
    print(f"ratio: {res['ratio']:.0f}x (lowest round {worst:.0f}x)   max |ΔW|: {diff:.1e}   max |Δloss|: {loss_diff:.1e}   "
          f"rows: {len(hist)}   test accuracy: {res['test_accuracy']}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
