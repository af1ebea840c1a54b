"""The step machine: record steps, update steps and epoch steps over a Network and a Dataset.

Cursor: `epoch` epochs are finished and `i` of the current epoch's m records are stepped.
`dW`, `db` accumulate the seeds' weight steps Σ δ a over the `k` records since the last update;
an update applies W += η ΔW / k. When the update happens depends on `update`:

    batch      after the epoch's last record (seed 000)
    sgd        after every record
    minibatch  every `batch_size` records (and after the last record)

An epoch closes with the update after its last record; the history (history.py) then gains a
row with the loss and accuracy over the whole train and test sets, at the weights that epoch
produced. Whole full-batch epochs run on the preallocated buffers of fastpath.py.

Every step first saves a State (steps.py); `back()` restores the last one and `snapshots()`
lists them. The regularisation rules of an update are in regularize.py.

Arrays held here (weights, biases, accumulators) are values: a step replaces them and never
writes into them, so a snapshot or a history row keeps them by reference, without a copy.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from . import losses
from .data import Dataset
from .fastpath import FullBatch
from .history import History, Scorer
from .network import Network
from .regularize import l1_zero, penalty
from .steps import State, Step

UPDATE_MODES = ("batch", "sgd", "minibatch")
SNAPSHOT_BYTES = 32 * 2**20  # memory bound for step-back snapshots


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
        last_batch: str = "update",
        l1: str = "shrink",
    ):
        self.net, self.data = net, data
        # TF Playground's rules as options: a short last batch is applied ("update") or
        # carried into the next epoch's first batch ("carry"); an L1 step that carries a
        # weight across zero leaves it there ("shrink") or sets it to 0 and kills its link
        self.last_batch, self.l1 = last_batch, l1
        self.reg, self.reg_rate = reg, float(reg_rate)  # none | l1 | l2, and its rate λ
        self.loss = losses.get("xent" if loss == "log" and net.output.name == "softmax" else loss)
        self.eta = float(eta)
        self.update_mode = update
        self.batch_size = int(batch_size)
        self.shuffle, self.seed = shuffle, seed
        pair = data.classes()
        if classify is None:  # 0/1 targets for a sigmoid (or log loss), ±1 for a tanh output
            out = net.output.name
            classify = (data.is_binary() and (out == "sigmoid" or loss == "log")) or (
                pair == (-1, 1) and out == "tanh"
            )
        self.classify = bool(classify)
        self.threshold = 0.5 if pair is None else sum(pair) / 2  # ŷ ≥ threshold: positive class
        self._W0, self._b0 = net.params()
        # a snapshot's own arrays (weights, and accumulators when they differ) plus the Python
        # objects around them: the State, its lists and ~120 bytes of header per array
        per_snap = 8 * 2 * net.n_params() + 4 * net.L * 120 + 600
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
        self.dead = [np.zeros(w.shape, dtype=bool) for w in self.net.W]
        self._history = History(Scorer(self.net, self.data, self.loss, self.classify, self.threshold))
        self._history.add_one(0, self.net.W, self.net.b)
        self._snaps.clear()
        self._order = self._order_for(0)

    def restore(self, W, b, dW, db, *, epoch: int, i: int, k: int, diverged=False, rows=()) -> None:
        """Put the trainer in a saved state: weights, the pending sums ΔW, Δb of k records,
        the cursor (epoch, i) and the history rows (lists over history.JSON_FIELDS). Nothing
        to step back to afterwards."""
        self.net.set_params(_shaped(W, self.net.W), None if b is None else _shaped(b, self.net.b))
        self.dW = _shaped(dW, self.net.W)
        self.db = None if self.db is None else _shaped(db, self.net.b)
        self.epoch, self.i, self.k, self.diverged = int(epoch), int(i), int(k), bool(diverged)
        self.last = None
        self._order = self._order_for(self.epoch)
        self._snaps.clear()
        self._history.load(list(rows))

    def _order_for(self, epoch: int) -> np.ndarray | None:
        """The record order of an epoch: file order, or a permutation fixed by (seed, epoch);
        shuffle "once" (TF): epoch 0's permutation every epoch."""
        if not self.shuffle:
            return None
        if self.shuffle == "once":
            epoch = 0
        return np.random.RandomState([self.seed or 0, epoch]).permutation(self.m)

    def record_index(self, pos: int) -> int:
        return int(pos if self._order is None else self._order[pos])

    @property
    def block(self) -> int:
        """Records per update."""
        return {"batch": self.m, "sgd": 1}.get(self.update_mode, self.batch_size)

    def update_due(self) -> bool:
        if self.last_batch == "carry":  # after every block-th record of the epoch, as TF
            return self.k > 0 and self.i > 0 and self.i % self.block == 0
        return self.k > 0 and (self.k >= self.block or self.i >= self.m)

    def _carry_over(self) -> None:
        """carry: an epoch whose records are all stepped ends without an update, its
        leftover Σδa kept for the next epoch's first batch."""
        if self.i >= self.m and not self.update_due():
            self._close_epoch()

    # ---- snapshots -----------------------------------------------------------------------
    def _snap(self) -> None:
        s = State(
            *self.net.params(),
            self.dW,
            self.db,
            self.k,
            self.epoch,
            self.i,
            self.last,
            self.diverged,
            self.dead,
        )
        self._snaps.append(s)

    def snapshots(self) -> tuple[State, ...]:
        """The states step back returns to, oldest first (the last is the next `back()`)."""
        return tuple(self._snaps)

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
        self.dead = s.dead if s.dead is not None else self.dead
        self._history.truncate(s.epoch)  # rows are fixed by their epoch's weights
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
        self._carry_over()
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
        sW = [c * d - penalty(w, self.reg, self.eta, self.reg_rate) for d, w in zip(self.dW, W_old)]
        sb = [c * d for d in self.db] if self.db is not None and self.net.train_bias else None
        with np.errstate(all="ignore"):
            W = [w + s for w, s in zip(W_old, sW)]
            b = [v + s for v, s in zip(b_old, sb)] if sb is not None else b_old
            if self.reg == "l1" and self.l1 == "zero":
                W, self.dead = l1_zero(W_old, self.dW, self.dead, c, self.eta * self.reg_rate)
                sW = [w - o for w, o in zip(W, W_old)]
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
            if self.last_batch == "carry" and self.i >= self.m:
                self._carry_over()
                break
            j = min(self.m, self.i + self.block - self.k)
            if self.last_batch == "carry":
                j = min(self.m, (self.i // self.block + 1) * self.block)
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
        # the fast path has neither TF's L1 rule nor a carried remainder
        rules = (self.reg == "l1" and self.l1 == "zero") or (
            self.last_batch == "carry" and self.m % self.block
        )
        return not rules and self.block >= self.m and self.i == 0 and self.k == 0 and self._order is None

    def _run_full_batch(self, epochs: int, snapshots: bool) -> int:
        """Whole epochs of full-batch training on fastpath.FullBatch, in chunks: each chunk's
        parameters P (n, p) hold the weights of its epochs (views of its rows become the
        network's weights, the snapshots' and the history's, never written again), and its
        outputs Yp, one buffer for every chunk, give the history the train outputs of the row
        before the chunk and of its epochs' rows but the last. A chunk is checked for
        non-finite weights once, at its end."""
        fb = FullBatch(self.net, self.data.X, self.data.y, self.loss, self.eta, self.reg, self.reg_rate)
        m, k = self.data.y.shape
        chunk = max(1, min(256, epochs, (4 * 2**20) // (8 * (fb.layout.size + m * k))))
        Yp, done = np.empty((chunk, m, k)), 0
        with np.errstate(all="ignore"):
            while done < epochs and not self.diverged:
                n = min(chunk, epochs - done)
                P = fb.run(Yp[:n])
                # a sum is finite only if every term is (or the weights are ~1e308: diverged anyway)
                finite = np.isfinite(P.sum(axis=1))
                ok = n if finite.all() else int(finite.argmin())
                if snapshots:
                    self._snap_chunk(fb.layout, P, min(ok + 1, n))
                if ok:
                    W, b = fb.layout.unpack(P[:ok])
                    # Yp[ok] is known when epoch ok diverged: it computed the output first
                    self._history.add(self.epoch + 1, W, b, Yp[: ok + 1] if ok < n else Yp[:n])
                    self.net.set_params(*fb.layout.unpack(P[ok - 1]))
                    self.epoch += ok
                self.diverged = ok < n  # the network keeps the last finite weights
                done += ok
        self.last = Step("epoch", self.epoch - 1, self.m, records=self.m, updates=1)
        return done

    def _snap_chunk(self, layout, P, n: int) -> None:
        """The snapshots before each of a chunk's first n epochs."""
        W, b = self.net.params()
        for j in range(n):
            if j:
                W, b = layout.unpack(P[j - 1])
            self._snaps.append(State(W, b, self.dW, self.db, 0, self.epoch + j, 0, self.last, False))

    def _close_epoch(self) -> None:
        self.epoch += 1
        self.i = 0
        self._order = self._order_for(self.epoch)
        self._history.add_one(self.epoch, self.net.W, self.net.b)

    # ---- history -------------------------------------------------------------------------
    @property
    def history(self) -> History:
        """The history; reading its rows computes the waiting ones."""
        return self._history

    def settle(self) -> History:
        """Compute the metrics of every waiting history row; returns the history."""
        return self._history.settle()

    def last_row(self) -> dict:
        """The last history row (computing only its own metrics when they are waiting)."""
        return self._history.last()


def _shaped(xs, like) -> list[np.ndarray]:
    """Arrays of floats from nested lists, shaped like the arrays `like`."""
    return [np.array(x, dtype=float).reshape(t.shape) for x, t in zip(xs, like)]


def _finite(W, b) -> bool:
    # a sum is finite only if every term is (or the weights are ~1e308: diverged anyway)
    for w in W:
        if not math.isfinite(w.sum()):
            return False
    return b is None or all(math.isfinite(v.sum()) for v in b)
