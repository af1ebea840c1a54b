"""The main screen: status line, tabs, the panels, the key bar; the step keys and play.

Attributes down: the app hands the screen a scenario and its trainer (`load`); after every
step the screen pushes the trainer into each panel's `show()`. Keys that belong to the
session as a whole (open, save, settings, help, the gradient check, the inspector, quit) are
the app's actions; the screen only binds them. A modal screen on top pauses play.
"""

from __future__ import annotations

import time

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Tab, Tabs

from ...core.scenario import Scenario
from ...core.settings import next_rate
from ...core.trainer import Trainer
from ...teach.notation import eta_text, loss_of, reported_loss
from ..lesson import LessonState
from ..notices import NOTHING_TO_APPLY, UPDATED_FIRST, say, say_diverged
from ..play import Player
from ..widgets.backward import BackwardView
from ..widgets.boundary import BoundaryView
from ..widgets.keys import KeyBar
from ..widgets.network import NetworkView
from ..widgets.plots import HistoryPlot
from ..widgets.record import RecordView
from ..widgets.status import StatusLine
from .layout import grid, network_room
from .lessonkeys import REFUSALS, LessonKeys
from .panels import TABS, Panel, PanelKeys, PlotsPanel

PLOT_EVERY = 0.06  # while playing: seconds between plot redraws (every other frame at 30 a second)
BOARD_EVERY = 0.2  # and between redraws of the boundary with the unit thumbnails


