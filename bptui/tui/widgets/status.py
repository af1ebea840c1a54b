"""The header line: scenario, architecture, η, update mode, epoch, record, state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...core.trainer import Trainer
from ..style import palette


class StatusLine(Static):
    """`show(...)` pushes the numbers down; the line drops the name and shortens labels
    when narrow, so the state and the speed always show."""

    _shown: tuple | None = None

    def restyle(self) -> None:
        if self._shown is not None:  # the theme changed: the same line in its colours
            self.show(*self._shown)

    def show(self, title: str, tr: Trainer, state: str, speed: str, lesson: str | None = None) -> None:
        self._shown = (title, tr, state, speed, lesson)
        mode = tr.update_mode if tr.update_mode != "minibatch" else f"minibatch {tr.batch_size}"
        parts = [
            ("bptui", "bold"),
            (title, "bold"),
            (tr.net.describe(), None),
            (f"η {tr.eta:g}", "bold"),
            (mode, None),
            (f"epoch {tr.epoch}", None),
            (f"record {tr.i}/{tr.m}", None),
        ]
        tail = f" {state} " + (f" {lesson} " if lesson else "") + f" {speed}"
        room = (self.size.width or self.app.size.width or 120) - len(tail) - 4
        if sum(len(p) + 3 for p, _ in parts) > room:  # narrow: drop the name, shorten labels
            parts = parts[1:]
            parts[-2] = (f"ep {tr.epoch}", None)
            parts[-1] = (f"rec {tr.i}/{tr.m}", None)
            speed = speed.replace(" epochs/s", "/s").replace(" epoch/s", "/s").replace(" speed", "")
        pal = palette(self.app)
        pal = palette(self.app)
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (s, st) in enumerate(parts):
            if i:
                out.append(" · ", pal.dim)
            out.append(s, st)
        out.append(" · ", pal.dim)
        out.append(f" {state} ", pal.state.get(state, pal.label))
        if lesson:
            out.append(f" {lesson} ", pal.changed)
        out.append(f" {speed}", pal.dim)
        self.update(out, layout=False)
