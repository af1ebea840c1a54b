"""The bptui app: the panels of DESIGN.md around one Trainer.

Attributes down: after every step the app pushes the trainer into each panel's `show()`.
Messages up: screens answer through their dismiss callbacks. Play trains in time-bounded
slices on a timer, so a key press is answered between slices; the plots redraw at most four
times a second and only when their data changed.
"""

from __future__ import annotations

import asyncio
import signal
import time
import warnings
from functools import partial
from pathlib import Path

import numpy as np
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.widgets import Tab, Tabs

from ..core import gradcheck, session, settings
from ..core import scenario as scen
from ..core.errors import BptuiError
from ..core.scenario import Scenario
from ..core.trainer import Trainer
from .screens.main import MainScreen
from .widgets.backward import BackwardView
from .widgets.boundary import BoundaryView
from .widgets.network import NetworkView
from .widgets.plots import HistoryPlot
from .widgets.record import RecordView
from .widgets.status import StatusLine

ETA_LADDER = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.005, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0]
SPEEDS = [("1 epoch/s", 1.0), ("10 epochs/s", 10.0), ("100 epochs/s", 100.0), ("max speed", None)]
TICK = 1 / 30  # play timer period
FRAME = 1 / 16  # max speed: the cycle (train, then redraw) aims at this period
SLICE_MIN, SLICE_MAX = 0.008, 0.08  # bounds of one training slice
PLOT_EVERY = 0.25  # seconds between plot redraws while playing
TABS = ["network", "backward", "record", "plots"]
COMPACT_W, COMPACT_H = 100, 30


