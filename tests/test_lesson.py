"""Lesson mode: the worked example in micro-steps, each revealed with its sentence."""

import re

import pytest

from bptui.cli import main
from bptui.teach.lesson import STEPS
from bptui.teach.notation import value_prefix
from bptui.tui.app import BptuiApp
from bptui.tui.widgets.backward import BackwardView
from bptui.tui.widgets.network import NetworkView

BIG = (120, 40)
REVEALS = [
    ("h", "h = Σ w·x = 0.4×0.1 + (-0.2)×0.3 = -0.02"),
    ("a", "a = σ(h) = σ(-0.02) = 0.495"),
    ("ŷ", "ŷ = σ(W·a) = σ(0.1×0.495) = 0.512"),
    ("error", "error = y − ŷ = 1 − 0.512 = 0.488"),
    ("δ^o", "(1 − 0.512) × 0.512 × (1 − 0.512) = 0.122"),
    ("δ^h", "0.1 × 0.122 × 0.495 × (1 − 0.495) = 0.00305"),
    ("ΔW", "ΔW = η·δ^o·a = 0.5 × 0.122 × 0.495 = 0.0302"),
    ("Δw", "(0.000152, 0.000457)"),
    ("update", "W ← W + η·Σδ^o·a/1 = W + ΔW = 0.1 + 0.0301535 = 0.130153"),
]


async def test_every_micro_step_reveals_its_line_and_sentence():
    app = BptuiApp("worked-example", lesson=True)
    async with app.run_test(size=BIG) as pilot:
        bv, nv = app.main.query_one(BackwardView), app.main.query_one(NetworkView)
        assert app.main.lesson.k == 0 and "Lesson mode" in bv.text.plain
        assert nv._prev["h0,0"] == "·" and nv._prev["a1,0"] == "·", "nothing revealed yet"
        for k, ((name, line), ms) in enumerate(zip(REVEALS, STEPS), start=1):
            await pilot.press("n")
            plain = re.sub(r"\s+", " ", bv.text.plain)
            assert f"step {k} of 9: {name}" in plain
            assert line in plain, (name, line)
            assert ms.sentence[:40] in plain, name
            assert nv.focus == tuple(value_prefix(r) for r in ms.uses)
        assert app.tr.epoch == 1, "the update micro-step applied the update (sgd)"
        for k in range(9, 0, -1):  # back through every micro-step
            await pilot.press("b")
            assert app.main.lesson.k == k - 1
        assert app.tr.epoch == 0 and app.tr.k == 0 and app.tr.last is None
        await pilot.press("l")
        assert app.main.lesson is None and nv.conceal == ()


async def test_values_are_revealed_step_by_step():
    app = BptuiApp("worked-example", lesson=True)
    async with app.run_test(size=BIG) as pilot:
        nv = app.main.query_one(NetworkView)
        await pilot.press("n")
        assert nv._prev["h0,0"] == "-0.02" and nv._prev["a0,0"] == "·"
        await pilot.press("n")
        assert nv._prev["a0,0"] == "0.495" and nv._prev["a1,0"] == "·"
        await pilot.press("n")
        assert nv._prev["a1,0"] == "0.512"


async def test_lesson_in_batch_mode_explains_the_waiting_update():
    app = BptuiApp("admissions", lesson=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press(*["n"] * 9)
        assert "Σδa keeps accumulating" in app.main.query_one(BackwardView).text.plain
        assert app.tr.epoch == 0 and app.tr.k == 1
        await pilot.press("n")  # the next record
        assert app.main.lesson.k == 1 and app.tr.k == 2


async def test_l_toggles_and_training_keys_are_off_in_the_lesson():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("l", "n", "n")
        assert app.main.lesson.k == 2
        await pilot.press("e")  # a guided path: e would leave it; it says so instead
        assert app.main.lesson.k == 2 and app.tr.epoch == 0
        assert any("e: not in a lesson (l leaves it)" in n.message for n in app._notifications)
        await pilot.press("l", "e")
        assert app.main.lesson is None and app.tr.epoch == 1


async def test_lesson_needs_one_hidden_layer():
    app = BptuiApp("spiral")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("l")
        assert app.main.lesson is None
        assert any("one hidden layer" in n.message for n in app._notifications)


def test_bptui_lesson_refuses_deeper_nets(capsys):
    assert main(["lesson", "spiral"]) == 2
    assert "one hidden layer" in capsys.readouterr().err


@pytest.mark.parametrize("k", range(0, 10))
def test_lesson_snapshots(snap_compare, k):
    assert snap_compare(BptuiApp("worked-example", lesson=True), press=["n"] * k, terminal_size=BIG)
