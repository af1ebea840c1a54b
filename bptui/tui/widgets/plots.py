"""Loss and accuracy per epoch (train and test), thinned to the plot's width."""

from __future__ import annotations

import numpy as np
from plotext._dict import themes as plotext_themes
from textual_plotext import PlotextPlot

from ...core.trainer import History
from ..style import Palette, palette, readable


def thin(n: int, width: int) -> np.ndarray:
    """At most ~2 points per column: indices spread over 0 … n−1, the last always kept."""
    cap = max(2, 2 * width)
    if n <= cap:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, cap).round().astype(int))


def plot_theme(pal: Palette) -> str:
    """plotext's colours from the palette (canvas and axes the background, ticks the text
    colour, train blue and test orange), registered with plotext under a name of its own."""
    name = f"bptui-{pal.name}"
    if name not in plotext_themes:
        plotext_themes[name] = [
            pal.bg,
            pal.bg,
            readable(pal.text, pal.grounds),
            "default",
            [pal.pos, pal.neg],
        ]
    return name


class HistoryPlot(PlotextPlot):
    """`show(history)` stores the columns; the plot is built at render time. The legend is
    in the panel's border (plotext's own would cover the first epochs of the curve)."""

    def __init__(self, what: str, **kw):
        super().__init__(**kw)
        self.what = what  # "loss" or "accuracy"
        self._data: tuple | None = None
        self.empty_reason = ""

    def show(self, hist: History, empty_reason: str = "") -> None:
        key = "loss" if self.what == "loss" else self.what  # accuracy, or r2 for regression
        self._data = (
            hist.column("epoch"),
            hist.column(f"train_{key}"),
            hist.column(f"test_{key}"),
        )
        self.empty_reason = empty_reason
        self.restyle()

    def restyle(self) -> None:
        """The legend (in the border) and the plot in the active theme's colours."""
        pal = palette(self.app)
        train = f"[rgb{pal.pos_text}]━ train[/]"
        has_test = self._data is not None and bool(np.isfinite(self._data[2]).any())
        self.border_subtitle = f"{train} [rgb{pal.neg_text}]━ test[/]" if has_test else train
        self.refresh()

    def render(self):
        pal = palette(self.app)
        self.set_reactive(HistoryPlot.theme, plot_theme(pal))
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.xlabel("epoch")
        if self._data is None or self.empty_reason:
            plt.title(self.empty_reason or "")
            return super().render()
        ep, tr, te = self._data
        idx = thin(len(ep), max(10, self.size.width - 8))
        ep = ep[idx]
        for ys, color in ((tr[idx], pal.pos), (te[idx], pal.neg)):
            if self.what == "r2":
                ys = np.maximum(ys, -1.0)  # R² below −1 (far worse than the mean) drawn at −1
            ok = np.isfinite(ys)
            if ok.any():
                plt.plot(ep[ok].tolist(), ys[ok].tolist(), color=color, marker="braille")
        if self.what == "accuracy":
            plt.ylim(0, 1)
        elif self.what == "r2":
            plt.ylim(-1, 1)
        if len(ep) == 1:
            plt.xlim(-0.5, 0.5 + ep[-1])
        return super().render()
