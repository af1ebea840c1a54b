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


class AnswerBox(Input):
    """The answer box: while it has focus every key types into it, so the key bar lists only
    its own two keys."""

    BINDINGS = [
        Binding("enter", "submit", "answer", key_display="enter"),
        Binding("escape", "leave", "leave the box", key_display="esc"),
    ]

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

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-text")
        box = AnswerBox(placeholder="your answer, then enter", id="lesson-answer")
        box.cursor_blink = False  # a steady cursor (and repeatable screenshots)
        yield box

    _view: LessonView | None = None

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
        elif v.done:
            t.append(f"End of the lesson. Score: {right} of {total}. l leaves the lesson.", "bold")
        elif v.step == 0:  # an intro: nothing asked yet
            t.append("press n to begin · l leaves the lesson", pal.dim)
        else:
            t.append("n: next step · l leaves the lesson", pal.dim)
        self.query_one("#lesson-text", Static).update(t)
        box = self.query_one(Input)
        box.display = bool(v.question)
        if v.question:
            box.value = ""
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Answered(event.value.strip()))
