"""Substituted formulas that add up: a small expression tree that writes its numbers and
recomputes itself from the numbers as written.

`fit(expr, result)` writes the operands with just enough significant digits (3 at least) that
the expression, recomputed from the printed operands, gives the printed result to within one
unit of its last digit — 0.400152 where 0.4 would not add up.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from .notation import column, num

MOST = 10  # significant digits an operand may need at most


class Ex:
    """An expression: `text(sig)` writes it, `val(sig)` recomputes it from what is written."""

    prec = 9  # binding strength: 1 sum, 2 product, 3 power, 9 atom

    def text(self, sig: int) -> str:
        raise NotImplementedError

    def val(self, sig: int) -> float:
        raise NotImplementedError

    def wrap(self, sig: int, prec: int) -> str:
        t = self.text(sig)
        return f"({t})" if self.prec < prec or t.startswith("-") else t


class Num(Ex):
    """A number; `exact` ones (η, y, λ) are always written in full."""

    def __init__(self, v: float, exact: bool = False):
        self.v, self.exact = float(v), exact
        self._seen: dict[int, str] = {}

    def text(self, sig: int) -> str:
        sig = 12 if self.exact else sig
        if sig not in self._seen:
            self._seen[sig] = num(self.v, sig)
        return self._seen[sig]

    def val(self, sig: int) -> float:
        return float(self.text(sig))


class Add(Ex):
    prec = 1

    def __init__(self, *terms: Ex):
        self.terms = terms

    def text(self, sig):
        return " + ".join(t.wrap(sig, 2) for t in self.terms)

    def val(self, sig):
        return math.fsum(t.val(sig) for t in self.terms)


class _Binary(Ex):
    """a op b, left-associative: the right operand is bracketed at the same strength."""

    sym = ""

    def __init__(self, a: Ex, b: Ex):
        self.a, self.b = a, b

    def text(self, sig):
        return f"{self.a.wrap(sig, self.prec)} {self.sym} {self.b.wrap(sig, self.prec + 1)}"


class Sub(_Binary):
    prec, sym = 1, "−"

    def val(self, sig):
        return self.a.val(sig) - self.b.val(sig)


class Div(_Binary):
    prec, sym = 2, "/"

    def val(self, sig):
        return self.a.val(sig) / self.b.val(sig)


class Mul(Ex):
    prec = 2

    def __init__(self, *factors: Ex, tight: bool = False):
        flat = []
        for f in factors:  # a product of products is one product
            flat.extend(f.factors if isinstance(f, Mul) else [f])
        self.factors, self.sep = flat, "×" if tight else " × "

    def text(self, sig):
        return self.sep.join(f.wrap(sig, 3) for f in self.factors)

    def val(self, sig):
        return math.prod(f.val(sig) for f in self.factors)


class Sq(Ex):
    """x², with a negative or compound x in brackets: (−0.785)²."""

    prec = 3

    def __init__(self, x: Ex):
        self.x = x

    def text(self, sig):
        return self.x.wrap(sig, 4) + "²"

    def val(self, sig):
        return self.x.val(sig) ** 2


FUNCS = {
    "σ": lambda v: 1.0 / (1.0 + math.exp(-v)) if v > -700 else 0.0,
    "tanh": math.tanh,
    "relu": lambda v: max(v, 0.0),
    "id": lambda v: v,
    "sign": lambda v: float(np.sign(v)),
}


class Fn(Ex):
    """f(arg) for a function of FUNCS."""

    def __init__(self, name: str, arg: Ex):
        self.name, self.arg = name, arg

    def text(self, sig):
        return f"{self.name}({self.arg.text(sig)})"

    def val(self, sig):
        return FUNCS[self.name](self.arg.val(sig))


class Exp(Ex):
    """e^{arg}."""

    def __init__(self, arg: Ex):
        self.arg = arg

    def text(self, sig):
        return "e^{" + self.arg.text(sig) + "}"

    def val(self, sig):
        return math.exp(self.arg.val(sig))


class Pos(Ex):
    """[arg > 0]: 1 when true, else 0 (relu's slope)."""

    def __init__(self, arg: Ex):
        self.arg = arg

    def text(self, sig):
        return f"[{self.arg.text(sig)} > 0]"

    def val(self, sig):
        return 1.0 if self.arg.val(sig) > 0 else 0.0


def unit(s: str) -> float:
    """One unit of the last digit of a written number: 0.122 → 0.001, 3.54e-5 → 1e-7."""
    return float(Decimal(1).scaleb(Decimal(s).as_tuple().exponent))


def adds_up(shown: float, result: str) -> bool:
    r = float(result)
    if not (math.isfinite(r) and math.isfinite(shown)):
        return r == shown or (math.isnan(r) and math.isnan(shown))
    return abs(shown - r) <= unit(result) * (1 + 1e-9) + 1e-15 * abs(r)


def _digits(exprs, res, sig: int) -> int:
    """The fewest significant digits (at least `sig`) at which every expression recomputes
    to its written result."""
    for s in range(sig, MOST + 1):
        try:
            if all(adds_up(e.val(s), r) for e, r in zip(exprs, res)):
                return s
        except (OverflowError, ValueError, ZeroDivisionError):
            pass
    return MOST


def fit_each(exprs, results, sig: int = 3) -> list[tuple[str, str]]:
    """(numbers, value) per expression, all written with the same digits and their results
    in one style, so that each recomputes to its result as written."""
    res = column(results, sig)
    s = _digits(exprs, res, sig)
    return [(e.text(s), r) for e, r in zip(exprs, res)]


def fit_apart(exprs, results, sig: int = 3) -> list[tuple[str, str]]:
    """(numbers, value) per expression, each with its own digits (the fewest at which it adds
    up) and their results in one style and the same significant digits, as a table column."""
    res = column(results, sig)
    return [(e.text(_digits([e], [r], sig)), r) for e, r in zip(exprs, res)]


def fit(exprs, results, sig: int = 3) -> tuple[str, str]:
    """(numbers, value): the expressions written so that each recomputes to its result as
    written (`sig` digits); one expression, or several written as a vector (a, b)."""
    one = isinstance(exprs, Ex)
    pairs = fit_each([exprs] if one else list(exprs), np.ravel(results) if not one else [results], sig)
    if one:
        return pairs[0]
    return "(" + ", ".join(p[0] for p in pairs) + ")", "(" + ", ".join(p[1] for p in pairs) + ")"
