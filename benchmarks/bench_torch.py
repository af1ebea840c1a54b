"""bptui's trainer against PyTorch on the CPU, same network and algorithm, in one run.

Admissions first (the seeds' 6-2-1 net, 900 full-batch epochs with a full history: train and
test loss and accuracy every epoch), then a sweep over wider hidden layers and more records
to find where PyTorch overtakes. Skipped with a message when torch is not installed.

    python benchmarks/bench_torch.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bptui.core import data, scenario  # noqa: E402
from bptui.core.network import Network, init_weights  # noqa: E402
from bptui.core.trainer import Trainer  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover
    torch = None


def torch_run(X, Y, Xt, Yt, W0, eta, epochs):
    """The seeds' algorithm in PyTorch: full batch, gradient of ½Σ(y − ŷ)², W −= η/m ∇."""
    X, Y, Xt, Yt = (torch.tensor(a, dtype=torch.float64) for a in (X, Y, Xt, Yt))
    W = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in W0]
    m = len(X)
    hist = []
    for _ in range(epochs):
        a = X
        for w in W:
            a = torch.sigmoid(a @ w)
        loss = 0.5 * ((Y - a) ** 2).sum()
        for w in W:
            w.grad = None
        loss.backward()
        with torch.no_grad():
            for w in W:
                w -= eta / m * w.grad
            row = []
            for A, T in ((X, Y), (Xt, Yt)):
                p = A
                for w in W:
                    p = torch.sigmoid(p @ w)
                row += [float(((T - p) ** 2).mean()), float(((p >= 0.5) == (T >= 0.5)).double().mean())]
            hist.append(row)
    return [w.detach().numpy() for w in W], hist


def ours(tr, epochs):
    tr.run(epochs, snapshots=False)
    return tr.history


def compare(X, Y, Xt, Yt, sizes, eta, epochs, seed=21, repeat=3):
    W0 = init_weights(sizes, "normal", None, seed)
    best_o = best_t = float("inf")
    for _ in range(repeat):
        ds = data.make(np.vstack([X, Xt]), np.vstack([Y, Yt]), [f"f{i}" for i in range(X.shape[1])])
        ds.X, ds.y, ds.X_test, ds.y_test = X, Y, Xt, Yt
        tr = Trainer(Network(sizes, [w.copy() for w in W0]), ds, "mse", eta, "batch")
        t = time.perf_counter()
        ours(tr, epochs)
        best_o = min(best_o, time.perf_counter() - t)
        t = time.perf_counter()
        Wt, _ = torch_run(X, Y, Xt, Yt, W0, eta, epochs)
        best_t = min(best_t, time.perf_counter() - t)
    diff = max(float(np.abs(a - b).max()) for a, b in zip(tr.net.W, Wt))
    return best_o, best_t, diff


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    args = ap.parse_args()
    if torch is None:
        print("torch is not installed: skipped (pip install torch==2.13.0 to run it)")
        return
    res = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    tr = scenario.load("admissions").build()
    d = tr.data
    o, t, diff = compare(d.X, d.y, d.X_test, d.y_test, [6, 2, 1], 0.005, 900)
    res["admissions"] = {"bptui_s": o, "torch_s": t, "ratio": t / o, "max_weight_diff": diff}
    print(
        f"admissions 6-2-1, 900 epochs, full history: bptui {o:.3f} s, torch {t:.3f} s → bptui {t / o:.1f}x faster (weights agree to {diff:.0e})"
    )
    rs = np.random.RandomState(0)
    sweep = []
    print(f"{'records':>8}{'sizes':>16}{'bptui s':>10}{'torch s':>10}{'torch/bptui':>13}")
    for m, sizes in [
        (360, [6, 16, 1]),
        (360, [6, 64, 1]),
        (360, [6, 256, 1]),
        (2000, [32, 64, 1]),
        (2000, [32, 256, 1]),
        (10000, [64, 256, 1]),
        (10000, [128, 512, 1]),
    ]:
        X = rs.normal(size=(m, sizes[0]))
        Y = (X[:, :1] + 0.5 * rs.normal(size=(m, 1)) > 0).astype(float)
        n_test = m // 10
        epochs = max(20, 200_000 // m)
        o, t, diff = compare(X[n_test:], Y[n_test:], X[:n_test], Y[:n_test], sizes, 0.5, epochs, repeat=1)
        sweep.append(
            {
                "records": m,
                "sizes": sizes,
                "epochs": epochs,
                "bptui_s": o,
                "torch_s": t,
                "ratio": t / o,
                "max_weight_diff": diff,
            }
        )
        print(f"{m:>8}{str(sizes):>16}{o:>10.3f}{t:>10.3f}{t / o:>13.2f}")
    res["sweep"] = sweep
    cross = next((f"{r['records']} records, {r['sizes']}" for r in sweep if r["ratio"] < 1), None)
    print(f"crossover (torch faster): {cross or 'not reached in this sweep'}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
