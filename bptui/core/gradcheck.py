"""Central finite differences next to backprop, for one record.

Backprop's weight step δ·a is the *negative* gradient of the per-record loss E (losses.py),
so the gradient it implies is −δ·a. The check perturbs every weight (and bias) by ±ε and ±2ε
and uses the fourth-order central difference (−E(+2ε) + 8E(+ε) − 8E(−ε) + E(−2ε)) / 12ε, whose
error (~ε⁴) stays far below the 1e-6 relative tolerance even for tiny gradients. Differences
below ABS_FLOOR are the stencil's rounding noise (≈ 1e-16·E/ε) and count as agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import Loss
from .network import Network

ABS_FLOOR = 1e-9


@dataclass
class LayerCheck:
    name: str  # "W[0]" or "b[0]"
    backprop: np.ndarray
    numeric: np.ndarray

    @property
    def rel_error(self) -> np.ndarray:
        num = np.abs(self.backprop - self.numeric)
        den = np.maximum(np.abs(self.backprop) + np.abs(self.numeric), 1e-12)
        return np.where(num < ABS_FLOOR, 0.0, num / den)

    @property
    def max_rel_error(self) -> float:
        return float(self.rel_error.max()) if self.rel_error.size else 0.0


def central(E, P, idx, eps: float) -> float:
    """∂E/∂P[idx] by the fourth-order central difference; P is an array the network reads
    (a private copy), restored afterwards."""
    old = P[idx]
    f = []
    for k in (2, 1, -1, -2):
        P[idx] = old + k * eps
        f.append(E())
    P[idx] = old
    return (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * eps)


def check(net: Network, x, y, loss: Loss, eps: float = 1e-3) -> list[LayerCheck]:
    x, y = np.atleast_2d(x), np.atleast_2d(y)
    t = net.backward(net.forward(x), y, loss)
    dW, db = net.steps(t)

    def E():
        return loss.record(y, net.forward(x))

    def numeric(P):
        # P is a private copy swapped into the network (weight arrays are never mutated)
        G = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            G[idx] = central(E, P, idx, eps)
        return G

    W0, b0 = net.params()
    try:
        net.set_params([w.copy() for w in W0], None if b0 is None else [v.copy() for v in b0])
        out = [LayerCheck(f"W[{l}]", -g, numeric(W)) for l, (W, g) in enumerate(zip(net.W, dW))]
        if net.b is not None:
            out += [LayerCheck(f"b[{l}]", -g, numeric(b)) for l, (b, g) in enumerate(zip(net.b, db))]
    finally:
        net.set_params(W0, b0)
    return out
