"""Cheap frames: the panels' own rendering paths give exactly what Textual's generic ones gave,
an update repaints only the lines that changed, and play never makes the panels jump."""

import asyncio

import numpy as np
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

from bptui.tui.app import BptuiApp
from bptui.tui.canvas import Canvas
from bptui.tui.widgets.plots import HistoryPlot, ansi_lines
from bptui.tui.widgets.stripview import StripView


async def start_playing(app) -> None:
    """Space as a terminal sends it (`pilot.press` waits for an idle that max speed never
    gives), then play on past the scenario's epochs."""
    from textual import events

    app.post_message(events.Key("space", " "))
    for _ in range(2000):
        if app.main.player.playing:
            break
        await asyncio.sleep(0.005)
    app.main.player.target = None


def cells(lines) -> list[list[tuple[str, object, object]]]:
    """Per line, per cell: (character, foreground, background)."""
    out = []
    for line in lines:
        row = []
        for seg in line:
            st = seg.style
            row += [(ch, st and st.color, st and st.bgcolor) for ch in seg.text]
        out.append(row)
    return out


class One(App):
    def compose(self):
        yield StripView()


TEXTS = [
    Text("short\n\n  indented line\nlast", style="bold"),
    Text.assemble(("a long line that the panel has to wrap at its width ", "red"), ("and more", "blue")),
    Text("a line longer than the width is cropped, not wrapped\nnext", no_wrap=True, overflow="crop"),
    Text("centred\ntext", justify="center"),
    Text("tab\there"),
]


async def test_strip_view_renders_text_as_rich_does():
    app = One()
    async with app.run_test(size=(30, 12)):
        v = app.query_one(StripView)
        for text in TEXTS:
            mine = v._render(text, 30)
            rich = app.console.render_lines(text, app.console.options.update_width(30), pad=False)
            assert cells(mine) == cells(rich), text.plain


async def test_an_update_repaints_only_the_lines_that_changed():
    app = One()
    async with app.run_test(size=(30, 12)) as pilot:
        v = app.query_one(StripView)
        v.set_text(Text("one\ntwo\nthree\nfour"))
        await pilot.pause()
        before = v.lines(v.size.width)
        seen = []
        refresh = v.refresh
        v.refresh = lambda *regions, **kw: (seen.append((regions, kw)), refresh(*regions, **kw))[1]
        v.set_text(Text("one\ntwo\nTHREE\nfour"))
        after = v.lines(v.size.width)
        assert [a is b for a, b in zip(before, after)] == [True, True, False, True]
        assert seen == [((Region(0, 2, v.size.width, 1),), {})]
        seen.clear()
        v.set_text(Text("one\ntwo"))  # fewer lines: a layout pass
        assert seen == [((), {"layout": True})]


async def test_a_view_keeps_only_the_last_updates_styles():
    """A picture whose colours change at every update (the boundary while playing) must not
    grow the view's style cache without end."""
    from rich.segment import Segment
    from rich.style import Style

    app = One()
    async with app.run_test(size=(30, 12)) as pilot:
        v = app.query_one(StripView)
        for k in range(50):
            colours = [Style(bgcolor=f"rgb({k},{c},0)") for c in range(20)]
            v.set_segments([[Segment("▀", st) for st in colours]], 20)
            await pilot.pause()
        assert len(v._over) <= 21  # this update's 20 colours (and the widget's own style)
        assert [s.style.bgcolor for s in v.lines(20)[0]] == [st.bgcolor for st in colours]


async def test_held_views_keep_their_height_while_lines_come_and_go():
    app = One()
    async with app.run_test(size=(30, 12)) as pilot:
        v = app.query_one(StripView)
        v.set_text(Text("1\n2\n3\n4"))
        await pilot.pause()
        v.hold = True
        v.set_text(Text("1\n2"))
        await pilot.pause()
        assert v.size.height == 4 and [s.text.strip() for s in v.lines(v.size.width)] == ["1", "2", "", ""]
        v.set_text(Text("1\n2\n3\n4\n5"))  # grows, with room to spare
        await pilot.pause()
        assert v.size.height == 8
        v.hold = False
        v.set_text(Text("1\n2"))
        await pilot.pause()
        assert v.size.height == 2


