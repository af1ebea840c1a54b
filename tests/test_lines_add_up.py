"""Every substituted line adds up: `bptui trace` (every built-in scenario, several records,
after updates, after 1 and 50 epochs, plus softmax and deeper minibatch nets with L1/L2), the
lesson steps and the built-in lesson files' narration are parsed by a small arithmetic parser (never eval) and recomputed from the
numbers they show; each gives the result it shows to within one unit of its last digit."""

import math
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from bptui.core import scenario
from bptui.teach import lessonrun, lessons
from bptui.teach.lesson import revealed_lines

from .conftest import ROOT, three_class_toml

FUNCS = {"σ": lambda v: 1 / (1 + math.exp(-v)), "tanh": math.tanh, "relu": lambda v: max(v, 0.0)}
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
TOKEN = re.compile(r"\s*(\d+(?:\.\d+)?(?:e[-+]?\d+)?|σ|tanh|relu|e\^\{|[-−+×/(),²\[\]>}])")


def tokens(s: str) -> list[str]:
    out, pos = [], 0
    s = s.rstrip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m:
            raise SyntaxError(f"cannot read {s[pos:]!r} in {s!r}")
        out.append(m.group(1))
        pos = m.end()
    return out


class Parser:
    """expr: term (± term)* · term: power (×|/ power)* · power: unary ²* · unary: -unary | atom ·
    atom: number | (expr[, expr]*) | f(expr) | e^{expr} | [expr > 0]. A tuple is a vector."""

    def __init__(self, s: str):
        self.t, self.i, self.s = tokens(s), 0, s

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, want=None):
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            raise SyntaxError(f"expected {want!r}, got {tok!r} in {self.s!r}")
        self.i += 1
        return tok

    def parse(self):
        v = self.expr()
        if self.peek() is not None:
            raise SyntaxError(f"left over {self.t[self.i :]} in {self.s!r}")
        return v

    def expr(self):
        v = self.term()
        while self.peek() in ("+", "−", "-"):
            op, r = self.take(), self.term()
            v = v + r if op == "+" else v - r
        return v

    def term(self):
        v = self.power()
        while self.peek() in ("×", "/"):
            op, r = self.take(), self.power()
            v = v * r if op == "×" else v / r
        return v

    def power(self):
        v = self.unary()
        while self.peek() == "²":
            self.take()
            v = v * v
        return v

    def unary(self):
        if self.peek() in ("-", "−"):
            self.take()
            return -self.unary()
        return self.atom()

    def atom(self):
        tok = self.take()
        if NUMBER.fullmatch(tok):
            return float(tok)
        if tok in FUNCS:
            self.take("(")
            v = self.expr()
            self.take(")")
            return FUNCS[tok](v)
        if tok == "e^{":
            v = self.expr()
            self.take("}")
            return math.exp(v)
        if tok == "[":
            v = self.expr()
            self.take(">")
            self.take("0")
            self.take("]")
            return 1.0 if v > 0 else 0.0
        if tok == "(":
            items = [self.expr()]
            while self.peek() == ",":
                self.take()
                items.append(self.expr())
            self.take(")")
            return items[0] if len(items) == 1 else tuple(items)
        raise SyntaxError(f"unexpected {tok!r} in {self.s!r}")


def unit(s: str) -> float:
    return float(Decimal(1).scaleb(Decimal(s).as_tuple().exponent))


def numeric(part: str) -> bool:
    """Only numbers, operators and the functions: a substituted part (or a result)."""
    rest = re.sub(r"σ|tanh|relu|e\^\{|\d+(?:\.\d+)?(?:e[-+]?\d+)?", "", part)
    return not re.search(r"[^\s\-−+×/(),²\[\]>}]", rest)


def check_line(line: str) -> bool:
    """True if the line has a substituted part; it must add up (asserted)."""
    parts = line.strip().replace(" ← ", " = ", 1).split(" = ")  # w₁₁ ← 0.5 + 0.000177 = 0.500177
    if len(parts) < 3 or not numeric(parts[-1]):
        return False
    subs = [p for p in parts[1:-1] if numeric(p) and any(c.isdigit() for c in p)]
    if not subs:
        return False
    assert len(subs) == 1 and subs[0] == parts[-2], f"one substituted part, before the result: {line}"
    got, shown = Parser(parts[-2]).parse(), Parser(parts[-1]).parse()
    result_texts = [t.strip() for t in parts[-1].strip("()").split(",")]
    got = got if isinstance(got, tuple) else (got,)
    shown = shown if isinstance(shown, tuple) else (shown,)
    assert len(got) == len(shown), line
    for g, s, text in zip(got, shown, result_texts):
        assert abs(g - s) <= unit(text) * (1 + 1e-9) + 1e-15 * abs(s), f"{g!r} ≠ {text}: {line}"
    return True


def test_the_checker_catches_a_line_that_does_not_add_up():
    assert check_line("h = Σ w·x = 0.400152×0.1 + (-0.199543)×0.3 = -0.0198")
    with pytest.raises(AssertionError):
        check_line("h = Σ w·x = 0.4×0.1 + (-0.2)×0.3 = -0.0198")  # the example
    with pytest.raises(AssertionError):
        check_line("error = y − ŷ = 1 − 1 = 0.000493")
    assert Parser("(1 − (-0.785)²)").parse() == pytest.approx(1 - 0.785**2)
    assert Parser("e^{0.2} / (e^{0.2} + e^{-0.1})").parse() == pytest.approx(
        math.exp(0.2) / (math.exp(0.2) + math.exp(-0.1))
    )
    assert not check_line("Σδ^o·a = 0.0603") and not check_line("ΔW = η·δ·a = 8×8 matrix")


