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


def numpy_floor(X, Y, W0, W1, epochs=900, eta=0.005):
    """The NumPy calls of one full-batch 6-2-1 epoch written out one after the other on
    preallocated buffers, with no history and no bookkeeping: how fast NumPy itself can go
    on this machine. Returns the final weights."""
    m = len(X)
    X = np.asfortranarray(X)
    H0, A1, T0, D0 = (np.empty((m, 2)) for _ in range(4))
    H1, A2, T1, D1 = (np.empty((m, 1)) for _ in range(4))
    G = np.zeros(W0.size + W1.size)
    G0, G1 = G[: W0.size].reshape(W0.shape), G[W0.size :].reshape(W1.shape)
    cur = np.concatenate([W0.ravel(), W1.ravel()])
    w0, w1 = cur[: W0.size].reshape(W0.shape), cur[W0.size :].reshape(W1.shape)
    dot, neg, exp, rec, sub = np.dot, np.negative, np.exp, np.reciprocal, np.subtract
    c = eta / m
    for _ in range(epochs):
        dot(X, w0, out=H0)
        neg(H0, out=A1)
        exp(A1, out=A1)
        A1 += 1.0
        rec(A1, out=A1)
        dot(A1, w1, out=H1)
        neg(H1, out=A2)
        exp(A2, out=A2)
        A2 += 1.0
        rec(A2, out=A2)
        sub(Y, A2, out=D1)
        D1 *= A2
        sub(1.0, A2, out=T1)
        D1 *= T1
        dot(A1.T, D1, out=G1)
        dot(D1, w1.T, out=D0)
        D0 *= A1
        sub(1.0, A1, out=T0)
        D0 *= T0
        dot(X.T, D0, out=G0)
        G *= c
        cur += G
    return w0, w1


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
    seeds, ours, floors = [], [], []
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
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            w0, w1 = numpy_floor(X, base.data.y, base.net.W[0], base.net.W[1])
            best = min(best, time.perf_counter() - t0)
        floors.append(best)
    t_seed, t_ours, t_floor = min(seeds), min(ours), min(floors)
    assert np.allclose(w0, wih, atol=1e-12), "the floor loop trains the same weights"
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
        "numpy_floor_s": t_floor,
        "floor_ratio": t_seed / t_floor,
        "max_weight_diff": float(diff),
        "max_train_loss_diff": float(loss_diff),
        "history_rows": len(hist),
        "test_accuracy": hist.last()["test_accuracy"],
    }
    print(f"{'what':<38}{'seconds':>10}")
    print(f"{'seed record loop (900 epochs), best':<38}{t_seed:>10.4f}")
    print(f"{'bptui Trainer.run(900) + history, best':<38}{t_ours:>10.4f}")
    print(
        f"{'NumPy floor: bare calls, no history':<38}{t_floor:>10.4f}   ({t_seed / t_floor:.0f}x the seed loop)"
    )
    print(f"ratio: {res['ratio']:.0f}x (lowest round {worst:.0f}x)   max |ΔW|: {diff:.1e}   max |Δloss|: {loss_diff:.1e}   "
          f"rows: {len(hist)}   test accuracy: {res['test_accuracy']}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
