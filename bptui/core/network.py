"""A fully connected network of any depth, in the seeds' notation.

Layer l (0-based) maps a[l] → h[l] = a[l] W[l] + b[l] → a[l+1] = f_l(h[l]).
Shapes, with m records and sizes n_0 … n_L:

    W[l]      (n_l, n_{l+1})   like the seeds' weights_input_hidden (n_features × n_hidden)
    b[l]      (n_{l+1},)       only when the network has biases
    a[0] = X  (m, n_0)
    h[l]      (m, n_{l+1})
    delta[l]  (m, n_{l+1})     the error term of layer l's units; delta[-1] is δ^o

The weight step a record contributes is a[l]ᵀ delta[l] (the seeds' ΔW += δ a); it is the
negative gradient of the per-record loss (see losses.py).

Weight and bias arrays are values: an update replaces them and nothing writes into them, so
snapshots and history rows share them without copying.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import activations, losses


@dataclass
class Trace:
    """Everything a forward and backward pass computed, for display and for the gradients."""

    a: list[np.ndarray]
    h: list[np.ndarray]
    fprime: list[np.ndarray] | None = None
    delta: list[np.ndarray] | None = None

    @property
    def x(self) -> np.ndarray:
        return self.a[0]

    @property
    def yhat(self) -> np.ndarray:
        return self.a[-1]


def init_weights(sizes, init="normal", scale=None, seed=None) -> list[np.ndarray]:
    """Draw W layer by layer from RandomState(seed), in the seeds' order.

    normal: std `scale`, default 1/√n_0 for every layer (seed 000 uses n_features for both);
    uniform: uniform(−scale, scale), default scale 1 (seed 003).
    """
    rs = np.random.RandomState(seed)
    W = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if init == "normal":
            s = 1 / sizes[0] ** 0.5 if scale is None else scale
            W.append(rs.normal(scale=s, size=(n_in, n_out)))
        else:
            s = 1.0 if scale is None else scale
            W.append(rs.uniform(-s, s, size=(n_in, n_out)))
    return W


class Network:
    def __init__(
        self,
        sizes,
        W,
        hidden="sigmoid",
        output="sigmoid",
        b=None,
        train_bias=True,
    ):
        self.sizes = list(sizes)
        self.W = [np.array(w, dtype=float) for w in W]
        self.b = None if b is None else [np.array(v, dtype=float) for v in b]
        self.train_bias = train_bias
        self.hidden = activations.get(hidden)
        self.output = activations.get(output)
        self.acts = [self.hidden] * (len(self.sizes) - 2) + [self.output]

    @property
    def L(self) -> int:
        return len(self.W)

    @property
    def has_bias(self) -> bool:
        return self.b is not None

    def describe(self) -> str:
        """e.g. `2-4-1 sigmoid`, or `6-2-1 relu→linear` when output differs from hidden."""
        arch = "-".join(str(n) for n in self.sizes)
        if self.L == 1 or self.hidden is self.output:
            return f"{arch} {self.output.name}"
        return f"{arch} {self.hidden.name}→{self.output.name}"

    def forward(self, X) -> Trace:
        a = [np.atleast_2d(np.asarray(X, dtype=float))]
        h = []
        for l, (W, f) in enumerate(zip(self.W, self.acts)):
            z = a[-1] @ W
            if self.b is not None:
                z = z + self.b[l]
            h.append(z)
            a.append(f.f(z))
        return Trace(a, h)

    def predict(self, X) -> np.ndarray:
        return self.forward(X).yhat

    def backward(self, t: Trace, Y, loss: losses.Loss) -> Trace:
        """Fill t.fprime and t.delta (δ^o = loss.delta; δ_l = (δ_{l+1} W_{l+1}ᵀ) f'(h_l))."""
        Y = np.atleast_2d(np.asarray(Y, dtype=float))
        fp = [f.df(h, a) for f, h, a in zip(self.acts, t.h, t.a[1:])]
        d = [None] * self.L
        d[-1] = losses.delta(loss, Y, t.yhat, fp[-1])
        for l in range(self.L - 2, -1, -1):
            d[l] = (d[l + 1] @ self.W[l + 1].T) * fp[l]
        t.fprime, t.delta = fp, d
        return t

    def steps(self, t: Trace):
        """Weight steps summed over the trace's records: ΔW[l] = a[l]ᵀ δ[l], Δb[l] = Σ δ[l]."""
        dW = [a.T @ d for a, d in zip(t.a[:-1], t.delta)]
        db = [d.sum(axis=0) for d in t.delta] if self.b is not None else None
        return dW, db

    def loss_value(self, X, Y, loss: losses.Loss) -> float:
        return loss.value(np.atleast_2d(Y), self.predict(X))

    def params(self):
        """(W, b) as new lists of the current (never mutated) arrays."""
        return list(self.W), None if self.b is None else list(self.b)

    def set_params(self, W, b) -> None:
        self.W = list(W)
        if self.b is not None:
            self.b = list(b)

    def n_params(self) -> int:
        n = sum(w.size for w in self.W)
        return n + (sum(v.size for v in self.b) if self.b is not None else 0)
