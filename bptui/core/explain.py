"""The backward pass as formulas with their numbers substituted, in seed 004's notation.

    h = Σ w·x = 0.4×0.1 + (-0.2)×0.3 = -0.02
    δ^o = (y − ŷ)·ŷ(1 − ŷ) = (1 − 0.512) × 0.512 × (1 − 0.512) = 0.122

A one-hidden-layer net uses the seeds' names (x, w, h, a, W, ŷ, δ^h, δ^o); deeper nets number
their layers (h¹, a¹, W¹, δ¹ …). `bptui trace` prints these lines; the app renders them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .trainer import Step

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MAX_TERMS = 6


def num(v: float, sig: int = 3) -> str:
    """3 significant digits as the seeds print them: 0.495, 0.00305, -0.02, 1.77e-5."""
    v = float(v)
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    s = f"{v:.{sig}g}"
    if "e" in s:
        m, e = s.split("e")
        s = f"{m}e{int(e)}"
    return s


def par(v: float, sig: int = 3) -> str:
    """A factor in a product: negative numbers in parentheses."""
    s = num(v, sig)
    return f"({s})" if s.startswith("-") else s


def vec(vals, sig: int = 3) -> str:
    vals = list(np.ravel(vals))
    return num(vals[0], sig) if len(vals) == 1 else "(" + ", ".join(num(v, sig) for v in vals) + ")"


def mat(M, sig: int = 3) -> str:
    """A vector as (a, b); a matrix as its rows [(a, b), (c, d)] (row = input unit)."""
    M = np.atleast_2d(M)
    if 1 in M.shape:
        return vec(M, sig)
    return "[" + ", ".join(vec(r, sig) for r in M) + "]"


@dataclass
class Line:
    section: str  # forward | backward | steps | update
    label: str  # left-hand side, e.g. "δ^o"
    formula: str  # symbolic right-hand side ("" when none)
    numbers: str  # the numbers substituted ("" when none)
    value: str  # the result
    layer: int = -1  # weight layer it belongs to (-1: none)

    def text(self) -> str:
        parts = [self.label]
        for p in (self.formula, self.numbers, self.value):
            if p and p not in parts[1:]:
                parts.append(p)
        return " = ".join(parts)


class _AtWeights:
    """A network's structure with other weights, for explaining an earlier step."""

    def __init__(self, net: Network, W, b):
        self.W, self.b = W, b
        self.L, self.acts, self.sizes, self.train_bias = net.L, net.acts, net.sizes, net.train_bias


class Names:
    """Symbols for a network of L weight layers."""

    def __init__(self, L: int):
        self.L = L

    def W(self, l: int) -> str:
        if self.L == 1:
            return "w"
        if self.L == 2:
            return "wW"[l]
        return "W" + str(l + 1).translate(SUP)

    def h(self, l: int) -> str:  # pre-activation of layer l's units
        if l == self.L - 1:
            return "z"
        return "h" if self.L == 2 else "h" + str(l + 1).translate(SUP)

    def a(self, l: int) -> str:  # output of layer l's units; a(-1) is the input x
        if l < 0:
            return "x"
        if l == self.L - 1:
            return "ŷ"
        return "a" if self.L == 2 else "a" + str(l + 1).translate(SUP)

    def delta(self, l: int) -> str:
        if l == self.L - 1:
            return "δ^o"
        return "δ^h" if self.L == 2 else "δ" + str(l + 1).translate(SUP)


def _idx(name: str, j: int, n: int) -> str:
    return name if n == 1 else name + str(j + 1).translate(SUB)


def _terms(ws, xs, b=None) -> str:
    terms = [f"{par(w)}×{par(x)}" for w, x in zip(ws, xs)]
    if len(terms) > MAX_TERMS:
        terms = terms[: MAX_TERMS - 1] + [f"… ({len(terms) - MAX_TERMS + 1} more)"]
    if b is not None:
        terms.append(par(b))
    return " + ".join(terms)


def _fprime_text(act: str, a: str, h: str) -> tuple[str, callable]:
    """f'(h) as text in the unit's output a, and how to write it with numbers."""
    if act == "sigmoid":
        return f"{a}(1 − {a})", lambda av, hv: f"{num(av)} × (1 − {num(av)})"
    if act == "tanh":
        return f"(1 − {a}²)", lambda av, hv: f"(1 − {num(av)}²)"
    if act == "relu":
        return f"[{h} > 0]", lambda av, hv: f"[{num(hv)} > 0]"
    return "1", lambda av, hv: "1"


