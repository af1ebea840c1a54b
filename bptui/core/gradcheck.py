"""Central finite differences next to backprop, for one record.

Backprop's weight step δ·a is the *negative* gradient of the per-record loss E (losses.py),
so the gradient it implies is −δ·a. The check perturbs every weight (and bias) by ±ε and ±2ε
and uses the fourth-order central difference (−E(+2ε) + 8E(+ε) − 8E(−ε) + E(−2ε)) / 12ε, whose
error (~ε⁴) stays far below the 1e-6 relative tolerance even for tiny gradients.

A weight passes when its relative error |b − n| / (|b| + |n|) is below REL_TOL, or when the
absolute difference is below ABS_FLOOR: the stencil's rounding noise (≈ 1e-16·E/ε), under
which a relative error says nothing. The relative errors are reported as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import Loss
from .network import Network

REL_TOL, ABS_FLOOR = 1e-6, 1e-9


@dataclass
class LayerCheck:
    name: str  # "W[0]" or "b[0]"
    backprop: np.ndarray
    numeric: np.ndarray
    kind: str = "W"  # W | b
    layer: int = 0

    @property
    def abs_error(self) -> np.ndarray:
        return np.abs(self.backprop - self.numeric)

    @property
    def rel_error(self) -> np.ndarray:
        """|b − n| / (|b| + |n|), unfloored (0 where both are 0)."""
        den = np.abs(self.backprop) + np.abs(self.numeric)
        with np.errstate(all="ignore"):
            return np.where(den > 0, self.abs_error / np.where(den > 0, den, 1.0), 0.0)

    @property
    def passes(self) -> np.ndarray:
        """Per weight: within REL_TOL, or a difference under the rounding noise ABS_FLOOR."""
        return (self.rel_error < REL_TOL) | (self.abs_error < ABS_FLOOR)

    @property
    def ok(self) -> bool:
        return bool(self.passes.all())

    @property
    def max_rel_error(self) -> float:
        """The largest relative error among the weights whose difference is above the noise."""
        r = np.where(self.abs_error < ABS_FLOOR, 0.0, self.rel_error)
        return float(r.max()) if r.size else 0.0


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
        out = [LayerCheck(f"W[{l}]", -g, numeric(W), "W", l) for l, (W, g) in enumerate(zip(net.W, dW))]
        if net.b is not None:
            out += [LayerCheck(f"b[{l}]", -g, numeric(b), "b", l) for l, (b, g) in enumerate(zip(net.b, db))]
    finally:
        net.set_params(W0, b0)
    return out
