"""A lesson file in the app: the lesson panel under the main panels, `n` for the next step,
a typed answer (enter) for each prompt; the screen reveals and highlights what each step
names, through the micro-step display of lesson mode (widgets/backward.py, network.py)."""

from __future__ import annotations

from ..core.errors import BptuiError
from ..teach import lesson as micro
from ..teach.lessonrun import Outcome, Runner, unreadable
from ..teach.lessons import REVEAL, Lesson
from .lesson import LessonState
from .widgets.backward import BackwardView
from .widgets.keys import KeyBar
from .widgets.lessonpanel import LessonPanel, LessonView
from .widgets.network import NetworkView

PANELS = {"loss": "#loss", "accuracy": "#accuracy", "boundary": "#record-panel", "thumbnails": "#network-panel",
          "error": "#backward-panel", "delta_o": "#backward-panel", "delta_h": "#backward-panel",
          "dW": "#backward-panel", "dw": "#backward-panel"}  # fmt: skip


class FileLesson:
    def __init__(self, screen, lesson: Lesson):
        self.screen, self.lesson = screen, lesson
        self.runner = Runner(lesson, screen.tr)
        self.narration = lesson.intro
        self.question = ""  # the prompt waiting for an answer
        self.outcome: Outcome | None = None
        self.after = False  # an answer's verdict shows; the box keeps the keys until enter or n
        self.notice = ""  # a one-line note in the panel (a refused key, an unreadable answer)
        self.rec = self.upd = None  # the record step and update the reveal shows
        self.panel = LessonPanel(id="lesson-panel")
        screen.mount(self.panel, before=screen.query_one(KeyBar))

    def start(self) -> None:
        """The lesson at once: a first step that asks is asked now (its values hidden, the box
        focused); an intro waits for n."""
        self.screen.refresh_bindings()  # the key bar: n next step, l leave
        self.screen.add_class("-file-lesson")  # notices at the top, off the lesson panel
        if self.runner.step is not None and self.runner.step.predict is not None:
            self.next()
        else:
            self.show()
            self.screen.refresh_views(force=True)  # the header says lesson 0/N

    @property
    def step(self) -> int:
        """The step on screen: the one asking, else the last one taken."""
        return self.runner.n + bool(self.question)

    @property
    def label(self) -> str:
        """For the header: which step of the lesson."""
        return f"lesson {self.step}/{len(self.lesson.steps)}"

    def note(self, text: str) -> None:
        """A one-line note in the panel (not a notice over it), until the next key that acts."""
        self.notice = text
        self.show()

    def close(self) -> None:
        self.screen.remove_class("-file-lesson")
        self.panel.remove()
        for sel in set(PANELS.values()):
            self.screen.query_one(sel).remove_class("-lesson-focus")
        self.screen.query_one(BackwardView).narration = None

    def next(self) -> None:
        """n: ask the next step's prompt, or take the step."""
        r = self.runner
        self.notice, self.after = "", False
        if self.question:
            self.note("Type your answer, then enter.")
            self.panel.query_one("#lesson-answer").focus()
            return
        if r.done:
            self.show()
            return
        try:
            if r.step.predict is not None:
                self.question, self.outcome = r.prompt()[0], None
                if r.step.do == "record" and micro.supported(self.screen.tr.net):
                    self._conceal()
                self.show()
                self.screen.refresh_views(force=True)  # the header: the step that asks
                return
            self.outcome = None
            self._advance()
        except BptuiError as exc:
            self.screen.notify(str(exc), title="lesson error", severity="error", timeout=10)

    def answered(self, text: str) -> None:
        """enter in the box: an answer is checked (one that cannot be read is refused, the box
        stays open); after a verdict, enter goes on to the next step."""
        if self.after:
            if text and text != "n":  # a second try: the verdict stands
                self.panel.query_one("#lesson-answer").value = ""
                self.note("Answered: the first answer counts. enter or n: next step.")
            else:
                self.next()
            return
        if not self.question:
            return
        p = self.runner.step.predict
        why = unreadable(p.kind, text, self.runner.prompt()[1])
        if why:
            self.note(why)
            return
        self.outcome, self.notice = self.runner.answer(text), ""
        self.question, self.after = "", True
        try:
            self._advance()
        except BptuiError as exc:
            self.screen.notify(str(exc), title="lesson error", severity="error", timeout=10)

    def _conceal(self) -> None:
        """While a prompt about the next record waits, its values stay hidden."""
        self.screen.query_one(BackwardView).narration = ""
        self._lesson_state(0)

    def _lesson_state(self, k: int | None) -> None:
        """Show k micro-steps of self.rec (None: the ordinary panels)."""
        state = None
        if k is not None:
            state = LessonState()
            state.k, state.record, state.update = k, self.rec, self.upd
        self.screen.set_lesson(state)

    def _advance(self) -> None:
        st = self.runner.step
        self.narration = self.runner.advance()
        tr = self.screen.tr
        if tr.last is not None and tr.last.kind == "record" and st.do == "record":
            self.rec, self.upd = tr.last, None
        elif st.do == "update" and tr.last is not None and tr.last.kind == "update":
            self.upd = tr.last
        elif st.do in ("epoch", "run", "reset"):
            self.rec = self.upd = None
        self._display(st)
        self.after = self.after and not self.runner.done  # the end: the box closes
        self.show()
        if not self.after:
            self.screen.set_focus(None)

    def _display(self, st) -> None:
        screen, tr = self.screen, self.screen.tr
        screen.query_one(BackwardView).narration = self.narration
        reveal = st.reveal and self.rec is not None and micro.supported(tr.net)
        self._lesson_state(REVEAL.index(st.reveal) + 1 if reveal else None)
        if st.unit is not None and tr.data.plane is not None:
            screen.show_unit(None if st.unit == 0 else (0, st.unit - 1))
        L = tr.net.L
        keys = {"x": "x", "y": "y", "w": "w0,", "h": "h0,", "a": "a0,", "W": f"w{L - 1},", "z": f"h{L - 1},",
                "yhat": f"a{L - 1},"}  # fmt: skip
        screen.query_one(NetworkView).focus = tuple(keys[h] for h in st.highlight if h in keys)
        lit = {PANELS[h] for h in st.highlight if h in PANELS}
        for sel in set(PANELS.values()):
            screen.query_one(sel).set_class(sel in lit, "-lesson-focus")
        screen.refresh_views(force=True)

    def show(self) -> None:
        r, o = self.runner, self.outcome
        self.panel.show(
            LessonView(
                self.lesson.title, self.step, len(self.lesson.steps), r.score(), self.narration, self.question,
                f"your answer {o.given}: {o.verdict()}" if o else "", bool(o and o.right), (o.prompt.hint if o and not o.right else ""),
                r.done and not self.question, self.after, self.notice,
                bool(self.question and r.step.predict.kind == "sign"),
            )
        )  # fmt: skip
