"""Jump to record k (`j`): asks for the record's number, dismisses with it (or None)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..widgets.painted import Painted


class JumpScreen(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, m: int):
        super().__init__()
        self.m = m

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-box"):
            yield Static(Text(f"Jump to record (1–{self.m}) · enter jumps · escape cancels", style="bold"))
            yield Input(placeholder=f"a record number, 1 to {self.m}", id="jump-to")
            yield Painted(id="jump-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if raw.isdigit() and 1 <= int(raw) <= self.m:
            self.dismiss(int(raw))
        else:
            said = f"'{raw}' is not a record number from 1 to {self.m}"
            self.query_one("#jump-error", Painted).repaint(lambda pal: Text(said, style=pal.bad))
