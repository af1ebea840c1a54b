"""Whole full-batch epochs, fast: Network.forward, Network.backward and the update written out
on preallocated buffers, for one flat vector θ of all the parameters.

`FullBatch.epoch()` does what one full-batch epoch of the step machine does (one forward and
backward pass over the whole training set, then W += η ΔW / m less the regularisation step),
line for line beside `Network.forward` and `Network.backward`, but every NumPy call writes into
a buffer allocated once, so an epoch allocates nothing. The speed is in the buffers, and in the
count of NumPy calls: on the seeds' small nets a call costs more than its arithmetic (about
0.4 µs for an elementwise one, 1 µs for a product), so each is made the cheap way: `out`
positional, constants as arrays, products through a bound `.dot`, ŷ written where it is kept.
"""

from __future__ import annotations

import numpy as np
from numpy import add, multiply, subtract

from .losses import Loss
from .network import Network


class Layout:
    """Where W[l] and b[l] sit in one flat vector θ of the network's p parameters, in the
    order W[0], b[0], W[1], b[1], … (no b when the network has no biases)."""

    def __init__(self, sizes, bias: bool):
        self.W_at, self.b_at = [], [] if bias else None
        p = 0
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            self.W_at.append((p, p + n_in * n_out, (n_in, n_out)))
            p += n_in * n_out
            if bias:
                self.b_at.append((p, p + n_out, (n_out,)))
                p += n_out
        self.size = p

    def pack(self, W, b) -> np.ndarray:
        """θ (p,) from the lists W and b."""
        theta = np.empty(self.size)
        for (s, e, _), w in zip(self.W_at, W):
            theta[s:e] = w.ravel()
        for (s, e, _), v in zip(self.b_at or (), b or ()):
            theta[s:e] = v
        return theta

    def unpack(self, theta) -> tuple[list, list | None]:
        """(W, b) as views of θ. For a stack θ (E, p) of E parameter vectors, stacked views:
        W[l] (E, n_l, n_{l+1}) and b[l] (E, n_{l+1})."""
        lead = theta.shape[:-1]
        W = [theta[..., s:e].reshape(lead + shape) for s, e, shape in self.W_at]
        b = None if self.b_at is None else [theta[..., s:e] for s, e, _ in self.b_at]
        return W, b

    def weights(self) -> np.ndarray:
        """1 where θ holds a weight, 0 where it holds a bias (regularisation spares biases)."""
        mask = np.zeros(self.size)
        for s, e, _ in self.W_at:
            mask[s:e] = 1.0
        return mask


