"""The history: one row per finished epoch, from the epoch-0 row (the initial weights).

A row holds the loss, accuracy and R² over the whole train and test sets at the weights its
epoch produced (accuracy for classifiers and R² for regression; NaN where one does not apply).

Rows are computed lazily. A new row keeps its epoch's weights (by reference: weights are values,
see network.py) until the history is read; then every waiting row is computed at once, in one
forward pass over the stacked weights of all their epochs. The full-batch path also hands over
the train outputs ŷ it computed anyway: their rows get their train metrics at once, while those
outputs are still in the cache (and the path reuses its buffer), and need no train forward pass.

Memory is bounded. The table holds at most CAPACITY rows: when it is full, the last RECENT
epochs stay exact and older rows are thinned to every `stride`-th epoch (a power of two that
doubles as the run goes on). `kept()` says in words what was kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset
from .losses import Loss
from .network import Network

FIELDS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "train_r2", "test_r2")
JSON_FIELDS = FIELDS[:5]  # what exports and saved sessions write (R² is for the plots)
ROW = np.dtype([("epoch", np.int64)] + [(f, np.float64) for f in FIELDS[1:]])
CAPACITY = 2**17  # rows, ~7 MB
RECENT = 2**16  # the last epochs always kept exactly
PENDING_BYTES = 32 * 2**20  # weights and outputs kept for rows whose metrics wait
FORWARD_BYTES = 16 * 2**20  # one stacked forward pass works on this much at a time


def accuracy(Y, Yhat, threshold: float = 0.5) -> np.ndarray:
    """Accuracy along the last two axes: ŷ ≥ threshold is the positive class for one output
    (0.5 for 0/1 targets, 0 for ±1), argmax for more."""
    if Y.shape[-1] == 1:
        # hits = the negatives + Σ_j s_j [ŷ_j ≥ threshold], s_j = +1 for a positive y_j and −1
        # for a negative one: all the epochs' counts in one product
        pos = Y[:, 0] >= threshold
        s = np.where(pos, 1.0, -1.0)
        return ((Yhat[..., 0] >= threshold) @ s + (len(pos) - np.count_nonzero(pos))) / Y.shape[-2]
    hits = Yhat.argmax(-1) == Y.argmax(-1)
    return np.count_nonzero(hits, axis=-1) / Y.shape[-2]


def r2(Y, Yhat) -> np.ndarray:
    """R² = 1 − SS_res / SS_tot along the last two axes."""
    ss_tot = float(((Y - Y.mean(axis=0)) ** 2).sum())
    if ss_tot <= 0:
        return np.full(Yhat.shape[:-2], np.nan)
    return 1.0 - ((Y - Yhat) ** 2).sum(axis=(-2, -1)) / ss_tot


@dataclass
class Pending:
    """Rows first … first + n − 1 whose metrics wait: their epochs' weights stacked, W[l] of
    shape (n, n_l, n_{l+1}) and b[l] (n, n_{l+1}). The first `known` of them already have
    their train metrics."""

    first: int
    W: list
    b: list | None
    known: int = 0

    @property
    def n(self) -> int:
        return len(self.W[0])

    def tail(self, j: int) -> Pending:
        """Its rows from the j-th on."""
        return Pending(
            self.first + j, [w[j:] for w in self.W], None if self.b is None else [v[j:] for v in self.b]
        )

    @property
    def nbytes(self) -> int:
        arrays = self.W + (self.b or [])
        return sum(a.nbytes for a in arrays)


class Scorer:
    """Loss, accuracy and R² of a network's outputs on a dataset, for stacked weights."""

    def __init__(self, net: Network, data: Dataset, loss: Loss, classify: bool, threshold: float = 0.5):
        self.acts, self.data, self.loss, self.classify = net.acts, data, loss, classify
        self.threshold = threshold

    def predict(self, X, W, b) -> np.ndarray:
        """ŷ (E, m, k) for the stacked weights W[l] (E, n_l, n_{l+1}) and biases b[l] (E, n_{l+1})."""
        E, (m, n0) = len(W[0]), X.shape
        # layer 0 for all epochs in one product: X (m, n_0) @ [W_e …] (n_0, E·n_1)
        a = (X @ W[0].transpose(1, 0, 2).reshape(n0, -1)).reshape(m, E, -1).transpose(1, 0, 2)
        for l, f in enumerate(self.acts):
            if l:
                a = a @ W[l]
            if b is not None:
                a = a + b[l][:, None, :]
            a = f.f(a, a)  # in place: a is this pass's own array
        return a

    def metrics(self, Y, Yhat) -> dict:
        """{"loss", "accuracy", "r2"}: one value per stacked output Yhat (E, m, k). Yhat is
        the caller's scratch: the loss, computed last, may overwrite it."""
        nan = np.full(Yhat.shape[:-2], np.nan)
        m = {
            "accuracy": accuracy(Y, Yhat, self.threshold) if self.classify and len(Y) else nan,
            "r2": r2(Y, Yhat) if not self.classify and len(Y) > 1 else nan,
        }
        return {"loss": self.loss.values(Y, Yhat, scratch=True), **m}


