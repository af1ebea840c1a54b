"""The loss landscape (`L`): pick two weights; the train loss over a grid of their values,
every other weight held at its current value, with the path training took. n, u, e and b
step the training from here, and the path moves."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core import landscape as LS
from ...teach.chain import weight_name
from ..widgets.landscape import LandscapeView
from ..widgets.painted import Painted
from .inspector import weight_names

STEPS = {"n": "next_record", "u": "update", "e": "epoch", "b": "back"}


class LandscapeScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,L,q", "dismiss", "close")] + [
        Binding(k, f"step('{a}')", a.replace("_", " ")) for k, a in STEPS.items()
    ]

    def __init__(self, tr, picks: tuple[int, int] | None = None):
        """picks: the two weights (rows of the inspector's list); by default the two that
        moved most over the steps kept; before any step, the two along which the train loss
        is steepest (core.landscape.moved)."""
        super().__init__()
        self.items = weight_names(tr)[:2000]
        if picks is None:
            keys = [k for _, k in self.items]
            picks = sorted(keys.index(k) for k in LS.moved(tr, keys)[:2])
        self.picks = [min(p, len(self.items) - 1) for p in picks]

    @property
    def tr(self):
        return self.app.tr

    def compose(self) -> ComposeResult:
        with Vertical(id="landscape-box"):
            yield Static(
                Text(
                    "Loss landscape · tab/↑/↓ pick the two weights · n u e b step training · escape closes",
                    style="bold",
                )
            )
            yield Painted(id="landscape-note")
            with Horizontal():
                with Vertical(id="landscape-picks"):
                    for n, (title, _) in enumerate((("→ x axis", 0), ("↑ y axis", 1))):
                        yield Static(Text(title, style="bold"))
                        yield OptionList(
                            *[Option(label, id=f"{n}-{k}") for k, (label, _) in enumerate(self.items)],
                            id=f"landscape-axis{n}",
                        )
                yield LandscapeView(id="landscape")

    def on_mount(self) -> None:
        for n in (0, 1):
            self.query_one(f"#landscape-axis{n}", OptionList).highlighted = self.picks[n]
        self.query_one("#landscape-axis0", OptionList).focus()
        self.redraw()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        n, k = (int(v) for v in event.option.id.split("-"))
        if self.picks[n] != k:
            self.picks[n] = k
            self.redraw()

    def action_step(self, action: str) -> None:
        getattr(self.app.main, f"action_{action}")()
        self.redraw()

    def redraw(self) -> None:
        keys = [self.items[p][1] for p in self.picks]
        keys = [("b", l, -1, j) if kind == "b" else (kind, l, i, j) for kind, l, i, j in keys]
        tr = self.tr
        a, b = (weight_name(tr.net, *k) for k in keys)
        others = tr.net.n_params() - 2
        what = "weights and biases" if tr.net.b is not None else "weights"
        held = (
            "the other weight is held at its current value"
            if others == 1
            else f"the other {others} {what} are held at their current values"
        )
        note = (
            f"Train loss over {a} and {b}; {held} (epoch {tr.epoch}, record {tr.i}/{tr.m}), "
            "so the picture changes as training moves them."
        )
        self.query_one("#landscape-note", Painted).repaint(lambda pal: Text(note, style=pal.dim))
        self.query_one(LandscapeView).show(tr, keys)
