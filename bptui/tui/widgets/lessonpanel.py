"""The lesson panel: a lesson file's narration, and its predict prompt with a box to type the
answer in. Attributes down (`show`), messages up (`Answered`)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..style import palette


@dataclass
class LessonView:
    """What the panel shows (plain values, no arrays)."""

    title: str
    step: int  # steps taken
    total: int
    score: tuple[int, int]
    narration: str = ""
    question: str = ""  # a prompt waiting for its answer
    verdict: str = ""  # the last answer's check
    right: bool = False
    hint: str = ""
    done: bool = False
    after: bool = False  # a verdict shows: the box keeps the keys, enter or n goes on
    note: str = ""  # a one-line note: a refused key or answer
    sign: bool = False  # the question asks for a sign (+ or −): n may start "negative"


class AnswerBox(Input):
    """The answer box: while it has focus every key types into it, so the key bar lists only
    its own two keys."""

    BINDINGS = [
        Binding("enter", "submit", "answer", key_display="enter"),
        Binding("enter", "go_on", "next step", key_display="enter/n"),
        Binding("escape", "leave", "leave the box", key_display="esc"),
    ]

    def _view(self) -> LessonView | None:
        return getattr(self.parent, "view", None)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        after = bool(self._view() and self._view().after)
        if action in ("submit", "go_on"):
            return after == (action == "go_on")
        return True

    def action_go_on(self) -> None:
        self.post_message(LessonPanel.Answered(self.value.strip()))

    async def _on_key(self, event) -> None:
        """n in an empty box is the lesson's n: after a verdict it goes on; on a number
        question it is ignored (no number starts with n), so a second n is not typed in."""
        v = self._view()
        if event.character == "n" and not self.value and v is not None and (v.after or not v.sign):
            event.stop()
            event.prevent_default()
            if v.after:
                self.action_go_on()
            return
        await super()._on_key(event)

    def action_leave(self) -> None:
        self.screen.set_focus(None)  # the screen's keys again; n comes back to the box


class LessonPanel(Vertical):
    DEFAULT_CSS = """
    LessonPanel { height: auto; max-height: 50%; border: round $success; padding: 0 1; }
    LessonPanel Input { margin: 0; width: 40; }
    """

    @dataclass
    class Answered(Message):
        text: str

    class Resized(Message):
        """The panel's height changed: the screen gives the panels above it what is left."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-text")
        box = AnswerBox(placeholder="your answer, then enter", id="lesson-answer")
        box.cursor_blink = False  # a steady cursor (and repeatable screenshots)
        yield box

    _view: LessonView | None = None

    @property
    def view(self) -> LessonView | None:
        return self._view

    _asked: tuple[str, bool] = ("", False)  # the question (and verdict) the box is open for
    _ready = False  # composed and mounted: `show` draws at once (is_mounted is still False in on_mount)

    def on_mount(self) -> None:
        self._ready = True
        if self._view is not None:
            self._draw(self._view)

    def show(self, v: LessonView) -> None:
        self._view = v
        if self._ready:
            self._draw(v)

    def _draw(self, v: LessonView) -> None:
        self.border_title = f"Lesson · {v.title}"
        right, total = v.score
        self.border_subtitle = f"step {v.step} of {v.total} · score {right} of {total}"
        t, pal = Text(), palette(self.app)
        if v.verdict:
            t.append(("✓ " if v.right else "✗ ") + v.verdict + "\n", pal.good if v.right else pal.bad)
            if v.hint:
                t.append(f"hint: {v.hint}\n", pal.note)
        if v.narration:
            t.append(v.narration + "\n")
        if v.question:
            t.append("? " + v.question, pal.section)
        elif v.after:
            t.append("enter or n: next step · esc leaves the box", pal.dim)
        elif v.done:
            t.append(f"End of the lesson. Score: {right} of {total}. l leaves the lesson.", "bold")
        elif v.step == 0:  # an intro: nothing asked yet
            t.append("press n to begin · l leaves the lesson", pal.dim)
        else:
            t.append("n: next step · l leaves the lesson", pal.dim)
        if v.note:
            t.append("\n" + v.note, pal.note)
        self.query_one("#lesson-text", Static).update(t)
        box = self.query_one(Input)
        box.display = bool(v.question or v.after)
        if (v.question, v.after) != self._asked:  # a new question, or its verdict: an empty box
            self._asked = (v.question, v.after)
            box.value = ""
            box.placeholder = "enter or n: next step" if v.after else "your answer, then enter"
            if box.display:
                box.focus()  # (a note, as for a refused key, leaves the focus where it is)
        self.screen.refresh_bindings()  # enter answers, or goes on

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() or (self._view and self._view.after):
            self.post_message(self.Answered(event.value.strip()))
