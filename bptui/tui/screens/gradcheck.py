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

from ...core.gradcheck import LayerCheck
from ...teach.notation import num

MAX_ROWS = 40


class GradCheckScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,g,q", "dismiss", "close")]

    def __init__(self, checks: list[LayerCheck], what: str):
        super().__init__()
        self.checks, self.what = checks, what

    def compose(self) -> ComposeResult:
        worst = max(c.max_rel_error for c in self.checks)
        ok = worst < 1e-6
        with VerticalScroll(id="grad-box"):
            yield Static(Text(f"Gradient check · {self.what}", style="bold"))
            yield Static(
                Text(
                    "∂E/∂w by backprop (−δ·a) and by central finite differences "
                    "(E: ½Σ(y − ŷ)² for mse, cross-entropy for log loss).",
                    style="dim",
                )
            )
            summary = Table.grid(padding=(0, 2))
            summary.add_column(style="bold")
            summary.add_column(justify="right")
            for c in self.checks:
                summary.add_row(c.name, f"max relative error {c.max_rel_error:.1e}")
            yield Static(summary)
            verdict = "agree (every relative error < 1e-6)" if ok else "DISAGREE"
            yield Static(
                Text(f"Backprop and finite differences {verdict}.", style="bold green" if ok else "bold red")
            )
            t = Table(box=None, padding=(0, 1), header_style="bold")
            for col in ("weight", "backprop", "numeric", "rel. error"):
                t.add_column(col, justify="right" if col != "weight" else "left")
            n = 0
            for c in self.checks:
                for idx in np.ndindex(c.backprop.shape):
                    if n >= MAX_ROWS:
                        break
                    name = f"{c.name}[{', '.join(str(i + 1) for i in idx)}]".replace("][", ", ")
                    t.add_row(
                        name, num(c.backprop[idx], 6), num(c.numeric[idx], 6), f"{c.rel_error[idx]:.1e}"
                    )
                    n += 1
            total = sum(c.backprop.size for c in self.checks)
            yield Static(t)
            if total > n:
                yield Static(Text(f"… and {total - n} more weights (summarised above)", style="dim"))
            yield Static(Text("escape closes", style="dim"))
