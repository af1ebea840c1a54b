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

from .formula import Add, Div, Ex, Exp, Fn, Mul, Num, Pos, Sq, Sub, fit, fit_apart
from .notation import Notation, num, vec

MAX_TERMS = 12  # a sum with more terms is shown by its value only
MAX_VECTOR = 3  # weight steps and updates with more entries get a line per entry
MAX_VALUES = 12  # … up to this many; a bigger matrix is named by its size only


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


def _entries(section, label, formula, entries, layer, summary, op="=", sig=3) -> list[Line]:
    """A layer's values, each entry = (name, formula, expression, value): up to MAX_VECTOR in
    one line as a vector (a, b); up to MAX_VALUES as a heading line and one substituted line
    per entry (Δw₁₁ = η·δ^h₁·x₁ = 0.5 × 0.000708 × 0.5 = 0.000177); more as the heading
    with `summary` (the matrix's size)."""
    if len(entries) > MAX_VALUES:
        return [Line(section, label, formula, "", summary, layer, op)]
    exprs, values = [e[2] for e in entries], [e[3] for e in entries]
    if len(entries) <= MAX_VECTOR:
        numbers, value = fit(
            exprs[0] if len(entries) == 1 else exprs, values[0] if len(entries) == 1 else values, sig
        )
        return [Line(section, label, formula, numbers, value, layer, op)]
    out = [Line(section, label, formula, "", "", layer, op)]
    fitted = fit_apart(exprs, values, sig)  # each its own digits, the values one column
    for (name, f, _, _), pair in zip(entries, fitted):
        out.append(Line(section, name, f, *pair, layer, op))
    return out


def forward_lines(net, t, N: Notation, layers=None) -> list[Line]:
    """h = Σ w·x, a = f(h) per hidden unit; z and ŷ for the output (of `layers`: all)."""
    out = []
    for l in range(net.L) if layers is None else layers:
        W, f, xs = net.W[l], net.acts[l], t.a[l][0]
        n_in, n_out = W.shape
        src = N.a(l - 1)
        for j in range(n_out):
            hname, aname = N.unit(N.h(l), l, j), N.unit(N.a(l), l, j)
            bj = net.b[l][j] if net.b is not None else None
            hv, av = t.h[l][0, j], t.a[l + 1][0, j]
            bias = f" + {N.bias(l, j)}" if net.b is not None else ""
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
    """δ^o: (y − ŷ)·f'(z) for mse (seed 004); y − ŷ for log loss, whose ∂E/∂ŷ cancels f'(z),
    and the line says so: a learner from seed 004 looks for the f'."""
    L, f = net.L, net.acts[-1]
    yh = t.yhat[0]
    out = []
    for j in range(len(yh)):
        yn, yhn = N.y(j), N.unit("ŷ", L - 1, j)
        dname, dv = N.unit(N.delta(L - 1), L - 1, j), t.delta[-1][0, j]
        err = Sub(one(y[j]), Num(yh[j]))
        if loss == "log":  # −∂E/∂z: log loss's 1/(ŷ(1 − ŷ)) cancels the output's f′ (seed 004 has mse)
            out.append(_line("backward", dname, f"{yn} − {yhn} (log loss: f′ cancels)", err, dv, L - 1))
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
    """The weight steps this record makes: ΔW = η·δ·(the layer's input), as seed 004; a
    layer of more than MAX_VECTOR weights one line per weight under the formula
    (Δw₁₂ = 0.5 × (-0.00204) × 0.5 = -0.000511)."""
    out = []
    for l in range(net.L - 1, -1, -1):
        d, src = t.delta[l][0], t.a[l][0]
        entries = [
            (f"Δ{N.weight(l, i, j)}", "", Mul(one(eta), Num(dv), Num(sv)), eta * dv * sv)
            for i, sv in enumerate(src)
            for j, dv in enumerate(d)
        ]
        size = f"{len(src)}×{len(d)} matrix"
        out += _entries("steps", N.step(l), f"η·{N.delta(l)}·{N.a(l - 1)}", entries, l, size)
        if net.b is not None and net.train_bias:
            entries = [(f"Δ{N.bias(l, j)}", "", Mul(one(eta), Num(dv)), eta * dv) for j, dv in enumerate(d)]
            out += _entries("steps", N.bias_step(l), f"η·{N.delta(l)}", entries, l, f"{d.size} values")
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


def peek_lines(net, step, loss: str) -> list[Line]:
    """The lines of record_lines that the backward panel shows of the next record (after an
    update or an epoch, and every frame while playing): the output's forward line and the
    backward pass, without computing the hidden units' forward lines and the weight steps."""
    t, y = step.trace, np.ravel(step.y)
    N = Notation(net.sizes)
    out = forward_lines(net, t, N, layers=[net.L - 1]) + error_lines(t, y, N)
    return out + output_delta_lines(net, t, y, loss, N) + hidden_delta_lines(net, t, N)


