"""Lessons as files: load, validate, run headless with answers; every built-in runs to its end."""

import io
import json
import re

import pytest

from bptui.cli import main
from bptui.teach import lessonrun, lessons
from bptui.teach.notation import num
from tests.conftest import ROOT


def readme_lesson() -> str:
    """The short lesson the README writes out whole."""
    text = (ROOT / "README.md").read_text()
    part = text[text.index("## Lessons") :]
    return re.search(r"```toml\n(.*?)```", part, flags=re.S).group(1)


@pytest.fixture
def lesson_file(tmp_path):
    p = tmp_path / "short.toml"
    p.write_text(readme_lesson())
    return p


def correct_answers(les) -> dict:
    """The right answer to every prompt, found by running the lesson."""
    r = lessonrun.Runner(les, les.build()[1])
    out = {}
    while not r.done:
        if r.step.predict is not None:
            v = r.prompt()[1]
            out[r.step.predict.id] = ("+" if v > 0 else "-") if r.step.predict.kind == "sign" else num(v, 6)
        r.advance()
    return out


def test_the_readme_lesson_round_trips_right_answers_full_score(lesson_file, tmp_path, capsys):
    les = lessons.load(str(lesson_file))
    assert [s.do for s in les.steps] == ["record", "update"]
    assert [p.id for p in les.prompts] == ["delta_o", "W-sign"]
    ans = tmp_path / "a.json"
    ans.write_text(json.dumps({"delta_o": 0.122, "W-sign": "+"}))
    assert main(["lesson", str(lesson_file), "--answers", str(ans)]) == 0
    out = capsys.readouterr().out
    assert "? x = (0.1, 0.3), w = (0.4, -0.2), W = 0.1, y = 1. What is δ^o?" in out
    assert "answer: 0.122 · right: it is 0.121832" in out
    assert "answer: + · right: it is positive" in out
    assert "ŷ = 0.512, so δ^o = (y − ŷ)·ŷ(1 − ŷ) = 0.122." in out
    assert "W = 0.1 + ΔW = 0.130153." in out
    assert out.rstrip().endswith("Score: 2 of 2")
    assert "hint" not in out


def test_wrong_answers_list_the_misses_and_hints(lesson_file, tmp_path, capsys):
    ans = tmp_path / "a.json"
    ans.write_text(json.dumps([0.2, "-"]))  # a list: in prompt order
    assert main(["lesson", str(lesson_file), "--answers", str(ans)]) == 0
    out = capsys.readouterr().out
    assert "answer: 0.2 · wrong: it is 0.121832 (±0.001 counts as right)" in out
    assert "hint: ŷ = σ(W·σ(w·x)) = 0.512; then (1 − ŷ)·ŷ·(1 − ŷ)." in out
    assert "answer: - · wrong: it is positive" in out and "hint: ΔW = η·δ^o·a" in out
    assert out.rstrip().endswith("Score: 0 of 2 (missed: delta_o, W-sign)")
    ans.write_text(json.dumps({"W-sign": "positive"}))  # one prompt unanswered
    assert main(["lesson", str(lesson_file), "--answers", str(ans)]) == 0
    out = capsys.readouterr().out
    assert "answer: (none) · wrong" in out and "Score: 1 of 2 (missed: delta_o)" in out


def test_tolerance_is_the_stated_one():
    les = lessons.load(str(lessons.lessons_dir() / "worked-example.toml"))
    r = lessonrun.Runner(les, les.build()[1])
    assert r.step.predict.id == "h" and r.prompt()[1] == pytest.approx(-0.02)
    assert r.answer("-0.0204").right  # within the lesson's ±0.0005
    r.outcomes.clear()
    assert not r.answer("-0.021").right


@pytest.mark.parametrize("name", ["worked-example", "exercise", "admissions", "diamond", "learning-rate"])
def test_every_built_in_lesson_runs_to_its_end_headless(name):
    assert name in lessons.builtin_names()
    les = lessons.load(name)
    out = io.StringIO()
    right, total = lessonrun.run_headless(les, les.build()[1], correct_answers(les), out)
    assert total == len(les.prompts) >= 2 and right == total, out.getvalue()
    text = out.getvalue()
    assert text.count("\nStep ") == len(les.steps) and "{" not in text
    wrong = lessonrun.run_headless(les, les.build()[1], {}, io.StringIO())
    assert wrong == (0, total)


def test_built_in_lessons_say_the_seeds_numbers():
    out = io.StringIO()
    les = lessons.load("admissions")
    lessonrun.run_headless(les, les.build()[1], {}, out)
    assert "test accuracy 0.725" in out.getvalue()  # seed 000's result after 900 epochs
    out = io.StringIO()
    les = lessons.load("exercise")
    lessonrun.run_headless(les, les.build()[1], {}, out)
    assert "ΔW = η·δ^o·a = (0.00804047, 0.00555918)" in out.getvalue()  # seed 004 prints these
    out = io.StringIO()
    les = lessons.load("learning-rate")
    lessonrun.run_headless(les, les.build()[1], {}, out)
    assert "(diverged = 1)" in out.getvalue()


