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
from functools import partial

import numpy as np

from . import losses
from .data import Dataset
from .network import Network, Trace

UPDATE_MODES = ("batch", "sgd", "minibatch")
SNAPSHOT_BYTES = 32 * 2**20  # memory bound for step-back snapshots
LAZY_BYTES = 32 * 2**20  # weights kept for history rows whose metrics are not computed yet
TRAIN_COLS, TEST_COLS = (1, 3, 5), (2, 4, 6)  # History columns of loss, accuracy and R²


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
        """A row for this epoch; returns its index."""
        self.extend(range(epoch, epoch + 1))
        return self.n - 1

    def extend(self, epochs: range) -> None:
        """Rows for these epochs, their metrics still unknown."""
        n = self.n + len(epochs)
        while n > len(self._a):
            self._a = np.concatenate([self._a, np.full_like(self._a, np.nan)])
        self._a[self.n : n] = np.nan
        self._a[self.n : n, 0] = epochs
        self.n = n

    def set(self, row: int, col: int, value: float) -> None:
        self._a[row, col] = value

    def fill(self, rows, cols, values) -> None:
        """Set column cols[j] of the given rows to values[j] (one value per row)."""
        for c, v in zip(cols, values):
            self._a[rows, c] = v

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
        self._Xf = None
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
        W += η ΔW / m), without its bookkeeping.

        The parameters W[0], b[0], W[1], … live in one flat vector `cur` of p values, and one
        epoch is a fixed list of NumPy calls on preallocated buffers (`_epoch_plan`). Epochs
        run in chunks: after each epoch, `cur` and the output ŷ are copied into row j of the
        chunk's (n, p) and (n, m, k) arrays. Those rows are the history: each epoch's W and b
        are views of its row, never written again (values, as the module docstring says), and
        ŷ is the train prediction of the previous history row, so its metrics need no second
        forward pass. A chunk is checked for non-finite weights once, at its end."""
        net = self.net
        m, k = self.data.y.shape
        L, bias = net.L, net.b is not None
        W, b = net.params()
        shapes = [s for l in range(L) for s in ([W[l].shape] + ([b[l].shape] if bias else []))]
        ends = np.cumsum([math.prod(s) for s in shapes]).tolist()
        p, flat = ends[-1], [(s, e - math.prod(s), e) for s, e in zip(shapes, ends)]
        cur = np.concatenate([w.ravel() for wb in zip(W, b or W) for w in wb[: 1 + bias]])
        plan, out = self._epoch_plan(cur, flat)
        chunk = max(1, min(256, self._lazy_max, (4 * 2**20) // (8 * (p + m * k))))
        copyto, done = np.copyto, 0
        with np.errstate(all="ignore"):
            while done < epochs and not self.diverged:
                n = min(chunk, epochs - done)
                P, Yp = np.empty((n, p)), np.empty((n, m, k))
                PW = [P[:, s:e].reshape(n, *sh) for sh, s, e in flat[:: 1 + bias]]
                Pb = [P[:, s:e] for _, s, e in flat[1::2]] if bias else None
                r0 = len(self._history) - 1  # the row the current weights belong to
                for j in range(n):
                    if snapshots:
                        if j:
                            W, b = [w[j - 1] for w in PW], [v[j - 1] for v in Pb] if bias else None
                        self._snaps.append(
                            State(W, b, self.dW, self.db, 0, self.epoch + j, 0, r0 + 1 + j, self.last, False)
                        )
                    for op in plan:
                        op()
                    copyto(Yp[j], out)
                    copyto(P[j], cur)
                # a sum is finite only if every term is (or the weights are ~1e308: diverged anyway)
                finite = np.isfinite(P.sum(axis=1))
                ok = n if finite.all() else int(finite.argmin())
                if ok < n:
                    self.diverged = True  # the network keeps the last finite weights
                    for _ in range(n - ok - 1 if snapshots else 0):
                        self._snaps.pop()
                Wb = [([w[j] for w in PW], [v[j] for v in Pb] if bias else None) for j in range(ok)]
                if Wb:
                    net.W, net.b = W, b = Wb[-1]
                # Yp[ok] is the output at the last finite weights when the chunk diverged
                self._add_chunk(r0, Yp[: ok + 1 if ok < n else n], Wb)
                done += ok
        self.last = Step("epoch", self.epoch - 1, self.m, records=self.m, updates=1)
        return done

    def _epoch_plan(self, cur: np.ndarray, flat: list) -> tuple[list, np.ndarray]:
        """One full-batch epoch as a list of NumPy calls bound to preallocated buffers: the
        forward pass, δ, the weight steps Σ δ a into G, then cur += η/m G (less the
        regularisation step). `flat` gives each parameter's (shape, start, end) in `cur`.
        Returns the calls and the buffer that receives ŷ."""
        net, Y = self.net, self.data.y
        m, L, acts, bias = len(Y), net.L, net.acts, net.b is not None
        G = np.zeros(len(cur))
        Wc, GW = ([v[s:e].reshape(sh) for sh, s, e in flat[:: 1 + bias]] for v in (cur, G))
        bc, Gb = ([v[s:e] for _, s, e in flat[1::2]] for v in (cur, G))
        H = [np.empty((m, n)) for n in net.sizes[1:]]  # h[l]
        A = [self._fortran_X()] + [np.empty((m, n)) for n in net.sizes[1:]]  # a[l]; a[L] = ŷ
        D = [np.empty((m, n)) for n in net.sizes[1:]]  # delta[l]
        T = [np.empty((m, n)) for n in net.sizes[1:]]  # scratch for f'
        dot = np.dot  # cheaper per call than @ on small arrays; X @ W[0] faster from column-major X
        ops = []
        for l in range(L):
            ops.append(partial(dot, A[l], Wc[l], out=H[l]))
            if bias:
                ops.append(partial(np.add, H[l], bc[l], out=H[l]))
            ops.append(partial(acts[l].f, H[l], out=A[l + 1]))
        ops.append(partial(np.subtract, Y, A[L], out=D[-1]))
        if self.loss.uses_fprime:
            ops.append(partial(acts[-1].mul_df, D[-1], H[-1], A[L], T[-1]))
        for l in range(L - 1, -1, -1):
            ops.append(partial(dot, A[l].T, D[l], out=GW[l]))
            if bias and net.train_bias:
                ops.append(partial(np.add.reduce, D[l], axis=0, out=Gb[l]))
            if l:
                ops.append(partial(dot, D[l], Wc[l].T, out=D[l - 1]))
                ops.append(partial(acts[l - 1].mul_df, D[l - 1], H[l - 1], A[l], T[l - 1]))
        ops.append(partial(np.multiply, G, self.eta / self.m, out=G))
        ops.append(partial(np.add, cur, G, out=cur))
        if self.reg != "none":
            # the step regularisation takes off (_penalty), from the weights before the update;
            # rate is η·λ on weights and 0 on biases
            R, rate = np.empty(len(cur)), np.zeros(len(cur))
            for _, s, e in flat[:: 1 + bias]:
                rate[s:e] = self.eta * self.reg_rate
            first = partial(np.sign, cur, out=R) if self.reg == "l1" else partial(np.copyto, R, cur)
            ops[:0] = [first, partial(np.multiply, R, rate, out=R)]
            ops.append(partial(np.subtract, cur, R, out=cur))
        return ops, A[L]

    def _add_chunk(self, r0: int, Yp: np.ndarray, Wb: list) -> None:
        """History rows for the epochs a full-batch chunk finished: their weights are `Wb`,
        and Yp[j] is the train output at row r0 + j's weights (len(Yp) is len(Wb), or one
        more when the output at the last row's weights is known too)."""
        lazy, n, known = self._lazy, len(Wb), len(Yp)
        first = 0 if lazy and lazy[-1][0] == r0 else 1  # row r0 may be computed already
        if known > first:
            self._blocks.append((Yp[first:], range(r0 + first, r0 + known)))
            if first == 0:
                lazy[-1][3] = True
        self._history.extend(range(self.epoch + 1, self.epoch + 1 + n))
        lazy.extend([r0 + 1 + j, W, b, True if j + 1 < known else None] for j, (W, b) in enumerate(Wb))
        self.epoch += n
        if len(lazy) > self._lazy_max:
            self.settle()

    def _fortran_X(self) -> np.ndarray:
        """X in column-major order (X @ W[0] runs faster from it), kept while X is the same."""
        if self._Xf is None or self._Xf[0] is not self.data.X:
            self._Xf = (self.data.X, np.asfortranarray(self.data.X))
        return self._Xf[1]

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
            with np.errstate(all="ignore"):
                self._fill_stacked([self._lazy[-1]], TRAIN_COLS, self.data.X, self.data.y)
                if self.data.has_test:
                    self._fill_stacked([self._lazy[-1]], TEST_COLS, self.data.X_test, self.data.y_test)
        return h.last()

    def settle(self) -> History:
        """Compute the metrics of every waiting row; returns the history."""
        if not self._lazy:
            return self._history
        lazy, self._lazy = self._lazy, []
        blocks, self._blocks = self._blocks, []
        h, Y = self._history, self.data.y
        with np.errstate(all="ignore"):
            for P, rows in blocks:
                rows = np.asarray(rows)
                ok = rows < len(h)
                h.fill(rows[ok], TRAIN_COLS, [v[ok] for v in self._metrics(Y, P)])
            self._fill_stacked([e for e in lazy if e[3] is None], TRAIN_COLS, self.data.X, Y)
            if self.data.has_test:
                self._fill_stacked(lazy, TEST_COLS, self.data.X_test, self.data.y_test)
        return self._history

    def _metrics(self, Y, P) -> tuple:
        """Loss, accuracy and R² of each stacked prediction P (E, m, k) against Y (m, k)."""
        return self.loss.values(Y, P), self.accuracy(Y, P), self.r2(Y, P)

    def _fill_stacked(self, lazy, cols, X, Y) -> None:
        """The metrics of waiting rows from a forward pass over the stacked weights of all
        their epochs, (E, n_in, n_out) per layer, in chunks of bounded memory."""
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
            self._history.fill([p[0] for p in part], cols, self._metrics(Y, A))


def _finite(W, b) -> bool:
    # a sum is finite only if every term is (or the weights are ~1e308: diverged anyway)
    for w in W:
        if not math.isfinite(w.sum()):
            return False
    return b is None or all(math.isfinite(v.sum()) for v in b)
