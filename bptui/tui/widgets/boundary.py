"""The Decision boundary: ŷ over the input plane as a half-block heatmap, with the points on it.

Each character cell holds two pixels (▀: foreground the upper, background the lower). The
heatmap (ŷ) is dimmed; each point is one bright pixel in its class colour (test points a
little dimmer), mistakes in yellow, as seed 003 draws them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ...core.trainer import Trainer
from ..style import fg, palette, readable
from .stripview import StripView


class BoundaryView(StripView):
    """Rendered straight to segments (one per character cell), redrawn by `show`."""

    DEFAULT_CSS = "BoundaryView { height: 1fr; }"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.tr: Trainer | None = None
        self.unit: tuple[int, int] | None = None  # show this hidden unit's activation, not ŷ

    def show(self, tr: Trainer) -> None:
        self.tr = tr
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def restyle(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        w, h = self.size.width, self.size.height - 1
        if self.tr is None or w < 4 or h < 2:
            return
        self.set_segments(self._draw(w, h), w)

    def _draw(self, w: int, h: int) -> list[list[Segment]]:
        tr, plane = self.tr, self.tr.data.plane
        lo, hi = plane.lo, plane.hi
        # pixel centres: x1 left→right, x2 bottom→top
        xs = lo + (np.arange(w) + 0.5) * (hi - lo) / w
        ys = hi - (np.arange(2 * h) + 0.5) * (hi - lo) / (2 * h)
        P = np.column_stack([np.tile(xs, 2 * h), np.repeat(ys, w)])
        with np.errstate(all="ignore"):
            t = tr.net.forward(plane.featurize(P))
        if self.unit is None:
            Z = unit_scale(t.yhat[:, 0], tr.net.output.name).reshape(2 * h, w)
        else:
            l, j = self.unit
            Z = unit_scale(t.a[l + 1][:, j], tr.net.acts[l].name).reshape(2 * h, w)
        # the heatmap, dimmed so the points stand out; then each point as one bright pixel
        pal = palette(self.app)
        img = np.array([[pal.faint(pal.prob_rgb(v), 0.45) for v in row] for row in Z.tolist()], dtype=int)
        d = tr.data
        for X, Y, P, test in ((d.X_test, d.y_test, d.points_test, True), (d.X, d.y, d.points, False)):
            if not len(X):
                continue
            with np.errstate(all="ignore"):
                pred = tr.net.predict(X)[:, 0] >= tr.threshold
            cls = Y[:, 0] >= tr.threshold
            P = X if P is None else P  # where each point lies on the plane
            px = np.clip(((P[:, 0] - lo) / (hi - lo) * w).astype(int), 0, w - 1)
            py = np.clip(((hi - P[:, 1]) / (hi - lo) * 2 * h).astype(int), 0, 2 * h - 1)
            for i in range(len(X)):
                colour = pal.mistake if pred[i] != cls[i] else (pal.pos if cls[i] else pal.neg)
                img[py[i], px[i]] = pal.faint(colour, 0.75) if test else colour
        lines = []
        for r in range(h):
            top, bot = img[2 * r].tolist(), img[2 * r + 1].tolist()
            lines.append([Segment("▀", cell_style(tuple(t), tuple(b))) for t, b in zip(top, bot)])
        out = Text()
        out.append("▀ class 1 ", fg(pal.pos_text))
        out.append(f"▀ class {tr.threshold * 2 - 1:g} ", fg(pal.neg_text))
        out.append("▀ mistake ", fg(readable(pal.mistake, pal.grounds)))
        lines.append(list(out.render(self.app.console)))
        return lines


def unit_scale(a: np.ndarray, act: str) -> np.ndarray:
    """A unit's activations mapped onto [0, 1] for the colour scale."""
    if act == "tanh":
        return (a + 1) / 2
    if act in ("relu", "linear"):
        span = float(np.abs(a).max()) or 1.0
        return a / span if act == "relu" else (a / span + 1) / 2
    return a


@lru_cache(maxsize=8192)
def cell_style(top, bottom) -> Style:
    """One character cell of two pixels (▀): the upper in the foreground, the lower behind."""
    return Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))
