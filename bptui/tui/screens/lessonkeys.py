"""Lesson mode on the main screen: `l` enters and leaves it, `n` and `b` walk one record's
micro-steps; the header and the key bar say so, and the drawing shows the narrated step."""

from __future__ import annotations

from ...teach.lesson import STEPS
from ..lesson import LessonState
from ..notices import say
from ..widgets.backward import BackwardView
from ..widgets.network import NetworkView
from ..widgets.record import RecordView


class LessonKeys:
    """Mixed into MainScreen (which holds `lesson`, `file_lesson`, `player`, `tr`)."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """In lesson mode (and a lesson file) n is the next step and l leaves (the key bar
        says so)."""
        if getattr(self.focused, "id", None) == "lesson-answer" and action != "copy_text":
            return False  # the answer box takes the keys (space too), enter answers
        on = self.lesson is not None or self.file_lesson is not None
        if action in ("next_record", "lesson"):
            return not on
        if action in ("lesson_next", "leave_lesson"):
            return on
        return True

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

    def action_lesson(self) -> None:
        """Enter or leave lesson mode: one record's backprop in micro-steps (n, b)."""
        from ...teach import lesson

        self.player.stop()
        if self.lesson is not None or self.file_lesson is not None:
            self._leave_lesson()
            say(self, "Left the lesson.")
            return
        if not lesson.supported(self.tr.net):
            say(self, "Lesson mode steps through networks with one hidden layer.", severity="warning")
            return
        self.lesson = LessonState()
        self.refresh_bindings()  # the key bar says n next step, l leave lesson
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
