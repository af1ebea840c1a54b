"""The backward pass as formula lines with their numbers substituted, in seed 004's notation.

    h = Σ w·x = 0.4×0.1 + (-0.2)×0.3 = -0.02
    δ^o = (y − ŷ)·ŷ(1 − ŷ) = (1 − 0.512) × 0.512 × (1 − 0.512) = 0.122

Every substituted line adds up: recomputed from the numbers it shows it gives the result it
shows to within one unit of its last digit (formula.fit). Names come from notation.Notation.
`bptui trace` prints these lines; the app and lesson mode render them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .formula import Add, Div, Ex, Exp, Fn, Mul, Num, Pos, Sq, Sub, fit
from .notation import Notation, mat, num, vec

MAX_TERMS = 8  # a sum with more terms is shown by its value only
MAX_VECTOR = 3  # weight steps and updates with more entries are shown by their values only
MAX_VALUES = 12


@dataclass
class Line:
    section: str  # forward | backward | steps | update | pending
    label: str  # left-hand side, e.g. "δ^o"
    formula: str  # symbolic right-hand side ("" when none)
    numbers: str  # the numbers substituted ("" when none)
    value: str  # the result
    layer: int = -1  # weight layer it belongs to (-1: none)
    op: str = "="  # "←" for an update

    def text(self) -> str:
        parts = [p for p in (self.formula, self.numbers, self.value) if p]
        parts = [p for k, p in enumerate(parts) if p not in parts[:k] and p != self.label]
        head = f"{self.label} {self.op} " if parts else self.label
        return head + " = ".join(parts)


def one(v: float) -> Num:
    return Num(v, exact=True)


class _AtWeights:
    """A network's structure with other weights, for explaining an earlier step."""

    def __init__(self, net, W, b):
        self.W, self.b = W, b
        self.L, self.acts, self.sizes, self.train_bias = net.L, net.acts, net.sizes, net.train_bias


def _weighted_sum(ws, xs, b=None) -> Ex | None:
    """Σ w·x (+ b) as an expression; None when it has too many terms to write out."""
    if len(ws) > MAX_TERMS:
        return None
    terms = [Mul(Num(w), Num(x), tight=True) for w, x in zip(ws, xs)]
    if b is not None:
        terms.append(Num(b))
    return terms[0] if len(terms) == 1 else Add(*terms)


def _line(section, label, formula, expr, result, layer=-1) -> Line:
    if expr is None:
        return Line(section, label, formula, "", num(result), layer)
    numbers, value = fit(expr, result)
    return Line(section, label, formula, numbers, value, layer)


def forward_lines(net, t, N: Notation) -> list[Line]:
    """h = Σ w·x, a = f(h) per hidden unit; z and ŷ for the output."""
    out = []
    for l in range(net.L):
        W, f, xs = net.W[l], net.acts[l], t.a[l][0]
        n_in, n_out = W.shape
        bias = " + b" if net.b is not None else ""
        src = N.a(l - 1)
        for j in range(n_out):
            hname, aname = N.unit(N.h(l), l, j), N.unit(N.a(l), l, j)
            bj = net.b[l][j] if net.b is not None else None
            hv, av = t.h[l][0, j], t.a[l + 1][0, j]
            s = _weighted_sum(W[:, j], xs, bj)
            wsum = f"{N.W(l)}·{src}" if n_in == 1 else f"Σ {N.W(l)}·{src}"
            if f.name == "softmax":
                out.append(_line("forward", hname, wsum + bias, s, hv, l))
                zs = [Exp(Num(z)) for z in t.h[l][0]]
                expr = Div(Exp(Num(hv)), Add(*zs) if len(zs) > 1 else zs[0])
                formula = f"e^{{{hname}}} / Σ_k e^{{z_k}}"
                out.append(_line("forward", aname, formula, expr, av, l))
            elif l == net.L - 1:
                expr = None if s is None else Fn(f.symbol, s)
                out.append(_line("forward", aname, f"{f.symbol}({wsum}{bias})", expr, av, l))
            else:
                out.append(_line("forward", hname, wsum + bias, s, hv, l))
                out.append(_line("forward", aname, f"{f.symbol}({hname})", Fn(f.symbol, Num(hv)), av, l))
    return out