BAD = [
    ('title = "t"\nscenario = "worked-example"\n', "step: give the steps as [[step]] tables"),
    ('title = "t"\nscenario = "nope"\n[[step]]\n', "scenario: unknown scenario 'nope'"),
    ('title = "t"\nscenario = "worked-example"\ncolour = 1\n[[step]]\n', "colour: unknown key"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\ndo = "jump"\n', "step 1: do: 'jump' is not an action"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\ndo = "run"\n', "step 1: to_epoch: do = \"run\" needs"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\ncount = -1\n', "step 1: count: must be a whole number"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\nsay = "{__import__(\'os\')}"\n',
     "step 1: say: {__import__('os')}: the expression may not use"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\nsay = "{W.real}"\n', "attribute access"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\nhighlight = ["wings"]\n', "step 1: highlight: unknown 'wings'"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\n[step.predict]\nask = "?"\n',
     "step 1: predict.answer: required"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\n[step.predict]\nask = "?"\nanswer = "W"\nkind = "colour"\n',
     "step 1: predict.kind: 'colour' is not a kind"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\ndo = "reset"\n[step.predict]\nask = "?"\nanswer = "W"\n',
     "step 1: predict: a prompt is answered from the state after the action"),
    ('title = "t"\nscenario = "worked-example"\n[[step]]\nsay = "x"\n[[step]\n', "TOML syntax error"),
    ('title = "t"\n[scenario]\ntitle = "s"\n[[step]]\n', "scenario:"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "msg"), BAD)
def test_bad_lesson_files_are_one_line_errors_naming_file_and_key(tmp_path, capsys, text, msg):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    assert main(["lesson", str(p), "--answers", str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(p) in err and msg in err, err
    assert "Traceback" not in err


def test_runtime_errors_name_the_step_and_unknown_names(tmp_path, capsys):
    p = tmp_path / "late.toml"
    p.write_text('title = "t"\nscenario = "worked-example"\n[[step]]\nsay = "δ^o = {delta_o}"\n')
    ans = tmp_path / "a.json"
    ans.write_text("[]")
    assert main(["lesson", str(p), "--answers", str(ans)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{p}: step 1: say: 'delta_o' has no value here" in err
    ans.write_text('{"nope": 1}')
    p.write_text(readme_lesson())
    assert main(["lesson", str(p), "--answers", str(ans)]) == 2
    assert "'nope' is not a prompt id of the lesson (ids: delta_o, W-sign)" in capsys.readouterr().err
    ans.write_text("{not json")
    assert main(["lesson", str(p), "--answers", str(ans)]) == 2
    assert "not JSON" in capsys.readouterr().err


def test_lesson_of_a_scenario_is_lesson_mode_and_answers_need_a_lesson(capsys):
    assert lessons.is_lesson("worked-example") and not lessons.is_lesson("spiral")
    assert main(["lesson", "spiral", "--answers", "x.json"]) == 2
    assert "--answers goes with a lesson file" in capsys.readouterr().err


NUMBER_WORDS = "no one two three four five six seven eight nine ten eleven twelve".split()
_N = r"\b(\d+|" + "|".join(NUMBER_WORDS) + r") "
COUNTED = re.compile(_N + r"(steps?|predictions?|prompts?|questions?)\b", re.I)
ASKED = re.compile(_N + r"(predictions?|prompts?|questions?)\b", re.I)  # ("one step" is a weight's step)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.index(word.lower())


@pytest.mark.parametrize("name", lessons.builtin_names())
def test_a_lessons_size_is_counted_from_its_steps_not_written_by_hand(name):
    """The intro says how many steps and predictions from the lesson itself; no text of a
    built-in lesson writes such a count by hand (worked-example said 'three predictions' while
    its score counted four)."""
    les = lessons.load(name)
    n = len(les.prompts)
    assert les.intro.endswith(f"({len(les.steps)} steps, {n} prediction{'s' if n != 1 else ''})")
    texts = [les.title, les.description] + [st.say for st in les.steps]
    texts += [t for st in les.steps if st.predict for t in (st.predict.ask, st.predict.hint)]
    for text in texts:
        assert not ASKED.search(text or ""), (name, ASKED.search(text).group(0))


def test_the_readmes_lesson_sizes_match_the_lessons():
    text = (ROOT / "README.md").read_text()
    para = text[text.index("Built-in lessons:") :].split("\n\n")[0]
    found = 0
    for name, inside in re.findall(r"`([\w-]+)` \(([^)]*)\)", para):
        les = lessons.load(name)
        for word, what in COUNTED.findall(inside):
            want = len(les.steps) if what.startswith("step") else len(les.prompts)
            assert _count(word) == want, (name, word, what)
            found += 1
    assert found, "the README states some lesson's size"