class MainScreen(PanelKeys, LessonKeys, Screen, inherit_bindings=False):
    BINDINGS = [
        Binding("n", "next_record", "record"),
        Binding("n", "lesson_next", "next step"),
        Binding("u", "update", "update"),
        Binding("e", "epoch", "epoch"),
        Binding("space", "play", "play", priority=True),  # (answered while a slice trains)
        Binding("b", "back", "back"),
        Binding("r", "reset", "reset"),
        Binding("question_mark", "app.help", "help"),
        Binding("q", "app.quit", "quit"),
        Binding("plus,equals_sign", "eta_up", "η", key_display="+/-"),
        Binding("minus,underscore", "eta_down", "η down", show=False),
        Binding("s", "speed", "speed"),
        Binding("g", "app.grad_check", "grad check", show=False),
        Binding("o", "app.open", "open", show=False),
        Binding("w", "app.save", "save"),
        Binding("tab", "focus_panel(1)", "panel"),
        Binding("shift+tab", "focus_panel(-1)", "panel", show=False),
        Binding("z", "zoom", "zoom"),
        Binding("l", "lesson", "lesson"),
        Binding("l", "leave_lesson", "leave"),  # (beside "n next step"; 80 columns fit it)
        Binding("t", "show_unit", "unit", show=False),
        Binding("i", "app.inspect", "inspect", show=False),
        Binding("c", "app.chain_rule", "chain rule", show=False),
        Binding("L", "app.landscape", "loss landscape", show=False),
        Binding("comma", "app.settings", "settings", show=False),
        Binding("E", "run_to_end", "run to end", show=False),
        Binding("j", "jump", "jump to record", show=False),
        Binding("ctrl+c,super+c", "screen.copy_text", "copy", show=False),
        Binding("1", "tab('network')", show=False),
        Binding("2", "tab('backward')", show=False),
        Binding("3", "tab('record')", show=False),
        Binding("4", "tab('plots')", show=False),
        *REFUSALS,  # after the keys they stand in for: they answer only in a lesson
    ]
    ALLOW_IN_MAXIMIZED_VIEW = "#status, KeyBar, #lesson-panel"

    def __init__(self, sc: Scenario, tr: Trainer, lesson: bool = False, lesson_file=None) -> None:
        super().__init__()
        self.sc, self.tr = sc, tr
        self.player = Player(self, self.refresh_views, self._play_ended)  # a frame: refresh_views()
        self.lesson: LessonState | None = None
        self._start_lesson = lesson
        self._lesson_file = lesson_file  # a lessons.Lesson to run once mounted
        self.file_lesson = None  # its lessonmode.FileLesson
        self.tab = "network"
        self.compact = False
        self._last_plot = self._last_board = 0.0
        self._plotted = self._boarded = -1  # the epoch the plots (the boundary) last drew
        self._grid = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Tabs(
            Tab("1 Network", id="tab-network"),
            Tab("2 Backward pass", id="tab-backward"),
            Tab("3 Record", id="tab-record"),
            Tab("4 Plots", id="tab-plots"),
            id="tabs",
        )
        with Container(id="main"):
            with Panel(id="network-panel", classes="panel"):
                yield NetworkView(id="network")
            with Panel(id="backward-panel", classes="panel"):
                yield BackwardView(id="backward")
            with Panel(id="record-panel", classes="panel"):
                yield RecordView(id="record")
                yield BoundaryView(id="boundary")
            with PlotsPanel(id="plots"):
                yield HistoryPlot("loss", id="loss", classes="panel")
                yield HistoryPlot("accuracy", id="accuracy", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False  # tab and 1-4 move between the panels
        self.query_one("#network-panel").border_title = "Network"
        self._setup()
        if self._start_lesson:
            self.action_lesson()
        if self._lesson_file is not None:
            from ..lessonmode import FileLesson

            self.file_lesson = FileLesson(self, self._lesson_file)
            self.file_lesson.start()

    # ---- the scenario --------------------------------------------------------------------
    def load(self, sc: Scenario, tr: Trainer) -> None:
        """Show another scenario (or the same one rebuilt): stops play and any lesson."""
        self.player.stop()
        self._leave_lesson(redraw=False)
        self.sc, self.tr = sc, tr
        self._setup()

    def _setup(self) -> None:
        plane = self.tr.data.plane is not None
        self.query_one("#boundary").display = plane
        self.query_one(BoundaryView).unit = None
        self.query_one("#tab-record", Tab).label = "3 Boundary" if plane else "3 Record"
        self.set_class(plane, "-plane")
        self._boundary_title()
        acc = ("Accuracy",) if self.tr.classify else ("R² (regression)", "R²")
        self.query_one("#accuracy", HistoryPlot).set_titles(*acc)
        lk = loss_of(self.tr)
        self.query_one("#loss", HistoryPlot).set_titles(
            f"Loss: {reported_loss(lk)}", reported_loss(lk), "Loss"
        )
        self.query_one(NetworkView).forget()
        self.query_one(BackwardView).forget()
        self._layout()
        self._plotted = -1
        self.refresh_views(force=True)

    # ---- layout and tabs -----------------------------------------------------------------
    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        w, h = self.size
        h -= sum(p.outer_size.height for p in self.query("#lesson-panel"))  # a lesson file's panel
        plane = self.tr.data.plane is not None
        wants = 0 if w < 100 else self.query_one(NetworkView).needed_width(self.tr, network_room(w, plane, h))
        needs = (self._rows(NetworkView), self._rows(RecordView))
        g = grid(w, h, plane, wants, needs)
        self.compact = g.compact
        self.set_class(g.compact, "-compact")
        self.set_class(g.size == (2, 3) and not plane, "-stack")
        self.set_class(g.size == (2, 3) and plane, "-under")  # the boundary under the network
        for t in TABS:
            self.set_class(g.compact and self.tab == t, f"-tab-{t}")
        if g == self._grid:
            return
        self._grid = g
        self.call_after_refresh(self._backward_title)  # fitted to the panel's new width
        main = self.query_one("#main")
        main.styles.grid_size_columns, main.styles.grid_size_rows = g.size
        main.styles.grid_columns, main.styles.grid_rows = g.columns, g.rows

    def _rows(self, view: type) -> int:
        """The rows a panel's view draws at its present width."""
        return len((v := self.query_one(view)).lines(v.size.width or 60))

    # ---- redraws -------------------------------------------------------------------------
    @property
    def state(self) -> str:
        if self.tr.diverged:
            return "diverged"
        return "running" if self.player.playing else "paused"

    def refresh_views(self, force: bool = False) -> None:
        """Push the trainer into every panel. While playing, the plots (every PLOT_EVERY s) and the
        boundary with the unit thumbnails (every BOARD_EVERY s) get frames of their own, the later first."""
        tr, now, playing = self.tr, time.monotonic(), self.player.playing
        late = now - self._last_plot - PLOT_EVERY, now - self._last_board - BOARD_EVERY
        late = late if tr.epoch != self._boarded else (late[0], -1.0)
        plots_due = force or not playing or late[0] >= max(0.0, late[1])
        board_due = force or not playing or (not plots_due and late[1] >= 0)
        self.query_one(StatusLine).show(
            self.sc.title, tr, self.state, self.player.speed_label, self.lesson_label
        )
        nv, bv = self.query_one(NetworkView), self.query_one(BackwardView)
        nv.hold = bv.hold = playing  # no layout pass while the panels' heights jitter
        if board_due:
            nv.thumbs_stale = True
        nv.show(tr)
        bv.show(tr)
        self._backward_title()  # (one title while playing: set once, not repainted each frame)
        self.query_one(RecordView).show(tr)
        if not playing:
            self._layout()  # the rows the network and the record need may have changed
        if board_due:
            self._last_board, self._boarded = now, tr.epoch
            if tr.data.plane is not None:
                self.query_one(BoundaryView).show(tr)
        if plots_due:
            self._last_plot = now
            self._redraw_plots(force)

    def _redraw_plots(self, force: bool) -> None:
        tr = self.tr
        if tr.epoch != self._plotted or force:  # a history row per epoch (a step back forces)
            self._plotted = tr.epoch
            self.query_one("#accuracy", HistoryPlot).what = "accuracy" if tr.classify else "r2"
            for plot in self.query(HistoryPlot):
                plot.show(tr.history)

    def _boundary_title(self) -> None:
        panel, bv = self.query_one("#record-panel"), self.query_one(BoundaryView)
        if self.tr.data.plane is None:
            panel.border_title = "Record"
        else:  # the boundary fits its title to the panel (again on each redraw)
            bv.tr = self.tr
            panel.border_title = bv.title(panel.outer_size.width - 6)

    # ---- play ----------------------------------------------------------------------------
    def _play_ended(self, reason: str) -> None:
        self.refresh_views(force=True)
        if reason == "diverged":
            self._diverged_hint()
        elif reason == "end":
            say(self, f"Ran to the end: epoch {self.tr.epoch}.")
        else:
            say(self, f"Epoch {self.tr.epoch}: the scenario's epochs are done. Press space to keep training.")

    def _pause(self) -> None:
        if self.player.playing:
            self.player.stop()
            self.refresh_views(force=True)

    def on_unmount(self) -> None:
        self.player.stop()  # (and with it play's freeze of the garbage collector)

    def on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        self._pause()  # a modal screen (help, settings, …) on top: play waits

    def action_play(self) -> None:
        if self.player.playing:
            self._pause()
            return
        if self.tr.diverged:
            self._diverged_hint()
            return
        self.app.clear_notifications()  # (play is off in a lesson: no lesson to leave)
        end = int(self.sc.training["epochs"])
        self.player.start(self.tr, target=end if self.tr.epoch < end else None)
        self.refresh_views()

    def action_run_to_end(self, epochs: int | None = None) -> None:
        """Train up to the scenario's `epochs` (what `bptui train` does), as fast as play goes,
        with the screen live; any key stops it."""
        target = epochs if epochs is not None else int(self.sc.training["epochs"])
        self._step_begins()
        if self.tr.epoch >= target:
            say(self, f"Already at epoch {self.tr.epoch} (the scenario runs {target}).")
            return
        if self.tr.diverged:
            self._diverged_hint()
            return
        self.player.start(self.tr, target=target, fast=True)
        self.refresh_views()

    def set_speed(self, i: int) -> None:
        self.player.set_speed(i)
        self.refresh_views()  # the header shows the speed

    def action_speed(self) -> None:
        self.set_speed(self.player.speed + 1)

    # ---- steps ---------------------------------------------------------------------------
    def _diverged_hint(self) -> None:
        say_diverged(self, self.tr.eta)

    def _after_step(self) -> None:
        self.refresh_views()
        if self.tr.diverged:
            self._diverged_hint()

    def action_next_record(self) -> None:
        self._step_begins()
        if self.file_lesson is not None:
            self.file_lesson.next()
            return
        if self.lesson is not None:
            self.lesson.next(self.tr)
            self._show_lesson()
            return
        due = self.tr.update_due()  # n applies a due update first: say so, it is a step of its own
        self.tr.step_record()
        self._after_step()
        if due:
            say(self, UPDATED_FIRST)

    def action_update(self) -> None:
        self._step_begins()
        self._leave_lesson()
        if self.tr.k == 0:
            say(self, NOTHING_TO_APPLY)
            return
        self.tr.step_update()
        self._after_step()

    def action_epoch(self) -> None:
        self._step_begins()
        self._leave_lesson()
        self.tr.step_epoch()
        self._after_step()

    def action_back(self) -> None:
        self._step_begins()
        if self.file_lesson is not None:
            self.action_refuse("back")
            return
        if self.lesson is not None:
            self.lesson.back(self.tr)
            self._show_lesson()
            return
        if not self.tr.back():
            say(self, "Nothing to step back to.")
        self.refresh_views(force=True)

    def action_reset(self) -> None:
        self._step_begins()
        self._leave_lesson(redraw=False)
        self.tr.reset()
        self._setup()
        home, eta = float(self.sc.training["learning_rate"]), self.tr.eta
        kept = "" if eta == home else f" η stays {eta_text(eta)} (the scenario's: {eta_text(home)})."
        say(self, "Reset to the scenario's initial weights." + kept)

    def action_jump(self) -> None:
        from .jump import JumpScreen

        self.app.push_screen(JumpScreen(self.tr.m), self.jump_to)

    def jump_to(self, k: int | None) -> None:
        """Step (or step back) through this epoch's records until record k is the last
        stepped; due updates are applied on the way, as n does."""
        if not k:
            return
        self._leave_lesson(redraw=False)
        tr = self.tr
        while tr.i >= k and tr.back():
            pass
        while tr.i < k and not tr.diverged:
            tr.step_record()  # applies a due update first, as a step of its own
        self.refresh_views(force=True)
        say(self, f"Record {k} of {tr.m} stepped.")

    def set_eta(self, eta: float) -> None:
        self.tr.eta = float(eta)
        self.refresh_views()
        say(self, f"Learning rate η = {eta_text(eta)}")

    def action_eta_up(self, up: bool = True) -> None:
        eta = next_rate(self.tr.eta, up, float(self.sc.training["learning_rate"]))
        if eta == self.tr.eta:
            return say(self, f"η = {eta_text(eta)} is the {'largest' if up else 'smallest'} on the list.")
        self.set_eta(eta)

    def action_eta_down(self) -> None:
        self.action_eta_up(up=False)

    def action_show_unit(self) -> None:
        """2-D data: show the next hidden unit's activation large in the boundary panel
        (after the last one, ŷ again)."""
        if self.tr.data.plane is None:
            say(self, "Unit maps need 2-D data (a pattern scenario).")
            return
        net = self.tr.net
        units = [None] + [(l, j) for l in range(net.L - 1) for j in range(net.sizes[l + 1])]
        bv = self.query_one(BoundaryView)
        self.show_unit(units[(units.index(bv.unit) + 1) % len(units)] if bv.unit in units else None)
        bv.show(self.tr)

    def show_unit(self, unit: tuple[int, int] | None) -> None:
        """The boundary panel shows hidden unit `unit` = (layer, j) large (None: ŷ)."""
        self.query_one(BoundaryView).unit = unit
        self._boundary_title()
