"""Lesson mode's state: how many micro-steps of the current record are revealed, and the
record and update steps they narrate. The main screen owns one while the lesson is on."""

from __future__ import annotations

from ..core.steps import Step
from ..core.trainer import Trainer
from ..teach.lesson import STEPS
from ..teach.notation import value_prefix


class LessonState:
    """`k` micro-steps revealed (0: none yet) of `record` (its Step), then `update` (the
    update Step when this record completed a block, else None)."""

    def __init__(self) -> None:
        self.k = 0
        self.record: Step | None = None
        self.update: Step | None = None

    def next(self, tr: Trainer) -> None:
        if self.k in (0, len(STEPS)):  # start the next record
            if tr.update_due():
                tr.step_update()
            self.record, self.update, self.k = tr.step_record(), None, 1
        elif self.k == len(STEPS) - 1:  # the update, if this record completes a block
            self.update = tr.step_update() if tr.update_due() else None
            self.k += 1
        else:
            self.k += 1

    def back(self, tr: Trainer) -> None:
        if self.k == len(STEPS) and self.update is not None:
            tr.back()  # undo the update
            self.update = None
        if self.k == 1:
            tr.back()  # undo the record step
            self.record = None
        if self.k:
            self.k -= 1

    @property
    def conceal(self) -> tuple[str, ...]:
        """Network value keys (prefixes) not revealed yet."""
        shown = {r for ms in STEPS[: self.k] for r in ms.shows}
        return tuple(value_prefix(r) for ms in STEPS for r in ms.shows if r not in shown)

    @property
    def focus(self) -> tuple[str, ...]:
        """Network keys (prefixes) the current micro-step uses."""
        return tuple(value_prefix(r) for r in STEPS[self.k - 1].uses) if self.k else ()

    @property
    def output_concealed(self) -> bool:
        """Before the error step (from step 0, before the record goes in) the record panel
        keeps y and ŷ back."""
        return self.k < 4

    @property
    def label(self) -> str:
        """For the header: where the lesson is."""
        return f"lesson {self.k}/{len(STEPS)}"
