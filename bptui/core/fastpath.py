"""Whole full-batch epochs, fast: Network.forward, Network.backward and the update written out
on preallocated buffers, for one flat vector θ of all the parameters.

`FullBatch.epoch()` does what one full-batch epoch of the step machine does (one forward and
backward pass over the whole training set, then W += η ΔW / m less the regularisation step),
line for line beside `Network.forward` and `Network.backward`, but every NumPy call writes into
a buffer allocated once, so an epoch allocates nothing. The speed is in the buffers.
"""

from __future__ import annotations

import numpy as np

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
    gradient buffer, laid out alike. `yhat` holds the output of the last epoch's forward
    pass (at the weights before its update)."""

    def __init__(self, net: Network, X, Y, loss: Loss, eta: float, reg: str = "none", reg_rate=0.0):
        m = len(X)
        self.net, self.Y, self.loss = net, Y, loss
        self.layout = Layout(net.sizes, net.has_bias)
        self.theta = self.layout.pack(*net.params())
        self.W, self.b = self.layout.unpack(self.theta)
        self.grad = np.zeros(self.layout.size)  # Σ δ a over the set, laid out like θ
        self.dW, self.db = self.layout.unpack(self.grad)
        self.h = [np.empty((m, n)) for n in net.sizes[1:]]
        # a[0] = X in column-major order: X @ W[0] runs faster from it
        self.a = [np.asfortranarray(X)] + [np.empty((m, n)) for n in net.sizes[1:]]
        self.delta = [np.empty((m, n)) for n in net.sizes[1:]]
        self.tmp = [np.empty((m, n)) for n in net.sizes[1:]]  # scratch for f'
        # transposed views, made once; Xᵀ δ runs faster from row-major X
        self.aT, self.WT = [np.ascontiguousarray(X).T] + [v.T for v in self.a[1:]], [w.T for w in self.W]
        self.db_trained = self.db if net.train_bias else None
        self.rate = np.array(eta / m)
        # regularisation: R = sign θ (L1) or θ (L2), times η·λ on weights and 0 on biases
        self.reg = {"none": None, "l1": np.sign, "l2": np.positive}[reg]
        self.penalty = self.layout.weights() * (eta * reg_rate)
        self.R = np.empty(self.layout.size)

    @property
    def yhat(self) -> np.ndarray:
        return self.a[-1]

    def epoch(self) -> None:
        """θ += η/m Σ δ a − the regularisation step, from one pass over the whole set."""
        W, b, h, a, delta, tmp = self.W, self.b, self.h, self.a, self.delta, self.tmp
        aT, WT, dW, db, f = self.aT, self.WT, self.dW, self.db_trained, self.net.acts
        dot, add, multiply, L = np.dot, np.add, np.multiply, len(W)
        if self.reg is not None:  # the step it takes: η·λ·sign(w) (L1) or η·λ·w (L2), at the old w
            self.reg(self.theta, self.R)
            multiply(self.R, self.penalty, self.R)
        # forward: h[l] = a[l] W[l] + b[l], a[l+1] = f(h[l])
        for l in range(L):
            dot(a[l], W[l], h[l])
            if b is not None:
                add(h[l], b[l], h[l])
            f[l].f(h[l], a[l + 1])
        # backward: δ^o = (y − ŷ)·f'(h) (or y − ŷ), δ_l = (δ_{l+1} W_{l+1}ᵀ)·f'(h_l)
        np.subtract(self.Y, a[L], delta[-1])
        if self.loss.uses_fprime:
            f[-1].mul_df(delta[-1], h[-1], a[L], tmp[-1])
        for l in range(L - 1, -1, -1):
            dot(aT[l], delta[l], dW[l])  # ΔW[l] = a[l]ᵀ δ[l]
            if db is not None:
                add.reduce(delta[l], 0, None, db[l])  # Δb[l] = Σ δ[l]
            if l:
                dot(delta[l], WT[l], delta[l - 1])
                f[l - 1].mul_df(delta[l - 1], h[l - 1], a[l], tmp[l - 1])
        # the update: θ += η/m ΔW
        multiply(self.grad, self.rate, self.grad)
        add(self.theta, self.grad, self.theta)
        if self.reg is not None:
            np.subtract(self.theta, self.R, self.theta)

    def run(self, n: int, tail=None) -> tuple[np.ndarray, np.ndarray]:
        """n epochs. Returns P (n, p), θ after each epoch, and Yp (n, m, k): Yp[j] is the
        output at P[j]'s weights, known for j < n − 1 (the output at P[j] is computed by
        epoch j + 1). The first epoch's output, at the weights before the run, goes to `tail`
        when it is given (the last, unknown, slot of the previous run's Yp)."""
        P, Yp = np.empty((n, self.layout.size)), np.empty((n,) + self.Y.shape)
        theta, yhat, copyto, out = self.theta, self.yhat, np.copyto, tail
        for j in range(n):
            self.epoch()
            if out is not None:
                copyto(out, yhat)
            copyto(P[j], theta)
            out = Yp[j]
        return P, Yp
