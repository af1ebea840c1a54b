"""The chain rule (`c`): for the weight picked on the left, ∂E/∂w as the product of local
derivatives along every path to the loss, beside the δ form and the finite difference."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core import chainrule as C
from ...core.trainer import Trainer
from ...teach import chain as CT
from ...teach.notation import num, record_objective
from ..style import Palette
from ..widgets.painted import Painted
from .inspector import weight_names

SHOWN = 4  # paths written out in full (the largest first); the sum is over all of them


class ChainRuleScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,c,q", "dismiss", "close")]

    def __init__(self, tr: Trainer, record: int, what: str, start: int = 0):
        super().__init__()
        self.tr, self.record, self.what = tr, record, what
        self.items = weight_names(tr)[:2000]
        self.start = min(start, len(self.items) - 1)

    def compose(self) -> ComposeResult:
        with Vertical(id="chain-box"):
            yield Static(Text(f"Chain rule · {self.what} · ↑/↓ picks a weight · escape closes", style="bold"))
            with Horizontal():
                yield OptionList(
                    *[Option(label, id=str(k)) for k, (label, _) in enumerate(self.items)], id="chain-weights"
                )
                with VerticalScroll(id="chain-detail"):
                    yield Painted(id="chain-info")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = self.start
        ol.focus()
        self.show(self.start)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(int(event.option.id))

    def show(self, k: int) -> None:
        key = self.items[k][1]
        self.query_one("#chain-info", Painted).repaint(lambda pal: render(self.tr, self.record, key, pal))


def render(tr: Trainer, record: int, key: tuple[str, int, int, int], pal: Palette) -> Group:
    kind, l, i, j = key
    net, loss = tr.net, tr.loss
    i = -1 if kind == "b" else i
    try:
        c = C.chain_rule(net, tr.data.X[record], tr.data.y[record], loss, kind, l, i, j)
    except ValueError as exc:
        return Group(Text(str(exc), style=pal.bad))
    name = CT.weight_name(net, kind, l, i, j)
    key_name = "xent" if net.output.name == "softmax" else loss.name
    value = net.W[l][i, j] if kind == "W" else net.b[l][j]
    parts: list = [
        Text.assemble(
            (f"{name} = {num(value, 6)}", "bold"),
            f" · {record_objective(key_name)}, the loss of this one record\n",
        ),
    ]
    rows = CT.path_rows(net, loss, c, c.paths[0])
    # the shape of every path: with several, its units are written without their indices
    plain = str.maketrans("", "", "₀₁₂₃₄₅₆₇₈₉") if c.n_paths > 1 else {}
    chain = " · ".join([r.symbol.translate(plain) for r in rows[:-1]] + [rows[-1].symbol])
    sigma = "Σ over paths " if c.n_paths > 1 else ""
    parts.append(Text(f"∂E/∂{name} = {sigma}{chain}\n", style=pal.section))
    for n, p in enumerate(c.paths[:SHOWN], 1):
        t = Table(box=None, padding=(0, 1), show_header=False)
        t.add_column(style="bold")
        t.add_column(style=pal.dim)
        t.add_column(justify="right")
        for r in CT.path_rows(net, loss, c, p):
            t.add_row(r.symbol, r.formula, num(r.value, 4))
        t.add_row("product", "", Text(num(p.value, 4), style="bold"))
        head = f"path {n} of {c.n_paths}: " if c.n_paths > 1 else "the one path: "
        parts += [Text(head + CT.path_label(net, c, p), style="bold"), t, Text("")]
    if c.n_paths > SHOWN:
        parts.append(
            Text(f"… and {c.n_paths - SHOWN} more paths (smaller products), all in the sum\n", style=pal.dim)
        )
    parts.append(Text("Three routes to one number", style="bold"))
    t = Table(box=None, padding=(0, 1), show_header=False)
    t.add_column(style="bold")
    t.add_column(style=pal.dim)
    t.add_column(justify="right")
    t.add_column(style=pal.dim)
    for label, formula, value, note in CT.route_rows(net, c):
        t.add_row(label, formula, Text(num(value, 6), style="bold"), note)
    parts.append(t)
    agree = c.rel_error(c.delta_form) < 1e-6 and (c.rel_error(c.numeric) < 1e-6 or abs(c.total) < 1e-9)
    verdict = "They agree (relative errors < 1e-6)." if agree else "They DISAGREE."
    parts.append(Text(verdict, style=pal.good if agree else pal.bad))
    return Group(*parts)
