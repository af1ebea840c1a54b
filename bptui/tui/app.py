"""The bptui app: one session (a scenario and its trainer) shown on the main screen.

The app loads the session and owns what concerns it as a whole: opening another scenario,
settings, saving and exports, the help, the gradient check, the weight inspector and the
command palette. The main screen (screens/main.py) owns the layout, the panels, the step
keys and play; the app hands it a new session with `MainScreen.load` (attributes down), and
modal screens answer through their dismiss callbacks.
"""

from __future__ import annotations

import asyncio
import signal
import warnings
from functools import partial
from pathlib import Path

import numpy as np
from textual.app import App, SystemCommand

from ..core import gradcheck, session, settings
from ..core import scenario as scen
from ..core.errors import BptuiError, printable
from ..core.scenario import Scenario
from ..core.trainer import Trainer
from ..teach.notation import Notation, eta_text
from .notices import say
from .play import SPEEDS
from .screens.main import MainScreen


class BptuiApp(App):
    leaving = False  # set by exit(): from then on keys run no action
    CSS_PATH = "bptui.tcss"
    TITLE = "bptui"

    def __init__(
        self,
        ref="worked-example",
        epochs=0,
        records=0,
        loaded=None,
        lesson=False,
        lesson_file=None,
        theme=None,
        remember=False,
    ):
        """lesson: start in lesson mode; lesson_file: run this lessons.Lesson (`loaded` is
        its scenario and trainer); theme: a Textual theme's name; remember: write theme
        changes to the config file."""
        super().__init__()
        if theme is not None:
            self.theme = theme
        self._remember = remember
        self.session_path: Path | None = None
        if loaded is not None:  # (Scenario, Trainer) built elsewhere
            self.sc, self.tr = loaded
        elif session.is_session(ref):
            self.sc, self.tr = session.load(ref)
            self.session_path = Path(ref)
        else:
            self.sc: Scenario = scen.load(ref)
            self.tr: Trainer = self.sc.build()
        if epochs:
            self.tr.run(epochs)
        for _ in range(records):
            self.tr.step_record()
        self.main = MainScreen(self.sc, self.tr, lesson=lesson, lesson_file=lesson_file)

    def notify(self, message: str, *, title: str = "", markup: bool = False, **kw) -> None:
        """Notifications are plain text: they echo titles, paths and error messages, in which
        `[training]` is a section, not a style, and `[/x]` must not end the app."""
        super().notify(printable(message), title=printable(title), markup=False, **kw)

    def run(self, *args, **kwargs):
        # the trainer computes under np.errstate; this keeps any stray NumPy warning (from a
        # user's odd data, say) from being printed over the screen
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return super().run(*args, **kwargs)

    def get_default_screen(self) -> MainScreen:
        return self.main

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        try:  # SIGTERM: leave like q does, restoring the terminal
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminate)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def exit(self, *args, **kwargs) -> None:
        self.leaving = True
        super().exit(*args, **kwargs)

    async def run_action(self, *args, **kwargs) -> bool:
        """No action once the app is leaving: a key typed after q (a pasted word) would open a
        screen whose widgets are never mounted, and crash the exit."""
        if self.leaving:
            return False
        return await super().run_action(*args, **kwargs)

    def _terminate(self) -> None:
        """Exit, but not while the screen mounts (that would cut its widgets short): then once
        it is up. (Waiting for a refresh always would wait for ever in an idle served session
        whose server died.)"""
        if self.main.is_mounted:
            self.exit()
        else:
            self.call_after_refresh(self.exit)

    # ---- the theme -----------------------------------------------------------------------
    def get_css_variables(self) -> dict[str, str]:
        """Textual's theme variables, and the palette's for the stylesheet (style.py)."""
        from .style import css_variables, palette

        v = super().get_css_variables()
        v.update(css_variables(palette(self), v))
        return v

    def _theme_changed(self, theme) -> None:
        """Every panel redrawn at once in the new theme's colours (the numbers and their
        highlights stay); the choice remembered for the next run."""
        for screen in self.screen_stack:
            for w in screen.query("*"):
                if callable(getattr(w, "restyle", None)):
                    w.restyle()
        if self._remember:
            from . import themes

            try:
                themes.remember(theme.name)
            except BptuiError as exc:
                self.notify(str(exc), title="theme not remembered", severity="warning")

    def _show(self, sc: Scenario, tr: Trainer) -> None:
        self.sc, self.tr = sc, tr
        self.main.load(sc, tr)

    # ---- another scenario, settings ------------------------------------------------------
    def action_open(self) -> None:
        from .screens.picker import ScenarioPicker

        self.push_screen(ScenarioPicker(self.sc.name), self._open_chosen)

    def _open_chosen(self, name: str | None) -> None:
        if name:
            self.load_scenario(name)

    def load_scenario(self, ref: str) -> None:
        try:
            sc = scen.load(ref)
            tr = sc.build()
        except BptuiError as exc:
            say(self, str(exc), title="cannot open", severity="error")
            return
        self.session_path = None
        self._show(sc, tr)
        say(self, f"Opened {sc.title}")

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(self.sc, self.tr.eta), self.apply_settings)

    def apply_settings(self, edits: dict | None) -> None:
        """The settings rules are core.settings.apply: η and regularisation keep the weights;
        anything else builds the scenario again from its seed, and says so."""
        if not edits:
            return
        try:
            change = settings.apply(self.sc, edits)
        except BptuiError as exc:
            say(self, str(exc), title="settings not applied", severity="error", timeout=8)
            return
        if change.keep_weights:
            self.sc = self.main.sc = change.scenario
            settings.retune(self.tr, self.sc)
            self.main.refresh_views()
        else:
            self._show(change.scenario, change.trainer)
        say(self, change.message, title="settings")

    def _set_reg(self, reg: str, rate: float) -> None:
        self.tr.reg, self.tr.reg_rate = reg, rate
        self.sc.training["regularization"], self.sc.training["regularization_rate"] = reg, rate
        say(
            self,
            f"Regularisation {reg}" + (f" {rate:g}" if reg != "none" else "") + "; the weights are kept.",
        )

    # ---- looking closer ------------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        m = self.main
        self.push_screen(HelpScreen("file" if m.file_lesson else "mode" if m.lesson else None))

    def action_inspect(self) -> None:
        from .screens.inspector import WeightInspector

        self.push_screen(WeightInspector(self.tr))

    def action_chain_rule(self, start: int = 0) -> None:
        from .screens.chainrule import ChainRuleScreen

        r, what = self._record_for_check()
        self.push_screen(ChainRuleScreen(self.tr, r, what, start))

    def action_landscape(self) -> None:
        from .screens.landscape import LandscapeScreen

        self.push_screen(LandscapeScreen(self.tr))

    def _record_for_check(self):
        tr = self.tr
        st = tr.last
        if st is not None and st.kind == "record":
            return st.record, f"record {st.position} of epoch {st.epoch + 1}, at the current weights"
        r = tr.record_index(tr.i) if tr.i < tr.m else tr.record_index(0)
        return r, f"the next record (row {r + 1}), at the current weights"

    def action_grad_check(self) -> None:
        from ..teach.notation import loss_of
        from .screens.gradcheck import GradCheckScreen  # screens load when first opened

        r, what = self._record_for_check()
        tr = self.tr
        with np.errstate(all="ignore"):
            checks = gradcheck.check(tr.net, tr.data.X[r], tr.data.y[r], tr.loss)
        lk = loss_of(tr)
        self.push_screen(GradCheckScreen(checks, what, tr.net.sizes, lk))

    # ---- saving --------------------------------------------------------------------------
    def action_save(self) -> None:
        """Write the session (scenario, weights, cursor, pending Σδa, history) atomically."""
        self.main.player.stop()
        path = self.session_path or Path(f"bptui-{self.sc.name}.json")
        try:
            session.save(path, self.sc, self.tr)
        except BptuiError as exc:
            say(self, str(exc), title="not saved", severity="error")
            return
        self.session_path = path
        say(self, f"Saved to {path}; resume with: bptui {path}", title="saved")

    def _export(self, what: str) -> None:
        path = Path(f"bptui-{self.sc.name}-{what}.{'csv' if what == 'history' else 'json'}")
        names = Notation(self.tr.net.sizes).export(self.tr.net.b is not None)
        text = session.history_csv(self.tr) if what == "history" else session.weights_json(self.tr, names)
        try:
            session.atomic_write(path, text)
        except BptuiError as exc:
            say(self, str(exc), title="not written", severity="error")
            return
        say(self, f"Wrote {path}", title="exported")

    # ---- the command palette -------------------------------------------------------------
    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        main = self.main
        for name, desc in scen.builtin_list():
            yield SystemCommand(f"Open scenario: {name}", desc, partial(self.load_scenario, name))
        yield SystemCommand(
            "Chain rule",
            "∂E/∂w as a product along every path, the δ form and finite differences (c)",
            self.action_chain_rule,
        )
        yield SystemCommand(
            "Loss landscape",
            "The loss over two weights, the others held, with training's path (L)",
            self.action_landscape,
        )
        yield SystemCommand("Reset", "Back to the scenario's initial weights", main.action_reset)
        yield SystemCommand(
            "Save the session",
            "Weights, cursor, the pending sums Σδa and history, to resume later (w)",
            self.action_save,
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
            main.action_run_to_end,
        )
        home = float(main.sc.training["learning_rate"])
        for v in settings.with_current(settings.ETAS, home):
            own = " (the scenario's)" if v == home else ""
            yield SystemCommand(
                f"Learning rate: {eta_text(v)}{own}", "Set η (keeps the weights)", partial(main.set_eta, v)
            )
        for i, (label, _) in enumerate(SPEEDS):
            yield SystemCommand(f"Speed: {label}", "How fast play runs", partial(main.set_speed, i))