class FullBatch:
    """The buffers of one full-batch epoch on (X, Y), and the epoch itself.

    θ starts as the network's parameters; `W`, `b` are views of it and `dW`, `db` views of the
    gradient buffer, laid out alike. The output ŷ of each forward pass goes to a buffer the
    caller gives (`run` gives the history's rows)."""

    def __init__(self, net: Network, X, Y, loss: Loss, eta: float, reg: str = "none", reg_rate=0.0):
        m = len(X)
        self.net, self.Y, self.loss = net, Y, loss
        self.layout = Layout(net.sizes, net.has_bias)
        self.theta = self.layout.pack(*net.params())
        self.W, self.b = self.layout.unpack(self.theta)
        self.grad = np.zeros(self.layout.size)  # Σ δ a over the set, laid out like θ
        self.dW, self.db = self.layout.unpack(self.grad)
        self.h = [np.empty((m, n)) for n in net.sizes[1:]]
        # a[0] = X in column-major order: X @ W[0] runs faster from it; a[L] is ŷ, given by the caller
        self.a = [np.asfortranarray(X)] + [np.empty((m, n)) for n in net.sizes[1:-1]] + [None]
        self.delta = [np.empty((m, n)) for n in net.sizes[1:]]
        self.tmp = [np.empty((m, n)) for n in net.sizes[1:]]  # scratch for f'
        # transposed views, made once; Xᵀ δ runs faster from row-major X
        self.aT, self.WT = [np.ascontiguousarray(X).T] + [v.T for v in self.a[1:-1]], [w.T for w in self.W]
        self.rate = np.array(eta / m)
        # regularisation: R = sign θ (L1) or θ (L2), times η·λ on weights and 0 on biases
        self.reg = {"none": None, "l1": np.sign, "l2": np.positive}[reg]
        self.penalty = self.layout.weights() * (eta * reg_rate)
        self.R = np.empty(self.layout.size)
        self._steps(net)

    def _steps(self, net: Network) -> None:
        """What each layer's lines of `epoch` use, gathered once per layer so that the epoch
        loops over tuples instead of indexing lists. `x.dot` is bound once: a product through
        the bound method costs less than through `np.dot`."""
        L, f = len(self.W), net.acts
        b = self.b or [None] * L
        db = self.db if self.db is not None and net.train_bias else [None] * L
        self.forward = [
            (self.a[l].dot, self.W[l], b[l], self.h[l], f[l].f, self.a[l + 1]) for l in range(L - 1)
        ]
        self.output = (self.a[L - 1].dot, self.W[L - 1], b[L - 1], self.h[L - 1], f[L - 1].f)
        self.output_df = (f[-1].mul_df, self.h[-1], self.tmp[-1]) if self.loss.uses_fprime else None
        self.backward = [
            (self.aT[l].dot, self.delta[l], self.dW[l], db[l], self._back(l, f[l - 1].mul_df) if l else None)
            for l in range(L - 1, -1, -1)
        ]

    def _back(self, l: int, mul_df) -> tuple:
        """What carries δ from layer l back to layer l − 1."""
        delta = self.delta[l]
        return delta.dot, self.WT[l], self.delta[l - 1], mul_df, self.h[l - 1], self.a[l], self.tmp[l - 1]

    def epoch(self, yhat) -> None:
        """θ += η/m Σ δ a − the regularisation step, from one pass over the whole set. The
        forward pass's output ŷ (at the weights before the step) is written to `yhat` (m, k)."""
        if self.reg is not None:  # the step it takes: η·λ·sign(w) (L1) or η·λ·w (L2), at the old w
            self.reg(self.theta, self.R)
            multiply(self.R, self.penalty, self.R)
        for a_dot, W, b, h, f, a_next in self.forward:  # the hidden layers (a_dot is a.dot)
            a_dot(W, h)  # h = a W
            if b is not None:
                add(h, b, h)  # h += b
            f(h, a_next)  # a_next = f(h)
        a_dot, W, b, h, f = self.output  # the output layer: ŷ = f(a W + b)
        a_dot(W, h)
        if b is not None:
            add(h, b, h)
        f(h, yhat)
        # δ^o = (y − ŷ)·f'(h) (or y − ŷ); δ = (δ_next W_nextᵀ)·f'(h) layer by layer back
        subtract(self.Y, yhat, self.delta[-1])
        if self.output_df is not None:
            mul_df, h, tmp = self.output_df
            mul_df(self.delta[-1], h, yhat, tmp)
        for aT_dot, delta, dW, db, back in self.backward:
            aT_dot(delta, dW)  # ΔW = aᵀ δ
            if db is not None:
                add.reduce(delta, 0, None, db)  # Δb = Σ δ
            if back is not None:  # δ_prev = (δ Wᵀ)·f'(h_prev), with f' from a = f(h_prev)
                delta_dot, WT, delta_prev, mul_df, h, a, tmp = back
                delta_dot(WT, delta_prev)
                mul_df(delta_prev, h, a, tmp)
        # the update: θ += η/m ΔW
        multiply(self.grad, self.rate, self.grad)
        add(self.theta, self.grad, self.theta)
        if self.reg is not None:
            subtract(self.theta, self.R, self.theta)

    def run(self, Yp) -> np.ndarray:
        """len(Yp) epochs. Returns P (n, p), θ after each epoch. Each epoch's output goes to
        Yp (n, m, k): Yp[0] is the output at the weights the run started from, Yp[j] the
        output at P[j − 1]'s."""
        P = np.empty((len(Yp), self.layout.size))
        theta, epoch = self.theta, self.epoch
        for j, out in enumerate(Yp):
            epoch(out)
            P[j] = theta
        return P
