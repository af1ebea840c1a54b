"""Running a lesson file on a Trainer: each step's prompt (asked before its action, its answer
read from the state after it), the action, the narration; the score. The app and the
headless `bptui lesson FILE --answers` share this."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from ..core import files
from ..core.trainer import Trainer
from .lessons import Lesson, LessonError, Predict, Step, interpolate, values
from .notation import num


@dataclass
class Outcome:
    prompt: Predict
    asked: str
    expected: float
    given: str | None  # as typed; None: not answered
    right: bool
    tolerance: float

    def verdict(self) -> str:
        if self.prompt.kind == "sign":
            want = "positive" if self.expected > 0 else "negative" if self.expected < 0 else "zero"
            return (
                f"right: it is {want} ({num(self.expected)})"
                if self.right
                else f"wrong: it is {want} ({num(self.expected)})"
            )
        it = num(self.expected, 6)
        return (
            f"right: it is {it}"
            if self.right
            else f"wrong: it is {it} (±{num(self.tolerance)} counts as right)"
        )


class Runner:
    def __init__(self, lesson: Lesson, tr: Trainer):
        self.lesson, self.tr = lesson, tr
        self.n = 0  # steps done
        self.outcomes: list[Outcome] = []
        self._asked: tuple | None = None  # (step index, question, answer) of the prompt asked

    @property
    def done(self) -> bool:
        return self.n >= len(self.lesson.steps)

    @property
    def step(self) -> Step | None:
        return None if self.done else self.lesson.steps[self.n]

    def prompt(self) -> tuple[str, float] | None:
        """The next step's question (interpolated now, before its action) and its answer (the
        state after the action, which is then undone); None when it asks nothing."""
        st = self.step
        if st is None or st.predict is None:
            return None
        if self._asked is not None and self._asked[0] == self.n:
            return self._asked[1:]
        tr = self.tr
        before = values(tr)
        ask = self._text(st.predict.ask, before, "predict.ask")
        W0, state, eta = list(tr.net.W), (tr.epoch, tr.i, tr.k), tr.eta

        def moved():
            return any(a is not b for a, b in zip(tr.net.W, W0)) or (tr.epoch, tr.i, tr.k) != state

        self._act(st)
        expected = self._eval(st, lambda env: st.predict.answer.value(env), "predict.answer", before)
        while moved() and tr.back():
            pass
        tr.eta = eta
        if moved():
            raise LessonError(
                f"{self._where()}: the action cannot be undone to ask first (too many steps kept)"
            )
        self._asked = (self.n, ask, expected)
        return ask, expected

    def answer(self, given: str | None) -> Outcome:
        """Check an answer to the next step's prompt; the step is not taken yet."""
        p = self.step.predict
        ask, expected = self.prompt()
        tol = p.tolerance if p.tolerance is not None else max(1e-12, 0.01 * abs(expected))
        right = given is not None and _check(p.kind, given, expected, tol)
        out = Outcome(p, ask, expected, given, right, tol)
        self.outcomes.append(out)
        return out

    def advance(self) -> str:
        """Take the next step's action; returns its narration."""
        st = self.step
        before = values(self.tr)
        self._act(st)
        self.n += 1
        return self._eval(st, lambda env: interpolate(st.say, env), "say", before) if st.say else ""

    def score(self) -> tuple[int, int]:
        return sum(o.right for o in self.outcomes), len(self.lesson.prompts)

    # ---- internals ---------------------------------------------------------------------------
    def _act(self, st: Step) -> None:
        tr = self.tr
        if st.eta is not None:
            tr.eta = st.eta
        if st.do == "record":
            for _ in range(st.count):
                tr.step_record()
        elif st.do == "update":
            tr.step_update()
        elif st.do == "epoch":
            for _ in range(st.count):
                tr.step_epoch()
        elif st.do == "run":
            tr.run(max(0, st.to_epoch - tr.epoch))
        elif st.do == "reset":
            eta = tr.eta
            tr.reset()
            tr.eta = eta

    def _where(self) -> str:
        return f"{self.lesson.path or self.lesson.name}: step {self.step.n}"

    def _text(self, text: str, env: dict, key: str) -> str:
        try:
            return interpolate(text, env)
        except LessonError as exc:
            raise LessonError(f"{self._where()}: {key}: {exc}") from None

    def _eval(self, st: Step, f, key: str, before: dict):
        """f of the values now, with those before the action as before_NAME."""
        env = values(self.tr)
        env.update({f"before_{k}": v for k, v in before.items()})
        try:
            return f(env)
        except LessonError as exc:
            raise LessonError(f"{self.lesson.path or self.lesson.name}: step {st.n}: {key}: {exc}") from None


