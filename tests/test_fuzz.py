"""Property-based tests: the rule evaluator, the scenario loader, the session loader (random
edits and random bytes) and the CSV loader (random bytes), fed random input, raise nothing but
their own error type (one line), and the evaluator never runs code.

Examples per property: BPTUI_FUZZ_EXAMPLES (default 200 in CI; the dedicated run uses
BPTUI_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py)."""

import json
import os
import string

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bptui.core import data as datamod
from bptui.core import scenario, schema, session
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
KEYS = {sec: list(keys) for sec, keys in schema.SCHEMA.items() if sec}


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


# ---- saved sessions -----------------------------------------------------------------------
SMALL = """
[network]
sizes = [2, 3, 1]
bias = true
[training]
learning_rate = 0.5
update = "minibatch"
batch_size = 2
[data]
x = [[0.1, 0.3], [0.5, -0.2], [-0.4, 0.9], [0.3, 0.3]]
y = [1, 0, 1, 0]
"""


def _base_session() -> dict:
    sc = scenario.from_text(SMALL, None, "small")
    tr = sc.build()
    tr.run(2)
    tr.step_record()
    return session.to_dict(sc, tr)


BASE = json.dumps(_base_session())
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 6),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=6),
        st.sampled_from([SMALL, "[network", 10**400]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=10,
)


def _paths(doc, at=()):
    """Every place in the document: (path to the container, key)."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for k, v in items:
        yield at, k
        yield from _paths(v, (*at, k))


@st.composite
def sessions(draw):
    doc = json.loads(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = list(_paths(doc))
        at, k = draw(st.sampled_from(places))
        box = doc
        for p in at:
            box = box[p]
        if draw(st.integers(0, 5)) == 0 and isinstance(box, dict):
            del box[k]
        else:
            box[k] = draw(json_values)
    return json.dumps(doc)


def _only_session_errors(raw: bytes, tmp_path):
    p = tmp_path / "s.json"
    p.write_bytes(raw)
    try:
        sc, tr = session.load(p)
    except BptuiError as exc:
        assert "\n" not in str(exc)
        return
    assert all(np.isfinite(w).all() for w in tr.net.W) and tr.eta > 0 and 0 <= tr.i <= tr.m
    tr.step_record()  # a loaded session runs


@FUZZ
@given(sessions())
def test_session_loader_random_edits(tmp_path_factory, text):
    _only_session_errors(text.encode(), tmp_path_factory.mktemp("s"))


@FUZZ
@given(st.data())
def test_session_loader_random_bytes(tmp_path_factory, data):
    raw = bytearray(BASE.encode())
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i : i + data.draw(st.integers(0, 3))] = data.draw(st.binary(max_size=3))
    _only_session_errors(bytes(raw), tmp_path_factory.mktemp("s"))


# ---- raw CSV bytes ------------------------------------------------------------------------
cells = st.one_of(
    st.sampled_from(
        ["0", "1", "2", "0.7", "-3e5", "1e308", "1e-320", "nan", "inf", "", " ", '"', '"a,b"', "x"]
    ),
    st.floats(allow_nan=True).map(repr),
    st.text(max_size=4),
)


@st.composite
def csv_bytes(draw):
    if draw(st.integers(0, 3)) == 0:
        return draw(st.binary(max_size=200))
    width = draw(st.integers(1, 4))
    header = draw(
        st.lists(
            st.sampled_from(["y", "a", "b", "c", "a\nb", '"q"', "\ufeffy", ""]),
            min_size=width,
            max_size=width,
        )
    )
    rows = draw(st.lists(st.lists(cells, min_size=width - 1, max_size=width + 1), max_size=8))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = sep.join(",".join(r) for r in [header, *rows]) + sep
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode("utf-8", "surrogatepass")


@FUZZ
@given(csv_bytes(), st.data())
def test_csv_loader_random_bytes(tmp_path_factory, raw, data):
    p = tmp_path_factory.mktemp("c") / "d.csv"
    p.write_bytes(raw)
    names = ["y", "a", "b", "c", '"q"']
    pick = lambda: data.draw(st.lists(st.sampled_from(names), max_size=2))  # noqa: E731
    try:
        ds = datamod.load_csv(
            p,
            data.draw(st.sampled_from(names)),
            pick(),
            pick(),
            data.draw(st.sampled_from([0.0, 0.5])),
            1,
            classes=data.draw(st.booleans()),
        )
    except BptuiError as exc:
        assert "\n" not in str(exc)
        return
    for a in (ds.X, ds.y, ds.X_test, ds.y_test):
        assert np.isfinite(a).all()
