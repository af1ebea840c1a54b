"""The step machine: record steps, update steps and epoch steps over a Network and a Dataset.

Cursor: `epoch` epochs are finished and `i` of the current epoch's m records are stepped.
`dW`, `db` accumulate the seeds' weight steps Σ δ a over the `k` records since the last update;
an update applies W += η ΔW / k. When the update happens depends on `update`:

    batch      after the epoch's last record (seed 000)
    sgd        after every record
    minibatch  every `batch_size` records (and after the last record)

An epoch closes with the update after its last record; the history then gains a row with the
loss and accuracy over the whole train and test sets, at the weights that epoch produced.

Arrays held here (weights, biases, accumulators) are values: a step replaces them and never
writes into them, so a snapshot or a history row keeps them by reference, without a copy.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from . import losses
from .data import Dataset
from .network import Network, Trace

UPDATE_MODES = ("batch", "sgd", "minibatch")
SNAPSHOT_BYTES = 32 * 2**20  # memory bound for step-back snapshots
LAZY_BYTES = 32 * 2**20  # weights kept for history rows whose metrics are not computed yet


@dataclass
class Step:
    """What the last step did, for display. kind: record | update | epoch."""

    kind: str
    epoch: int  # the epoch the step belonged to (0-based)
    position: int = 0  # records of that epoch stepped after it
    record: int | None = None  # index of the record in the training set
    trace: Trace | None = None  # record: the forward and backward pass
    y: np.ndarray | None = None
    dW: list | None = None  # record: its own δ a; update: the step η ΔW / k applied
    db: list | None = None
    W_old: list | None = None  # update: the weights before it
    b_old: list | None = None
    k: int = 0  # update: records in the step
    records: int = 0  # epoch: records stepped
    updates: int = 0  # epoch: updates applied


class History:
    """One row per finished epoch, from the epoch-0 row (the initial weights), in a growing
    (n, 5) array: column reads are views, appends are amortised O(1)."""

    COLS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
    EXTRA = ("train_r2", "test_r2")  # regression: R² beside the loss (not in the JSON rows)

    def __init__(self):
        self._a = np.full((64, len(self.COLS) + len(self.EXTRA)), np.nan)
        self.n = 0

    def __len__(self):
        return self.n

    def append(self, epoch: int) -> int:
        if self.n == len(self._a):
            self._a = np.concatenate([self._a, np.full_like(self._a, np.nan)])
        self._a[self.n] = np.nan
        self._a[self.n, 0] = epoch
        self.n += 1
        return self.n - 1

    def set(self, row: int, col: int, value: float) -> None:
        self._a[row, col] = value

    def truncate(self, n: int) -> None:
        self.n = min(self.n, n)

    def column(self, name: str) -> np.ndarray:
        return self._a[: self.n, (self.COLS + self.EXTRA).index(name)].copy()

    def row(self, i: int) -> dict:
        r = self._a[i, : len(self.COLS)]
        d = {c: (None if np.isnan(v) else float(v)) for c, v in zip(self.COLS, r)}
        d["epoch"] = int(r[0])
        return d

    def last(self) -> dict:
        return self.row(self.n - 1)

    def dicts(self) -> list[dict]:
        return [self.row(i) for i in range(self.n)]


@dataclass
class State:
    """Everything a step changes; restoring one undoes the step."""

    W: list
    b: list | None
    dW: list
    db: list | None
    k: int
    epoch: int
    i: int
    n_history: int
    last: Step | None
    diverged: bool


class Trainer:
    def __init__(
        self,
        net: Network,
        data: Dataset,
        loss: str = "mse",
        eta: float = 0.5,
        update: str = "batch",
        batch_size: int = 10,
        shuffle: bool = False,
        seed=None,
        classify: bool | None = None,
        reg: str = "none",
        reg_rate: float = 0.0,
    ):
        self.net, self.data = net, data
        self.reg, self.reg_rate = reg, float(reg_rate)  # none | l1 | l2, and its rate λ
        self.loss = losses.get("xent" if loss == "log" and net.output.name == "softmax" else loss)
        self.eta = float(eta)
        self.update_mode = update
        self.batch_size = int(batch_size)
        self.shuffle, self.seed = shuffle, seed
        if classify is None:
            classify = data.is_binary() and (net.output.name == "sigmoid" or loss == "log")
        self.classify = classify
        self._W0, self._b0 = net.params()
        # a snapshot's own arrays (weights, and accumulators when they differ) plus the Python
        # objects around them: the State, its lists and ~120 bytes of header per array
        per_snap = 8 * 2 * net.n_params() + 4 * net.L * 120 + 600
        self._lazy_max = max(16, LAZY_BYTES // (8 * (net.n_params() + data.m * net.sizes[-1]) + 128))
        self._snaps: deque[State] = deque(maxlen=max(64, SNAPSHOT_BYTES // per_snap))
        self.reset()

    # ---- state ---------------------------------------------------------------------------
    @property
    def m(self) -> int:
        return self.data.m

    def reset(self) -> None:
        """Back to the scenario's initial weights, epoch 0, nothing pending."""
        self.net.set_params(self._W0, self._b0)
        self.dW = [np.zeros_like(w) for w in self.net.W]
        self.db = [np.zeros_like(v) for v in self.net.b] if self.net.has_bias else None
        self.k = 0
        self.epoch = 0
        self.i = 0
        self.last: Step | None = None
        self.diverged = False
        self._history = History()
        self._lazy: list = []  # [row, W, b, train output known] of rows whose metrics wait
        self._blocks: list = []  # (predictions (n, m, k), their rows) for the waiting rows
        self._snaps.clear()
        self._order = self._order_for(0)
        self._append_row()

    def _order_for(self, epoch: int) -> np.ndarray | None:
        """The record order of an epoch: file order, or a permutation fixed by (seed, epoch)."""
        if not self.shuffle:
            return None
        return np.random.RandomState([self.seed or 0, epoch]).permutation(self.m)

    def record_index(self, pos: int) -> int:
        return int(pos if self._order is None else self._order[pos])

    @property
    def block(self) -> int:
        """Records per update."""
        return {"batch": self.m, "sgd": 1}.get(self.update_mode, self.batch_size)

    def update_due(self) -> bool:
        return self.k > 0 and (self.k >= self.block or self.i >= self.m)

    @property
    def state_name(self) -> str:
        return "diverged" if self.diverged else "paused"

    # ---- snapshots -----------------------------------------------------------------------
    def _snap(self) -> None:
        self._snaps.append(
            State(
                *self.net.params(),
                self.dW,
                self.db,
                self.k,
                self.epoch,
                self.i,
                len(self._history),
                self.last,
                self.diverged,
            )
        )

    def can_step_back(self) -> bool:
        return bool(self._snaps)

    def back(self) -> bool:
        """Restore the state before the last step; False when no snapshot is left."""
        if not self._snaps:
            return False
        s = self._snaps.pop()
        self.net.set_params(s.W, s.b)
        self.dW, self.db, self.k = s.dW, s.db, s.k
        if s.epoch != self.epoch:
            self._order = self._order_for(s.epoch)
        self.epoch, self.i, self.last, self.diverged = s.epoch, s.i, s.last, s.diverged
        self.settle()
        self._history.truncate(s.n_history)  # rows are fixed by their epoch's weights
        return True

    # ---- the three steps -----------------------------------------------------------------
    def step_record(self) -> Step:
        """Forward and backward pass on the next record; add its δ a to ΔW (and Δb).

        If an update is due first (the previous block is complete), it is applied as a step
        of its own, so stepping back undoes them one at a time."""
        if self.diverged:
            return self.last
        if self.update_due():
            self.step_update()
            if self.diverged:
                return self.last
        self._snap()
        r = self.record_index(self.i)
        x, y = self.data.X[r : r + 1], self.data.y[r : r + 1]
        with np.errstate(all="ignore"):
            t = self.net.backward(self.net.forward(x), y, self.loss)
            dW, db = self.net.steps(t)
        self._accumulate(dW, db, 1)
        self.last = Step("record", self.epoch, self.i, r, t, y, dW, db)
        return self.last

    def peek(self) -> Step:
        """The next record's forward and backward pass at the current weights, changing
        nothing (what the panels show after an update or an epoch, and during play)."""
        pos = self.i if self.i < self.m else 0
        r = self.record_index(pos)
        x, y = self.data.X[r : r + 1], self.data.y[r : r + 1]
        with np.errstate(all="ignore"):
            t = self.net.backward(self.net.forward(x), y, self.loss)
            dW, db = self.net.steps(t)
        return Step("record", self.epoch, pos + 1, r, t, y, dW, db)

    def step_update(self) -> Step | None:
        """Apply W += η ΔW / k and clear ΔW; closes the epoch after its last record."""
        if self.k == 0 or self.diverged:
            return None
        self._snap()
        return self._update()

    def step_epoch(self) -> Step:
        """Finish the current epoch: the remaining records block by block, vectorised."""
        if self.diverged:
            return self.last
        self._snap()
        return self._finish_epoch()

    def run(self, epochs: int, snapshots: bool = True) -> int:
        """Finish `epochs` epochs (the first one may be partly done). Returns epochs finished;
        stops early at a divergence."""
        done = 0
        while done < epochs and not self.diverged:
            if self._full_batch_ok():
                return done + self._run_full_batch(epochs - done, snapshots)
            if snapshots:
                self._snap()
            self._finish_epoch()
            done += not self.diverged
        return done

    # ---- internals -----------------------------------------------------------------------
    def _accumulate(self, dW, db, n: int) -> None:
        self.dW = [a + d for a, d in zip(self.dW, dW)]
        if self.db is not None:
            self.db = [a + d for a, d in zip(self.db, db)]
        self.k += n
        self.i += n

    def _update(self) -> Step:
        W_old, b_old = self.net.params()
        c = self.eta / self.k
        sW = [c * d - self._penalty(w) for d, w in zip(self.dW, W_old)]
        sb = [c * d for d in self.db] if self.db is not None and self.net.train_bias else None
        with np.errstate(all="ignore"):
            W = [w + s for w, s in zip(W_old, sW)]
            b = [v + s for v, s in zip(b_old, sb)] if sb is not None else b_old
        step = Step("update", self.epoch, self.i, dW=sW, db=sb, W_old=W_old, b_old=b_old, k=self.k)
        self.last = step
        if not _finite(W, b):
            self.diverged = True  # keep the last finite weights
            return step
        self.net.set_params(W, b)
        self.dW = [np.zeros_like(d) for d in self.dW]
        self.db = None if self.db is None else [np.zeros_like(d) for d in self.db]
        self.k = 0
        if self.i >= self.m:
            self._close_epoch()
        return step

    def _penalty(self, w: np.ndarray) -> np.ndarray | float:
        """What regularisation takes off a weight in one update: η·λ·sign(w) (L1) or
        η·λ·w (L2) — the descent step of λ|w| or λw²/2. Biases are not regularised."""
        if self.reg == "l1":
            return self.eta * self.reg_rate * np.sign(w)
        if self.reg == "l2":
            return self.eta * self.reg_rate * w
        return 0.0

    def _finish_epoch(self) -> Step:
        e, start, updates = self.epoch, self.i, 0
        X, Y = self.data.X, self.data.y
        while True:
            if self.update_due():
                self._update()
                updates += 1
                if self.diverged or self.epoch != e:
                    break
                continue
            j = min(self.m, self.i + self.block - self.k)
            if self._order is None:
                xb, yb = X[self.i : j], Y[self.i : j]
            else:
                idx = self._order[self.i : j]
                xb, yb = X[idx], Y[idx]
            with np.errstate(all="ignore"):
                t = self.net.backward(self.net.forward(xb), yb, self.loss)
                dW, db = self.net.steps(t)
            self._accumulate(dW, db, j - self.i)
        self.last = Step("epoch", e, self.m, records=self.m - start, updates=updates)
        return self.last

    def _full_batch_ok(self) -> bool:
        return self.block >= self.m and self.i == 0 and self.k == 0 and self._order is None

    def _run_full_batch(self, epochs: int, snapshots: bool) -> int:
        """Whole epochs of full-batch training with as few NumPy calls as possible: the
        arithmetic of _finish_epoch (one forward and backward pass over the whole set, then
        W += η ΔW / m), without its bookkeeping. Each epoch's forward pass is also the
        previous history row's train prediction, so that row keeps it for its metrics."""
        net, X, Y, loss = self.net, self.data.X, self.data.y, self.loss
        acts, L = net.acts, net.L
        train_b = net.b is not None and net.train_bias
        c = self.eta / self.m
        hist, lazy = self._history, self._lazy
        W, b = net.params()
        f = [act.f for act in acts]  # bound once: the loop below runs thousands of times
        df = [act.df for act in acts]
        copy_h = acts[-1].name == "relu"  # relu's f' needs h, which f(z, out=z) overwrites
        fprime, reg = loss.uses_fprime, self.reg != "none"
        layers = range(L - 1, -1, -1)
        dot = np.dot  # cheaper per call than @ on small arrays
        Xf = np.asfortranarray(X)  # X @ W[0] runs faster from column-major X
        done = 0
        with np.errstate(all="ignore"):
            while done < epochs:
                if snapshots:
                    self._snap()
                a, hs = [X], []
                known = lazy and lazy[-1][0] == len(hist) - 1  # the last row has these weights
                for l in range(L - 1):
                    z = dot(Xf if l == 0 else a[-1], W[l])
                    if b is not None:
                        z += b[l]
                    hs.append(z)
                    a.append(f[l](z))
                # the output goes straight into the prediction block: it is the last row's
                # train prediction, so its metrics need no second forward pass
                z = np.matmul(a[-1], W[-1], out=self._pred_slot(lazy[-1]) if known else None)
                if b is not None:
                    z += b[-1]
                hs.append(z.copy() if copy_h else z)
                a.append(f[-1](z, out=z))
                E = Y - a[-1]
                d = E * df[-1](hs[-1], a[-1]) if fprime else E
                W_prev = W
                W, b = list(W), None if b is None else list(b)
                for l in layers:
                    gW = dot(a[l].T, d)
                    if train_b:
                        b[l] = b[l] + c * d.sum(axis=0)
                    if l:
                        d = dot(d, W[l].T) * df[l - 1](hs[l - 1], a[l])
                    w = W[l] + c * gW
                    if reg:
                        w = w - self._penalty(W_prev[l])
                    W[l] = w
                if not _finite(W, b):
                    self.diverged = True  # the network keeps the last finite weights
                    break
                net.W, net.b = W, b
                done += 1
                self.epoch += 1
                self._append_row()
        self.last = Step("epoch", self.epoch - 1, self.m, records=self.m, updates=1)
        return done

    def _close_epoch(self) -> None:
        self.epoch += 1
        self.i = 0
        self._order = self._order_for(self.epoch)
        self._append_row()

    # ---- history -------------------------------------------------------------------------
    # Rows are computed lazily: a new row keeps its epoch's weights (by reference) until the
    # history is read, and then every waiting row is computed in one batched forward pass.
    def accuracy(self, Y, Yhat) -> np.ndarray:
        """Accuracy along the last two axes: threshold 0.5 for one output, argmax for more."""
        if not self.classify or Y.shape[-2] == 0:
            return np.full(Yhat.shape[:-2], np.nan)
        if Y.shape[-1] == 1:
            hits = (Yhat >= 0.5) == (Y >= 0.5)
        else:
            hits = (Yhat.argmax(-1) == Y.argmax(-1))[..., None]
        return np.count_nonzero(hits, axis=(-2, -1)) / Y.shape[-2]

    def r2(self, Y, Yhat) -> np.ndarray:
        """R² = 1 − SS_res / SS_tot along the last two axes (regression only)."""
        if self.classify or Y.shape[-2] < 2:
            return np.full(Yhat.shape[:-2], np.nan)
        ss_tot = float(((Y - Y.mean(axis=0)) ** 2).sum())
        ss_res = ((Y - Yhat) ** 2).sum(axis=(-2, -1))
        return 1.0 - ss_res / ss_tot if ss_tot > 0 else np.full(Yhat.shape[:-2], np.nan)

    def _append_row(self) -> None:
        r = self._history.append(self.epoch)
        # [row, W, b, train prediction if already known]
        self._lazy.append([r, self.net.W, self.net.b, None])
        if len(self._lazy) > self._lazy_max:
            self.settle()

    @property
    def history(self) -> History:
        return self.settle()

    def last_row(self) -> dict:
        """The last history row, computing only that row's metrics if they are waiting
        (cheaper than settling every waiting row, for a display at frame rate)."""
        h = self._history
        r = len(h) - 1
        if self._lazy and self._lazy[-1][0] == r and np.isnan(h._a[r, 1]):
            e = self._lazy[-1]
            for X, Y, cols in (
                (self.data.X, self.data.y, (1, 3)),
                (self.data.X_test, self.data.y_test, (2, 4)),
            ):
                if len(X):
                    for _, l_, a_, _r2 in self._stacked_metrics([e], X, Y):
                        h.set(r, cols[0], l_)
                        h.set(r, cols[1], a_)
        return h.last()

    def _pred_slot(self, entry) -> np.ndarray:
        """A (m, k) slot of the current prediction block for a waiting row's train output."""
        m, k = self.data.y.shape
        if not self._blocks or len(self._blocks[-1][1]) == len(self._blocks[-1][0]):
            n = max(1, min(256, (8 * 2**20) // (8 * m * k)))
            self._blocks.append((np.empty((n, m, k)), []))
        block, rows = self._blocks[-1]
        rows.append(entry[0])
        entry[3] = True
        return block[len(rows) - 1]

    def settle(self) -> History:
        """Compute the metrics of every waiting row; returns the history."""
        if not self._lazy:
            return self._history
        lazy, self._lazy = self._lazy, []
        blocks, self._blocks = self._blocks, []
        h = self._history
        Y = self.data.y
        with np.errstate(all="ignore"):
            for block, idx in blocks:
                P = block[: len(idx)]
                lv, av, rv = (
                    self.loss.values(Y, P).tolist(),
                    self.accuracy(Y, P).tolist(),
                    self.r2(Y, P).tolist(),
                )
                for r, l_, a_, r2 in zip(idx, lv, av, rv):
                    if r < len(h):
                        h.set(r, 1, l_)
                        h.set(r, 3, a_)
                        h.set(r, 5, r2)
            rest = [e for e in lazy if e[3] is None]
            for r, l_, a_, r2 in self._stacked_metrics(rest, self.data.X, Y):
                h.set(r, 1, l_)
                h.set(r, 3, a_)
                h.set(r, 5, r2)
            if self.data.has_test:
                for r, l_, a_, r2 in self._stacked_metrics(lazy, self.data.X_test, self.data.y_test):
                    h.set(r, 2, l_)
                    h.set(r, 4, a_)
                    h.set(r, 6, r2)
        return self._history

    def _stacked_metrics(self, lazy, X, Y):
        """(row, loss, accuracy) for each waiting row: a forward pass over the stacked weights
        of all those epochs, (E, n_in, n_out) per layer, in chunks of bounded memory."""
        chunk = max(1, (16 * 2**20) // (8 * len(X) * max(self.net.sizes)))
        for s in range(0, len(lazy), chunk):
            part = lazy[s : s + chunk]
            E, m = len(part), len(X)
            # layer 0 for all epochs in one product: X (m, n) @ [W_e ...] (n, E·k)
            A = X @ np.concatenate([p[1][0] for p in part], axis=1)
            A = A.reshape(m, E, -1).transpose(1, 0, 2)
            for l, f in enumerate(self.net.acts):
                if l:
                    A = A @ np.stack([p[1][l] for p in part])
                if self.net.b is not None:
                    A = A + np.stack([p[2][l] for p in part])[:, None, :]
                A = f.f(A)
            lv, av, rv = self.loss.values(Y, A), self.accuracy(Y, A), self.r2(Y, A)
            yield from zip([p[0] for p in part], lv.tolist(), av.tolist(), rv.tolist())


def _finite(W, b) -> bool:
    # a sum is finite only if every term is (or the weights are ~1e308: diverged anyway)
    for w in W:
        if not math.isfinite(w.sum()):
            return False
    return b is None or all(math.isfinite(v.sum()) for v in b)
