"""2-D patterns: label rules over (x1, x2) ∈ [−1, 1]², and TF Playground's generators.

A rule is a safe expression, parsed with `ast` and walked by a tiny interpreter — never
`eval`-ed. It may use x1, x2, numbers, pi, arithmetic, comparisons, `and`/`or`/`not`, `&`, `|`,
`~` and the functions in FUNCS. Everything else (names, attributes, subscripts, lambdas,
comprehensions, strings, keyword arguments) is refused with a PatternError.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import files, tomlio
from .errors import PatternError
from .paths import shipped

MAX_RULE_CHARS = 2000
MAX_DEPTH = 60
MAX_EXPONENT = 64.0

FUNCS = {
    "abs": np.abs,
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
    "arctan2": np.arctan2,
    "hypot": np.hypot,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "max": np.maximum,
    "min": np.minimum,
    "floor": np.floor,
    "ceil": np.ceil,
    "sign": np.sign,
    "where": np.where,
}
ARITY = {"arctan2": 2, "hypot": 2, "maximum": 2, "minimum": 2, "max": 2, "min": 2, "where": 3}
NAMES = {"pi": np.pi, "e": np.e}
VARS = ("x1", "x2")

_BIN = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.FloorDiv: np.floor_divide,
    ast.Mod: np.mod,
    ast.BitAnd: lambda a, b: np.logical_and(a, b),
    ast.BitOr: lambda a, b: np.logical_or(a, b),
    ast.BitXor: lambda a, b: np.logical_xor(a, b),
}
_CMP = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_ALLOWED = "x1, x2, numbers, pi, + − × / // % **, comparisons, and/or/not, & | ~, " + ", ".join(sorted(FUNCS))


class Rule:
    """A parsed, checked rule; calling it with arrays x1, x2 gives a boolean array."""

    vars = VARS  # the names a rule may use (lessons.Expr allows others)

    def __init__(self, src: str):
        if not isinstance(src, str):
            raise PatternError(f"a rule must be a string, got {type(src).__name__}")
        if len(src) > MAX_RULE_CHARS:
            raise PatternError(f"the rule is {len(src)} characters; at most {MAX_RULE_CHARS}")
        self.src = src
        try:
            with warnings.catch_warnings():  # e.g. "invalid decimal literal": ours is the error
                warnings.simplefilter("ignore")
                tree = ast.parse(src.strip(), mode="eval")
        except SyntaxError as exc:
            raise PatternError(f"the rule does not parse: {exc.msg} (column {exc.offset})") from None
        except (ValueError, RecursionError, MemoryError):
            raise PatternError("the rule does not parse") from None
        self._check(tree.body, 0)
        self.tree = tree.body

    def _check(self, node, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise PatternError(f"the rule nests deeper than {MAX_DEPTH} levels")
        bad = None
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                bad = f"the constant {str(node.value)[:20]!r}"
            elif isinstance(node.value, int) and not tomlio.is_number(node.value):
                raise PatternError(f"the number {str(node.value)[:12]}… is too large for a float")
        elif isinstance(node, ast.Name):
            if node.id not in self.vars and node.id not in NAMES:
                bad = f"the name '{node.id}'"
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BIN and not isinstance(node.op, ast.Pow):
                bad = f"the operator {type(node.op).__name__}"
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not, ast.Invert)):
                bad = f"the operator {type(node.op).__name__}"
        elif isinstance(node, ast.Compare):
            if any(type(op) not in _CMP for op in node.ops):
                bad = "that comparison ('in' and 'is' are not allowed)"
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCS:
                what = node.func.id if isinstance(node.func, ast.Name) else "that call"
                bad = f"the function '{what}'" if isinstance(node.func, ast.Name) else what
            elif node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                bad = "keyword or starred arguments"
            elif len(node.args) != ARITY.get(node.func.id, 1):
                n = ARITY.get(node.func.id, 1)
                raise PatternError(
                    f"{node.func.id}() takes {n} argument{'s' if n > 1 else ''}, not {len(node.args)}"
                )
        elif isinstance(node, ast.IfExp):
            pass
        elif isinstance(node, ast.BoolOp):
            pass
        elif isinstance(node, ast.Attribute):
            bad = "attribute access ('.')"
        elif isinstance(node, ast.Lambda):
            bad = "lambda"
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            bad = "a comprehension"
        else:
            bad = f"a {type(node).__name__} expression"
        if bad:
            raise PatternError(f"the rule may not use {bad}; allowed: {_ALLOWED}")
        children = [node.func] if isinstance(node, ast.Call) else []
        for child in ast.iter_child_nodes(node):
            if child in children or isinstance(child, (ast.operator, ast.cmpop, ast.boolop)):
                continue
            if isinstance(child, (ast.unaryop, ast.expr_context)):
                continue
            self._check(child, depth + 1)

    def __call__(self, x1, x2) -> np.ndarray:
        env = {"x1": np.asarray(x1, dtype=float), "x2": np.asarray(x2, dtype=float)}
        with np.errstate(all="ignore"):
            out = self._eval(self.tree, env)
            try:
                return np.broadcast_to(np.asarray(out, dtype=float) != 0, env["x1"].shape).copy()
            except (ValueError, TypeError):
                raise PatternError("the rule does not give one true/false value per point") from None

    def _eval(self, node, env):
        ev = lambda n: self._eval(n, env)  # noqa: E731
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.Name):
            return env[node.id] if node.id in env else np.float64(NAMES[node.id])
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Pow):
                # keep 9**9**9 from hanging: float powers with a bounded exponent
                b = np.clip(np.asarray(b, dtype=float), -MAX_EXPONENT, MAX_EXPONENT)
                return np.power(np.asarray(a, dtype=float), b)
            return _BIN[type(node.op)](np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            if isinstance(node.op, (ast.Not, ast.Invert)):
                return np.logical_not(v)
            return -np.asarray(v, dtype=float) if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BoolOp):
            vals = [ev(v) for v in node.values]
            f = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            out = vals[0]
            for v in vals[1:]:
                out = f(out, v)
            return out
        if isinstance(node, ast.Compare):
            left, out = ev(node.left), True
            for op, right_node in zip(node.ops, node.comparators):
                right = ev(right_node)
                out = np.logical_and(out, _CMP[type(op)](left, right))
                left = right
            return out
        if isinstance(node, ast.IfExp):
            return np.where(ev(node.test), ev(node.body), ev(node.orelse))
        if isinstance(node, ast.Call):
            args = [np.asarray(ev(a), dtype=float) for a in node.args]
            try:
                return FUNCS[node.func.id](*args)
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise PatternError(f"the call {node.func.id}(…) failed: {exc}") from None
        raise PatternError(f"the rule may not use a {type(node).__name__}")  # unreachable


# ---- generators: TF Playground's dataset.ts, in its coordinates --------------------------------
# Each draws n points on TF's plane (−6…6) and labels them True (TF's +1) or False (TF's −1),
# following TF's distributions, noise and labels; the pattern's `plane` then scales them.
def _circle(rs, n, noise):
    """Half inside radius 2.5 (r ~ U(0, 2.5)), half in the ring 3.5…5 (r ~ U(3.5, 5)): a gap
    between the classes. Noise U(−5, 5)·noise moves each point; the label is whether the
    moved point lies inside 2.5, but the unmoved point is stored."""
    k = n - n // 2
    r = np.concatenate([rs.uniform(0, 2.5, k), rs.uniform(3.5, 5, n - k)])
    t = rs.uniform(0, 2 * np.pi, n)
    P = np.column_stack([r * np.sin(t), r * np.cos(t)])
    moved = P + rs.uniform(-5, 5, size=(n, 2)) * noise
    return P, np.hypot(moved[:, 0], moved[:, 1]) < 2.5


def _xor(rs, n, noise):
    """Uniform on −5…5, pushed 0.3 away from each axis; the label is whether the noise-moved
    point's coordinates share a sign (x·y ≥ 0), but the unmoved point is stored."""
    P = rs.uniform(-5, 5, size=(n, 2))
    P += np.where(P > 0, 0.3, -0.3)
    moved = P + rs.uniform(-5, 5, size=(n, 2)) * noise
    return P, moved[:, 0] * moved[:, 1] >= 0