class History:
    """The rows, a bounded table with named columns (FIELDS), and the rows still waiting."""

    def __init__(self, scorer: Scorer | None = None, capacity: int | None = None, recent: int | None = None):
        self.scorer = scorer
        self.capacity, self.recent = capacity or CAPACITY, recent or RECENT
        self._a = np.zeros(64, ROW)
        self.n = 0
        self.stride = 1  # rows before epoch `exact_from` are every stride-th epoch
        self.exact_from = 0
        self._pending: list[Pending] = []
        self._pending_bytes = 0

    def __len__(self) -> int:
        return self.n

    # ---- adding rows ------------------------------------------------------------------------
    def add(self, epoch: int, W: list, b: list | None, train=None) -> None:
        """Rows for epochs epoch … epoch + n − 1 with the stacked weights W, b (see Pending).

        `train` (j ≤ n + 1, m, k), when given, holds outputs on the train set in row order from
        the row before the new ones: train[0] at the last row's weights, train[i] at the i-th
        new row's (1-based). The rows they belong to get their train metrics now (the last row
        only if its metrics still wait), and `train` serves as scratch."""
        p = Pending(self.n, W, b)
        self._grow(p.n)
        self._blank(self.n, self.n + p.n)
        self._a["epoch"][self.n : self.n + p.n] = np.arange(epoch, epoch + p.n)
        last = self._pending[-1] if self._pending else None
        self.n += p.n
        self._pending.append(p)
        self._pending_bytes += p.nbytes
        if train is not None and len(train):
            p.known, y = len(train) - 1, self.scorer.data.y
            with np.errstate(all="ignore"):
                if last is not None and last.first + last.n == p.first and last.known == last.n - 1:
                    last.known = last.n  # the row before waits for its train metrics: one fill for both
                    self._fill(np.arange(p.first - 1, p.first + p.known), "train", y, train)
                elif p.known:
                    self._fill(np.arange(p.first, p.first + p.known), "train", y, train[1:])
        if self.n > self.capacity:
            self._thin()
        elif self._pending_bytes > PENDING_BYTES:
            self.settle()

    def add_one(self, epoch: int, W: list, b: list | None) -> None:
        """The row for one epoch, with that epoch's weights."""
        self.add(epoch, [w[None] for w in W], None if b is None else [v[None] for v in b])

    def load(self, rows) -> None:
        """Replace the rows by saved ones: [epoch, train_loss, test_loss, train_accuracy,
        test_accuracy] each (None for a missing value), in rising epochs."""
        self._pending, self._pending_bytes, self.n = [], 0, 0
        self._grow(len(rows))
        self._blank(0, len(rows))
        for name, col in zip(JSON_FIELDS, zip(*rows)) if rows else ():
            self._a[name][: len(rows)] = [np.nan if v is None else v for v in col]
        self.n = len(rows)
        ep = self._a["epoch"][: self.n]
        gaps = np.flatnonzero(np.diff(ep) != 1)
        self.exact_from = int(ep[gaps[-1] + 1]) if len(gaps) else 0
        old = ep[ep < self.exact_from]
        g = int(np.gcd.reduce(old)) if len(old) else 1
        self.stride = g & -g if g else 1  # the largest power of two dividing every old epoch

    def truncate(self, epoch: int) -> None:
        """Drop the rows after this epoch."""
        self.settle()
        self.n = int(np.searchsorted(self._a["epoch"][: self.n], epoch, side="right"))

    def _grow(self, extra: int) -> None:
        need = self.n + extra
        if need > len(self._a):
            a = np.zeros(max(need, min(2 * len(self._a), self.capacity)), ROW)
            a[: self.n] = self._a[: self.n]
            self._a = a

    def _blank(self, start: int, end: int) -> None:
        for f in FIELDS[1:]:
            self._a[f][start:end] = np.nan

    def _thin(self) -> None:
        """Keep the last `recent` epochs and every stride-th epoch before them, the stride
        doubled until the older rows fill at most half of the room left to them."""
        self.settle()
        ep = self._a["epoch"][: self.n]
        self.exact_from = int(ep[-1]) - self.recent + 1
        old = ep < self.exact_from
        while np.count_nonzero(old & (ep % self.stride == 0)) > (self.capacity - self.recent) // 2:
            self.stride *= 2
        keep = ~old | (ep % self.stride == 0)
        n = int(np.count_nonzero(keep))
        self._a[:n] = self._a[: self.n][keep]
        self.n = n

    # ---- computing waiting rows -------------------------------------------------------------
    def settle(self) -> History:
        """Compute the metrics of every waiting row; returns the history."""
        if not self._pending:
            return self
        pending, self._pending, self._pending_bytes = self._pending, [], 0
        d = self.scorer.data
        with np.errstate(all="ignore"):
            self._score("train", d.X, d.y, [p.tail(p.known) for p in pending if p.known < p.n])
            if d.has_test:
                self._score("test", d.X_test, d.y_test, pending)
        return self

    def _score(self, side: str, X, Y, parts: list[Pending]) -> None:
        """The metrics of the rows of `parts` on (X, Y), from forward passes over their
        stacked weights in memory-bounded chunks."""
        if not parts:
            return
        rows = np.concatenate([np.arange(p.first, p.first + p.n) for p in parts])
        W = [np.concatenate(ws) for ws in zip(*(p.W for p in parts))]
        b = None if parts[0].b is None else [np.concatenate(vs) for vs in zip(*(p.b for p in parts))]
        chunk = max(1, FORWARD_BYTES // (8 * len(X) * max(w.shape[-1] for w in W)))
        for s in range(0, len(rows), chunk):
            e = s + chunk
            P = self.scorer.predict(X, [w[s:e] for w in W], None if b is None else [v[s:e] for v in b])
            self._fill(rows[s:e], side, Y, P)

    def _fill(self, rows, side: str, Y, Yhat) -> None:
        for name, v in self.scorer.metrics(Y, Yhat).items():
            self._a[f"{side}_{name}"][rows] = v

    # ---- reading ----------------------------------------------------------------------------
    def column(self, name: str) -> np.ndarray:
        """One column over every kept row (a copy), e.g. column("train_loss")."""
        self.settle()
        return self._a[name][: self.n].copy()

    def row(self, i: int) -> dict:
        """Row i as {field: value} over JSON_FIELDS, None for a missing value."""
        self.settle()
        return self._dict(self._a[i])

    def last(self) -> dict:
        """The last row, computing only its own metrics if they are waiting (cheaper than
        settling every waiting row, for a display at frame rate)."""
        p = self._pending[-1] if self._pending else None
        if p is not None and p.first + p.n == self.n and np.isnan(self._a["train_loss"][self.n - 1]):
            d, last = self.scorer.data, [p.tail(p.n - 1)]
            with np.errstate(all="ignore"):
                self._score("train", d.X, d.y, last)
                if d.has_test:
                    self._score("test", d.X_test, d.y_test, last)
        return self._dict(self._a[self.n - 1])

    def dicts(self) -> list[dict]:
        self.settle()
        return [self._dict(r) for r in self._a[: self.n]]

    def rows(self) -> list[list]:
        """The rows as lists over JSON_FIELDS (what a saved session holds)."""
        return [list(d.values()) for d in self.dicts()]

    def kept(self) -> str:
        """Which epochs the rows are, in words."""
        if self.stride == 1:
            return "every epoch"
        return f"every epoch from {self.exact_from:,}, every {self.stride}th before"

    @staticmethod
    def _dict(r) -> dict:
        d = {f: (None if np.isnan(r[f]) else float(r[f])) for f in JSON_FIELDS[1:]}
        return {"epoch": int(r["epoch"]), **d}
