"""The Backward-pass panel: the last step's formulas with numbers, the units' h, a, f'(h) and δ,
and the weight steps waiting for the update."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import numpy as np
from rich.text import Text

from ...core.trainer import Trainer
from ...teach.lesson import STEPS as LESSON
from ...teach.lesson import revealed_lines
from ...teach.lines import Line, peek_lines, pending_lines, record_lines, update_lines, update_rule
from ...teach.notation import (
    Notation,
    column,
    delta_convention,
    eta_text,
    loss_of,
    metric,
    num,
    reported_loss,
)
from .flow import flow
from .stripview import StripView

SECTIONS = {"forward": "Forward pass", "backward": "Backward pass", "update": "Update"}
MAX_UNIT_ROWS = 12
SUMMARY_UNITS = 10  # wider layers are summarised (ranges), not listed unit by unit


class BackwardView(StripView):
    """`show(trainer)` renders the last step; values that changed since the previous step are
    highlighted."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self._prev: dict[str, str] = {}
        self._base: dict[str, str] = {}

    _tr: Trainer | None = None

    _width = 0

    def on_resize(self) -> None:
        # the wrapping depends on the width (not the height); highlights stay
        if self._tr is not None and self.size.width != self._width:
            self._width = self.size.width
            self.set_text(self._text_for(self._tr)[0])

    def refit(self) -> None:
        """The panel's size changed: the full or the compact text, whichever fits now."""
        if self._tr is not None and self.lesson is None:
            self.set_text(self._text_for(self._tr)[0])

    def restyle(self) -> None:
        if self._tr is not None:  # the same highlights (measured against the same base)
            self.set_text(self._text_for(self._tr)[0])

    lesson: tuple | None = None  # (revealed micro-steps, record Step, update Step or None)
    narration: str | None = None  # a lesson file's words for the step, in place of the sentence

    def forget(self) -> None:
        """A new start (scenario, reset): nothing counts as changed at the next `show`."""
        self._prev = {}

    def show(self, tr: Trainer) -> None:
        self._tr = tr
        self._base = self._prev  # what "changed" is measured against
        text, self._prev = self._text_for(tr)
        self.set_text(text)
        self._from_the_top(tr.last)

    _step = None  # the step whose text is shown

    def _from_the_top(self, st) -> None:
        """Another step's text opens at its top (after e the epoch's summary, not the middle
        of a formula at the old offset); while playing (held), a step of the same kind as the
        one shown updates in place, so the reader's place stays and play does not jump."""
        prev, self._step = self._step, st
        if st is prev or self.parent is None:
            return
        if self.hold and prev is not None and st is not None and prev.kind == st.kind:
            return
        self.parent.scroll_home(animate=False)

    compact = False  # the last text was made compact to fit the panel's height
    tight = False  # … and tight: the forward pass as values, the δ lines as formula = value

    def _text_for(self, tr: Trainer) -> tuple[Text, dict]:
        """The full text; if it is taller than the panel, the compact one: a layer's steps
        per weight in a grid of values, and no units table. If even then the panel would
        show nothing of a record's backward pass, the tight one: the forward pass as values
        (one line per unit: the drawing beside it has them too) and each δ as formula =
        value, so the error and every δ are on the first screen (z zooms to the full text)."""
        if self.lesson is not None:
            return self._lesson_text(tr), {}
        self.compact = self.tight = False
        text, vals = self._make_text(tr)
        room = self.parent.size.height if self.parent is not None else 0
        if tr.last is not None and tr.last.kind in ("record", "update") and 0 < room < self._rows(text):
            self.compact = True
            text, vals = self._make_text(tr)
            if tr.last.kind == "record" and self._rows(text, until=SECTIONS["backward"]) >= room:
                self.tight = True
                text, vals = self._make_text(tr)
        return text, vals

    def _rows(self, text: Text, until: str | None = None) -> int:
        """The rows `text` takes at the panel's width (those above the line `until`)."""
        width, lines = max(1, self._wrap_width()), text.plain.split("\n")
        if until in lines:
            lines = lines[: lines.index(until)]
        return sum(max(1, -(-len(line) // width)) for line in lines)

    def _lesson_text(self, tr: Trainer) -> Text:
        """Lesson mode: the micro-steps revealed so far, the newest with its sentence."""
        revealed, st, upd = self.lesson
        out = Text(no_wrap=False, overflow="fold")
        total = len(LESSON)
        if (revealed == 0 or st is None) and self.narration is not None:
            out.append("Lesson", self.pal.label)
            out.append(" · the next record's values appear as the lesson reaches them\n", self.pal.dim)
            return out
        if revealed == 0 or st is None:
            out.append("Lesson mode", self.pal.label)
            out.append(
                f" · one record in {total} steps: h, a, ŷ, error, δ^o, δ^h, ΔW, Δw, update\n", self.pal.dim
            )
            out.append(
                "\nPress n for the first step; b goes back a step; l leaves the lesson.\n", self.pal.dim
            )
            return out
        out.append(f"Lesson · record {st.position} of {tr.m} · step {revealed} of {total}: ", self.pal.label)
        out.append(LESSON[revealed - 1].name + "\n", self.pal.section)
        steps = revealed_lines(tr.net, st, upd, tr.eta, tr.loss.name, tr.reg, tr.reg_rate)
        for k, (ms, shown) in enumerate(steps[:revealed]):
            current = k == revealed - 1
            for ln in shown:
                self._line(out, ln, {}, dim=not current)
            if ms.section == "update" and upd is None:
                out.append(
                    f"  (batch of {tr.block}: Σδa keeps accumulating; the update comes after the block's last record)\n",
                    self.pal.dim,
                )
            if current and self.narration is None:
                width = max(30, (self.parent.size.width if self.parent else 80) - 6)
                text = textwrap.fill(ms.sentence, width, initial_indent="  → ", subsequent_indent="    ")
                out.append(text + "\n", self.pal.note)
        if self.narration is None:
            out.append("\nn next step · b step back · l leave the lesson", self.pal.dim)
        return out

    def _make_text(self, tr: Trainer) -> tuple[Text, dict[str, str]]:
        out = Text(no_wrap=False, overflow="fold")
        vals: dict[str, str] = {}
        st = tr.last
        if st is None:
            out.append("Nothing stepped yet.\n", self.pal.label)
            out.append("n", self.pal.value)
            out.append(
                " steps one record: its forward pass, its error and δ-terms, and the weight steps.\n",
                self.pal.dim,
            )
            out.append("e", self.pal.value)
            out.append(" finishes the epoch; ", self.pal.dim)
            out.append("space", self.pal.value)
            out.append(" plays.\n", self.pal.dim)
        elif st.kind == "record" and max(tr.net.sizes[1:]) > SUMMARY_UNITS:
            out.append(f"A layer of more than {SUMMARY_UNITS} units is summarised\n", self.pal.dim)
            self._layer_summary(out, tr, st, vals)
        elif st.kind == "record":  # (which record, epoch and row: in the panel's title)
            self._record(out, tr, st, vals)
        elif st.kind == "update":
            out.append(f"Update after {st.k} record(s)", self.pal.label)
            out.append(f" · η = {eta_text(tr.eta)} · {update_rule(tr.reg, tr.reg_rate)}\n", self.pal.dim)
            out.append("old weight + step = new weight\n", self.pal.section)
            self._lines(out, update_lines(tr.net, st, tr.eta, tr.reg, tr.reg_rate), vals)
            if tr.diverged:
                out.append(
                    "The step would make a weight inf or NaN: it was not applied.\n",
                    self.pal.bad,
                )
        else:
            if st.kind == "epoch":
                self._epoch_summary(out, tr, vals)
            self._peek(out, tr, vals)
        self._pending(out, tr, vals)
        out.rstrip()
        return out, vals

    def _record(self, out: Text, tr: Trainer, st, vals: dict) -> None:
        """A record's forward and backward pass, its units and its weight steps."""
        lines = record_lines(tr.net, st, tr.eta, tr.loss.name)
        for section in ("forward", "backward"):
            part = [ln for ln in lines if ln.section == section]
            out.append(SECTIONS[section], self.pal.section)
            if self.tight and section == "forward":
                out.append(" · values (z zooms to the sums)\n", self.pal.dim)
                self._grid(out, part, vals)
                continue
            out.append("\n")
            for line in part:
                self._line(out, replace(line, numbers="") if self.tight else line, vals)
        if not self.compact:
            self._units(out, tr)
        head = "Weight steps" if self.compact else "This record's weight steps"  # (short: narrow)
        self._para(out, f"{head} ΔW = η·δ·a (η = {eta_text(tr.eta)})", self.pal.section)
        self._lines(out, [ln for ln in lines if ln.section == "steps"], vals)

    def _lines(self, out: Text, lines: list[Line], vals: dict) -> None:
        """Each line; compact, a heading's run of per-weight lines as a grid of values."""
        i = 0
        while i < len(lines):
            j = i + 1
            while j < len(lines) and not lines[j].formula and lines[j].numbers:
                j += 1
            self._line(out, lines[i], vals)
            heading = not lines[i].numbers and not lines[i].value
            if self.compact and heading and j - i > 4:
                self._grid(out, lines[i + 1 : j], vals)
                i = j
            else:
                i += 1

    def _grid(self, out: Text, cells: list[Line], vals: dict) -> None:
        """`label = value` cells in as many columns as the width holds, row by row."""
        texts = [f"{c.label} {c.op} {c.value}" for c in cells]
        cw = max(len(t) for t in texts) + 3
        cols = max(1, (self._wrap_width() - 4) // cw)
        for k, c in enumerate(cells):
            key = c.section + c.label
            vals[key] = c.value
            changed = self._base.get(key, c.value) != c.value
            out.append("    " if k % cols == 0 else "")
            out.append(c.label, self.pal.label)
            out.append(f" {c.op} ", self.pal.dim)
            out.append(c.value, self.pal.changed if changed else self.pal.value)
            last = k % cols == cols - 1 or k == len(cells) - 1
            out.append("\n" if last else " " * (cw - len(texts[k])))

    def _epoch_summary(self, out: Text, tr: Trainer, vals: dict) -> None:
        st = tr.last
        out.append(f"Epoch {st.epoch + 1} finished", self.pal.label)
        out.append(f" · {st.records} record(s) stepped, {st.updates} update(s)\n", self.pal.dim)
        row = tr.last_row()
        lk = loss_of(tr)
        self._para(out, f"loss = {reported_loss(lk)}; {delta_convention(lk)}", self.pal.dim, "  ")
        for key, label in (("train_loss", "train loss"), ("test_loss", "test loss"),
                           ("train_accuracy", "train accuracy"), ("test_accuracy", "test accuracy")):  # fmt: skip
            if row[key] is not None:
                out.append(f"  {label:<15}", self.pal.dim)
                self._value(out, key, metric(row[key]), vals)
                out.append("\n")

    def _layer_summary(self, out: Text, tr: Trainer, st, vals: dict) -> None:
        """Per layer: the ranges of h, a, f'(h) and δ, and the largest weight step."""
        t = st.trace
        out.append(f"  {'layer':<8}{'units':>6}{'h':>18}{'a':>18}{'δ':>20}{'max |ΔW|':>12}\n", self.pal.dim)
        for l in range(tr.net.L):
            name = "output" if l == tr.net.L - 1 else f"hidden {l + 1}"
            h, a, d = t.h[l][0], t.a[l + 1][0], t.delta[l][0]
            stepmax = tr.eta * float(np.abs(st.dW[l]).max())
            out.append(f"  {name:<8}{len(h):>6}", self.pal.label)
            for v in (h, a):
                out.append(f"{'[' + num(v.min()) + ', ' + num(v.max()) + ']':>18}")
            out.append(f"{'[' + num(d.min()) + ', ' + num(d.max()) + ']':>20}")
            self._value(out, f"step{l}", f"{num(stepmax):>12}", vals)
            out.append("\n")
        yh, y = t.yhat[0], np.ravel(st.y)
        out.append("  error ", self.pal.label)
        out.append(
            f"|y − ŷ| mean {num(np.abs(y - yh).mean())}, max {num(np.abs(y - yh).max())}\n", self.pal.dim
        )

    def _peek(self, out: Text, tr: Trainer, vals: dict) -> None:
        """After an update or an epoch: the next record's pass at the new weights."""
        nxt = tr.peek()
        if max(tr.net.sizes[1:]) > SUMMARY_UNITS:
            self._para(
                out, f"\nNext: record {nxt.position} of {tr.m} at the current weights", self.pal.section
            )
            self._layer_summary(out, tr, nxt, vals)
            return
        self._para(
            out,
            f"\nNext: record {nxt.position} of {tr.m} at the current weights (not stepped yet)",
            self.pal.section,
        )
        for line in peek_lines(tr.net, nxt, tr.loss.name):
            self._line(out, line, vals)

    def _value(self, out: Text, key: str, v: str, vals: dict) -> None:
        vals[key] = v
        out.append(v, self.pal.changed if self._base.get(key, v) != v else self.pal.value)

    def _line(self, out: Text, line: Line, vals: dict, dim: bool = False) -> None:
        """label = formula = numbers = value, wrapped to the panel's width: at an '=' when the
        next part fits whole on a line of its own, else between its terms."""
        key = line.section + line.label
        vals[key] = line.value
        changed = self._base.get(key, line.value) != line.value
        value_style = self.pal.dim if dim else (self.pal.changed if changed else self.pal.value)
        parts = [
            (line.formula, self.pal.dim),
            (line.numbers, self.pal.dim if dim else None),
            (line.value, value_style),
        ]
        parts = [(t, st) for t, st in parts if t and t != line.label]
        out.append("  " + line.label, self.pal.label)
        flow(out, 2 + len(line.label), self._wrap_width(), parts, f" {line.op} ", self.pal.dim)
        out.append("\n")

    def _para(self, out: Text, text: str, style, indent: str = "") -> None:
        """A heading or a sentence wrapped at words, its further lines indented by two more
        (the view's own wrapping would start them at the border)."""
        lead = text[: len(text) - len(text.lstrip("\n"))]
        width = max(20, self._wrap_width())
        body = textwrap.fill(text.lstrip("\n"), width, initial_indent=indent, subsequent_indent=indent + "  ")
        out.append(lead + body + "\n", style)

    def _wrap_width(self) -> int:
        width = self.size.width or 80
        if self.parent is not None and self.parent.size.width:
            width = min(width, self.parent.size.width)
        return width

    def _units(self, out: Text, tr: Trainer) -> None:
        """Every unit's input (h, or z for the output), output a, f' and δ for the record."""
        t = tr.last.trace
        N = Notation(tr.net.sizes)
        out.append(f"{'Units':<8}", self.pal.section)
        out.append(f"{'h or z':>10}{'a or ŷ':>10}{'f′':>10}{'δ':>10}\n", self.pal.dim)
        rows = [(l, j) for l in range(tr.net.L) for j in range(tr.net.sizes[l + 1])]
        shown = rows[:MAX_UNIT_ROWS]
        cols = [  # one style per column (h or z, a or ŷ, f′, δ)
            column([q[l][0, j] for l, j in shown]) for q in (t.h, t.a[1:], t.fprime, t.delta)
        ]
        for n, (l, j) in enumerate(shown):
            out.append(f"  {N.unit(N.h(l), l, j):<6}", self.pal.label)
            out.append("".join(f"{c[n]:>10}" for c in cols) + "\n")
        if len(rows) > len(shown):
            out.append(f"  … {len(rows) - len(shown)} more units\n", self.pal.dim)

    def _pending(self, out: Text, tr: Trainer, vals: dict) -> None:
        """The running sums Σδ·a since the last update and the step each will make."""
        if tr.last is None or tr.last.kind != "record":  # (after a record: no room to spare)
            out.append("\n")
        if tr.k == 0:
            out.append("Nothing accumulated: Σδa = 0", self.pal.dim)
            if tr.diverged:
                out.append("\n")
            return
        due = "due now: u applies it" if tr.update_due() else f"due in {tr.block - tr.k} more"
        over = f"{tr.k} record" + ("s" if tr.k != 1 else "")
        self._para(out, f"Pending update: Σδa of {over}, {due}", self.pal.section)
        self._lines(out, pending_lines(tr.net, tr.dW, tr.db, tr.k, tr.eta), vals)
