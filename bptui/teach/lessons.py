"""Lessons as files: a scenario, then steps — an action, narration with values interpolated,
what to highlight, and predict prompts checked with a stated tolerance.

    title = "…"
    scenario = "worked-example"        # a built-in name, or a path next to the lesson
    [[step]]
    do = "record"                      # none | record | update | epoch | run | reset
    count = 1                          # record, epoch: how many
    to_epoch = 900                     # run: train up to this epoch
    eta = 0.5                          # set η before the action
    say = "δ^o = {delta_o}"            # narration; {expression} or {expression:6} (digits)
    highlight = ["W", "delta_o"]       # names of what the screen should point at
    reveal = "delta_o"                 # one-hidden-layer nets: how far the record's lines show
    unit = 1                           # 2-D data: show hidden unit 1 large (0: ŷ again)
    [step.predict]                     # asked BEFORE the action; answered from the state after it
    ask = "What is δ^o for this record?"
    answer = "delta_o"                 # an expression over the values below
    tolerance = 0.001                  # absolute; default 1 % of the answer
    kind = "number"                    # number | sign
    hint = "δ^o = (y − ŷ)·ŷ(1 − ŷ)"

Expressions are parsed by the patterns module's safe evaluator, never eval-ed. Their names
(`values`) are the course's, in ASCII: x1, y, h, a, z, yhat, error, delta_o, delta_h and
each weight by name (w1, w2, W for the worked example; w11 … W2 for the exercise; Wl_ij
for deeper nets), its step on the last record (dw1, dW: η·δ·a), its running sum (sum_w1:
Σδa) and eta, epoch, k, m, loss, accuracy, test_loss, test_accuracy, diverged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core import files, tomlio
from ..core import scenario as scen
from ..core.errors import BptuiError, PatternError
from ..core.patterns import Rule
from ..core.trainer import Trainer
from .notation import Notation, num

ACTIONS = ("none", "record", "update", "epoch", "run", "reset")
KINDS = ("number", "sign")
REVEAL = ("h", "a", "yhat", "error", "delta_o", "delta_h", "dW", "dw", "update")
HIGHLIGHT = ("x", "w", "h", "a", "W", "z", "yhat", "y", "error", "delta_o", "delta_h", "dW", "dw",
             "loss", "accuracy", "boundary", "thumbnails")  # fmt: skip
STEP_KEYS = {"do", "count", "to_epoch", "eta", "say", "highlight", "reveal", "unit", "predict"}
PREDICT_KEYS = {"ask", "answer", "tolerance", "kind", "hint", "id"}
LESSON_KEYS = {"title", "description", "scenario", "step"}
MAX_COUNT = 100_000


class LessonError(BptuiError):
    pass


@dataclass(frozen=True)
class Predict:
    id: str
    ask: str
    answer: Expr
    tolerance: float | None
    kind: str
    hint: str


@dataclass(frozen=True)
class Step:
    n: int  # 1-based
    do: str = "none"
    count: int = 1
    to_epoch: int = 0
    eta: float | None = None
    say: str = ""
    highlight: tuple[str, ...] = ()
    reveal: str | None = None
    unit: int | None = None
    predict: Predict | None = None


@dataclass
class Lesson:
    name: str
    title: str
    description: str
    scenario: str | dict  # a name or path, or a scenario table written inline
    steps: list[Step]
    path: Path | None = None
    prompts: list[Predict] = field(default_factory=list)

    def build(self):
        """(Scenario, Trainer) at the lesson's start."""
        if isinstance(self.scenario, dict):
            sc = scen.from_dict(self.scenario, self.path, self.name)
            sc.text = scen.to_toml(self.scenario)
        else:
            sc = scen.load(self.scenario)
        return sc, sc.build()

    @property
    def intro(self) -> str:
        """The description, then the lesson's size counted from its steps (never written by
        hand, so it cannot disagree with the score)."""
        n = len(self.prompts)
        asks = "no predictions" if n == 0 else f"{n} prediction{'s' if n != 1 else ''}"
        return f"{self.description} ({len(self.steps)} steps, {asks})".strip()

    @property
    def scenario_name(self) -> str:
        return self.scenario.get("title", self.name) if isinstance(self.scenario, dict) else self.scenario