def penalty(reg: str, lam: float, w: np.ndarray):
    """What L1 / L2 takes off each weight in one update, over η: λ·sign(w) or λ·w."""
    if reg == "l1":
        return lam * np.sign(w), "η·λ·sign({})"
    if reg == "l2":
        return lam * w, "η·λ·{}"
    return None, ""


def _size(v: np.ndarray) -> str:
    return f"{v.shape[0]}×{v.shape[1]} matrix" if v.ndim == 2 else f"{v.size} values"


def _update_line(name, names, S_name, old, step, k, eta, reg, lam, layer, is_bias) -> list[Line]:
    """name ← name + η·S/k (− penalty) for one weight layer or bias vector (`names`: its
    entries' names)."""
    pen, pen_txt = penalty("none" if is_bias else reg, lam, old)
    plain = step + (eta * pen if pen is not None else 0.0)  # the η·S/k part
    formula = f"{name} + η·{S_name}/{k}" + (f" = {name} + Δ{name}" if k == 1 and not pen_txt else "")
    if pen_txt:
        formula += " − " + pen_txt.format(name)
    entries = []
    for n, o, p, s, v in zip(
        names, old.ravel(), plain.ravel(), (k * plain / eta).ravel(), (old + step).ravel()
    ):
        move = Num(p) if k == 1 and not pen_txt else Div(Mul(one(eta), Num(s)), one(k))
        e = Add(Num(o), move)
        if pen is not None:
            lam_x = one(np.sign(o)) if reg == "l1" else Num(o)
            e = Sub(e, Mul(one(eta), one(lam), lam_x))
        entries.append((n, "", e, v))
    return _entries("update", name, formula, entries, layer, _size(old), "←", 6)


def update_rule(reg: str = "none", lam: float = 0.0) -> str:
    """The update in symbols, with the penalty when L1/L2 is on."""
    rule = "W ← W + η·Σδa/k"
    if reg == "l1":
        rule += f" − η·λ·sign(W) (L1, λ = {num(lam, 12)})"
    elif reg == "l2":
        rule += f" − η·λ·W (L2, λ = {num(lam, 12)})"
    return rule + "; Σδa sums δ·a over the k records since the last update (k = 1: η·Σδa/1 = ΔW)"


def update_lines(net, step, eta: float, reg: str = "none", lam: float = 0.0) -> list[Line]:
    """Old weights + step = new weights, one line per layer (and bias vector), from the
    output down, in the running sums' names: W ← W + η·Σδ^o·a/k."""
    N = Notation(net.sizes)
    out = []
    for l in range(net.L - 1, -1, -1):
        names = [N.weight(l, i, j) for i in range(net.sizes[l]) for j in range(net.sizes[l + 1])]
        out += _update_line(
            N.W(l), names, N.running_sum(l), step.W_old[l], step.dW[l], step.k, eta, reg, lam, l, False
        )
        if step.db is not None:
            names = [N.bias(l, j) for j in range(net.sizes[l + 1])]
            out += _update_line(
                N.b(l), names, N.bias_sum(l), step.b_old[l], step.db[l], step.k, eta, reg, lam, l, True
            )
    return out


def pending_lines(net, dW, db, k: int, eta: float) -> list[Line]:
    """The running sums Σδ·a over the k records since the last update, and the step
    η·Σδ·a/k each will make (before any L1/L2 penalty); a layer of more than MAX_VECTOR
    weights one line per weight (η·Σδ^h₁·x₂/k = 0.5 × 0.000354 / 1 = 0.000177)."""
    N = Notation(net.sizes)
    out = []
    for l in range(net.L - 1, -1, -1):
        dn = [N.unit(N.delta(l), l, j) for j in range(net.sizes[l + 1])]
        names = [f"Σ{dn[j]}·{N.source(l, i)}" for i in range(net.sizes[l]) for j in range(net.sizes[l + 1])]
        sums = [(N.running_sum(l), dW[l], names, N.step(l))]
        if db is not None and net.train_bias:
            sums.append((N.bias_sum(l), db[l], [f"Σ{d}" for d in dn], N.bias_step(l)))
        for name, acc, names, step in sums:
            if acc.size > MAX_VALUES:
                within = f"{_size(acc)}, every entry within ±{num(np.abs(acc).max())}"
                out.append(Line("pending", name, within, "", "", l))
                continue
            if acc.size > MAX_VECTOR and k == 1:  # one record so far: its own steps, shown above
                out.append(
                    Line("pending", f"η·{name}/1", f"{step} (k = 1: the record's steps above)", "", "", l)
                )
                continue
            if acc.size <= MAX_VECTOR:
                out.append(Line("pending", name, "", "", vec(acc.ravel()), l))
            entries = [
                (f"η·{n}/{k}", "", Div(Mul(one(eta), Num(v)), one(k)), eta * v / k)
                for n, v in zip(names, acc.ravel())
            ]
            out += _entries("pending", f"η·{name}/{k}", "", entries, l, "")
    return out
