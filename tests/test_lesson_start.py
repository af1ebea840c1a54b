"""A lesson starts at once: `bptui lesson NAME` opens on the lesson's title, its intro and its
first question (the values it asks for hidden, the answer box taking the keys), or on "press n
to begin" when the first step is an intro. Every check reads the screen's text (the app's own
SVG screenshot) before any key, as the learner sees it."""

import html
import re
from collections import defaultdict

import pytest

from bptui.cli.run import theme
from bptui.teach import lessons
from bptui.tui.app import BptuiApp

from .test_app import screen_text

BIG = (120, 40)


def lesson_app(name: str) -> BptuiApp:
    """As `bptui lesson NAME` builds it (cli/run.py cmd_lesson)."""
    les = lessons.load(name)
    return BptuiApp(loaded=les.build(), lesson_file=les, **theme(None))


def screen_rows(app) -> list[str]:
    """The terminal's rows, top to bottom, as plain text (the SVG's text by its y)."""
    rows = defaultdict(str)
    svg = app.export_screenshot()
    for y, t in re.findall(r'<text class="[^"]*" x="[\d.]+" y="([\d.]+)"[^>]*>(.*?)</text>', svg, flags=re.S):
        rows[float(y)] += html.unescape(t).replace("\xa0", " ")
    return [rows[y] for y in sorted(rows)]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", lessons.builtin_names())
async def test_a_built_in_lesson_opens_on_its_title_intro_and_first_step(name):
    les = lessons.load(name)
    app = lesson_app(name)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        text = screen_text(app)
        head = screen_rows(app)[0]
        asking = les.steps[0].predict is not None  # the header names the step that asks
        assert f"lesson {int(asking)}/{len(les.steps)}" in head, "the header says the lesson is on"
        assert f"Lesson · {les.title}"[:60] in text
        assert _flat(les.description)[:60] in _flat(text)
        keys = screen_rows(app)[-1]
        first = les.steps[0].predict
        if first is None:
            assert "press n to begin" in text
            assert "n next step" in keys and "n record" not in keys
        else:
            assert "enter answer" in keys and "esc leave the box" in keys, keys
            assert "+/-" not in keys and "tab" not in keys and "space" not in keys, "they type into the box"
            question = app.main.file_lesson.question
            assert question and _flat("? " + question)[:60] in _flat(text)
            assert app.focused is not None and app.focused.id == "lesson-answer"


async def test_the_worked_example_asks_h_at_once_with_its_values_hidden_and_takes_the_answer():
    app = lesson_app("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "? x = (0.1, 0.3) goes in. With w₁ = 0.4 and w₂ = -0.2, what is h" in text
        for v in ("-0.02", "0.495", "0.0495", "0.512", "0.488"):  # h, a, z, ŷ, error
            assert v not in text, v
        assert "y, ŷ and the error come later in the lesson" in text
        await pilot.press("escape")  # leaves the box: the screen's keys again
        await pilot.pause()
        assert "n next step" in screen_rows(app)[-1] and app.focused is None
        await pilot.press("n")  # back to the question's box
        await pilot.press("space", "minus", *"0.02", "enter")  # typed straight into the box
        assert not app.main.player.playing, "space went into the box, not to play"
        await pilot.pause()
        text = screen_text(app)
        assert "✓ your answer -0.02: right" in text and "score 1 of 4" in text
        assert "lesson 1/9" in screen_rows(app)[0]
        assert "h = Σ w·x = 0.4×0.1 + (-0.2)×0.3 = -0.02" in text


async def test_leaving_a_lesson_file_gives_the_header_and_keys_back():
    app = lesson_app("diamond")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "paused" in screen_rows(app)[0] and "lesson" not in screen_rows(app)[0]
        assert "n record" in text


async def test_lesson_mode_step_0_keeps_y_and_yhat_back_in_the_record_panel():
    """`l`: the drawing hides ŷ; so does the record panel, as it does from step 1 on."""
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        assert "0.512" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "lesson 0/9" in text and "0.512" not in text and "ŷ now" not in text
        assert "y, ŷ and the error come later in the lesson" in text
        await pilot.press("n")
        await pilot.pause()
        assert "y, ŷ and the error come later in the lesson" in screen_text(app)


@pytest.mark.parametrize("size", [(200, 60), (120, 40)])
async def test_the_panels_end_above_the_lesson_panel(size):
    """The lesson panel takes rows from the bottom; the panels above shrink whole, borders
    and legends kept (at 200x60 the boundary and the plots ran on under it)."""
    app = lesson_app("diamond")
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "n")  # the step that asks: the panel is at its tallest
        await pilot.pause()
        top = app.main.query_one("#lesson-panel").region.y
        for sel in ("#network-panel", "#backward-panel", "#record-panel", "#plots"):
            panel = app.main.query_one(sel)
            assert panel.region.bottom <= top, (sel, panel.region, top)
