"""The header line: scenario, architecture, η, update mode, epoch, record, the loss by its
definition (and the δ convention when there is room), state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...core.trainer import Trainer
from ...teach.notation import delta_brief, eta_text, loss_of, reported_loss
from ..style import palette


class StatusLine(Static):
    """`show(...)` pushes the numbers down; when narrow the line drops the δ convention, then
    the name and long labels, then the loss, so the state and the speed always show."""

    _shown: tuple | None = None

    def restyle(self) -> None:
        if self._shown is not None:  # the theme changed: the same line in its colours
            self.show(*self._shown)

    def show(self, title: str, tr: Trainer, state: str, speed: str, lesson: str | None = None) -> None:
        self._shown = (title, tr, state, speed, lesson)
        mode = tr.update_mode if tr.update_mode != "minibatch" else f"minibatch {tr.batch_size}"
        head = [(tr.net.describe(), None), (f"η {eta_text(tr.eta)}", "bold"), (mode, None)]
        lk = loss_of(tr)
        loss, delta = (f"loss {reported_loss(lk)}", None), (delta_brief(lk), None)
        full = [
            ("bptui", "bold"),
            (title, "bold"),
            *head,
            (f"epoch {tr.epoch}", None),
            (f"record {tr.i}/{tr.m}", None),
        ]
        short = [*head, (f"ep {tr.epoch}", None), (f"rec {tr.i}/{tr.m}", None)]
        tail = f" {state} " + (f" {lesson} " if lesson else "") + f" {speed}"
        # the form is chosen as if the epoch had 4 digits and the record as many as the count,
        # so that the line keeps its form while playing (it changed at epoch 10, 100, …)
        wide_numbers = max(0, 4 - len(str(tr.epoch))) + len(str(tr.m)) - len(str(tr.i))
        room = (self.size.width or self.app.size.width or 120) - len(tail) - 4 - wide_numbers
        wide = ([*full, loss, delta], [*full, loss], [*full[1:], loss], [full[1], *short, loss])
        for parts in (*wide, [*short, loss], full, short):
            if sum(len(p) + 3 for p, _ in parts) <= room:
                break
        if short[-1] in parts:  # narrow: the short labels
            speed = speed.replace(" epochs/s", "/s").replace(" epoch/s", "/s").replace(" speed", "")
        pal = palette(self.app)
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (s, st) in enumerate(parts):
            if i:
                out.append(" · ", pal.dim)
            out.append(s, st if s not in (loss[0], delta[0]) else pal.dim)
        out.append(" · ", pal.dim)
        out.append(f" {state} ", pal.state.get(state, pal.label))
        if lesson:
            out.append(f" {lesson} ", pal.changed)
        out.append(f" {speed}", pal.dim)
        self.update(out, layout=False)
