"""bptui's trainer against an equal-effort PyTorch loop on the CPU, in one run.

The same work on both sides, admissions (the seeds' 6-2-1 net, 900 full-batch epochs), float64:
- one forward pass over the training set per epoch, the backward pass, W −= η/m ∇ of ½Σ(y − ŷ)²;
- the full history every epoch: train loss and accuracy from that forward pass's outputs (the
  outputs at the previous epoch's weights, as bptui does), and test loss and accuracy from a
  forward pass over the test set; PyTorch keeps the rows as tensors (no .item() per epoch);
- one thread each: OMP/OpenBLAS/MKL threads 1 before NumPy and torch load, and
  torch.set_num_threads(1) (at its default of two threads, PyTorch is 10–30x slower whenever the
  other core is busy);
- CPU time (time.process_time), alternating rounds (bptui, then PyTorch, --repeat runs each; the
  round's time is their median); the figure is the median of the per-round ratios;
- every round checks the final weights and the whole history (train and test loss and accuracy
  of every epoch; PyTorch has no test row for epoch 0) agree to 1e-12.

With --sweep it also times wider layers and more records, to find where PyTorch overtakes.
Skipped with a message when torch is not installed (pip install torch==2.13.0).

    python benchmarks/bench_torch.py [--rounds 5] [--repeat 5] [--sweep] [--json FILE]
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
from bptui.core import data, scenario  # noqa: E402
from bptui.core.network import Network, init_weights  # noqa: E402
from bptui.core.trainer import Trainer  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover
    torch = None


def torch_run(X, Y, Xt, Yt, W0, eta, epochs):
    """The seeds' algorithm in PyTorch autograd, with bptui's history. Returns the final
    weights, the history (HISTORY columns, epochs 0 … epochs; no test row for epoch 0) and the
    CPU seconds taken."""
    X, Y, Xt, Yt = (torch.tensor(a, dtype=torch.float64) for a in (X, Y, Xt, Yt))
    W = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in W0]
    step, rows = eta / len(X), []

    def forward(a):
        for w in W:
            a = torch.sigmoid(a @ w)
        return a

    def metrics(T, p):
        return torch.stack([((T - p) ** 2).mean(), ((p >= 0.5) == (T >= 0.5)).double().mean()])

    t0 = time.process_time()
    for _ in range(epochs):
        a = forward(X)
        (0.5 * ((Y - a) ** 2).sum()).backward()
        with torch.no_grad():
            rows.append(metrics(Y, a))  # the previous row's train metrics, as in bptui
            for w in W:
                w -= step * w.grad
                w.grad = None
            rows.append(metrics(Yt, forward(Xt)))
    with torch.no_grad():
        rows.append(metrics(Y, forward(X)))  # the last row's train metrics
        h = torch.stack(rows).numpy()
    seconds = time.process_time() - t0
    train, test = h[0::2], np.vstack([np.full((1, 2), np.nan), h[1::2]])
    return [w.detach().numpy() for w in W], np.hstack([train, test])[:, [0, 2, 1, 3]], seconds


def bptui_run(X, Y, Xt, Yt, W0, eta, epochs):
    ds = data.make(np.vstack([X, Xt]), np.vstack([Y, Yt]), [f"f{i}" for i in range(X.shape[1])])
    ds.X, ds.y, ds.X_test, ds.y_test = X, Y, Xt, Yt
    sizes = [X.shape[1]] + [w.shape[1] for w in W0]
    tr = Trainer(Network(sizes, [w.copy() for w in W0]), ds, "mse", eta, "batch")
    t0 = time.process_time()
    tr.run(epochs, snapshots=False)
    tr.history.column("train_loss")  # reading a column settles the history: timed
    seconds = time.process_time() - t0
    return tr.net.W, np.column_stack([tr.history.column(c) for c in HISTORY]), seconds


HISTORY = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def compare(X, Y, Xt, Yt, sizes, eta, epochs, rounds, repeat, seed=21) -> dict:
    W0 = init_weights(sizes, "normal", None, seed)
    per_round = []
    for _ in range(rounds):
        ours = [bptui_run(X, Y, Xt, Yt, W0, eta, epochs) for _ in range(repeat)]
        theirs = [torch_run(X, Y, Xt, Yt, W0, eta, epochs) for _ in range(repeat)]
        o, t = statistics.median(r[2] for r in ours), statistics.median(r[2] for r in theirs)
        dw = max(float(np.abs(a - b).max()) for a, b in zip(ours[0][0], theirs[0][0]))
        diff = np.abs(ours[0][1] - theirs[0][1])
        diff[0, 1::2] = 0  # PyTorch has no test row for epoch 0 (NaN there); NaN elsewhere fails
        dl = float(diff.max())
        assert dw <= 1e-12 and dl <= 1e-12, (dw, dl)
        per_round.append(
            {"bptui_s": o, "torch_s": t, "ratio": t / o, "max_weight_diff": dw, "max_loss_diff": dl}
        )
    ratios = [r["ratio"] for r in per_round]
    med = {k: statistics.median(r[k] for r in per_round) for k in ("bptui_s", "torch_s", "ratio")}
    return {**med, "ratio_range": [min(ratios), max(ratios)], "rounds": per_round}


SWEEP = [(360, [6, 16, 1]), (360, [6, 64, 1]), (360, [6, 256, 1]), (2000, [32, 64, 1]), (2000, [32, 256, 1])]


def sweep() -> list:
    rs, out = np.random.RandomState(0), []
    print(f"{'records':>8}{'sizes':>16}{'bptui s':>10}{'torch s':>10}{'torch/bptui':>13}")
    for m, sizes in SWEEP:
        X = rs.normal(size=(m, sizes[0]))
        Y = (X[:, :1] + 0.5 * rs.normal(size=(m, 1)) > 0).astype(float)
        n_test, epochs = m // 10, max(20, 200_000 // m)
        r = compare(X[n_test:], Y[n_test:], X[:n_test], Y[:n_test], sizes, 0.5, epochs, 1, 1)
        out.append({"records": m, "sizes": sizes, "epochs": epochs, **r})
        print(f"{m:>8}{str(sizes):>16}{r['bptui_s']:>10.3f}{r['torch_s']:>10.3f}{r['ratio']:>13.2f}")
    cross = next((f"{r['records']} records, {r['sizes']}" for r in out if r["ratio"] < 1), None)
    print(f"crossover (torch faster): {cross or 'not reached in this sweep'}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sweep", action="store_true", help="also time wider layers and more records")
    ap.add_argument("--json")
    args = ap.parse_args()
    if torch is None:
        print("torch is not installed: skipped (pip install torch==2.13.0 to run it)")
        return
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    d = scenario.load("admissions").build().data
    r = compare(d.X, d.y, d.X_test, d.y_test, [6, 2, 1], 0.005, 900, args.rounds, args.repeat)
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "admissions": r}
    worst = max(x["max_weight_diff"] for x in r["rounds"])
    print(
        f"admissions 6-2-1, 900 epochs, full history, one thread: bptui {r['bptui_s'] * 1e3:.1f} ms, "
        f"PyTorch {torch.__version__} {r['torch_s'] * 1e3:.0f} ms → bptui {r['ratio']:.1f}x faster "
        f"(rounds {r['ratio_range'][0]:.1f}–{r['ratio_range'][1]:.1f}x; goal ≥ 5x; weights agree to {worst:.0e})"
    )
    if args.sweep:
        res["sweep"] = sweep()
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