SIGNS = {"+": 1, "positive": 1, "pos": 1, "-": -1, "−": -1, "negative": -1, "neg": -1, "0": 0, "zero": 0}


def read(kind: str, given: str, expected: float) -> float | None:
    """The answer as a number (a sign question: +1, -1 or 0); None: it cannot be read. "97%"
    reads as 0.97 where the answer is a fraction (|answer| ≤ 1), else not at all."""
    g = str(given).strip().lower()
    if kind == "sign" and g in SIGNS:
        return SIGNS[g]
    if g.endswith("%"):
        v = parse_number(g[:-1]) if abs(expected) <= 1 else None
        v = None if v is None else v / 100
    else:
        v = parse_number(g)
    return v if kind != "sign" or v is None else (v > 0) - (v < 0)


def unreadable(kind: str, given: str, expected: float) -> str:
    """Why `given` is no answer (a hint to the learner), or "" when it can be read."""
    if read(kind, given, expected) is not None:
        return ""
    if kind == "sign":
        return f"'{given}' is not a sign: type + or − (or positive, negative, zero), then enter."
    if given.strip().endswith("%"):
        return f"'{given}': the answer is not a fraction; type the number without %, then enter."
    return f"'{given}' is not a number: type one, e.g. 0.12 or -3.5e-4, then enter."


def _check(kind: str, given: str, expected: float, tol: float) -> bool:
    v = read(kind, given, expected)
    if kind == "sign":
        return v is not None and v == (expected > 0) - (expected < 0)
    return v is not None and abs(v - expected) <= tol


def parse_number(text: str) -> float | None:
    try:
        v = float(str(text).strip().replace("−", "-").replace("×10^", "e"))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


# ---- headless: answers from a file, a transcript on stdout --------------------------------------
def load_answers(path: str, lesson: Lesson) -> dict[str, str]:
    """ANSWERS.json: a list (in prompt order) or an object {prompt id: answer}."""
    text = files.read_text(path, "answers .json file", error=LessonError)
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise LessonError(f"{path}: not JSON: {exc}") from None
    ids = [p.id for p in lesson.prompts]
    if isinstance(doc, list):
        if len(doc) > len(ids):
            raise LessonError(f"{path}: {len(doc)} answers for {len(ids)} prompts")
        doc = dict(zip(ids, doc))
    if not isinstance(doc, dict):
        raise LessonError(f"{path}: expected a list of answers or an object {{prompt id: answer}}")
    for k, v in doc.items():
        if k not in ids:
            raise LessonError(f"{path}: '{k}' is not a prompt id of the lesson (ids: {', '.join(ids)})")
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise LessonError(f'{path}: {k}: an answer is a number or a string like "+"')
    return {k: str(v) for k, v in doc.items()}


def run_headless(lesson: Lesson, tr: Trainer, answers: dict[str, str], out) -> tuple[int, int]:
    """Every step in order: the prompt, the answer given, right or wrong (and the hint), then
    the narration. Returns the score."""
    r = Runner(lesson, tr)
    print(f"Lesson: {lesson.title} · scenario {lesson.scenario_name} · {len(lesson.steps)} steps, "
          f"{len(lesson.prompts)} prompts", file=out)  # fmt: skip
    while not r.done:
        st = r.step
        print(f"\nStep {st.n}" + ("" if st.do == "none" else f" · {_action(st)}"), file=out)
        if st.predict is not None:
            o = r.answer(answers.get(st.predict.id))
            print(f"  ? {o.asked}", file=out)
            print(f"    answer: {o.given if o.given is not None else '(none)'} · {o.verdict()}", file=out)
            if not o.right and st.predict.hint:
                print(f"    hint: {st.predict.hint}", file=out)
        say = r.advance()
        for line in say.splitlines() or []:
            print(f"  {line}", file=out)
    right, total = r.score()
    missed = [o.prompt.id for o in r.outcomes if not o.right]
    print(f"\nScore: {right} of {total}" + (f" (missed: {', '.join(missed)})" if missed else ""), file=out)
    return right, total


def _action(st: Step) -> str:
    eta = f"η = {num(st.eta, 12)}, " if st.eta is not None else ""
    if st.do == "run":
        return f"{eta}run to epoch {st.to_epoch}"
    if st.do in ("record", "epoch"):
        return f"{eta}{st.count} {st.do}s" if st.count > 1 else f"{eta}one {st.do}"
    return f"{eta}{st.do}"
