"""Pilot tests: every key and palette command of the app, on real scenarios."""

import html
import re
import warnings

import numpy as np
import pytest

from bptui.tui.app import BptuiApp
from bptui.tui.screens.gradcheck import GradCheckScreen
from bptui.tui.screens.help import HelpScreen
from bptui.tui.screens.picker import ScenarioPicker

BIG = (120, 40)


async def until(pilot, cond, seconds: float = 30.0) -> None:
    """Let the app run until `cond()` holds (at most `seconds`)."""
    for _ in range(int(seconds / 0.05)):
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting")


def screen_text(app) -> str:
    """What the terminal shows, as plain text (from the app's own SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_n_shows_the_worked_example_and_u_applies_the_update():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        assert "record 0/1" in screen_text(app)
        await pilot.press("n")
        text = screen_text(app)
        for v in ["0.495", "0.512", "0.122", "0.00305", "0.0302", "(0.000152, 0.000457)", "record 1/1"]:
            assert v in text, v
        assert app.tr.i == 1 and app.tr.k == 1
        await pilot.press("u")
        text = screen_text(app)
        assert "0.130153" in text and "(0.400152, -0.199543)" in text
        assert app.tr.epoch == 1


async def test_u_with_nothing_pending_says_so():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("u")
        assert app.tr.epoch == 0
        assert any("Nothing to apply" in n.message for n in app._notifications)


async def test_n_with_an_update_due_applies_it_first_and_says_so():
    """The worked example updates after every record: a second n applies the due update
    (a step of its own) before the record, and a notice says so instead of doing it silently."""
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n")
        assert not any("applied first" in n.message for n in app._notifications)
        await pilot.press("n")
        assert app.tr.epoch == 1 and app.tr.k == 1
        assert any("applied first" in n.message for n in app._notifications)
        await pilot.press("b")  # back undoes the record, leaving the update
        assert app.tr.epoch == 1 and app.tr.k == 0


async def test_e_finishes_the_epoch():
    app = BptuiApp("admissions")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n", "n", "e")
        assert app.tr.epoch == 1 and app.tr.i == 0
        assert "Epoch 1 finished" in screen_text(app)
        assert len(app.tr.history) == 2


async def test_space_plays_without_blocking_and_pauses():
    app = BptuiApp("xor")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("space")
        assert app.main.player.playing and "running" in screen_text(app)
        await pilot.pause(0.6)
        await pilot.press("space")
        assert not app.main.player.playing and app.main.player._timer is None
        assert app.tr.epoch > 0
        assert "paused" in screen_text(app)


async def test_a_key_pauses_play_at_once():
    app = BptuiApp("diamond")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("space")
        await pilot.pause(0.3)
        await pilot.press("n")
        assert not app.main.player.playing and app.tr.last.kind == "record"


async def test_b_steps_back_through_records_updates_and_epochs():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        W0 = [w.copy() for w in app.tr.net.W]
        await pilot.press("n", "u", "e")
        assert app.tr.epoch == 2
        await pilot.press("b")
        assert app.tr.epoch == 1
        await pilot.press("b")
        assert app.tr.epoch == 0 and app.tr.k == 1
        await pilot.press("b")
        assert app.tr.k == 0 and all(np.array_equal(a, b) for a, b in zip(app.tr.net.W, W0))
        await pilot.press("b")
        assert any("Nothing to step back" in n.message for n in app._notifications)


async def test_r_resets_to_the_same_initial_weights():
    app = BptuiApp("xor")
    async with app.run_test(size=BIG) as pilot:
        W0 = [w.copy() for w in app.tr.net.W]
        await pilot.press("e", "e", "n", "r")
        assert app.tr.epoch == 0 and app.tr.i == 0 and app.tr.last is None
        assert all(np.array_equal(a, b) for a, b in zip(app.tr.net.W, W0))


async def test_plus_and_minus_change_the_learning_rate():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("plus")
        assert app.tr.eta == 1.0 and "η 1 " in screen_text(app)
        await pilot.press("minus")
        assert app.tr.eta == 0.5, "the scenario's own η is a stop between TF's 1 and 0.3"
        await pilot.press("minus", "minus")
        assert app.tr.eta == 0.1, "then TF's list: 0.3, 0.1"


async def test_r_says_when_a_changed_learning_rate_stays():
    """Reset restores the weights, not η (as TF Playground's reset does); its notice says so,
    and names the scenario's η, so the numbers that follow are not silently the handout's."""
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("r")
        assert "η stays" not in list(app._notifications)[-1].message
        await pilot.press("plus", "minus", "minus", "r")
        assert app.tr.eta == 0.3 and app.tr.epoch == 0
        assert "η stays 0.3 (the scenario's: 0.5)" in list(app._notifications)[-1].message


async def test_plus_and_minus_walk_tfs_learning_rate_list():
    """From tf-xor's 0.03, `+` goes through the rest of TF's list and stops at 10; `-` goes
    down to 0.00001 and stops."""
    app = BptuiApp("tf-xor")
    async with app.run_test(size=BIG) as pilot:
        seen = []
        for _ in range(6):
            await pilot.press("plus")
            seen.append(app.tr.eta)
        assert seen == [0.1, 0.3, 1.0, 3.0, 10.0, 10.0]
        assert list(app._notifications)[-1].message == "η = 10 is the largest on the list."
        for _ in range(11):
            await pilot.press("minus")
        assert app.tr.eta == 0.00001
        assert "η 1e-5 " in screen_text(app), "η as the formulas write it, not 1e-05"
        await pilot.press("minus")
        assert list(app._notifications)[-1].message == "η = 1e-5 is the smallest on the list."
        seen = []
        for _ in range(3):
            await pilot.press("plus")
            seen.append(app.tr.eta)
        assert seen == [0.0001, 0.001, 0.003]


async def test_s_cycles_the_speed():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        start = app.main.player.speed
        await pilot.press("s")
        assert app.main.player.speed == (start + 1) % 4
        await pilot.press("s", "s", "s")
        assert app.main.player.speed == start


async def test_g_shows_the_gradient_check():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n", "g")
        assert isinstance(app.screen, GradCheckScreen)
        assert all(c.ok for c in app.screen.checks)
        text = screen_text(app)
        assert "agree: every weight passes" in text and "0.0e+00" not in text
        for name in ("w₁₁", "w₃₂", "W₂"):  # the notation's names
            assert name in text
        assert "½Σ(y − ŷ)²" in text and "mean (y − ŷ)²" in text  # E beside the plotted loss
        await pilot.press("escape")
        assert not isinstance(app.screen, GradCheckScreen)


async def test_o_opens_the_picker_and_switches_scenario():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ScenarioPicker)
        await pilot.press("down", "enter")  # the entry after worked-example: xor
        await pilot.pause()
        assert app.sc.name == "xor" and "XOR" in screen_text(app)
        assert "Decision boundary" in screen_text(app)


async def test_o_escape_keeps_the_scenario():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("o", "escape")
        assert app.sc.name == "exercise" and not isinstance(app.screen, ScenarioPicker)


async def test_question_mark_shows_help():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "step back" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits_with_status_0():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        assert app.return_code is None
        await pilot.press("q")
        assert app.return_code == 0  # set by q itself, before the test harness closes the app
        await pilot.pause()
        assert not app.is_running


async def test_small_terminal_shows_one_panel_at_a_time():
    app = BptuiApp("worked-example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert app.main.compact
        net, back = app.query_one("#network-panel"), app.query_one("#backward-panel")
        assert net.display and not back.display
        await pilot.press("2")
        assert back.display and not net.display
        assert "0.122" in screen_text(app)
        await pilot.press("3")
        assert app.query_one("#record-panel").display
        await pilot.press("4")
        assert app.query_one("#plots").display
        await pilot.press("1")
        assert net.display


async def test_resizing_switches_between_layouts():
    app = BptuiApp("diamond")
    async with app.run_test(size=BIG) as pilot:
        assert not app.main.compact
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert app.main.compact
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert not app.main.compact
        assert app.query_one("#backward-panel").display


async def palette(pilot, query):
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_switches_scenario_resets_and_sets_eta():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await palette(pilot, "Open scenario: diamond")
        assert app.sc.name == "diamond"
        await palette(pilot, "Learning rate: 0.03")
        assert app.tr.eta == 0.03
        await pilot.press("e")
        await palette(pilot, "Reset")
        assert app.tr.epoch == 0
        await palette(pilot, "Speed: 10 epochs")
        assert app.main.player.speed == 1


async def test_divergence_stops_play_and_says_how_to_recover(tmp_path):
    p = tmp_path / "wild.toml"
    p.write_text(
        '[network]\nsizes = [1, 3, 1]\nhidden_activation = "linear"\noutput_activation = "linear"\n'
        "[training]\nlearning_rate = 1e6\nseed = 1\nepochs = 1000\n[data]\nx = [[1.0], [2.0], [3.0]]\ny = [1.0, 2.0, 3.0]\n"
    )
    app = BptuiApp(str(p))
    app.main.player.speed = 3  # max
    async with app.run_test(size=BIG) as pilot:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no NumPy warning may escape
            await pilot.press("space")
            await pilot.pause(0.5)
        assert app.tr.diverged and not app.main.player.playing
        assert "diverged" in screen_text(app)
        assert any("lower η" in n.message for n in app._notifications)
        assert all(np.isfinite(w).all() for w in app.tr.net.W)
        await pilot.press("b")
        assert not app.tr.diverged


async def test_E_runs_to_the_scenarios_epochs_and_stops():
    app = BptuiApp("circle")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("E")
        await until(pilot, lambda: not app.main.player.playing)
        assert not app.main.player.playing and app.tr.epoch == 5000
        assert app.tr.history.last()["train_accuracy"] >= 0.93
        assert any("Ran to the end" in n.message for n in app._notifications)
        await pilot.press("E")
        assert any("Already at epoch 5000" in n.message for n in app._notifications)


async def test_a_key_stops_run_to_end():
    app = BptuiApp("circle")
    async with app.run_test(size=BIG) as pilot:
        app.main.action_run_to_end(10**7)
        await pilot.pause(0.3)
        await pilot.press("space")  # any key stops the run first
        assert app.main.player.target is None
        assert 0 < app.tr.epoch < 10**7


async def test_t_shows_each_hidden_unit_large_then_the_boundary_again():
    from bptui.tui.widgets.boundary import BoundaryView
    from bptui.tui.widgets.network import NetworkView

    app = BptuiApp("diamond", epochs=200)
    async with app.run_test(size=(180, 50)) as pilot:
        assert app.main.query_one(NetworkView).mode == "graph"
        bv = app.main.query_one(BoundaryView)
        for j in range(4):
            await pilot.press("t")
            assert bv.unit == (0, j)
            assert f"Hidden unit h{chr(0x2081 + j)}" in app.main.query_one("#record-panel").border_title
        await pilot.press("t")
        assert bv.unit is None and app.main.query_one("#record-panel").border_title.startswith(
            "Decision boundary"
        )


async def test_thumbnails_show_on_wide_screens_only():
    from bptui.tui.widgets.network import NetworkView

    app = BptuiApp("diamond")
    async with app.run_test(size=(180, 50)) as pilot:
        nv = app.main.query_one(NetworkView)

        def drawn():
            return "".join(s.text for s in nv.lines(nv.size.width))

        assert nv.mode == "graph" and drawn().count("▀") == 4 * 6 * 4  # 4 units, 6 × 4 cells
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert nv.mode == "graph" and drawn().count("▀") == 4 * 6 * 4  # the main size has room
        await pilot.resize_terminal(108, 40)  # the drawing needs 57 columns without them, 64 with
        await pilot.pause()
        assert nv.mode == "graph" and "▀" not in drawn()  # no room: the graph without them


async def test_i_inspects_a_weight():
    from bptui.tui.screens.inspector import WeightInspector

    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n", "i")
        assert isinstance(app.screen, WeightInspector)
        insp = app.screen
        v = insp.values(0)  # w₁: x₁ → h
        assert v["value"] == 0.4 and abs(v["grad"] - (-0.000304551)) < 1e-8
        assert abs(v["pending"] - 0.0003045501) < 1e-9
        text = screen_text(app)
        assert "w₁  x₁ → h" in text and "∂E/∂w₁" in text
        await pilot.press("down", "down")  # W: a → z
        await pilot.pause()
        assert "W  a → ŷ" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("u", "n", "n", "i")
        hist = app.screen.values(2)["history"]  # W over the steps kept for step-back
        assert hist[0] == 0.1 and any(abs(h - 0.130153) < 1e-6 for h in hist)
        assert hist[-1] == app.tr.net.W[1][0, 0] and hist[-1] > 0.16


async def test_settings_rebuild_from_the_seed_or_keep_the_weights():
    from textual.widgets import Button, Checkbox, Input, Select

    from bptui.tui.screens.settings import SettingsScreen

    app = BptuiApp("xor")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("e", "comma")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#hidden", Input).value = "8, 4"
        app.screen.query_one("#activation", Select).value = "relu"
        app.screen.query_one("#f-x1x2", Checkbox).value = True
        app.screen.query_one("#apply", Button).press()
        await pilot.pause()
        await pilot.pause()  # the notification is a message of its own
        assert app.tr.net.sizes == [3, 8, 4, 1] and app.tr.net.hidden.name == "relu"
        assert app.tr.data.feature_names == ["x1", "x2", "x1*x2"] and app.tr.epoch == 0
        await until(pilot, lambda: any("drawn again from seed 7" in n.message for n in app._notifications))
        W = [w.copy() for w in app.tr.net.W]
        await pilot.press("e", "comma")
        app.screen.query_one("#eta", Select).value = 0.03
        app.screen.query_one("#reg", Select).value = "l2"
        app.screen.query_one("#reg-rate", Select).value = 0.01
        app.screen.query_one("#apply", Button).press()
        await pilot.pause()
        assert app.tr.epoch == 1 and app.tr.eta == 0.03 and (app.tr.reg, app.tr.reg_rate) == ("l2", 0.01)
        assert not all(np.array_equal(a, b) for a, b in zip(app.tr.net.W, W)), "trained on, not reset"
        await until(pilot, lambda: any("weights are kept" in n.message for n in app._notifications))
        # the same settings again from scratch give the same start (same seed)
        await pilot.press("comma")
        app.screen.query_one("#hidden", Input).value = "8, 4, 2"
        app.screen.query_one("#apply", Button).press()
        await pilot.pause()
        first = [w.copy() for w in app.tr.net.W]
        await pilot.press("r")
        assert all(np.array_equal(a, b) for a, b in zip(app.tr.net.W, first))
        # a session saved after settings resumes them
        assert "sizes = [3, 8, 4, 2, 1]" in app.sc.text


async def test_settings_reject_bad_input_with_a_message():
    from textual.widgets import Button, Input, Static

    from bptui.tui.screens.settings import SettingsScreen

    app = BptuiApp("diamond")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("comma")
        app.screen.query_one("#hidden", Input).value = "4, 40"
        app.screen.query_one("#apply", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "1 to 16 units" in str(app.screen.query_one("#settings-error", Static).render())
        await pilot.press("escape")
        assert app.tr.net.sizes == [3, 4, 1]


async def test_key_bar_shows_the_keys_and_a_click_presses_one():
    from bptui.tui.widgets.keys import KeyBar

    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        bar = app.query_one(KeyBar)
        rows = screen_text(app).splitlines()
        # compact at 120 columns, where the spaced-out keys would not all fit
        assert any(
            row.startswith("n record u update e epoch space play") and "▏^p palette" in row for row in rows
        )
        await pilot.click(KeyBar, offset=(2, 0))  # " n record "
        assert app.tr.i == 1, "clicking n steps a record"
        await pilot.hover(KeyBar, offset=(12, 0))  # " u update "
        assert bar._hover == "u"
        await pilot.click(KeyBar, offset=(12, 0))
        assert app.tr.epoch == 1, "clicking u applies the update"
        await pilot.click(KeyBar, offset=(bar.size.width - 4, 0))  # "^p palette"
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)


async def test_key_bar_spaces_the_keys_out_when_all_fit():
    app = BptuiApp("worked-example")
    async with app.run_test(size=(200, 50)):
        rows = screen_text(app).splitlines()
        assert any(row.startswith(" n record  u update  e epoch") and "l lesson" in row for row in rows)


async def test_c_shows_the_chain_rule_of_the_picked_weight():
    from bptui.tui.screens.chainrule import ChainRuleScreen

    app = BptuiApp("exercise")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "c")
        assert isinstance(app.screen, ChainRuleScreen)
        text = screen_text(app)
        # w₁₁ on the exercise's record: −δ^h₁·x₁ = −0.000708 × 0.5 (seed 004: δ^h = 0.00070802)
        assert "∂E/∂w₁₁" in text and "the one path: x₁ → h₁ → ŷ → E" in text
        assert "-0.000354011" in text and "They agree" in text
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert "∂E/∂w₂₂" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, ChainRuleScreen)
        # from the inspector: c opens the chain rule of the weight it shows
        await pilot.press("i", "down", "down", "c")
        assert isinstance(app.screen, ChainRuleScreen)
        await pilot.pause()
        assert "∂E/∂w₂₁" in screen_text(app)


async def test_L_shows_the_loss_landscape_and_the_path_moves_as_you_step():
    from bptui.tui.screens.landscape import LandscapeScreen
    from bptui.tui.widgets.landscape import LandscapeView

    app = BptuiApp("worked-example", epochs=5)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LandscapeScreen)
        view = app.screen.query_one(LandscapeView)
        # by default the two weights that moved most: w₂ and W
        assert view.keys == (("W", 0, 1, 0), ("W", 1, 0, 0))
        text = screen_text(app)
        assert "the other weight is held at its current value" in text
        assert view.last.loss_now == app.tr.history.last()["train_loss"]
        n = len(view.last.path)
        await pilot.press("e", "e")
        await pilot.pause()
        assert app.tr.epoch == 7 and len(view.last.path) == n + 2
        assert view.last.now == (app.tr.net.W[0][1, 0], app.tr.net.W[1][0, 0])
        await pilot.press("b")
        await pilot.pause()
        assert len(view.last.path) == n + 1
        await pilot.press("down")  # the x axis: W; the same weight twice is refused
        await pilot.pause()
        assert "Pick two different weights" in screen_text(app)
        await pilot.press("tab", "up")  # the y axis goes to w₂: W across, w₂ up
        await pilot.pause()
        assert view.keys == (("W", 1, 0, 0), ("W", 0, 1, 0))
        await pilot.press("escape")
        assert not isinstance(app.screen, LandscapeScreen)


async def test_a_lesson_file_asks_checks_the_answer_and_scores():
    from bptui.teach import lessons
    from bptui.tui.widgets.lessonpanel import LessonPanel

    les = lessons.load("worked-example")
    app = BptuiApp(loaded=les.build(), lesson_file=les)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        assert app.query_one(LessonPanel)  # step 1 asks about h at once, before the record goes through
        text = screen_text(app)
        assert "? x = (0.1, 0.3) goes in." in text and app.tr.i == 0
        assert "-0.02" not in text  # the answer is not on screen yet
        await pilot.press(*"0.5", "enter")  # wrong
        await pilot.pause()
        text = screen_text(app)
        assert "✗ your answer 0.5: wrong: it is -0.02" in text and "hint: 0.4 × 0.1" in text
        assert app.tr.i == 1 and "score 0 of 4" in text
        for _ in range(4):  # a, ŷ, error, then the δ^o prompt
            await pilot.press("n")
        await pilot.pause()
        assert "What is δ^o" in screen_text(app)
        await pilot.press(*"0.1218", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "✓ your answer 0.1218: right" in text and "score 1 of 4" in text
        await pilot.press("n", "n", "n", "minus", "enter")  # δ^h, ΔW, then the sign prompt: wrong
        await pilot.press("n", *"0.13", "enter")  # the update prompt: right
        await pilot.pause()
        assert app.tr.net.W[1][0, 0] == pytest.approx(0.130153, abs=1e-6)
        await pilot.press("n")
        await pilot.pause()
        assert "End of the lesson. Score: 2 of 4." in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert not app.query(LessonPanel)


async def test_a_lesson_file_step_shows_its_hidden_unit_in_the_boundary_panel():
    """diamond's steps name hidden units 1 to 4, then the output: the boundary panel shows
    each (and its title says which), then ŷ again."""
    from bptui.teach import lessons
    from bptui.tui.widgets.boundary import BoundaryView

    les = lessons.load("diamond")
    app = BptuiApp(loaded=les.build(), lesson_file=les)
    async with app.run_test(size=BIG) as pilot:
        bv, panel = app.query_one(BoundaryView), app.query_one("#record-panel")
        await pilot.press("n", "n", *"0.9", "enter")  # the intro; the accuracy prompt, then 5000 epochs
        await pilot.press("n", "plus", "enter")  # unit 1's sign prompt, then unit 1
        await pilot.pause()
        assert bv.unit == (0, 0) and "unit h₁" in panel.border_title.lower()
        await pilot.press("n")
        await pilot.pause()
        assert bv.unit == (0, 1) and "unit h₂" in panel.border_title.lower()
        await pilot.press("n", "n", "n")  # units 3 and 4, then the output
        await pilot.pause()
        assert bv.unit is None and panel.border_title.startswith("Decision boundary")


async def test_tf_scenario_with_square_loss_and_minus_one_labels_on_screen():
    """tf-xor: the chain rule names TF's ½ square error, the record line marks a -1 record
    right or wrong by ŷ's sign, and the boundary's legend says class -1."""
    from bptui.tui.screens.chainrule import ChainRuleScreen

    app = BptuiApp("tf-xor", epochs=200)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        y, yhat = app.tr.last.y[0, 0], app.tr.last.trace.yhat[0, 0]
        assert y in (-1, 1) and (yhat >= 0) == (y > 0), "trained: the sign is right"
        assert "class -1" in text and f"y {y:g} ŷ " in text and "✓" in text
        await pilot.press("c")
        assert isinstance(app.screen, ChainRuleScreen)
        await pilot.pause()
        assert "E = ½Σ(y − ŷ)²" in screen_text(app) and "They agree" in screen_text(app)
