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

from .explain import SUB, SUP, Names, _idx, par
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


# ---- the factors written out, in the notation of explain.py --------------------------------
@dataclass(frozen=True)
class Row:
    symbol: str  # e.g. ∂a/∂h
    formula: str  # what it is, e.g. f'(h) = a(1 − a)
    value: float


def weight_name(net: Network, kind: str, l: int, i: int, j: int) -> str:
    """w₁, W, w₁₂ … (the seeds' names; layer-numbered for deeper nets); b for a bias."""
    N = Names(net.L)
    n_in, n_out = net.W[l].shape
    if kind == "b":
        return _idx("b" if net.L == 1 else "b" + str(l + 1).translate(SUP), j, n_out)
    sub = f"{i + 1}" if n_out == 1 else f"{j + 1}" if n_in == 1 else f"{i + 1}{j + 1}"
    return N.W(l) + ("" if n_in == n_out == 1 else sub.translate(SUB))


class _Text:
    def __init__(self, net: Network, loss: Loss):
        self.net, self.loss, self.N = net, loss, Names(net.L)

    def unit(self, what: str, m: int, u: int) -> str:  # h or a of unit u in layer m
        return _idx(getattr(self.N, what)(m), u, self.net.sizes[m + 1])

    def row(self, f: Factor, c: ChainRule) -> Row:
        net, N, m = self.net, self.N, f.layer
        if f.kind == "loss":
            y, yh = _idx("y", f.units[0], net.sizes[-1]), self.unit("a", m, f.units[0])
            text = self.loss.dyhat_text.replace("ŷ", "\0").replace("y", y).replace("\0", yh)
            return Row(f"∂E/∂{yh}", text, f.value)
        if f.kind == "softmax":
            o, k = f.units
            yo, yk, zk = self.unit("a", m, o), self.unit("a", m, k), self.unit("h", m, k)
            return Row(f"∂{yo}/∂{zk}", f"{yo}(1 − {yo})" if o == k else f"−{yo}·{yk}", f.value)
        if f.kind == "slope":
            a, h = self.unit("a", m, f.units[0]), self.unit("h", m, f.units[0])
            df = net.acts[m].df_text.replace("a", "\0").replace("h", h).replace("\0", a)
            return Row(f"∂{a}/∂{h}", f"{net.acts[m].symbol}'({h}) = {df}", f.value)
        if f.kind == "weight":
            u, v = f.units
            a, h = self.unit("a", m - 1, u), self.unit("h", m, v)
            return Row(f"∂{h}/∂{a}", weight_name(net, "W", m, u, v), f.value)
        h = self.unit("h", m, c.j)
        src = "1" if c.kind == "b" else _idx(N.a(m - 1), c.i, net.sizes[m])
        return Row(f"∂{h}/∂{weight_name(net, c.kind, m, c.i, c.j)}", src, f.value)


def path_rows(net: Network, loss: Loss, c: ChainRule, p: Path) -> list[Row]:
    """One path's factors, from the loss back to the weight."""
    T = _Text(net, loss)
    return [T.row(f, c) for f in p.factors]


def path_label(net: Network, c: ChainRule, p: Path) -> str:
    """The units a path runs through, e.g. x₁ → h → ŷ."""
    T = _Text(net, Loss)
    start = "1" if c.kind == "b" else _idx(T.N.a(c.l - 1), c.i, net.sizes[c.l])
    units = [T.unit("h" if m < net.L - 1 else "a", m, u) for m, u in enumerate(p.units[: net.L - c.l], c.l)]
    if net.output.name == "softmax":
        units[-1] = T.unit("h", net.L - 1, p.units[-2])
        units.append(T.unit("a", net.L - 1, p.units[-1]))
    return " → ".join([start, *units, "E"])


def route_rows(net: Network, c: ChainRule) -> list[tuple[str, str, float, str]]:
    """The three routes: (name, formula, value, note)."""
    T = _Text(net, Loss)
    d = _idx(T.N.delta(c.l), c.j, net.sizes[c.l + 1])
    a = "1" if c.kind == "b" else _idx(T.N.a(c.l - 1), c.i, net.sizes[c.l])
    many = f"Σ of {c.n_paths} paths' products" if c.n_paths > 1 else "the one path's product"
    return [
        ("chain rule", many, c.total, ""),
        ("δ form", f"−{d}·{a} = −{par(c.delta)} × {par(c.a)}", c.delta_form,
         f"rel. error {c.rel_error(c.delta_form):.1e}"),
        ("finite difference", f"central, ε = {c.eps:g}", c.numeric, f"rel. error {c.rel_error(c.numeric):.1e}"),
    ]  # fmt: skip
