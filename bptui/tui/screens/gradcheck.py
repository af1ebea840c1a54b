"""The gradient check (`g`): backprop's gradient next to finite differences, per weight."""

from __future__ import annotations

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.gradcheck import ABS_FLOOR, REL_TOL, LayerCheck
from ...teach.notation import Notation, column, delta_convention
from ..style import Palette
from ..widgets.painted import Painted

MAX_ROWS = 40


class GradCheckScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,g,q", "dismiss", "close")]

    def __init__(self, checks: list[LayerCheck], what: str, sizes=None, loss: str = "mse"):
        super().__init__()
        self.checks, self.what, self.loss = checks, what, loss
        self.N = Notation(sizes if sizes is not None else _sizes(checks))

    def _weight(self, c: LayerCheck, idx) -> str:
        return self.N.weight(c.layer, *idx) if c.kind == "W" else self.N.bias(c.layer, idx[0])

    def compose(self) -> ComposeResult:
        ok = all(c.ok for c in self.checks)
        with VerticalScroll(id="grad-box"):
            yield Static(Text(f"Gradient check · {self.what}", style="bold"))
            intro = (
                f"∂E/∂w by backprop (−δ·a) and by a central finite difference, where "
                f"{delta_convention(self.loss)}.\n"
                f"A weight passes when |b − n| / (|b| + |n|) < {REL_TOL:.0e}, or when |b − n| < "
                f"{ABS_FLOOR:.0e} (the finite difference's rounding noise, where a relative error means nothing)."
            )
            yield Painted(lambda pal: Text(intro, style=pal.dim))
            summary = Table.grid(padding=(0, 2))
            summary.add_column(style="bold")
            summary.add_column(justify="right")
            summary.add_column()
            for c in self.checks:
                sym = self.N.W(c.layer) if c.kind == "W" else self.N.b(c.layer)
                n_ok = int(c.passes.sum())
                summary.add_row(
                    f"{sym}  {self.N.layer(c.layer)}",
                    f"largest relative error {c.rel_error.max():.1e}",
                    f"{n_ok} of {c.passes.size} pass",
                )
            yield Static(summary)
            verdict = "agree: every weight passes" if ok else "DISAGREE"
            said = f"Backprop and finite differences {verdict}."
            yield Painted(lambda pal: Text(said, style=pal.good if ok else pal.bad))
            yield Painted(self._table)
            total = sum(c.backprop.size for c in self.checks)
            if total > MAX_ROWS:
                more = f"… and {total - MAX_ROWS} more weights (summarised above)"
                yield Painted(lambda pal: Text(more, style=pal.dim))
            yield Painted(lambda pal: Text("escape closes", style=pal.dim))

    def _table(self, pal: Palette) -> Table:
        rows = [(c, idx) for c in self.checks for idx in np.ndindex(c.backprop.shape)][:MAX_ROWS]
        t = Table(box=None, padding=(0, 1), header_style="bold")
        for col in ("weight", "backprop b", "finite diff. n", "|b − n|", "rel. error", ""):
            t.add_column(col, justify="left" if col == "weight" else "right")
        b = column([c.backprop[i] for c, i in rows], 6)
        n = column([c.numeric[i] for c, i in rows], 6)
        for (c, idx), bv, nv in zip(rows, b, n):
            passed = bool(c.passes[idx])
            mark = ("✓" if c.rel_error[idx] < REL_TOL else "✓ noise") if passed else "✗"
            t.add_row(
                self._weight(c, idx), bv, nv, f"{c.abs_error[idx]:.1e}", f"{c.rel_error[idx]:.1e}",
                Text(mark, style=pal.good if passed else pal.bad),
            )  # fmt: skip
        return t


def _sizes(checks: list[LayerCheck]) -> list[int]:
    Ws = [c.backprop for c in checks if c.kind == "W"]
    return [Ws[0].shape[0]] + [W.shape[1] for W in Ws]