class Expr(Rule):
    """A safe expression over named values (patterns.Rule's checks, other names)."""

    def __init__(self, src: str):
        self.vars = _AnyName()
        super().__init__(src)

    def value(self, env: dict) -> float:
        missing = sorted(_names(self.tree) - set(env) - {"pi", "e"})
        if missing:
            raise LessonError(f"'{missing[0]}' has no value here (known now: {', '.join(sorted(env))})")
        with np.errstate(all="ignore"):
            return float(np.asarray(self._eval(self.tree, env), dtype=float))


class _AnyName:
    """Every identifier passes the parse check; which exist is known only at run time."""

    def __contains__(self, name) -> bool:
        return True


def _names(tree) -> set[str]:
    import ast

    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


# ---- loading -------------------------------------------------------------------------------
def lessons_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "lessons"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in lessons_dir().glob("*.toml"))


def is_lesson(ref: str) -> bool:
    """A built-in lesson's name, or a file with a lesson's keys: `scenario` or [[step]]
    tables (a scenario file has neither)."""
    path = Path(ref)
    if not (path.suffix == ".toml" or path.exists()):
        return (lessons_dir() / f"{ref}.toml").exists()
    try:
        text = files.read_text(path, "lesson .toml file", error=LessonError)
    except LessonError:
        return False
    return (
        re.search(r"^\s*(\[\[\s*step\s*\]\]|\[\s*scenario\s*\]|scenario\s*=)", text, flags=re.M) is not None
    )


def resolve(ref: str) -> Path:
    path = Path(ref)
    if path.suffix == ".toml" or path.exists():
        return path
    p = lessons_dir() / f"{ref}.toml"
    if not p.exists():
        raise LessonError(
            f"unknown lesson '{ref}'; the built-in ones are {', '.join(builtin_names())}, or give a .toml path"
        )
    return p


def load(ref: str) -> Lesson:
    path = resolve(ref)
    _, doc = tomlio.load(path, "lesson .toml file", LessonError)
    return from_dict(doc, path)


def from_dict(doc: dict, path: Path) -> Lesson:
    src = str(path)

    def err(key: str, msg: str) -> LessonError:
        return LessonError(f"{src}: {key}: {msg}")

    for k in doc:
        if k not in LESSON_KEYS:
            raise err(k, f"unknown key; a lesson has {', '.join(sorted(LESSON_KEYS))}")
    if not isinstance(doc.get("title"), str) or not doc["title"].strip():
        raise err("title", "required, a string")
    ref = doc.get("scenario")
    try:
        if isinstance(ref, dict):  # a scenario written inline, as a [scenario] table
            scen.from_dict(ref, path, path.stem).build()
        elif isinstance(ref, str) and ref.strip():
            if ref.endswith(".toml") and not Path(ref).is_absolute():
                ref = str(path.parent / ref)
            scen.resolve(ref)
        else:
            raise err("scenario", "required: a built-in name, a .toml path, or a [scenario] table")
    except LessonError:
        raise
    except BptuiError as exc:
        raise err("scenario", str(exc)) from None
    steps = doc.get("step")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        raise err("step", "give the steps as [[step]] tables (at least one)")
    out = [_step(s, n, err) for n, s in enumerate(steps, 1)]
    desc = doc.get("description", "")
    if not isinstance(desc, str):
        raise err("description", "must be a string")
    lesson = Lesson(path.stem, doc["title"], desc, ref, out, path)
    lesson.prompts = [s.predict for s in out if s.predict]
    ids = [p.id for p in lesson.prompts]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    if dup:
        raise err("step.predict.id", f"'{dup}' is used twice; each prompt needs its own id")
    return lesson