def test_canvas_joins_lines_where_they_cross():
    cv = Canvas(7, 5)
    cv.box(0, 0, 5, 3)
    cv.hline(2, 6, 1)
    cv.vline(2, 0, 4)
    cv.text(6, 4, "x")
    cv.hline(4, 6, 4)  # never over text
    rows = ["".join(s.text for s in line) for line in cv.segments()]
    assert rows == ["┌─┬─┐  ", "│ ├─┼──", "└─┼─┘  ", "  │    ", "  │ ──x"]


async def test_plot_strips_are_plotexts_output_as_textual_would_draw_it():
    app = BptuiApp("diamond")
    async with app.run_test(size=(120, 40)) as pilot:
        app.tr.run(300)
        app.main.refresh_views(force=True)
        await pilot.pause()
        for wid in ("#loss", "#accuracy"):
            plot = app.main.query_one(wid, HistoryPlot)
            mine = plot.strips(plot.size.width)
            ansi = plot.plt.build()  # the figure `strips` just set up
            console = Console(width=plot.size.width, color_system="truecolor")
            theirs = console.render_lines(Text.from_ansi(ansi), pad=False)[: plot.size.height]
            base = plot.rich_style
            theirs = [Strip(line).apply_style(base) for line in theirs]
            assert cells(mine) == cells(theirs)
            assert len(ansi_lines(ansi)) == len(mine) == plot.size.height
            colours = {c[1] for row in cells(mine) for c in row if c[0] not in " "}
            assert len(colours) >= 2, colours  # the text and the curves


async def test_playing_draws_plots_and_boundary_in_turns_and_panels_every_frame():
    app = BptuiApp("diamond")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m = app.main
        drawn = []
        for name, wid in (("plots", "#loss"), ("board", "#boundary"), ("net", "#network")):
            w = m.query_one(wid)
            show = w.show
            w.show = lambda *a, _show=show, _name=name, **kw: (drawn.append(_name), _show(*a, **kw))[1]
        m.player.speed = 3
        await start_playing(app)
        for _ in range(150):  # (the machine may be busy: frames, not seconds)
            if drawn.count("net") >= 8:
                break
            await pilot.pause(0.1)
        await pilot.press("space")
        assert drawn.count("plots") >= 1 and drawn.count("board") >= 1, drawn
        # between two network updates, the plots or the boundary, never both
        per_frame, cur = [], set()
        for d in drawn:
            if d == "net":
                per_frame.append(cur)
                cur = set()
            else:
                cur.add(d)
        assert all(f != {"plots", "board"} for f in per_frame[1:-1]), per_frame
        assert np.isfinite(app.tr.history.column("train_loss")).all()


async def test_a_key_during_a_training_slice_is_answered_before_the_frame():
    from textual import events

    app = BptuiApp("diamond")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        m, posted, late = app.main, [], []
        on_frame, run = m.player.on_frame, app.tr.run

        def frame():
            late.extend(posted)  # a frame drawn after the key came
            on_frame()

        def slice_run(n):
            out = run(n)
            if app.tr.epoch > 50 and not posted:
                app.post_message(events.Key("space", " "))  # pause, mid-slice
                posted.append(app.tr.epoch)
            return out

        m.player.on_frame, app.tr.run = frame, slice_run
        m.player.speed = 3
        await start_playing(app)
        for _ in range(100):
            if posted and not m.player.playing:
                break
            await pilot.pause(0.05)
        assert posted and not m.player.playing and late == []


async def test_play_keeps_the_heap_it_started_with_out_of_full_garbage_collections():
    import gc

    app = BptuiApp("diamond")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() == 0
        app.main.player.speed = 3
        await start_playing(app)
        assert gc.get_freeze_count() > 10_000  # the app, its screens, the data
        await pilot.press("space")
        assert not app.main.player.playing and gc.get_freeze_count() == 0
        await start_playing(app)
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0  # an app that ends while playing leaves nothing frozen