def _fprime(act: str, a: str, h: str, av: float, hv: float) -> tuple[str, Ex]:
    """f'(h) written with the unit's output a, and as an expression in the numbers."""
    if act in ("sigmoid", "softmax"):
        return f"{a}(1 − {a})", Mul(Num(av), Sub(one(1), Num(av)))
    if act == "tanh":
        return f"(1 − {a}²)", Sub(one(1), Sq(Num(av)))
    if act == "relu":
        return f"[{h} > 0]", Pos(Num(hv))
    return "1", one(1)


def error_lines(t, y, N: Notation) -> list[Line]:
    yh = t.yhat[0]
    out = []
    for j in range(len(yh)):
        yn, yhn = N.y(j), N.unit("ŷ", N.L - 1, j)
        label = N.unit("error", N.L - 1, j)
        out.append(_line("backward", label, f"{yn} − {yhn}", Sub(one(y[j]), Num(yh[j])), y[j] - yh[j]))
    return out


def output_delta_lines(net, t, y, loss: str, N: Notation) -> list[Line]:
    """δ^o: y − ŷ for log loss; (y − ŷ)·f'(z) for mse (seed 004)."""
    L, f = net.L, net.acts[-1]
    yh = t.yhat[0]
    out = []
    for j in range(len(yh)):
        yn, yhn = N.y(j), N.unit("ŷ", L - 1, j)
        dname, dv = N.unit(N.delta(L - 1), L - 1, j), t.delta[-1][0, j]
        err = Sub(one(y[j]), Num(yh[j]))
        if loss == "log":
            out.append(_line("backward", dname, f"{yn} − {yhn}", err, dv, L - 1))
        elif f.name == "linear":
            out.append(_line("backward", dname, f"({yn} − {yhn})", err, dv, L - 1))
        else:
            ftxt, fex = _fprime(f.name, yhn, N.unit("z", L - 1, j), yh[j], t.h[-1][0, j])
            out.append(_line("backward", dname, f"({yn} − {yhn})·{ftxt}", Mul(err, fex), dv, L - 1))
    return out


def hidden_delta_lines(net, t, N: Notation) -> list[Line]:
    """δ of each hidden unit: the next layer's δ back through its weights, times f'(h)."""
    out = []
    for l in range(net.L - 2, -1, -1):
        Wn, dn, f = net.W[l + 1], t.delta[l + 1][0], net.acts[l]
        for j in range(Wn.shape[0]):
            av, hv = t.a[l + 1][0, j], t.h[l][0, j]
            ftxt, fex = _fprime(f.name, N.unit(N.a(l), l, j), N.unit(N.h(l), l, j), av, hv)
            if len(dn) == 1:
                formula = f"{N.weight(l + 1, j, 0)}·{N.delta(l + 1)}·{ftxt}"
                expr = Mul(Num(Wn[j, 0]), Num(dn[0]), fex)
            else:
                formula = f"(Σ {N.W(l + 1)}·{N.delta(l + 1)})·{ftxt}"
                back = _weighted_sum(Wn[j], dn)
                expr = None if back is None else Mul(back, fex)
            out.append(_line("backward", N.unit(N.delta(l), l, j), formula, expr, t.delta[l][0, j], l))
    return out


def step_lines(net, t, eta: float, N: Notation) -> list[Line]:
    """The weight steps this record makes: ΔW = η·δ·(the layer's input), as seed 004."""
    out = []
    for l in range(net.L - 1, -1, -1):
        d, src = t.delta[l][0], t.a[l][0]
        steps = eta * np.outer(src, d)
        formula = f"η·{N.delta(l)}·{N.a(l - 1)}"
        if steps.size <= MAX_VECTOR:
            exprs = [Mul(one(eta), Num(dv), Num(sv)) for sv in src for dv in d]
            numbers, value = fit(exprs[0] if steps.size == 1 else exprs, steps.ravel())
            out.append(Line("steps", N.step(l), formula, numbers, value, l))
        else:
            shown = mat(steps) if steps.size <= MAX_VALUES else f"{steps.shape[0]}×{steps.shape[1]} matrix"
            out.append(Line("steps", N.step(l), formula, "", shown, l))
        if net.b is not None and net.train_bias:
            shown = vec(eta * d) if d.size <= MAX_VALUES else f"{d.size} values"
            out.append(Line("steps", N.bias_step(l), f"η·{N.delta(l)}", "", shown, l))
    return out