def _gaussian(rs, n, noise):
    """Two round Gaussians at (2, 2) (positive) and (−2, −2), variance 0.5 + 7·noise (0.5 at
    noise 0, 4 at noise 0.5): the std per coordinate's distance 2 from 0 is 0.354 … 1.0."""
    k = n - n // 2
    sd = np.sqrt(0.5 + 7 * noise)
    P = rs.normal(0, sd, size=(n, 2))
    P[:k] += 2
    P[k:] -= 2
    return P, np.arange(n) < k


def _spiral(rs, n, noise):
    """Two interleaved spirals, 1.75 turns out to radius 5; noise U(−1, 1)·noise per
    coordinate (not scaled by the plane, as in TF)."""
    k, half = n - n // 2, n / 2
    i = np.concatenate([np.arange(k), np.arange(n - k)])
    pos = np.arange(n) < k
    r = i / half * 5
    t = 1.75 * i / half * 2 * np.pi + np.where(pos, 0.0, np.pi)
    P = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return P + rs.uniform(-1, 1, size=(n, 2)) * noise, pos


GENERATORS = {"circle": _circle, "xor": _xor, "gaussian": _gaussian, "spiral": _spiral}
TF_PLANE = 6.0
PARAM_RANGES = {"plane": (1e-3, 1e3)}  # every generator's: the half-width TF's −6…6 plane maps onto


