"""The chain rule for one weight on one record: three routes to ∂E/∂w.

For w = W[l][i, j] (input i of layer l to its unit j, h_j = Σ_i a_i·W[l][i, j]):

    ∂E/∂w = Σ over paths  ∂E/∂ŷ_o · ∂ŷ_o/∂z_k · ∂z_k/∂a_u · ∂a_u/∂h_u · … · ∂a_j/∂h_j · ∂h_j/∂w

A path runs from unit j through one unit of every later layer to the loss; each factor is a
local derivative: a unit's slope f'(h), the weight W on the way to the next unit, ∂E/∂ŷ at
the end (losses.py). With a softmax output every ŷ_o depends on every z_k, so a path also
picks the ŷ_o it reaches the loss through (∂ŷ_o/∂z_k = ŷ_o(1[o = k] − ŷ_k)).
Beside the sum: backprop's δ form −δ_j·a_i (δ sums the paths layer by layer) and the
finite difference (gradcheck.central). E is the per-record objective `loss.record`.

Shapes: the path values form one array with an axis per layer after l (and one for ŷ_o
with softmax); its size is the number of paths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gradcheck import central
from .losses import Loss
from .network import Network

MAX_PATHS = 1_000_000


@dataclass(frozen=True)
class Factor:
    """One local derivative. kind: loss ∂E/∂ŷ_o, units (o,) · softmax ∂ŷ_o/∂z_k, (o, k) ·
    slope ∂a_u/∂h_u = f'(h_u), (u,) · weight ∂h_v/∂a_u = W[layer][u, v], (u, v) ·
    input ∂h_j/∂w = a_i, (i,) (i = −1: a bias, whose input is 1)."""

    kind: str
    layer: int
    units: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class Path:
    units: tuple[int, ...]  # the unit reached in layers l … L−1 (then ŷ_o with softmax)
    factors: tuple[Factor, ...]  # from the loss back to the weight
    value: float  # their product


@dataclass
class ChainRule:
    kind: str  # "W" or "b"
    l: int
    i: int  # input unit (−1 for a bias)
    j: int
    paths: list[Path]  # the largest |value| first, at most `keep` of them
    n_paths: int
    total: float  # Σ over every path
    delta: float  # backprop's δ_j of layer l
    a: float  # the weight's input a_i (1 for a bias)
    numeric: float  # finite difference
    eps: float

    @property
    def delta_form(self) -> float:
        return -self.delta * self.a

    def rel_error(self, other: float) -> float:
        """|total − other| relative to their size (0 when both are 0)."""
        den = abs(self.total) + abs(other)
        return 0.0 if den == 0 else abs(self.total - other) / den


def n_paths(net: Network, l: int) -> int:
    n = int(np.prod(net.sizes[l + 2 :], dtype=float)) if l + 2 < len(net.sizes) else 1
    return n * (net.sizes[-1] if net.output.name == "softmax" else 1)


def chain_rule(
    net: Network, x, y, loss: Loss, kind: str, l: int, i: int, j: int, eps: float = 1e-3, keep: int = 200
) -> ChainRule:
    """The chain rule for W[l][i, j] (kind "W") or b[l][j] (kind "b", i = −1) on record (x, y)."""
    if n_paths(net, l) > MAX_PATHS:
        raise ValueError(f"{n_paths(net, l)} paths from this weight to the loss: too many to list")
    x, y = np.atleast_2d(np.asarray(x, float)), np.atleast_2d(np.asarray(y, float))
    t = net.backward(net.forward(x), y, loss)
    a_in = 1.0 if kind == "b" else float(t.a[l][0, i])
    V, facs = _path_values(net, t, y, loss, l, j, a_in)
    order = np.argsort(-np.abs(V.ravel()), kind="stable")[:keep]
    paths = []
    for flat in order:
        units = tuple(int(u) for u in np.unravel_index(flat, V.shape))
        paths.append(Path((j,) + units, tuple(facs((j,) + units, i)), float(V.ravel()[flat])))
    return ChainRule(
        kind, l, i, j, paths, V.size, float(V.sum()), float(t.delta[l][0, j]), a_in,
        _numeric(net, x, y, loss, kind, l, i, j, eps), eps,
    )  # fmt: skip


def _path_values(net: Network, t, y, loss: Loss, l: int, j: int, a_in: float):
    """Every path's product, as an array with an axis per unit choice after unit j; and a
    function listing one path's factors."""
    L, soft = net.L, net.output.name == "softmax"
    yh = t.yhat[0]
    dE = loss.dyhat(y[0], yh)
    J = np.diag(yh) - np.outer(yh, yh)  # J[k, o] = ∂ŷ_o/∂z_k (softmax only)
    slope = [fp[0] for fp in t.fprime]
    V, idx = np.array(a_in), np.array([j])  # the last axis runs over the units `idx`
    for m in range(l, L):
        if m > l:
            V = V[..., None] * net.W[m][idx, :]
            idx = np.arange(net.sizes[m + 1])
        if soft and m == L - 1:
            V = V[..., None] * J[idx, :]
            idx = np.arange(len(yh))
        else:
            V = V * slope[m][idx]
    V = V * dE[idx]

    def factors(units, i):
        o = units[-1]
        out = [Factor("loss", L - 1, (o,), float(dE[o]))]
        if soft:
            k = units[-2]
            out.append(Factor("softmax", L - 1, (o, k), float(J[k, o])))
        for m in range(L - 1, l - 1, -1):
            u = units[m - l]
            if not (soft and m == L - 1):
                out.append(Factor("slope", m, (u,), float(slope[m][u])))
            if m > l:
                out.append(Factor("weight", m, (units[m - l - 1], u), float(net.W[m][units[m - l - 1], u])))
        out.append(Factor("input", l, (i,), a_in))
        return out

    return V[0], factors  # the first axis is unit j alone


def _numeric(net: Network, x, y, loss: Loss, kind: str, l: int, i: int, j: int, eps: float) -> float:
    W0, b0 = net.params()
    W, b = list(W0), None if b0 is None else list(b0)
    P = (W if kind == "W" else b)[l] = (W0 if kind == "W" else b0)[l].copy()
    try:
        net.set_params(W, b)
        return float(central(lambda: loss.record(y, net.forward(x)), P, (i, j) if kind == "W" else (j,), eps))
    finally:
        net.set_params(W0, b0)