def trace(*args) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "bptui.cli", "trace", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert "-0 " not in out.stdout and "-0)" not in out.stdout and "-0," not in out.stdout, "never -0"
    assert "[(" not in out.stdout, "a matrix of values is written entry by entry, substituted"
    return [ln for ln in out.stdout.splitlines() if ln.startswith("    ")]


def checked(lines) -> int:
    return sum(check_line(ln) for ln in lines)


@pytest.mark.parametrize("name", scenario.builtin_names())
def test_every_trace_line_adds_up(name):
    n = checked(trace(name, "--records", "3"))
    n += checked(trace(name, "--epochs", "1", "--records", "2"))
    n += checked(trace(name, "--epochs", "50", "--records", "2"))
    assert n >= 30, f"only {n} substituted lines"


DEEP = """title = "Deeper"
[network]
sizes = [2, 3, 2, 1]
hidden_activation = "{act}"
output_activation = "{out}"
bias = true
[training]
loss = "{loss}"
learning_rate = 0.4
update = "minibatch"
batch_size = 2
regularization = "{reg}"
regularization_rate = 0.01
seed = 3
[data]
x = [[0.5, -0.3], [-0.8, 0.1], [0.2, 0.9], [-0.4, -0.6]]
y = [1, 0, 1, 0]
"""


@pytest.mark.parametrize(
    "act, out, loss, reg",
    [
        ("relu", "sigmoid", "log", "l1"),
        ("tanh", "sigmoid", "mse", "l2"),
        ("sigmoid", "linear", "mse", "none"),
    ],
)
def test_deeper_minibatch_nets_with_a_penalty_add_up(tmp_path, act, out, loss, reg):
    path = tmp_path / "deep.toml"
    path.write_text(DEEP.format(act=act, out=out, loss=loss, reg=reg))
    lines = trace(str(path), "--records", "5")
    n = checked(lines)
    n += checked(trace(str(path), "--epochs", "50", "--records", "3"))
    assert n >= 40
    updates = [ln for ln in lines if "←" in ln and ln.strip().startswith("W3")]
    assert updates, "the minibatch update is traced"
    if reg != "none":
        assert all("η·λ" in ln for ln in updates), "the penalty is in the update line"


def test_softmax_lines_add_up(tmp_path, capsys):
    toml = three_class_toml(tmp_path)
    lines = trace(str(toml), "--records", "3")
    soft = [ln for ln in lines if "e^{z_k}" in ln]
    assert len(soft) == 9 and all(check_line(ln) for ln in soft)
    assert checked(lines) + checked(trace(str(toml), "--epochs", "50", "--records", "2")) >= 40


@pytest.mark.parametrize("name", ["worked-example", "exercise", "admissions", "xor", "relu-intro"])
def test_lesson_lines_add_up(name):
    tr = scenario.load(name).build()
    for r in range(3):
        if tr.update_due():
            tr.step_update()
        st = tr.step_record()
        upd = tr.step_update() if tr.update_due() else None
        n = 0
        for _ms, lines in revealed_lines(tr.net, st, upd, tr.eta, tr.loss.name, tr.reg, tr.reg_rate):
            n += checked(ln.text() for ln in lines)
        assert n >= 8, (name, r, n)


CLAUSE = re.compile(r"[.;:,]\s+(?![-−\d(])|\n")  # a sentence's clauses (not inside 0.1 or (0.4, -0.2))


def narration(name: str) -> list[str]:
    """Every clause a built-in lesson file says, run to its end."""
    les = lessons.load(name)
    r, out = lessonrun.Runner(les, les.build()[1]), []
    while not r.done:
        if r.step.predict is not None:
            r.prompt()
        out += [c.strip().rstrip(".") for c in CLAUSE.split(r.advance())]
    return out


def test_lesson_file_narration_adds_up():
    """worked-example ended on 'W = 0.1 + 0.0302 = 0.130153' (0.1 + 0.0302 = 0.1302)."""
    n = 0
    for name in lessons.builtin_names():
        n += checked(narration(name))
    assert n >= 8, f"only {n} substituted narration lines"
    update = [c for c in narration("worked-example") if c.startswith("W = ")]
    assert len(update) == 1 and check_line(update[0]), update


@pytest.mark.parametrize(
    "name", ["worked-example", "exercise", "admissions", "spiral", "relu-intro", "three"]
)
def test_the_next_records_lines_are_those_of_its_record_lines(name, tmp_path):
    """peek_lines (what the backward panel shows of the next record) is record_lines less the
    hidden forward lines and the steps, computed without them."""
    from bptui.teach.lines import peek_lines, record_lines

    if name == "three":  # softmax: two forward lines for the output
        name = str(three_class_toml(tmp_path))
    tr = scenario.load(name).build()
    tr.run(3)
    nxt = tr.peek()
    keep = [
        ln
        for ln in record_lines(tr.net, nxt, tr.eta, tr.loss.name)
        if ln.section == "backward" or (ln.section == "forward" and ln.layer == tr.net.L - 1)
    ]
    assert peek_lines(tr.net, nxt, tr.loss.name) == keep and len(keep) > 3