@dataclass
class Pattern:
    name: str
    title: str
    description: str = ""
    rule: Rule | None = None
    generator: str | None = None
    params: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def extent(self) -> float:
        """Half-width of the plane the points lie on: 1 for rules; for generators the
        `plane` that TF's −6…6 maps onto (6: TF's own coordinates)."""
        return float(self.params.get("plane", TF_PLANE)) if self.generator else 1.0

    def sample(self, n: int, noise: float = 0.0, seed=None) -> tuple[np.ndarray, np.ndarray]:
        """n points and their 0/1 labels. Rules label uniform(−1, 1)² points before noise
        moves them (as TF Playground does), so noise blurs the boundary. Generators draw on
        TF's plane and scale by plane / 6."""
        rs = np.random.RandomState(seed)
        if self.generator:
            P, pos = GENERATORS[self.generator](rs, n, noise)
            return P * (self.extent / TF_PLANE), pos.astype(float)
        P = rs.uniform(-1, 1, size=(n, 2))
        y = self.rule(P[:, 0], P[:, 1]).astype(float)
        if n >= 20 and y.min() == y.max():
            raise PatternError(
                f"{self.path or self.name}: label: the rule labels all {n} points {int(y[0])}; "
                "a pattern needs points of both classes (check the bounds of its comparisons)"
            )
        if noise:
            P = P + rs.uniform(-1, 1, size=(n, 2)) * noise * 0.5
        return P, y


PATTERN_KEYS = {"title", "description", "label", "generator", "params"}


def load(ref) -> Pattern:
    """A pattern by name (a file in patterns/) or by path to a TOML file."""
    path = Path(ref)
    if not (path.suffix == ".toml" or files.exists(path)):
        path = shipped("patterns") / f"{ref}.toml"
        if not path.is_file():
            raise PatternError(f"unknown pattern '{ref}'; the built-in ones are {', '.join(names())}")
    _, doc = tomlio.load(path, "pattern file", PatternError)
    where = str(path)
    unknown = set(doc) - PATTERN_KEYS
    if unknown:
        raise PatternError(
            f"{where}: unknown key '{sorted(unknown)[0]}'; allowed: {', '.join(sorted(PATTERN_KEYS))}"
        )
    has_rule, has_gen = "label" in doc, "generator" in doc
    if has_rule == has_gen:
        raise PatternError(f"{where}: give exactly one of 'label' (a rule) or 'generator'")
    name = path.stem
    title = doc.get("title", name)
    desc = doc.get("description", "")
    for key, val in (("title", title), ("description", desc)):
        if not isinstance(val, str):
            raise PatternError(f"{where}: '{key}' must be a string")
    if has_rule:
        try:
            rule = Rule(doc["label"])
        except PatternError as exc:
            raise PatternError(f"{where}: label: {exc}") from None
        return Pattern(name, title, desc, rule=rule, path=path)
    gen = doc["generator"]
    if not isinstance(gen, str) or gen not in GENERATORS:
        shown = f"unknown '{gen}'" if isinstance(gen, str) else f"expected a name, got {type(gen).__name__}"
        raise PatternError(f"{where}: generator: {shown}; choose one of {', '.join(GENERATORS)}")
    params = doc.get("params", {})
    if not isinstance(params, dict) or not all(tomlio.is_number(v) for v in params.values()):
        raise PatternError(f"{where}: params must be a table of finite numbers")
    extra = set(params) - set(PARAM_RANGES)
    if extra:
        raise PatternError(
            f"{where}: params: '{sorted(extra)[0]}' is not a parameter of {gen}; allowed: {', '.join(PARAM_RANGES)}"
        )
    for k, v in params.items():
        lo, hi = PARAM_RANGES[k]
        if not lo <= v <= hi:
            raise PatternError(
                f"{where}: params: {k} = {v:g} is out of range; expected {lo:g} to {hi:g} (6 keeps TF's coordinates)"
            )
    return Pattern(name, title, desc, generator=gen, params=params, path=path)


def names() -> list[str]:
    return sorted(p.stem for p in shipped("patterns").glob("*.toml"))