def _step(s: dict, n: int, err) -> Step:
    at = f"step {n}"
    for k in s:
        if k not in STEP_KEYS:
            raise err(f"{at}: {k}", f"unknown key; a step has {', '.join(sorted(STEP_KEYS))}")
    do = s.get("do", "none")
    if do not in ACTIONS:
        raise err(f"{at}: do", f"'{do}' is not an action; choose one of {', '.join(ACTIONS)}")
    count = _int(s.get("count", 1), f"{at}: count", err, 1)
    to_epoch = _int(s.get("to_epoch", 0), f"{at}: to_epoch", err, 0)
    if do == "run" and "to_epoch" not in s:
        raise err(f"{at}: to_epoch", 'do = "run" needs to_epoch = N (the epoch to train up to)')
    eta = s.get("eta")
    if eta is not None and (isinstance(eta, bool) or not isinstance(eta, (int, float)) or not eta > 0):
        raise err(f"{at}: eta", "must be a number > 0")
    say = s.get("say", "")
    if not isinstance(say, str):
        raise err(f"{at}: say", "must be a string")
    _check_text(say, f"{at}: say", err)
    hl = s.get("highlight", [])
    if isinstance(hl, str):
        hl = [hl]
    if not isinstance(hl, list) or any(h not in HIGHLIGHT for h in hl):
        bad = next((h for h in hl if h not in HIGHLIGHT), hl) if isinstance(hl, list) else hl
        raise err(f"{at}: highlight", f"unknown '{bad}'; choose from {', '.join(HIGHLIGHT)}")
    reveal = s.get("reveal")
    if reveal is not None and reveal not in REVEAL:
        raise err(f"{at}: reveal", f"unknown '{reveal}'; choose one of {', '.join(REVEAL)}")
    unit = None if "unit" not in s else _int(s["unit"], f"{at}: unit", err, 0)
    pred = _predict(s["predict"], n, f"{at}: predict", err) if "predict" in s else None
    if pred is not None and do == "reset":
        raise err(
            f"{at}: predict", 'a prompt is answered from the state after the action; do = "reset" has none'
        )
    return Step(
        n, do, count, to_epoch, None if eta is None else float(eta), say, tuple(hl), reveal, unit, pred
    )


def _predict(p, n: int, at: str, err) -> Predict:
    if not isinstance(p, dict):
        raise err(at, "must be a table: [step.predict] with ask and answer")
    for k in p:
        if k not in PREDICT_KEYS:
            raise err(f"{at}.{k}", f"unknown key; a prompt has {', '.join(sorted(PREDICT_KEYS))}")
    for k in ("ask", "answer"):
        if not isinstance(p.get(k), str) or not p[k].strip():
            raise err(f"{at}.{k}", "required, a string")
    try:
        answer = Expr(p["answer"])
    except PatternError as exc:
        raise err(f"{at}.answer", str(exc).replace("the rule", "the expression")) from None
    _check_text(p["ask"], f"{at}.ask", err)
    tol = p.get("tolerance")
    if tol is not None and (isinstance(tol, bool) or not isinstance(tol, (int, float)) or tol < 0):
        raise err(f"{at}.tolerance", "must be a number ≥ 0")
    kind = p.get("kind", "number")
    if kind not in KINDS:
        raise err(f"{at}.kind", f"'{kind}' is not a kind; choose one of {', '.join(KINDS)}")
    hint = p.get("hint", "")
    if not isinstance(hint, str):
        raise err(f"{at}.hint", "must be a string")
    pid = p.get("id", str(n))
    if not isinstance(pid, str) or not pid:
        raise err(f"{at}.id", "must be a non-empty string")
    return Predict(pid, p["ask"], answer, None if tol is None else float(tol), kind, hint)


