"""The screen fits the lesson: what shows without scrolling, keyboard focus, scrolling and
zoom, play that stops at the scenario's epochs, modal screens that pause play. Every check
reads the screen's text (the app's own SVG screenshot), not the widgets' state."""

import re

import pytest
from rich.text import Text
from textual import events

from bptui.teach.lines import pending_lines, record_lines
from bptui.tui.app import BptuiApp
from bptui.tui.screens.help import HelpScreen
from bptui.tui.screens.panels import PANELS
from bptui.tui.widgets.backward import BackwardView
from bptui.tui.widgets.network import NetworkView

from .test_app import screen_text, until

BIG = (120, 40)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", ["exercise", "worked-example", "admissions"])
async def test_the_whole_backward_pass_shows_at_120x40_after_n(name):
    """Both layers' weight steps and every pending sum and step, read off the screen."""
    app = BptuiApp(name)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n")
        await pilot.pause()
        text, tr = screen_text(app), app.tr
        steps = [ln for ln in record_lines(tr.net, tr.last, tr.eta, tr.loss.name) if ln.section == "steps"]
        assert {ln.layer for ln in steps} == {0, 1}, "both weight layers"
        assert "Pending update" in text
        tail = text[text.index("Pending update") :]
        for lines, where in ((steps, text), (pending_lines(tr.net, tr.dW, tr.db, tr.k, tr.eta), tail)):
            for ln in lines:
                assert ln.label in where, (name, ln.label)
                for v in NUMBER.findall(ln.value):
                    assert v in where, (name, ln.label, v)
        assert app.main.query_one("#backward-panel").max_scroll_y == 0


def _last_line(view) -> str:
    lines = [s.text for s in view.lines(view.size.width) if s.text.strip()]
    return _squeeze(lines[-1])