def record_lines(net, step, eta: float, loss: str, weights=None) -> list[Line]:
    """Forward, backward and weight-step lines for a record step. `weights` = (W, b) the
    record was computed with, when the network has moved on since (after an update)."""
    if weights is not None:
        net = _AtWeights(net, *weights)
    t, y = step.trace, np.ravel(step.y)
    N = Notation(net.sizes)
    return (
        forward_lines(net, t, N)
        + error_lines(t, y, N)
        + output_delta_lines(net, t, y, loss, N)
        + hidden_delta_lines(net, t, N)
        + step_lines(net, t, eta, N)
    )


def penalty(reg: str, lam: float, w: np.ndarray):
    """What L1 / L2 takes off each weight in one update, over η: λ·sign(w) or λ·w."""
    if reg == "l1":
        return lam * np.sign(w), "η·λ·sign({})"
    if reg == "l2":
        return lam * w, "η·λ·{}"
    return None, ""


def _update_line(name, S_name, old, step, k, eta, reg, lam, layer, is_bias) -> Line:
    """name ← name + η·S/k (− penalty) for one weight layer or bias vector."""
    pen, pen_txt = penalty("none" if is_bias else reg, lam, old)
    plain = step + (eta * pen if pen is not None else 0.0)  # the η·S/k part
    formula = f"{name} + η·{S_name}/{k}" + (f" = {name} + Δ{name}" if k == 1 and not pen_txt else "")
    if pen_txt:
        formula += " − " + pen_txt.format(name)
    new = old + step
    if old.size > MAX_VECTOR:
        shown = mat(new, 6) if old.size <= MAX_VALUES else f"{old.shape[0]}×{old.shape[1]} matrix"
        return Line("update", name, formula, "", shown, layer, "←")
    exprs = []
    for o, p, s in zip(old.ravel(), plain.ravel(), (k * plain / eta).ravel()):
        move = Num(p) if k == 1 and not pen_txt else Div(Mul(one(eta), Num(s)), one(k))
        e = Add(Num(o), move)
        if pen is not None:
            lam_x = one(np.sign(o)) if reg == "l1" else Num(o)
            e = Sub(e, Mul(one(eta), one(lam), lam_x))
        exprs.append(e)
    numbers, value = fit(exprs[0] if old.size == 1 else exprs, new.ravel(), 6)
    return Line("update", name, formula, numbers, value, layer, "←")


def update_rule(reg: str = "none", lam: float = 0.0) -> str:
    """The update in symbols, with the penalty when L1/L2 is on."""
    rule = "W ← W + η·Σδa/k"
    if reg == "l1":
        rule += f" − η·λ·sign(W) (L1, λ = {lam:g})"
    elif reg == "l2":
        rule += f" − η·λ·W (L2, λ = {lam:g})"
    return rule + "; Σδa sums δ·a over the k records since the last update (k = 1: η·Σδa/1 = ΔW)"


def update_lines(net, step, eta: float, reg: str = "none", lam: float = 0.0) -> list[Line]:
    """Old weights + step = new weights, one line per layer (and bias vector), from the
    output down, in the running sums' names: W ← W + η·Σδ^o·a/k."""
    N = Notation(net.sizes)
    out = []
    for l in range(net.L - 1, -1, -1):
        out.append(
            _update_line(N.W(l), N.running_sum(l), step.W_old[l], step.dW[l], step.k, eta, reg, lam, l, False)
        )
        if step.db is not None:
            out.append(
                _update_line(N.b(l), N.bias_sum(l), step.b_old[l], step.db[l], step.k, eta, reg, lam, l, True)
            )
    return out


def pending_lines(net, dW, db, k: int, eta: float) -> list[Line]:
    """The running sums Σδ·a over the k records since the last update, and the step
    η·Σδ·a/k each will make (before any L1/L2 penalty)."""
    N = Notation(net.sizes)
    out = []
    for l in range(net.L - 1, -1, -1):
        sums = [(N.running_sum(l), dW[l])]
        if db is not None and net.train_bias:
            sums.append((N.bias_sum(l), db[l]))
        for name, acc in sums:
            if acc.size > MAX_VECTOR:
                big = acc.size > MAX_VALUES
                out.append(
                    Line(
                        "pending",
                        name,
                        "",
                        "",
                        f"|{name}| ≤ {num(np.abs(acc).max())}" if big else mat(acc),
                        l,
                    )
                )
                continue
            exprs = [Div(Mul(one(eta), Num(s)), one(k)) for s in acc.ravel()]
            numbers, value = fit(exprs[0] if acc.size == 1 else exprs, eta * acc.ravel() / k)
            out.append(Line("pending", name, "", "", mat(acc), l))
            out.append(Line("pending", f"η·{name}/{k}", "", numbers, value, l))
    return out