def _int(v, at: str, err, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= MAX_COUNT:
        raise err(at, f"must be a whole number from {lo} to {MAX_COUNT}, got {v!r}")
    return v


FIELD = re.compile(r"\{([^{}]+)\}")


def _check_text(text: str, at: str, err) -> None:
    for m in FIELD.finditer(text):
        try:
            _field(m.group(1))
        except PatternError as exc:
            raise err(at, f"{{{m.group(1)}}}: {str(exc).replace('the rule', 'the expression')}") from None


def _field(src: str) -> tuple[Expr, int]:
    expr, _, digits = src.partition(":")
    if digits and not digits.strip().isdigit():
        raise PatternError(f"after ':' give the significant digits (e.g. {{{expr}:6}}), not '{digits}'")
    return Expr(expr), int(digits) if digits else 3


def interpolate(text: str, env: dict) -> str:
    """Replace each {expression} with its value in the project's number format."""
    return FIELD.sub(lambda m: num(_field(m.group(1))[0].value(env), _field(m.group(1))[1]), text)


# ---- the values a lesson can name -------------------------------------------------------------
def ascii_name(name: str) -> str:
    """The notation's name in ASCII, for expressions: w₁₂ → w12, W2₁₃ → W2_13, b^h₁ → bh1,
    w₁₀,₂ → w10_2."""
    plain = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
    out = re.sub(r"(?<=[0-9])(?=[₀-₉])", "_", name)  # a layer digit, then unit indices
    return out.replace(",", "_").replace("^", "").translate(plain)


def values(tr: Trainer) -> dict[str, float]:
    """Every value a lesson expression can name, now."""
    net, env, N = tr.net, {}, Notation(tr.net.sizes)
    env.update(eta=tr.eta, epoch=float(tr.epoch), k=float(tr.k), m=float(tr.m), diverged=float(tr.diverged))
    row = tr.history.last()
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        if row.get(key) is not None:
            env[key.removeprefix("train_")] = row[key]
    for l, W in enumerate(net.W):
        for i, j in np.ndindex(W.shape):
            nm = ascii_name(N.weight(l, i, j))
            env[nm], env["sum_" + nm] = float(W[i, j]), float(tr.dW[l][i, j])
        if net.b is not None:
            for j in range(W.shape[1]):
                nm = ascii_name(N.bias(l, j))
                env[nm] = float(net.b[l][j])
    st = tr.last
    if st is not None and st.kind == "record":
        env.update(_record_values(tr, st))
    return env


def _record_values(tr: Trainer, st) -> dict[str, float]:
    net, t, env = tr.net, st.trace, {}
    L, N = net.L, Notation(net.sizes)

    def unit(kind: str, l: int, j: int) -> str:
        n = net.sizes[l + 1]
        if l == L - 1:
            base = {"h": "z", "a": "yhat", "d": "delta_o"}[kind]
        elif L == 2:
            base = {"h": "h", "a": "a", "d": "delta_h"}[kind]
        else:
            base = {"h": "h", "a": "a", "d": "delta"}[kind] + str(l + 1) + "_"
            return base + str(j + 1)
        return base if n == 1 else base + str(j + 1)

    x = t.a[0][0]
    for i, v in enumerate(x):
        env["x" if len(x) == 1 else f"x{i + 1}"] = float(v)
    y = np.ravel(st.y)
    for j, v in enumerate(y):
        sfx = "" if len(y) == 1 else str(j + 1)
        env["y" + sfx], env["error" + sfx] = float(v), float(v - t.yhat[0, j])
    for l in range(L):
        for j in range(net.sizes[l + 1]):
            env[unit("h", l, j)] = float(t.h[l][0, j])
            env[unit("a", l, j)] = float(t.a[l + 1][0, j])
            env[unit("d", l, j)] = float(t.delta[l][0, j])
        for i, j in np.ndindex(net.W[l].shape):
            env["d" + ascii_name(N.weight(l, i, j))] = float(tr.eta * t.a[l][0, i] * t.delta[l][0, j])
    return env
