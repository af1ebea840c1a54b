"""Loss and accuracy per epoch (train and test), thinned to the plot's width."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from ...core.history import History

TRAIN, TEST = (78, 161, 255), (255, 150, 60)


def thin(n: int, width: int) -> np.ndarray:
    """At most ~2 points per column: indices spread over 0 … n−1, the last always kept."""
    cap = max(2, 2 * width)
    if n <= cap:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, cap).round().astype(int))


LEGEND = f"[rgb{TRAIN}]━ train[/] [rgb{TEST}]━ test[/]"


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
        has_test = bool(np.isfinite(self._data[2]).any())
        kept = "" if hist.stride == 1 else f" · {hist.kept()}"  # a long run's thinned history
        self.border_subtitle = (LEGEND if has_test else f"[rgb{TRAIN}]━ train[/]") + kept
        self.refresh()

    def render(self):
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
        for ys, color in ((tr[idx], TRAIN), (te[idx], TEST)):
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
