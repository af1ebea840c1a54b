"""The scenario picker (`o`): the built-in scenarios with their one-line descriptions."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.scenario import builtin_list
from ..widgets.painted import Painted


class ScenarioPicker(ModalScreen[str | None]):
    """Dismisses with the chosen scenario's name (None when cancelled)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, current: str | None = None):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        items = builtin_list()
        opts = []
        for name, desc in items:
            t = Text(f"{name:<18}", style="bold")
            t.append(desc)  # plain: dim text would not read on the highlighted row
            opts.append(Option(t, id=name))
        with Vertical(id="picker-box"):
            yield Static(Text("Open a scenario", style="bold"))
            ol = OptionList(*opts, id="picker")
            yield ol
            yield Painted(lambda pal: Text("enter opens · escape cancels", style=pal.dim))

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        names = [n for n, _ in builtin_list()]
        if self.current in names:
            ol.highlighted = names.index(self.current)
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