class BptuiApp(App):
    CSS_PATH = "bptui.tcss"
    TITLE = "bptui"
    BINDINGS = [
        Binding("n", "next_record", "record"),
        Binding("u", "update", "update"),
        Binding("e", "epoch", "epoch"),
        Binding("space", "play", "play"),
        Binding("b", "back", "back"),
        Binding("r", "reset", "reset"),
        Binding("question_mark", "help", "help"),
        Binding("q", "quit", "quit"),
        Binding("plus,equals_sign", "eta_up", "η", key_display="+/-"),
        Binding("minus,underscore", "eta_down", "η down", show=False),
        Binding("s", "speed", "speed"),
        Binding("g", "grad_check", "grad check"),
        Binding("o", "open", "open"),
        Binding("w", "save", "save"),
        Binding("l", "lesson", "lesson"),
        Binding("t", "show_unit", "unit", show=False),
        Binding("i", "inspect", "inspect", show=False),
        Binding("c", "chain_rule", "chain rule", show=False),
        Binding("L", "landscape", "loss landscape", show=False),
        Binding("comma", "settings", "settings", show=False),
        Binding("E", "run_to_end", "run to end", show=False),
        Binding("1", "tab('network')", show=False),
        Binding("2", "tab('backward')", show=False),
        Binding("3", "tab('record')", show=False),
        Binding("4", "tab('plots')", show=False),
    ]

    def __init__(
        self,
        ref: str = "worked-example",
        epochs: int = 0,
        records: int = 0,
        loaded=None,
        lesson: bool = False,
    ):
        super().__init__()
        self._start_lesson = lesson
        self.lesson: int | None = None  # lesson mode: micro-steps revealed of the current record
        self._lesson_steps: tuple = (None, None)  # (record Step, update Step or None)
        self.session_path: Path | None = None
        self._target: int | None = None  # run to end: stop at this epoch
        if loaded is not None:  # (Scenario, Trainer) built elsewhere
            self.sc, self.tr = loaded
        elif session.is_session(ref):
            self.sc, self.tr = session.load(ref)
            self.session_path = Path(ref)
        else:
            self.sc: Scenario = scen.load(ref)
            self.tr: Trainer = self.sc.build()
        self._prestep(epochs, records)
        self.playing = False
        self.speed = 3
        self._timer = None
        self._owed = 0.0
        self._last_tick = 0.0
        self._train_end = 0.0
        self._last_plot = 0.0
        self._plotted = -1
        self.tab = "network"
        self.compact = False

    def run(self, *args, **kwargs):
        # the trainer computes under np.errstate; this keeps any stray NumPy warning (from a
        # user's odd data, say) from being printed over the screen
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return super().run(*args, **kwargs)

    def _prestep(self, epochs: int, records: int) -> None:
        if epochs:
            self.tr.run(epochs)
        for _ in range(records):
            self.tr.step_record()

    # ---- layout --------------------------------------------------------------------------
    def get_default_screen(self) -> MainScreen:
        self.main = MainScreen()
        return self.main

    def main_ready(self) -> None:
        """Called by MainScreen once its panels exist."""
        if self._start_lesson:
            self.action_lesson()
        try:  # SIGTERM: leave like q does, restoring the terminal
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
        self.main.query_one("#network-panel").border_title = "Network"
        self.main.query_one("#loss").border_title = "Loss"
        self.main.query_one("#accuracy").border_title = "Accuracy"
        self._setup_scenario()

    def relayout(self) -> None:
        self._layout()

    def _setup_scenario(self) -> None:
        plane = self.tr.data.plane is not None
        self.main.query_one("#boundary").display = plane
        self.main.query_one("#record-panel").border_title = "Decision boundary" if plane else "Record"
        self.main.query_one(BoundaryView).unit = None
        self.main.query_one("#tab-record", Tab).label = "3 Boundary" if plane else "3 Record"
        self.main.set_class(plane, "-plane")
        self.main.query_one("#accuracy").border_title = "Accuracy" if self.tr.classify else "R² (regression)"
        for w in (self.main.query_one(NetworkView), self.main.query_one(BackwardView)):
            w._prev = {}
        self._layout()
        self._plotted = -1
        self.refresh_views(force=True)

    def _layout(self) -> None:
        """Wide: a grid whose first column is what the network drawing needs (between 30 %
        and 55 % of the width). For 2-D data the network runs the full height on the left
        and the boundary and plots share the lower right. Small terminals: one panel at a
        time, chosen with the tabs or the keys 1-4."""
        w, h = self.size
        self.compact = w < COMPACT_W or h < COMPACT_H
        self.main.set_class(self.compact, "-compact")
        for t in TABS:
            self.main.set_class(self.compact and self.tab == t, f"-tab-{t}")
        main = self.main.query_one("#main")
        if self.compact:
            main.styles.grid_size_columns, main.styles.grid_size_rows = 1, 1
            main.styles.grid_columns, main.styles.grid_rows = "1fr", "1fr"
            return
        share = 0.6 if self.tr.data.plane is not None else 0.55  # 2-D: room for unit thumbnails
        want = self.main.query_one(NetworkView).needed_width(self.tr, int(w * share) - 6)
        cols = want + 6 if want else int(w * 0.42)  # borders, padding, a scrollbar
        cols = max(int(w * 0.3), min(int(w * share), cols))
        if self.tr.data.plane is not None:
            main.styles.grid_size_columns, main.styles.grid_size_rows = 3, 2
            main.styles.grid_columns = f"{cols} 3fr 2fr"
            main.styles.grid_rows = "1fr 1fr"
        else:
            main.styles.grid_size_columns, main.styles.grid_size_rows = 2, 2
            main.styles.grid_columns = f"{cols} 1fr"
            main.styles.grid_rows = f"1fr {max(12, min(18, h // 3))}"

    def action_tab(self, name: str) -> None:
        self.tab = name
        tabs = self.main.query_one(Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        self._layout()

    def show_tab(self, name: str) -> None:
        if name != self.tab:
            self.action_tab(name)

    # ---- views ---------------------------------------------------------------------------
    @property
    def state(self) -> str:
        if self.tr.diverged:
            return "diverged"
        return "running" if self.playing else "paused"

    def refresh_views(self, force: bool = False) -> None:
        tr = self.tr
        now = time.monotonic()
        slow_due = force or not self.playing or now - self._last_plot >= PLOT_EVERY  # plots, maps
        self.main.query_one(StatusLine).show(self.sc.title, tr, self.state, SPEEDS[self.speed][0])
        if slow_due:
            self.main.query_one(NetworkView).thumbs_stale = True
        self.main.query_one(NetworkView).show(tr)
        self.main.query_one(BackwardView).show(tr)
        st = tr.last
        title = "Backward pass"
        if st is not None:
            title += {
                "record": f" (record {st.position})",
                "update": " (update)",
                "epoch": f" (epoch {st.epoch + 1})",
            }[st.kind]
        self.main.query_one("#backward-panel").border_title = title
        self.main.query_one(RecordView).show(tr)
        if slow_due:
            self._last_plot = now
            if tr.data.plane is not None:
                self.main.query_one(BoundaryView).show(tr)
            n = len(tr.history)
            if n != self._plotted or force:
                hist = tr.history
                self._plotted = n
                self.main.query_one("#loss", HistoryPlot).show(hist)
                acc = self.main.query_one("#accuracy", HistoryPlot)
                acc.what = "accuracy" if tr.classify else "r2"
                acc.show(hist)

    # ---- actions -------------------------------------------------------------------------
    def _leave_lesson(self) -> None:
        if self.lesson is not None:
            self.lesson = None
            self._show_lesson()

    def _stop(self) -> None:
        self._target = None
        if self.playing:
            self.playing = False
            if self._timer is not None:
                self._timer.stop()
                self._timer = None

    def _diverged_hint(self) -> None:
        self.notify(
            f"Training diverged: a weight became inf or NaN at η = {self.tr.eta:g}. "
            "The last finite weights are kept. Press - to lower η, then r to reset or b to step back.",
            title="diverged",
            severity="error",
            timeout=8,
        )

    def _after_step(self) -> None:
        self.refresh_views()
        if self.tr.diverged:
            self._diverged_hint()

    def action_next_record(self) -> None:
        self._stop()
        if self.lesson is not None:
            self._lesson_next()
            return
        self.tr.step_record()
        self._after_step()

    def action_update(self) -> None:
        self._stop()
        self._leave_lesson()
        if self.tr.k == 0:
            self.notify("Nothing to apply: ΔW is empty. Step a record first (n).")
            return
        self.tr.step_update()
        self._after_step()

    def action_epoch(self) -> None:
        self._stop()
        self._leave_lesson()
        self.tr.step_epoch()
        self._after_step()

    def action_back(self) -> None:
        self._stop()
        if self.lesson is not None:
            self._lesson_back()
            return
        if not self.tr.back():
            self.notify("Nothing to step back to.")
        self.refresh_views(force=True)

    def action_reset(self) -> None:
        self._stop()
        self._leave_lesson()
        self.tr.reset()
        self._setup_scenario()
        self.notify("Reset to the scenario's initial weights.")

    def _set_eta(self, eta: float) -> None:
        self.tr.eta = float(eta)
        self.refresh_views()
        self.notify(f"Learning rate η = {eta:g}")

    def action_eta_up(self) -> None:
        up = [v for v in ETA_LADDER if v > self.tr.eta * (1 + 1e-9)]
        self._set_eta(up[0] if up else self.tr.eta)

    def action_eta_down(self) -> None:
        down = [v for v in ETA_LADDER if v < self.tr.eta * (1 - 1e-9)]
        self._set_eta(down[-1] if down else self.tr.eta)

    def action_speed(self) -> None:
        self._set_speed((self.speed + 1) % len(SPEEDS))

    def action_play(self) -> None:
        if self.playing:
            self._stop()
            self.refresh_views(force=True)
            return
        if self.tr.diverged:
            self._diverged_hint()
            return
        self._leave_lesson()
        self.playing = True
        self._owed = 0.0
        self._last_tick = time.monotonic()
        self._train_end = 0.0
        self._settle_s = 0.0
        self._chunk = 1
        self._schedule()
        self.refresh_views()

    def action_run_to_end(self, epochs: int | None = None) -> None:
        """Train up to the scenario's `epochs` (what `bptui train` does), as fast as play goes,
        with the screen live; any key stops it."""
        target = epochs if epochs is not None else int(self.sc.training["epochs"])
        self._stop()
        if self.tr.epoch >= target:
            self.notify(f"Already at epoch {self.tr.epoch} (the scenario runs {target}).")
            return
        if self.tr.diverged:
            self._diverged_hint()
            return
        self._target = target
        self.playing = True
        self._train_end = 0.0
        self._settle_s = 0.0
        self._chunk = 1
        self.call_after_refresh(self._tick)
        self.refresh_views()

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self._stop()
        self._leave_lesson()
        self.push_screen(SettingsScreen(self.sc, self.tr.eta), self.apply_settings)

    def apply_settings(self, edits: dict | None) -> None:
        """The settings rules are core.settings.apply: η and regularisation keep the weights;
        anything else builds the scenario again from its seed, and says so."""
        if not edits:
            return
        try:
            change = settings.apply(self.sc, edits)
        except BptuiError as exc:
            self.notify(str(exc), title="settings not applied", severity="error", timeout=8)
            return
        self.sc = change.scenario
        if change.keep_weights:
            settings.retune(self.tr, self.sc)
            self.refresh_views()
        else:
            self.tr = change.trainer
            self._setup_scenario()
        self.notify(change.message, title="settings")

    def _set_reg(self, reg: str, rate: float) -> None:
        self.tr.reg, self.tr.reg_rate = reg, rate
        self.sc.training["regularization"], self.sc.training["regularization_rate"] = reg, rate
        self.notify(
            f"Regularisation {reg}" + (f" {rate:g}" if reg != "none" else "") + "; the weights are kept."
        )

    def action_inspect(self) -> None:
        from .screens.inspector import WeightInspector

        self._stop()
        self.push_screen(WeightInspector(self.tr))

    def action_chain_rule(self, start: int = 0) -> None:
        from .screens.chainrule import ChainRuleScreen

        self._stop()
        r, what = self._record_for_check()
        self.push_screen(ChainRuleScreen(self.tr, r, what, start))

    def action_landscape(self) -> None:
        from .screens.landscape import LandscapeScreen

        self._stop()
        self.push_screen(LandscapeScreen(self.tr))

    def action_show_unit(self) -> None:
        """2-D data: show the next hidden unit's activation large in the boundary panel
        (after the last one, ŷ again)."""
        if self.tr.data.plane is None:
            self.notify("Unit maps need 2-D data (a pattern scenario).")
            return
        net = self.tr.net
        units = [None] + [(l, j) for l in range(net.L - 1) for j in range(net.sizes[l + 1])]
        bv = self.main.query_one(BoundaryView)
        bv.unit = units[(units.index(bv.unit) + 1) % len(units)] if bv.unit in units else None
        self._boundary_title()
        bv.show(self.tr)

    def _boundary_title(self) -> None:
        bv = self.main.query_one(BoundaryView)
        panel = self.main.query_one("#record-panel")
        if bv.unit is None:
            panel.border_title = "Decision boundary"
        else:
            l, j = bv.unit
            name = "h" if self.tr.net.L == 2 else f"h{l + 1}."
            panel.border_title = f"Hidden unit {name}{j + 1}: its output a over the plane (t: next)"

    # ---- lesson mode ---------------------------------------------------------------------
    def action_lesson(self) -> None:
        """Enter or leave lesson mode: one record's backprop in micro-steps (n, b)."""
        from ..core import lesson

        self._stop()
        if self.lesson is not None:
            self.lesson = None
            self._show_lesson()
            self.notify("Left the lesson.")
            return
        if not lesson.supported(self.tr.net):
            self.notify("Lesson mode steps through networks with one hidden layer.", severity="warning")
            return
        self.lesson, self._lesson_steps = 0, (None, None)
        self._show_lesson()

    def _lesson_next(self) -> None:
        from ..core.lesson import STEPS

        tr = self.tr
        if self.lesson in (0, len(STEPS)):  # start the next record
            if tr.update_due():
                tr.step_update()
            self._lesson_steps = (tr.step_record(), None)
            self.lesson = 1
        elif self.lesson == len(STEPS) - 1:  # the update, if this record completes a block
            upd = tr.step_update() if tr.update_due() else None
            self._lesson_steps = (self._lesson_steps[0], upd)
            self.lesson += 1
        else:
            self.lesson += 1
        self._show_lesson()

    def _lesson_back(self) -> None:
        from ..core.lesson import STEPS

        if self.lesson == len(STEPS) and self._lesson_steps[1] is not None:
            self.tr.back()  # undo the update
            self._lesson_steps = (self._lesson_steps[0], None)
        if self.lesson == 1:
            self.tr.back()  # undo the record step
            self._lesson_steps = (None, None)
        if self.lesson:
            self.lesson -= 1
        self._show_lesson()

    def _show_lesson(self) -> None:
        """Conceal what the lesson has not reached; highlight what the current step uses."""
        from ..core.lesson import STEPS

        nv, bv = self.main.query_one(NetworkView), self.main.query_one(BackwardView)
        self.main.query_one(RecordView).conceal_output = self.lesson is not None and 0 < self.lesson < 4
        if self.lesson is None:
            nv.conceal, nv.focus, bv.lesson = (), (), None
        else:
            k = self.lesson
            shown = tuple(p for ms in STEPS[:k] for p in ms.shows)
            every = tuple(p for ms in STEPS for p in ms.shows)
            nv.conceal = tuple(p for p in every if p not in shown)
            nv.focus = STEPS[k - 1].uses if k else ()
            bv.lesson = (k, *self._lesson_steps)
        self.refresh_views(force=True)

    def _schedule(self) -> None:
        """Max speed chains slices paint by paint; the rated speeds tick on a timer."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if SPEEDS[self.speed][1] is None:
            self.call_after_refresh(self._tick)
        else:
            self._timer = self.set_interval(TICK, self._tick)

    def _tick(self) -> None:
        """One slice of play: train for at most SLICE seconds, then redraw."""
        if not self.playing:
            return
        now = time.monotonic()
        rate = None if self._target is not None else SPEEDS[self.speed][1]
        tr = self.tr
        start = time.perf_counter()
        if rate is None:
            # ticks are chained right after each paint, so `ui` (end of the last slice to
            # now) is what the screen took. The slice is at least that long (training keeps
            # half the time or more) and fills the frame period when the screen is quick
            ui = start - self._train_end if self._train_end else FRAME / 2
            # the slice's history settle (its cost grows with the epochs) comes out of it too
            budget = min(SLICE_MAX, max(SLICE_MIN, ui, FRAME - ui)) - self._settle_s
            budget = max(SLICE_MIN / 2, budget)
            n = self._chunk
            while not tr.diverged:
                if self._target is not None:
                    n = min(n, self._target - tr.epoch)
                    if n <= 0:
                        break
                t = time.perf_counter()
                tr.run(n)
                left = budget - (time.perf_counter() - start)
                if left <= 0:
                    break
                per = (time.perf_counter() - t) / n
                n = max(1, min(4 * n, int(left / per) if per > 0 else 4 * n))
            self._chunk = max(1, n // 2)
            s0 = time.perf_counter()
            tr.settle()  # the history's cost grows with the epochs: it belongs to the slice
            self._settle_s = time.perf_counter() - s0
        else:
            self._owed = min(self._owed + rate * (now - self._last_tick), rate)
            n = int(self._owed)
            self._owed -= n
            if n:
                tr.run(n)
        self._last_tick = now
        self._train_end = time.perf_counter()
        if tr.diverged:
            self._stop()
            self.refresh_views(force=True)
            self._diverged_hint()
            return
        if self._target is not None and tr.epoch >= self._target:
            self._stop()
            self.refresh_views(force=True)
            self.notify(f"Ran to the end: epoch {tr.epoch}.")
            return
        self.refresh_views()
        if rate is None and self.playing:
            self.call_after_refresh(self._tick)  # the next slice right after this paint

    def _record_for_check(self):
        tr = self.tr
        st = tr.last
        if st is not None and st.kind == "record":
            return st.record, f"record {st.position} of epoch {st.epoch + 1}, at the current weights"
        r = tr.record_index(tr.i) if tr.i < tr.m else tr.record_index(0)
        return r, f"the next record (row {r + 1}), at the current weights"

    def action_grad_check(self) -> None:
        from .screens.gradcheck import GradCheckScreen  # screens load when first opened

        self._stop()
        r, what = self._record_for_check()
        tr = self.tr
        with np.errstate(all="ignore"):
            checks = gradcheck.check(tr.net, tr.data.X[r], tr.data.y[r], tr.loss)
        self.push_screen(GradCheckScreen(checks, what))

    def action_open(self) -> None:
        from .screens.picker import ScenarioPicker

        self._stop()
        self.push_screen(ScenarioPicker(self.sc.name), self._open_chosen)

    def _open_chosen(self, name: str | None) -> None:
        if name:
            self.load_scenario(name)

    def load_scenario(self, ref: str) -> None:
        self._stop()
        try:
            sc = scen.load(ref)
            tr = sc.build()
        except BptuiError as exc:
            self.notify(str(exc), title="cannot open", severity="error")
            return
        self.sc, self.tr = sc, tr
        self.session_path = None
        self._setup_scenario()
        self.notify(f"Opened {sc.title}")

    def action_save(self) -> None:
        """Write the session (scenario, weights, cursor, ΔW, history) atomically."""
        self._stop()
        path = self.session_path or Path(f"bptui-{self.sc.name}.json")
        try:
            session.save(path, self.sc, self.tr)
        except BptuiError as exc:
            self.notify(str(exc), title="not saved", severity="error")
            return
        self.session_path = path
        self.notify(f"Saved to {path}; resume with: bptui {path}", title="saved")

    def _export(self, what: str) -> None:
        path = Path(f"bptui-{self.sc.name}-{what}.{'csv' if what == 'history' else 'json'}")
        text = session.history_csv(self.tr) if what == "history" else session.weights_json(self.tr)
        try:
            session.atomic_write(path, text)
        except BptuiError as exc:
            self.notify(str(exc), title="not written", severity="error")
            return
        self.notify(f"Wrote {path}", title="exported")

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        for name, desc in scen.builtin_list():
            yield SystemCommand(f"Open scenario: {name}", desc, partial(self.load_scenario, name))
        yield SystemCommand(
            "Chain rule", "∂E/∂w as a product along every path, the δ form and finite differences (c)",
            self.action_chain_rule,
        )
        yield SystemCommand(
            "Loss landscape", "The loss over two weights, the others held, with training's path (L)",
            self.action_landscape,
        )
        yield SystemCommand("Reset", "Back to the scenario's initial weights", self.action_reset)
        yield SystemCommand(
            "Save the session", "Weights, cursor, ΔW and history, to resume later (w)", self.action_save
        )
        yield SystemCommand(
            "Settings",
            "Data, features, layers, activation, loss, η, update, regularisation (,)",
            self.action_settings,
        )
        for reg in ("none", "l1", "l2"):
            for rate in (0.0,) if reg == "none" else (0.001, 0.01, 0.1):
                yield SystemCommand(
                    f"Regularisation: {reg}" + (f" {rate:g}" if reg != "none" else ""),
                    "Keeps the weights",
                    partial(self._set_reg, reg, rate),
                )
        yield SystemCommand(
            "Export history as CSV", "One row per epoch: loss and accuracy", partial(self._export, "history")
        )
        yield SystemCommand(
            "Export weights as JSON", "The current weights and biases", partial(self._export, "weights")
        )
        yield SystemCommand(
            f"Run to end ({self.sc.training['epochs']} epochs)",
            "Train to the scenario's epochs with the screen live (E)",
            self.action_run_to_end,
        )
        for v in ETA_LADDER:
            yield SystemCommand(
                f"Learning rate: {v:g}", "Set η (keeps the weights)", partial(self._set_eta, v)
            )
        for i, (label, _) in enumerate(SPEEDS):
            yield SystemCommand(f"Speed: {label}", "How fast play runs", partial(self._set_speed, i))

    def _set_speed(self, i: int) -> None:
        was_max = SPEEDS[self.speed][1] is None
        self.speed = i
        if self.playing and was_max != (SPEEDS[i][1] is None):
            self._schedule()
        self.refresh_views()
        self.notify(f"Speed: {SPEEDS[i][0]}")
