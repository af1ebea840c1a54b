"""Lesson mode on the main screen: `l` enters and leaves it, `n` and `b` walk one record's
micro-steps; the header and the key bar say so, and the drawing shows the narrated step."""

from __future__ import annotations

from textual.binding import Binding

from ...teach.lesson import STEPS
from ..lesson import LessonState
from ..notices import say
from ..widgets.backward import BackwardView
from ..widgets.network import NetworkView
from ..widgets.record import RecordView

# A lesson is a guided path: these keys would leave it or change what it narrates (η), so in a
# lesson they are off (not in the key bar) and, pressed, say so; b too in a lesson file, which
# goes forward only (lesson mode's b steps back).
NOT_IN_LESSON = {"play": "space", "run_to_end": "E", "update": "u", "epoch": "e", "reset": "r",
                 "jump": "j", "eta_up": "+", "eta_down": "-", "speed": "s"}  # fmt: skip
REFUSALS = [
    Binding("space", "refuse('play')", show=False, priority=True),
    *(Binding(k, f"refuse('{a}')", show=False) for k, a in (("E", "run_to_end"), ("u", "update"),
      ("e", "epoch"), ("r", "reset"), ("j", "jump"), ("plus,equals_sign", "eta_up"),
      ("minus,underscore", "eta_down"), ("s", "speed"), ("b", "back"))),
]  # fmt: skip


class LessonKeys:
    """Mixed into MainScreen (which holds `lesson`, `file_lesson`, `player`, `tr`)."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """In lesson mode (and a lesson file) n is the next step and l leaves (the key bar
        says so)."""
        if getattr(self.focused, "id", None) == "lesson-answer" and action != "copy_text":
            return False  # the answer box takes the keys (space too), enter answers
        on = self.lesson is not None or self.file_lesson is not None
        if action == "refuse":
            return on and not self._allowed_in_lesson(parameters[0])
        if on and not self._allowed_in_lesson(action):
            return False
        if action in ("next_record", "lesson"):
            return not on
        if action in ("lesson_next", "leave_lesson"):
            return on
        return True

    def _allowed_in_lesson(self, action: str) -> bool:
        return action not in NOT_IN_LESSON and (action != "back" or self.file_lesson is None)

    def action_refuse(self, action: str) -> None:
        """A key that is off in a lesson: say so (in the lesson panel of a lesson file)."""
        if action == "back":
            self.lesson_note("b: a lesson file goes forward only (n: next step, l leaves the lesson).")
        else:
            self.lesson_note(f"{NOT_IN_LESSON[action]}: not in a lesson (l leaves it).")

    def lesson_note(self, text: str) -> None:
        if self.file_lesson is not None:
            self.file_lesson.note(text)
        else:
            say(self, text)

    def _step_begins(self) -> None:
        """A key that steps, plays or leaves: play stops, and notices about the old state go."""
        self.player.stop()
        self.app.clear_notifications()

    @property
    def lesson_label(self) -> str | None:
        """For the header: the lesson file's step, or lesson mode's micro-step."""
        if self.file_lesson is not None:
            return self.file_lesson.label
        return self.lesson.label if self.lesson is not None else None

    def action_leave_lesson(self) -> None:
        self.action_lesson()

    def action_lesson_next(self) -> None:
        self.action_next_record()

    def on_lesson_panel_resized(self) -> None:
        self._layout()  # the panels above the lesson panel: whole, in the rows it leaves

    def action_lesson(self) -> None:
        """Enter or leave lesson mode: one record's backprop in micro-steps (n, b)."""
        from ...teach import lesson

        self._step_begins()
        if self.lesson is not None or self.file_lesson is not None:
            self._leave_lesson()
            say(self, "Left the lesson.")
            return
        if not lesson.supported(self.tr.net):
            say(self, "Lesson mode steps through networks with one hidden layer.", severity="warning")
            return
        self.lesson = LessonState()
        self.refresh_bindings()  # the key bar says n next step, l leave
        self._show_lesson()

    def _leave_lesson(self, redraw: bool = True) -> None:
        if self.file_lesson is not None:
            self.file_lesson.close()
            self.file_lesson = None
            self.refresh_bindings()
            if self.lesson is None and redraw:
                self.refresh_views(force=True)  # the header drops the lesson
        if self.lesson is not None:
            self.lesson = None
            self.refresh_bindings()
            self._show_lesson(redraw)

    def set_lesson(self, state: LessonState | None) -> None:
        """Show `state`'s micro-steps (None: the ordinary panels): a lesson file's reveal."""
        self.lesson = state
        self._show_lesson()

    def _show_lesson(self, redraw: bool = True) -> None:
        """Conceal what the lesson has not reached; highlight what the current step uses."""
        ls = self.lesson
        nv, bv = self.query_one(NetworkView), self.query_one(BackwardView)
        self.query_one(RecordView).conceal_output = ls is not None and ls.output_concealed
        if ls is None:
            nv.conceal, nv.focus, bv.lesson, nv.lesson_step = (), (), None, None
            nv.before_update = False
        else:
            nv.conceal, nv.focus, nv.lesson_step = ls.conceal, ls.focus, ls.record
            nv.before_update = ls.update is not None and ls.k == len(STEPS)
            bv.lesson = (ls.k, ls.record, ls.update)
        if redraw:
            self.refresh_views(force=True)

    def on_lesson_panel_answered(self, message) -> None:
        if self.file_lesson is not None:
            self.file_lesson.answered(message.text)
