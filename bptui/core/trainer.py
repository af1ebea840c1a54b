"""The step machine: record steps, update steps and epoch steps over a Network and a Dataset.

Cursor: `epoch` epochs are finished and `i` of the current epoch's m records are stepped.
`dW`, `db` accumulate the seeds' weight steps Σ δ a over the `k` records since the last update;
an update applies W += η ΔW / k. When the update happens depends on `update`:

    batch      after the epoch's last record (seed 000)
    sgd        after every record
    minibatch  every `batch_size` records (and after the last record)

An epoch closes with the update after its last record; the history then gains a row with the
loss and accuracy over the whole train and test sets, at the weights that epoch produced.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from . import losses
from .data import Dataset
from .network import Network, Trace

UPDATE_MODES = ("batch", "sgd", "minibatch")
SNAPSHOT_BYTES = 64 * 2**20  # memory bound for step-back snapshots


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
    """One row per finished epoch, from the epoch-0 row (the initial weights)."""

    COLS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self):
        self.rows: list[list[float]] = []

    def __len__(self):
        return len(self.rows)

    def column(self, name: str) -> np.ndarray:
        j = self.COLS.index(name)
        return np.array([r[j] for r in self.rows], dtype=float)

    def dicts(self) -> list[dict]:
        out = []
        for r in self.rows:
            d = {c: (None if np.isnan(v) else float(v)) for c, v in zip(self.COLS, r)}
            d["epoch"] = int(r[0])
            out.append(d)
        return out

    def truncate(self, n: int) -> None:
        del self.rows[n:]


@dataclass
class State:
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
    ):
        self.net, self.data = net, data
        self.loss = losses.get(loss)
        self.eta = float(eta)
        self.update_mode = update
        self.batch_size = int(batch_size)
        self.shuffle, self.seed = shuffle, seed
        if classify is None:
            classify = data.is_binary() and (net.output.name == "sigmoid" or loss == "log")
        self.classify = classify
        self._W0, self._b0 = net.params()
        per_snap = 8 * 3 * net.n_params() + 512
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
        self._lazy: list = []
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
        W, b = self.net.params()
        self._snaps.append(
            State(
                W,
                b,
                [d.copy() for d in self.dW],
                None if self.db is None else [d.copy() for d in self.db],
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
        self._history.truncate(s.n_history)  # rows are fixed by their epoch's weights
        self._lazy = [e for e in self._lazy if e[0] < s.n_history]
        self._pending = bool(np.isnan(self._history.rows[-1][1]))
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
        pos = self.i
        r = self.record_index(pos)
        x, y = self.data.X[r : r + 1], self.data.y[r : r + 1]
        with np.errstate(all="ignore"):
            t = self.net.backward(self.net.forward(x), y, self.loss)
            dW, db = self.net.steps(t)
        self._accumulate(dW, db, 1)
        self.last = Step("record", self.epoch, self.i, r, t, y, dW, db)
        return self.last

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
        if self._full_batch_ok():
            return self._run_full_batch(epochs, snapshots)
        done = 0
        for _ in range(epochs):
            if self.diverged:
                break
            if snapshots:
                self._snap()
            self._finish_epoch()
            done += not self.diverged
        return done

    def _full_batch_ok(self) -> bool:
        return (
            self.block >= self.m and self.i == 0 and self.k == 0 and self._order is None and not self.diverged
        )

    def _run_full_batch(self, epochs: int, snapshots: bool) -> int:
        """Whole epochs of full-batch training with as few NumPy calls as possible.

        The same arithmetic as _finish_epoch (one forward and backward pass over the whole
        set, then W += η ΔW / m); each epoch's forward pass also yields the train metrics of
        the previous history row, since those belong to the same weights."""
        net, X, Y, loss = self.net, self.data.X, self.data.y, self.loss
        W, b, acts, L = net.W, net.b, net.acts, net.L
        train_b = b is not None and net.train_bias
        c = self.eta / self.m
        done = 0
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                if snapshots:
                    self._snap()
                    old = self._snaps[-1]
                else:
                    old = State(*net.params(), None, None, 0, 0, 0, 0, None, False)
                a, hs = [X], []
                for l in range(L):
                    z = a[-1] @ W[l]
                    if b is not None:
                        z += b[l]
                    hs.append(z)
                    a.append(acts[l].f(z))
                yhat = a[-1]
                if self._pending:
                    self._fill_train_metrics(Y, yhat)
                    if self.diverged:
                        break
                E = Y - yhat
                d = E * acts[-1].df(hs[-1], yhat) if loss.uses_fprime else E
                for l in range(L - 1, -1, -1):
                    gW = a[l].T @ d
                    if l:
                        d_prev = (d @ W[l].T) * acts[l - 1].df(hs[l - 1], a[l])
                    W[l] += c * gW
                    if train_b:
                        b[l] += c * d.sum(axis=0)
                    if l:
                        d = d_prev
                if not self._finite():
                    net.set_params(old.W, old.b)
                    self.diverged = True
                    break
                done += 1
                self.epoch += 1
                self._append_row()
        self.last = Step("epoch", self.epoch - 1, self.m, records=self.m, updates=1)
        return done

    # ---- internals -----------------------------------------------------------------------
    def _accumulate(self, dW, db, n: int) -> None:
        for acc, d in zip(self.dW, dW):
            acc += d
        if self.db is not None:
            for acc, d in zip(self.db, db):
                acc += d
        self.k += n
        self.i += n

    def _update(self) -> Step:
        if self._pending:
            self.settle()  # the last row's weights are about to change
        W_old, b_old = self.net.params()
        c = self.eta / self.k
        sW = [c * d for d in self.dW]
        sb = [c * d for d in self.db] if self.db is not None and self.net.train_bias else None
        with np.errstate(all="ignore"):
            for w, s in zip(self.net.W, sW):
                w += s
            if sb is not None:
                for v, s in zip(self.net.b, sb):
                    v += s
        step = Step("update", self.epoch, self.i, dW=sW, db=sb, W_old=W_old, b_old=b_old)
        step.k = self.k
        if not self._finite():
            self.net.set_params(W_old, b_old)  # keep the last finite weights
            self.diverged = True
            self.last = step
            return step
        for d in self.dW:
            d.fill(0.0)
        if self.db is not None:
            for d in self.db:
                d.fill(0.0)
        self.k = 0
        self.last = step
        if self.i >= self.m:
            self._close_epoch()
        return step

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
                t = self.net.forward(xb)
                if self.i == 0 and j == self.m and self._pending_row():
                    # the whole set at the weights of the last history row: fill it for free
                    self._fill_train_metrics(yb, t.yhat)
                self.net.backward(t, yb, self.loss)
                dW, db = self.net.steps(t)
            self._accumulate(dW, db, j - self.i)
        self.last = Step("epoch", e, self.m, records=self.m - start, updates=updates)
        return self.last

    def _finite(self) -> bool:
        ok = all(np.isfinite(w).all() for w in self.net.W)
        return ok and (self.net.b is None or all(np.isfinite(v).all() for v in self.net.b))

    def _close_epoch(self) -> None:
        self.epoch += 1
        self.i = 0
        self._order = self._order_for(self.epoch)
        self._append_row()

    # ---- history ----------------------------------------------------------------------------
    # A row's metrics are computed lazily. Its train metrics come free from the next full
    # forward pass (same weights) or are computed when read; its test metrics wait, with a
    # copy of the row's weights, until the history is read, and are then computed for all
    # waiting rows in one batched pass.
    LAZY_BYTES = 32 * 2**20

    def accuracy(self, Y, Yhat) -> float:
        if not self.classify or len(Y) == 0:
            return float("nan")
        if Y.shape[1] == 1:
            return np.count_nonzero((Yhat >= 0.5) == (Y >= 0.5)) / len(Y)
        return np.count_nonzero(Yhat.argmax(1) == Y.argmax(1)) / len(Y)

    def metrics(self, X, Y) -> tuple[float, float]:
        if len(X) == 0:
            return float("nan"), float("nan")
        with np.errstate(all="ignore"):
            Yhat = self.net.predict(X)
            return self.loss.value(Y, Yhat), self.accuracy(Y, Yhat)

    def _append_row(self) -> None:
        self._history.rows.append([self.epoch, np.nan, np.nan, np.nan, np.nan])
        self._pending = True
        if self.data.has_test:
            self._lazy.append((len(self._history) - 1, *self.net.params()))
            if len(self._lazy) * (self.net.n_params() * 8 + 64) > self.LAZY_BYTES:
                self._settle_test()

    def _pending_row(self) -> bool:
        return self._pending and len(self._history) - 1 == self.epoch

    def _fill_train_metrics(self, Y, Yhat) -> None:
        row = self._history.rows[-1]
        row[1] = self.loss.value(Y, Yhat)
        row[3] = self.accuracy(Y, Yhat)
        self._pending = False
        if not np.isfinite(row[1]):
            self.diverged = True

    @property
    def history(self) -> History:
        return self.settle()

    def settle(self) -> History:
        """Compute every metric still waiting; returns the history."""
        if self._pending:
            # the last row belongs to the current weights only while no update happened since
            with np.errstate(all="ignore"):
                self._fill_train_metrics(self.data.y, self.net.predict(self.data.X))
        if self._lazy:
            self._settle_test()
        return self._history

    def _settle_test(self) -> None:
        """Test loss and accuracy of every waiting row: one forward pass over the stacked
        weights of all those epochs, (E, n_in, n_out) per layer."""
        lazy, self._lazy = self._lazy, []
        X, Y = self.data.X_test, self.data.y_test
        rows = self._history.rows
        chunk = max(1, (16 * 2**20) // (8 * len(X) * max(self.net.sizes)))
        with np.errstate(all="ignore"):
            for s in range(0, len(lazy), chunk):
                part = lazy[s : s + chunk]
                A = X
                for l, f in enumerate(self.net.acts):
                    A = A @ np.stack([p[1][l] for p in part])
                    if self.net.b is not None:
                        A = A + np.stack([p[2][l] for p in part])[:, None, :]
                    A = f.f(A)
                losses = self.loss.values(Y, A)
                if self.classify and Y.shape[1] == 1:
                    acc = np.count_nonzero((A >= 0.5) == (Y >= 0.5), axis=(1, 2)) / len(Y)
                elif self.classify:
                    acc = np.count_nonzero(A.argmax(2) == Y.argmax(1), axis=1) / len(Y)
                else:
                    acc = np.full(len(part), np.nan)
                for (r, *_), lv, av in zip(part, losses, acc):
                    if r < len(rows):
                        rows[r][2], rows[r][4] = float(lv), float(av)