@pytest.mark.parametrize("name", ["exercise", "worked-example", "admissions", "diamond"])
async def test_each_tab_at_80x24_shows_its_whole_panel_or_scrolls_to_its_end_by_keys(name):
    app = BptuiApp(name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        for key, (tab, sel) in zip("1234", PANELS.items()):
            await pilot.press(key, "end")
            await pilot.pause(0.3)
            panel = app.main.query_one(sel)
            assert app.main.focused is panel and panel.region.height > 0, tab
            assert panel.scroll_y == panel.max_scroll_y, (name, tab, "end reaches the end")
            text = _squeeze(screen_text(app))
            if tab == "plots":
                for plot in panel.children:
                    title = Text.from_markup(plot.border_title).plain
                    assert _squeeze(title) in text and "…" not in title, (name, title)
                assert "━train" in text
                continue
            views = [v for v in panel.children if v.display]
            assert _last_line(views[-1]) in text, (name, tab, _last_line(views[-1]))


async def _key_as_a_terminal_sends_it(app, pilot, key: str) -> None:
    """The key posted as a terminal would (pilot.press waits for a scroll's animation to end;
    a person does not), then a short moment: a scroll by keys must be there at once."""
    app.post_message(events.Key(key, None))
    await pilot.pause(0.15)


@pytest.mark.parametrize("name, epochs", [("diamond", 0), ("spiral", 0), ("diamond", 300)])
async def test_one_end_shows_the_backward_pass_last_line_and_home_its_first(name, epochs):
    """diamond after 300 epochs: the text before `n` was a line taller at the panel's width
    than where it was measured, and the panel kept the old height (End a line short)."""
    app = BptuiApp(name, epochs=epochs)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n", "2")
        view = app.main.query_one(BackwardView)
        first = _squeeze(view.lines(view.size.width)[0].text)
        assert _last_line(view) not in _squeeze(screen_text(app)), "below the fold before End"
        await _key_as_a_terminal_sends_it(app, pilot, "end")
        assert _last_line(view) in _squeeze(screen_text(app)), (name, _last_line(view))
        await _key_as_a_terminal_sends_it(app, pilot, "home")
        assert first in _squeeze(screen_text(app))
        panel = app.main.query_one("#backward-panel")
        for _ in range(panel.max_scroll_y // panel.scrollable_content_region.height + 1):
            await _key_as_a_terminal_sends_it(app, pilot, "pagedown")
        assert _last_line(view) in _squeeze(screen_text(app)), "page down reaches the end"


SVG_TEXT = re.compile(r'<text [^>]*x="([\d.]+)"[^>]*line-(\d+)\)">([^<]*)</text>')


def screen_rows(app) -> list[str]:
    """What the terminal shows, row by row with each character in its column (from the
    app's own SVG screenshot: a text run's x is its column times 12.2)."""
    import html

    w, h = app.size
    rows = [[" "] * w for _ in range(h)]
    for x, line, run in SVG_TEXT.findall(app.export_screenshot()):
        col = round(float(x) / 12.2)
        for k, ch in enumerate(html.unescape(run).replace("\xa0", " ")):
            if col + k < w:
                rows[int(line)][col + k] = ch
    return ["".join(r) for r in rows]


def _panel_rows(app, sel: str) -> list[str]:
    """The rows of a panel's content as the screen shows them (inside its border)."""
    r = app.main.query_one(sel).region
    return [row[r.x + 1 : r.right - 1] for row in screen_rows(app)[r.y + 1 : r.bottom - 1]]


CONTINUED = re.compile(r"^ *[=+−×(\d-]")  # a row that goes on with a formula's next part


async def test_new_content_opens_at_its_top_and_wrapped_formulas_keep_their_indent(tmp_path):
    from .test_plots import _three_class

    app = BptuiApp(_three_class(tmp_path))
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n", "2", "end")
        await pilot.pause()
        assert "Forward pass" not in screen_text(app)
        await pilot.press("e")  # another step's text: from its top
        await pilot.pause()
        assert _panel_rows(app, "#backward-panel")[0].startswith(" Epoch 1 finished")
        await pilot.press("end")
        await pilot.pause()
        rows = _panel_rows(app, "#backward-panel")
        assert any("δ^h" in row for row in rows)
        for row in rows:
            if CONTINUED.match(row):
                assert row.startswith(" " * 5), row  # padding 1 + INDENT 4
        await pilot.press("n")  # a record after the epoch: from its top again
        await pilot.pause()
        assert _panel_rows(app, "#backward-panel")[0].startswith(" Forward pass")


async def test_play_keeps_the_place_in_the_backward_pass():
    """While playing, each frame's text is an epoch again: the reader's place stays."""
    app = BptuiApp("diamond")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("e", "2", "end")
        await pilot.pause()
        assert not _panel_rows(app, "#backward-panel")[0].startswith(" Epoch 1 finished")
        app.post_message(events.Key("space", " "))
        await until(pilot, lambda: app.tr.epoch >= 4)
        await _key_as_a_terminal_sends_it(app, pilot, "space")
        assert not _panel_rows(app, "#backward-panel")[0].lstrip().startswith("Epoch")


@pytest.mark.parametrize("name", ["diamond", "three-class"])
async def test_2d_at_120x40_shows_the_error_and_the_deltas_after_n(name, tmp_path):
    """The backward pass beside the boundary is short: its first screen has the error and
    the δ-terms (the forward pass as values, the drawing has them too); z shows every sum."""
    from .test_plots import _three_class

    app = BptuiApp(_three_class(tmp_path) if name == "three-class" else name)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n")
        await pilot.pause()
        shown = _squeeze("".join(_panel_rows(app, "#backward-panel")))
        tr = app.tr
        lines = record_lines(tr.net, tr.last, tr.eta, tr.loss.name)
        wanted = [ln for ln in lines if ln.section == "backward"]
        if name == "three-class":  # three outputs: their errors on the first screen (δ^o₃ on
            wanted = [ln for ln in wanted if ln.label.startswith("error")]  # the 15th row)
        for ln in wanted + [ln for ln in lines if ln.section == "forward"]:
            assert _squeeze(f"{ln.label} = ") in shown and ln.value in shown, (name, ln.label, ln.value)
        h1 = next(ln for ln in lines if ln.section == "forward")
        assert _squeeze(h1.numbers) not in _squeeze(screen_text(app)), "the sums: under z"
        await pilot.press("2", "z")
        await pilot.pause()
        assert _squeeze(h1.numbers) in _squeeze(screen_text(app)), "z: every sum"


async def test_worked_example_keeps_its_sums_on_a_small_screen():
    app = BptuiApp("worked-example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2")
        await pilot.pause()
        assert "0.4×0.1+(-0.2)×0.3" in _squeeze(screen_text(app))


async def test_exercise_shows_both_layers_weight_steps_without_scrolling():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        assert "ΔW" in text and "(0.00804, 0.00556)" in text, "hidden → output steps"
        assert "Δw" in text, "input → hidden steps"
        for a, b in (
            ("1.77e-4", "0.000177"),
            ("-5.11e-4", "-0.000511"),
            ("-7.08e-5", "-7.08e-5"),
            ("2.04e-4", "0.000204"),
        ):
            assert a in text or b in text, a
        assert "Pending update" in text


async def test_worked_example_shows_its_pending_update_without_scrolling():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        assert "Pending update" in text and "(0.000152, 0.000457)" in text
        assert "ΔW =" in text and "Δw =" in text


async def test_keys_focus_the_panels_and_scroll_the_focused_one():
    app = BptuiApp("admissions")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2")
        panel = app.main.query_one("#backward-panel")
        assert app.main.focused is panel
        assert "Pending update" not in screen_text(app), "below the fold at 80×24"
        await pilot.press("end")
        await pilot.pause(0.3)
        assert panel.scroll_y == panel.max_scroll_y > 0
        assert "Pending update" in screen_text(app)
        await pilot.press("home")
        await pilot.pause(0.3)
        assert panel.scroll_y == 0 and "Forward pass" in screen_text(app)
        await pilot.press("pagedown")
        await pilot.pause(0.3)
        assert panel.scroll_y > 0
        await pilot.press("tab")  # the next panel: the record, on its own tab
        assert app.main.focused is app.main.query_one("#record-panel")
        assert "record 1 of 360" in screen_text(app)
        await pilot.press("shift+tab", "shift+tab")
        assert app.main.focused is app.main.query_one("#network-panel")


async def test_tab_moves_focus_on_a_wide_screen_too():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(app.main.focused.id)
        assert seen == ["network-panel", "backward-panel", "record-panel", "plots"]
        assert all(app.main.query_one(f"#{p}").display for p in seen), "all still shown"


async def test_z_zooms_the_focused_panel_and_back():
    app = BptuiApp("diamond")  # 2-D data: the boundary and the plots take the room
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n", "2")
        assert "Pending update" not in screen_text(app)
        await pilot.press("z")
        panel = app.main.query_one("#backward-panel")
        assert app.main.maximized is panel and panel.size.width > 110
        await pilot.press("end")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Pending update" in text and "Network" not in text
        await pilot.press("z")
        assert app.main.maximized is None and "Network" in screen_text(app)


async def test_reset_draws_the_network_as_at_start():
    for name in ("admissions", "exercise", "diamond"):
        app = BptuiApp(name)
        async with app.run_test(size=BIG) as pilot:
            nv = app.main.query_one(NetworkView)
            start = [s.text for s in nv.lines(nv.size.width)]
            await pilot.press("e", "e", "n", "r")
            await pilot.pause()
            assert [s.text for s in nv.lines(nv.size.width)] == start, name


async def test_play_stops_at_the_scenarios_epochs_and_space_plays_on():
    app = BptuiApp("xor")  # 300 epochs
    async with app.run_test(size=BIG) as pilot:
        assert "10 epochs/s" in screen_text(app), "the speed shows while paused"
        app.main.set_speed(3)
        await pilot.press("space")
        await until(pilot, lambda: not app.main.player.playing)
        assert app.tr.epoch == 300
        done = "Epoch 300: the scenario's epochs are done. Press space to keep training."
        assert any(n.message == done for n in app._notifications), "the notice says how to go on"
        assert "paused" in screen_text(app)
        await pilot.press("space")
        await until(pilot, lambda: app.tr.epoch > 300)
        await pilot.press("space")
        assert not app.main.player.playing


async def test_help_and_other_modal_screens_pause_play():
    app = BptuiApp("diamond")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("space")
        assert app.main.player.playing
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and not app.main.player.playing
        e = app.tr.epoch
        await pilot.pause(0.3)
        assert app.tr.epoch == e, "no training behind the help"
        await pilot.press("escape", "space", "comma")
        assert not app.main.player.playing


async def test_notices_do_not_pile_up():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("plus", "plus", "minus", "u", "b")
        await pilot.pause()
        assert len(app._notifications) == 1


async def test_lesson_mode_shows_in_the_header_and_key_bar_and_draws_the_narrated_step():
    app = BptuiApp("worked-example", lesson=True)
    async with app.run_test(size=BIG) as pilot:
        assert "lesson 0/9" in screen_text(app) and "n next step" in screen_text(app)
        await pilot.press(*["n"] * 9)
        await pilot.pause()
        text = screen_text(app)
        assert "lesson 9/9" in text and "0.130153" in text
        drawn = "".join(s.text for s in app.main.query_one(NetworkView).lines(200))
        assert "0.512" in drawn and "0.516" not in drawn, "the narrated record's ŷ, not the next one's"
        await pilot.press("l")
        header = next(row for row in screen_text(app).splitlines() if "paused" in row)
        assert "lesson" not in header and "n record" in screen_text(app)


async def test_j_jumps_to_record_k_and_back():
    from bptui.tui.screens.jump import JumpScreen

    app = BptuiApp("admissions")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("j")
        assert isinstance(app.screen, JumpScreen) and app.screen.focused.id == "jump-to"
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert app.tr.i == 12 and app.tr.last.position == 12
        assert "record 12 of 360" in screen_text(app)
        app.main.jump_to(5)  # back within the epoch
        assert app.tr.i == 5 and app.tr.last.position == 5 and app.tr.k == 5
        await pilot.press("j", "0", "enter")
        assert isinstance(app.screen, JumpScreen), "0 is no record: the screen says so and stays"
        await pilot.press("escape")
        assert app.tr.i == 5


async def test_lesson_update_step_says_the_drawn_values_are_from_before_the_update():
    """Step 9 draws the new weights beside the forward pass that led to them (ŷ 0.512 with
    W 0.130, so z ≠ W·a on screen): a line under the drawing says which is which."""
    caption = "new weights · h, a, z, ŷ: from before the update"
    app = BptuiApp("worked-example", lesson=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press(*["n"] * 8)
        await pilot.pause()
        assert _squeeze(caption) not in _squeeze(screen_text(app)), (
            "before the update the drawing is all one pass"
        )
        await pilot.press("n")
        await pilot.pause()
        text = _squeeze(screen_text(app))
        assert _squeeze(caption) in text and "W+0.130" in text and "ŷ0.512" in text
        await pilot.press("b")
        await pilot.pause()
        assert _squeeze(caption) not in _squeeze(screen_text(app))


async def test_three_class_csv_at_200x60_shows_its_whole_backward_pass(tmp_path):
    """2-4-3 softmax: 42 lines of backward pass; the boundary goes under the network's
    drawing, so the pass shows down to its pending update without scrolling."""
    from .test_snapshot_sizes import _ref

    app = BptuiApp(_ref("three-class", tmp_path), epochs=30)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        text = _squeeze(screen_text(app))
        bv = app.main.query_one("#backward")
        assert _last_line(bv) in text and "Pendingupdate" in text and "Δb^h₄" in text
        assert app.main.query_one("#backward-panel").max_scroll_y == 0
        assert "Decisionboundary" in text and "━train" in text


@pytest.mark.parametrize("name", ["exercise", "worked-example", "admissions"])
async def test_a_drawing_with_room_to_spare_is_centred_in_its_panel(name):
    """At 80×24 the Network tab is the whole width: the drawing sits in its middle, not
    against the left border with 25 blank columns on the right."""
    app = BptuiApp(name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        nv = app.main.query_one(NetworkView)
        lines = [s.text.rstrip() for s in nv.lines(nv.size.width) if s.text.strip()]
        left = min(len(ln) - len(ln.lstrip()) for ln in lines)
        right = nv.size.width - max(len(ln) for ln in lines)
        assert left >= 6 and abs(left - right) <= 4, (left, right)


async def test_at_80x24_a_step_marks_the_backward_tab_until_it_is_shown():
    """`n` on the Network tab changes little there: the tab bar says where the step went."""
    app = BptuiApp("exercise")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "(new)" not in screen_text(app), "nothing stepped yet"
        await pilot.press("n")
        await pilot.pause()
        assert "2 Backward pass (new)" in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert "(new)" not in screen_text(app) and "2 Backward pass" in screen_text(app)
        await pilot.press("1", "r")
        await pilot.pause()
        assert "(new)" not in screen_text(app), "a reset is no step"


async def test_at_80x24_zoom_keeps_the_header_at_the_top():
    app = BptuiApp("exercise")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "z")
        await pilot.pause()
        assert app.main.maximized is not None
        assert app.main.query_one("#status").region.y == 0
        lines = screen_text(app).splitlines()
        header = next(i for i, ln in enumerate(lines) if "3-2-1 sigmoid" in ln)
        assert header < next(i for i, ln in enumerate(lines) if "Network" in ln)


async def test_a_notice_goes_when_a_modal_screen_opens():
    app = BptuiApp("exercise")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: "Resettothescenario" in _squeeze(screen_text(app)), 5)
        await pilot.press("question_mark")
        await pilot.pause(0.5)
        assert isinstance(app.screen, HelpScreen)
        assert "Resettothescenario" not in _squeeze(screen_text(app)) and len(app._notifications) == 0


async def test_at_80x24_the_first_tab_shows_the_next_panel():
    """Nothing has the keys at start; the Network tab is shown. The first tab shows the
    backward pass (focusing the panel already shown would change nothing on the screen)."""
    app = BptuiApp("worked-example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "tab")
        assert app.main.tab == "backward" and "Backward pass" in screen_text(app)
        await pilot.press("shift+tab")
        assert app.main.tab == "network"
