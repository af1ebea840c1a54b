"""The weight inspector (`i`): pick a weight to see its value, its gradient on the current
record, its pending sum Σδa and a sparkline of its values over the steps kept for step-back."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from ...core.trainer import Trainer
from ...teach.notation import Notation, column, num
from ..widgets.painted import Painted


def weight_names(tr: Trainer) -> list[tuple[str, tuple[str, int, int, int]]]:
    """(label, (kind, layer, i, j)) for every weight and bias, named by the notation."""
    net = tr.net
    N = Notation(net.sizes)
    feat = tr.data.feature_names
    out = []
    for l, W in enumerate(net.W):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                out.append((N.describe_weight(l, i, j, feat), ("W", l, i, j)))
        if net.b is not None:
            for j in range(net.b[l].shape[0]):
                out.append((N.describe_bias(l, j), ("b", l, 0, j)))
    return out


class WeightInspector(ModalScreen[None]):
    BINDINGS = [Binding("escape,i,q", "dismiss", "close"), Binding("c", "chain_rule", "chain rule")]

    def __init__(self, tr: Trainer):
        super().__init__()
        self.tr = tr
        self.items = weight_names(tr)[:2000]

    def compose(self) -> ComposeResult:
        with Vertical(id="inspector-box"):
            yield Static(
                Text(
                    "Weight inspector · ↑/↓ or click to choose · c its chain rule · escape closes",
                    style="bold",
                )
            )
            with Horizontal():
                yield OptionList(
                    *[Option(label, id=str(k)) for k, (label, _) in enumerate(self.items)], id="weights"
                )
                with Vertical(id="weight-detail"):
                    yield Painted(id="weight-info")
                    yield Sparkline([], id="weight-history")
                    yield Painted(id="weight-history-note")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = 0
        ol.focus()
        self.show(0)

    def action_chain_rule(self) -> None:
        k = self.query_one(OptionList).highlighted or 0
        self.dismiss()
        self.app.action_chain_rule(k)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(int(event.option.id))

    def values(self, k: int) -> dict:
        tr = self.tr
        kind, l, i, j = self.items[k][1]
        st = tr.last if tr.last is not None and tr.last.kind == "record" else tr.peek()
        if kind == "W":
            value, grad, pend = tr.net.W[l][i, j], -st.dW[l][i, j], tr.dW[l][i, j]
            hist = [s.W[l][i, j] for s in tr.snapshots()] + [value]
        else:
            value, grad = tr.net.b[l][j], -st.db[l][j]
            pend = tr.db[l][j]
            hist = [s.b[l][j] for s in tr.snapshots()] + [value]
        return {"value": value, "grad": grad, "pending": pend, "history": hist, "record": st.position}

    def show(self, k: int) -> None:
        v = self.values(k)
        tr = self.tr
        N = Notation(tr.net.sizes)
        kind, l, i, j = self.items[k][1]
        name = N.weight(l, i, j) if kind == "W" else N.bias(l, j)
        src = N.source(l, i) if kind == "W" else "1"
        d = N.unit(N.delta(l), l, j)
        rows = (
            ("value", v["value"], ""),
            (f"∂E/∂{name}", v["grad"], f"−{d}·{src} on record {v['record']}"),
            (f"Δ{name} = η·{d}·{src}", -tr.eta * v["grad"], f"record {v['record']}'s step"),
            (f"Σ{d}·{src}", v["pending"], f"sum of k = {tr.k}"),
            (f"η·Σ{d}·{src}/k", tr.eta * v["pending"] / tr.k if tr.k else 0.0, "the next update adds"),
        )
        shown = column([r[1] for r in rows], 6)
        width = max(len(r[0]) for r in rows) + 2
        title = self.items[k][0]

        def paint(pal) -> Text:
            t = Text()
            t.append(title + "\n\n", style="bold")
            for (label, _, note), val in zip(rows, shown):
                t.append(f"{label:<{width}}", style=pal.dim)
                t.append(f"{val:>13}", style="bold")
                t.append(f"  {note}\n", style=pal.dim)
            return t

        self.query_one("#weight-info", Painted).repaint(paint)
        hist = np.asarray(v["history"], dtype=float)
        self.query_one(Sparkline).data = hist.tolist()
        note = f"its last {len(hist)} values (the steps kept for step-back): {num(hist.min(), 4)} … {num(hist.max(), 4)}"
        self.query_one("#weight-history-note", Painted).repaint(lambda pal: Text(note, style=pal.dim))
