"""Property-based tests: the rule evaluator and the scenario loader, fed random input, raise
nothing but their own error type, and the evaluator never runs code.

Examples per property: BPTUI_FUZZ_EXAMPLES (default 200 in CI; the dedicated run uses
BPTUI_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py)."""

import os
import string

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bptui.core import scenario
from bptui.core.errors import BptuiError, PatternError
from bptui.core.patterns import Rule

N = int(os.environ.get("BPTUI_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=N, deadline=None, suppress_health_check=list(HealthCheck))
X = np.linspace(-1, 1, 7)

# ---- the rule evaluator -------------------------------------------------------------------
MARK = "/tmp/bptui-fuzz-pwned"
DANGEROUS = [
    f"__import__('os').system('touch {MARK}')",
    f"open('{MARK}', 'w')",
    "x1.__class__.__bases__",
    "(lambda: 1)()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "globals()",
    "exec('1')",
    "eval('1')",
    "getattr(x1, 'real')",
    "x1[0]",
    "{x1: 1}",
    "'a' * 10**9",
    "9**9**9",
    "10**10**10 > x1",
    "(x1 := 3)",
    "breakpoint()",
]
atoms = st.sampled_from(
    ["x1", "x2", "pi", "e", "0", "1", "0.5", "-2", "1e308", "1e-308", "y", "__builtins__", "os"]
)
ops = st.sampled_from(
    [
        "+",
        "-",
        "*",
        "/",
        "//",
        "%",
        "**",
        "<",
        "<=",
        ">",
        ">=",
        "==",
        "!=",
        " and ",
        " or ",
        " & ",
        " | ",
        " ^ ",
        ".",
        ",",
    ]
)
funcs = st.sampled_from(
    [
        "abs",
        "sqrt",
        "exp",
        "log",
        "sin",
        "maximum",
        "minimum",
        "where",
        "hypot",
        "sum",
        "print",
        "__import__",
        "type",
    ]
)


@st.composite
def expressions(draw, depth=0):
    kind = draw(st.integers(0, 6 if depth < 4 else 0))
    if kind == 0:
        return draw(atoms)
    if kind in (1, 2):
        return f"({draw(expressions(depth + 1))}{draw(ops)}{draw(expressions(depth + 1))})"
    if kind == 3:
        args = ", ".join(draw(st.lists(expressions(depth + 1), min_size=0, max_size=3)))
        return f"{draw(funcs)}({args})"
    if kind == 4:
        return f"not {draw(expressions(depth + 1))}"
    if kind == 5:
        return draw(st.sampled_from(DANGEROUS))
    return f"-{draw(expressions(depth + 1))}"


def _only_pattern_errors(src):
    try:
        r = Rule(src)
    except PatternError:
        return
    try:
        out = r(X, X[::-1])
    except PatternError:
        return
    assert out.dtype == bool and out.shape == X.shape


@FUZZ
@given(expressions())
def test_rule_evaluator_random_expressions(src):
    _only_pattern_errors(src)
    assert not os.path.exists(MARK)


@FUZZ
@given(st.text(alphabet=string.printable + "λ√²∞", max_size=120))
def test_rule_evaluator_random_text(src):
    _only_pattern_errors(src)
    assert not os.path.exists(MARK)


@FUZZ
@given(st.binary(max_size=120))
def test_rule_evaluator_random_bytes(raw):
    _only_pattern_errors(raw.decode("utf-8", errors="replace"))


def test_dangerous_rules_are_refused():
    for src in DANGEROUS:
        if src in ("9**9**9", "10**10**10 > x1"):
            continue  # plain arithmetic: allowed, and bounded
        try:
            Rule(src)(X, X)
        except PatternError:
            continue
        raise AssertionError(f"accepted: {src}")
    assert not os.path.exists(MARK)


# ---- the scenario loader ------------------------------------------------------------------
scalars = st.one_of(
    st.integers(-5, 5),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(
        [
            "sigmoid",
            "tanh",
            "relu",
            "linear",
            "mse",
            "log",
            "batch",
            "sgd",
            "minibatch",
            "normal",
            "uniform",
            "circle",
            "xor",
            "binary.csv",
            "admit",
        ]
    ),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=12)
sizes = st.lists(st.integers(-1, 6), min_size=0, max_size=4)
KEYS = {sec: list(keys) for sec, keys in scenario.SCHEMA.items() if sec}


@st.composite
def documents(draw):
    doc = {}
    for sec, keys in KEYS.items():
        if draw(st.booleans()):
            table = {}
            for k in draw(st.lists(st.sampled_from(keys + ["bogus"]), max_size=6, unique=True)):
                table[k] = draw(sizes if k == "sizes" else values)
            doc[sec] = table
    if draw(st.integers(0, 9)) == 0:
        doc[draw(st.text(min_size=1, max_size=5))] = draw(values)
    return doc


def _toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (
            "nan" if v != v else ("inf" if v == float("inf") else ("-inf" if v == float("-inf") else repr(v)))
        )
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return "[" + ", ".join(_toml_value(x) for x in v) + "]"


def to_toml(doc) -> str:
    lines = []
    for k, v in doc.items():
        if not isinstance(v, dict):
            lines.append(f'"{k}" = {_toml_value(v)}')
    for sec, table in doc.items():
        if isinstance(table, dict):
            lines.append(f"[{sec}]")
            lines += [f'"{k}" = {_toml_value(v)}' for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _only_scenario_errors(text, tmp_path):
    p = tmp_path / "fuzz.toml"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        tr = scenario.load(str(p)).build()
    except BptuiError:
        return
    assert tr.m > 0


@FUZZ
@given(documents())
def test_scenario_loader_random_documents(tmp_path_factory, doc):
    _only_scenario_errors(to_toml(doc), tmp_path_factory.mktemp("f"))


@FUZZ
@given(st.text(max_size=200))
def test_scenario_loader_random_text(tmp_path_factory, text):
    text = text.encode("utf-8", "replace").decode("utf-8")
    _only_scenario_errors(text, tmp_path_factory.mktemp("f"))
