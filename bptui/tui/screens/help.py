"""The help screen: every key, and what the panels show."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.painted import Painted

KEYS = [
    ("n", "next record: forward and backward pass, δ-terms, its steps ΔW = η·δ·a; Σδa += δ·a"),
    ("u", "apply the pending update: W ← W + η·Σδa/k (k = 1: W + ΔW)"),
    ("e", "finish the epoch (the remaining records, vectorised)"),
    ("E", "run to the end: train to the scenario's epochs with the screen live"),
    ("space", "play / pause at the speed in the header; stops at the scenario's epochs (space plays on)"),
    ("j", "jump to record k: step the records of this epoch up to record k"),
    ("b", "step back: undo the last record, update or epoch"),
    ("r", "reset to the scenario's initial weights (same seed)"),
    ("+ / -", "learning rate η up / down"),
    ("s", "speed: 1, 10, 100 epochs a second, or as fast as it goes"),
    ("g", "gradient check: backprop next to finite differences"),
    ("o", "open a built-in scenario"),
    ("w", "save the session (resume it with: bptui FILE.json)"),
    ("l", "lesson mode: one record in micro-steps (n next, b back), each explained"),
    ("t", "2-D data: a hidden unit's output over the plane, large (t again: the next unit)"),
    ("i", "inspect a weight: value, gradient, its step ΔW, the pending sum Σδa, its history"),
    ("c", "chain rule of a weight: the product along every path, the δ form, finite differences"),
    ("L", "loss landscape of two weights, the path training took (n u e b step)"),
    (",", "settings: data, features, layers, activation, loss, η, update, regularisation"),
    ("tab 1 2 3 4", "the next panel, or network, backward pass, record/boundary, plots, gets the keys"),
    ("↑ ↓ PgUp PgDn Home End", "scroll the panel that has the keys (its border lights up)"),
    ("z", "zoom: that panel fills the screen; z or escape brings the others back"),
    ("ctrl+p", "command palette: scenarios, reset, learning rate, speed, theme"),
    (
        "theme",
        "ctrl+p, then 'theme': the colours (light ones for a projector); remembered, or bptui --theme NAME",
    ),
    ("?", "this help"),
    ("q", "quit"),
]

PANELS = (
    "Network: each unit is a box listing its incoming weights (blue positive, orange "
    "negative, stronger colour = larger), its input h and output a. Backward pass: the last step's "
    "formulas with the numbers substituted, every unit's h, a, f'(h) and δ, and the "
    "sums Σδa waiting for the update. Numbers that changed in the last step are "
    "highlighted."
)


OFF = "not in a lesson (l leaves it)"
IN_LESSON = {  # the rows that differ in a lesson (lesson mode l, or a lesson file)
    "n": "next step of the lesson (a step that asks: its question, the answer box takes the keys)",
    **{k: OFF for k in ("u", "e", "E", "space", "j", "r", "+ / -", "s")},
    "l": "leave the lesson",
}


def keys(lesson: str | None) -> list[tuple[str, str]]:
    """The key rows; in a lesson ("mode": lesson mode, "file": a lesson file) its own."""
    if lesson is None:
        return KEYS
    rows = {
        **IN_LESSON,
        "b": "back a step" if lesson == "mode" else "not in a lesson file: it goes forward only",
    }
    return [(k, rows.get(k, v)) for k, v in KEYS]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "close")]

    def __init__(self, lesson: str | None = None) -> None:
        super().__init__()
        self.lesson = lesson

    def compose(self) -> ComposeResult:
        t = Table.grid(padding=(0, 2))
        t.add_column(style="bold", no_wrap=True)
        t.add_column()
        for k, v in keys(self.lesson):
            t.add_row(k, v)
        with VerticalScroll(id="help-box"):
            yield Static(Text("bptui — keys", style="bold"))
            yield Painted(
                lambda pal: Text(
                    f"theme now: {self.app.theme} · change it: ctrl+p, then theme; or bptui --theme NAME",
                    style=pal.dim,
                )
            )
            yield Static(t)
            yield Painted(lambda pal: Text("\n" + PANELS, style=pal.dim))
            yield Painted(lambda pal: Text("\nescape closes this help", style=pal.dim))
