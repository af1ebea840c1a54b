"""The chain rule's factors written out in the one notation (core/chainrule.py computes them)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.chainrule import ChainRule, Factor, Path
from ..core.losses import Loss
from ..core.network import Network
from .notation import Notation, par


@dataclass(frozen=True)
class Row:
    symbol: str  # e.g. ∂a/∂h
    formula: str  # what it is, e.g. f'(h) = a(1 − a)
    value: float


def weight_name(net: Network, kind: str, l: int, i: int, j: int) -> str:
    """The weight's (or bias's) one name: w₁, W, w₁₂, W2₁₃, b^h₁ … (notation.py)."""
    N = Notation(net.sizes)
    return N.bias(l, j) if kind == "b" else N.weight(l, i, j)


class _Text:
    def __init__(self, net: Network, loss: Loss):
        self.net, self.loss, self.N = net, loss, Notation(net.sizes)

    def unit(self, what: str, m: int, u: int) -> str:  # h or a of unit u in layer m
        return self.N.unit(getattr(self.N, what)(m), m, u)

    def row(self, f: Factor, c: ChainRule) -> Row:
        net, N, m = self.net, self.N, f.layer
        if f.kind == "loss":
            y, yh = N.y(f.units[0]), self.unit("a", m, f.units[0])
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
            return Row(f"∂{h}/∂{a}", N.weight(m, u, v), f.value)
        h = self.unit("h", m, c.j)
        src = "1" if c.kind == "b" else N.source(m, c.i)
        return Row(f"∂{h}/∂{weight_name(net, c.kind, m, c.i, c.j)}", src, f.value)


def path_rows(net: Network, loss: Loss, c: ChainRule, p: Path) -> list[Row]:
    """One path's factors, from the loss back to the weight."""
    T = _Text(net, loss)
    return [T.row(f, c) for f in p.factors]


def path_label(net: Network, c: ChainRule, p: Path) -> str:
    """The units a path runs through, e.g. x₁ → h → ŷ."""
    T = _Text(net, Loss)
    start = "1" if c.kind == "b" else T.N.source(c.l, c.i)
    units = [T.unit("h" if m < net.L - 1 else "a", m, u) for m, u in enumerate(p.units[: net.L - c.l], c.l)]
    if net.output.name == "softmax":
        units[-1] = T.unit("h", net.L - 1, p.units[-2])
        units.append(T.unit("a", net.L - 1, p.units[-1]))
    return " → ".join([start, *units, "E"])


def route_rows(net: Network, c: ChainRule) -> list[tuple[str, str, float, str]]:
    """The three routes: (name, formula, value, note)."""
    T = _Text(net, Loss)
    d = T.unit("delta", c.l, c.j)
    a = "1" if c.kind == "b" else T.N.source(c.l, c.i)
    many = f"Σ of {c.n_paths} paths' products" if c.n_paths > 1 else "the one path's product"
    return [
        ("chain rule", many, c.total, ""),
        ("δ form", f"−{d}·{a} = −{par(c.delta)} × {par(c.a)}", c.delta_form,
         f"rel. error {c.rel_error(c.delta_form):.1e}"),
        ("finite difference", f"central, ε = {c.eps:g}", c.numeric, f"rel. error {c.rel_error(c.numeric):.1e}"),
    ]  # fmt: skip