def record_lines(net: Network, step: Step, eta: float, loss: str, weights=None) -> list[Line]:
    """Forward, backward and weight-step lines for a record step. `weights` = (W, b) the
    record was computed with, when the network has moved on since (after an update)."""
    if weights is not None:
        net = _AtWeights(net, *weights)
    t, y = step.trace, np.ravel(step.y)
    N = Names(net.L)
    out: list[Line] = []
    # forward
    for l in range(net.L):
        W, f = net.W[l], net.acts[l]
        n_in, n_out = W.shape
        xs = t.a[l][0]
        for j in range(n_out):
            hname, aname = _idx(N.h(l), j, n_out), _idx(N.a(l), j, n_out)
            bj = net.b[l][j] if net.b is not None else None
            wsym = N.W(l) if n_in > 1 or n_out > 1 else N.W(l)
            src = N.a(l - 1)
            hv, av = t.h[l][0, j], t.a[l + 1][0, j]
            bias_txt = " + b" if bj is not None else ""
            if l < net.L - 1:
                out.append(
                    Line("forward", hname, f"Σ {wsym}·{src}{bias_txt}", _terms(W[:, j], xs, bj), num(hv), l)
                )
                out.append(
                    Line("forward", aname, f"{f.symbol}({hname})", f"{f.symbol}({num(hv)})", num(av), l)
                )
            else:
                inner = f"{wsym}·{src}" if n_in == 1 else f"Σ {wsym}·{src}"
                out.append(
                    Line(
                        "forward",
                        aname,
                        f"{f.symbol}({inner}{bias_txt})",
                        f"{f.symbol}({_terms(W[:, j], xs, bj)})",
                        num(av),
                        l,
                    )
                )
    # backward: the error, then δ from the output down
    L = net.L
    yh = t.yhat[0]
    k_out = len(yh)
    for j in range(k_out):
        yn, yhn = _idx("y", j, k_out), _idx("ŷ", j, k_out)
        out.append(
            Line(
                "backward",
                _idx("error", j, k_out),
                f"{yn} − {yhn}",
                f"{num(y[j])} − {num(yh[j])}",
                num(y[j] - yh[j]),
            )
        )
    f_out = net.acts[-1]
    for j in range(k_out):
        yn, yhn = _idx("y", j, k_out), _idx("ŷ", j, k_out)
        dname = _idx(N.delta(L - 1), j, k_out)
        dv = t.delta[-1][0, j]
        err = f"({num(y[j])} − {num(yh[j])})"
        if loss == "log":
            out.append(
                Line("backward", dname, f"{yn} − {yhn}", f"{num(y[j])} − {num(yh[j])}", num(dv), L - 1)
            )
        else:
            ftxt, fnum = _fprime_text(f_out.name, yhn, _idx("z", j, k_out))
            if f_out.name == "linear":
                out.append(Line("backward", dname, f"({yn} − {yhn})", err, num(dv), L - 1))
            else:
                out.append(
                    Line(
                        "backward",
                        dname,
                        f"({yn} − {yhn})·{ftxt}",
                        f"{err} × {fnum(yh[j], t.h[-1][0, j])}",
                        num(dv),
                        L - 1,
                    )
                )
    for l in range(L - 2, -1, -1):
        Wn, dn = net.W[l + 1], t.delta[l + 1][0]
        f = net.acts[l]
        n_units = Wn.shape[0]
        for j in range(n_units):
            aname = _idx(N.a(l), j, n_units)
            ftxt, fnum = _fprime_text(f.name, aname, _idx(N.h(l), j, n_units))
            av, hv = t.a[l + 1][0, j], t.h[l][0, j]
            dname = _idx(N.delta(l), j, n_units)
            if len(dn) == 1:
                formula = f"{_idx(N.W(l + 1), j, n_units)}·{N.delta(l + 1)}·{ftxt}"
                back = f"{par(Wn[j, 0])} × {par(dn[0])}"
            else:
                formula = f"(Σ {N.W(l + 1)}·{N.delta(l + 1)})·{ftxt}"
                back = f"({_terms(Wn[j], dn)})"
            out.append(Line("backward", dname, formula, f"{back} × {fnum(av, hv)}", num(t.delta[l][0, j]), l))
    # weight steps this record contributes: η·δ·(input of the layer), as seed 004 writes them
    for l in range(L - 1, -1, -1):
        d, src = t.delta[l][0], t.a[l][0]
        step_vals = eta * np.outer(src, d)
        if step_vals.size <= 3:
            nums = ", ".join(f"{num(eta)} × {par(dv)} × {par(sv)}" for sv in src for dv in d)
            nums = nums if step_vals.size == 1 else f"({nums})"
        else:
            nums = ""
        out.append(
            Line(
                "steps",
                "Δ" + N.W(l),
                f"η·{N.delta(l)}·{N.a(l - 1)}",
                nums,
                mat(step_vals)
                if step_vals.size <= 12
                else f"{step_vals.shape[0]}×{step_vals.shape[1]} matrix",
                l,
            )
        )
        if net.b is not None and net.train_bias:
            out.append(
                Line(
                    "steps",
                    "Δb" + ("" if L == 1 else str(l + 1).translate(SUP)),
                    f"η·{N.delta(l)}",
                    "",
                    vec(eta * d) if d.size <= 12 else f"{d.size} values",
                    l,
                )
            )
    return out


def update_lines(net: Network, step: Step) -> list[Line]:
    """Old weights + step = new weights, one line per layer (and bias vector)."""
    N = Names(net.L)
    out = []
    for l, (old, s) in enumerate(zip(step.W_old, step.dW)):
        new = old + s
        if old.size <= 3:
            nums = ", ".join(f"{num(o, 6)} + {par(d)}" for o, d in zip(old.ravel(), s.ravel()))
            nums = nums if old.size == 1 else f"({nums})"
            val = vec(new, 6)
        elif old.size <= 12:
            nums, val = "", mat(new, 6)
        else:
            nums, val = "", f"{old.shape[0]}×{old.shape[1]} matrix, max |step| {num(np.abs(s).max())}"
        out.append(Line("update", N.W(l), f"{N.W(l)} + η·Δ{N.W(l)}/{step.k}", nums, val, l))
    if step.db is not None:
        for l, (old, s) in enumerate(zip(step.b_old, step.db)):
            name = "b" + ("" if net.L == 1 else str(l + 1).translate(SUP))
            out.append(
                Line(
                    "update",
                    name,
                    f"{name} + η·Δ{name}/{step.k}",
                    "",
                    vec(old + s, 6) if old.size <= 12 else "",
                    l,
                )
            )
    return out


def metric(v) -> str:
    """A loss or an accuracy: 4 decimals, or 4 significant digits when huge (1.0000e+200)."""
    if v is None or v != v:
        return "—"
    return f"{v:.4f}" if abs(v) < 1e6 else f"{v:.4e}"
