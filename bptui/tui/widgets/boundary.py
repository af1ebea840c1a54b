"""The Decision boundary: ŷ over the input plane as a half-block heatmap, with the points on it.

Each character cell holds two pixels (▀: foreground the upper, background the lower). The
heatmap is dimmed; each point is one bright pixel in its class colour (test points a little
dimmer), mistakes in yellow, as seed 003 draws them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ...core.trainer import Trainer
from ..style import DIM, NEG, POS, prob_rgb

MISTAKE = (255, 230, 0)


class BoundaryView(Widget):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.tr: Trainer | None = None
        self._cache: tuple | None = None
        self.version = 0

    def show(self, tr: Trainer) -> None:
        self.tr = tr
        self.version += 1
        self.refresh()

    def render(self) -> Text:
        w, h = self.size.width, self.size.height - 1
        if self.tr is None or w < 4 or h < 2:
            return Text("")
        key = (w, h, self.version)
        if self._cache and self._cache[0] == key:
            return self._cache[1]
        text = self._draw(w, h)
        self._cache = (key, text)
        return text

    def _draw(self, w: int, h: int) -> Text:
        tr, plane = self.tr, self.tr.data.plane
        lo, hi = plane.lo, plane.hi
        # pixel centres: x1 left→right, x2 bottom→top
        xs = lo + (np.arange(w) + 0.5) * (hi - lo) / w
        ys = hi - (np.arange(2 * h) + 0.5) * (hi - lo) / (2 * h)
        P = np.column_stack([np.tile(xs, 2 * h), np.repeat(ys, w)])
        with np.errstate(all="ignore"):
            Z = tr.net.predict(plane.featurize(P))[:, 0].reshape(2 * h, w)
        # the heatmap, dimmed so the points stand out; then each point as one bright pixel
        img = np.empty((2 * h, w, 3), dtype=int)
        for r in range(2 * h):
            for c in range(w):
                img[r, c] = _dim(prob_rgb(Z[r, c]))
        for X, Y, test in ((tr.data.X_test, tr.data.y_test, True), (tr.data.X, tr.data.y, False)):
            if not len(X):
                continue
            with np.errstate(all="ignore"):
                pred = tr.net.predict(X)[:, 0] >= 0.5
            cls = Y[:, 0] >= 0.5
            px = np.clip(((X[:, 0] - lo) / (hi - lo) * w).astype(int), 0, w - 1)
            py = np.clip(((hi - X[:, 1]) / (hi - lo) * 2 * h).astype(int), 0, 2 * h - 1)
            for i in range(len(X)):
                colour = MISTAKE if pred[i] != cls[i] else (POS if cls[i] else NEG)
                img[py[i], px[i]] = _dim(colour, 0.75) if test else colour
        out = Text(no_wrap=True, overflow="crop")
        for r in range(h):
            for c in range(w):
                out.append("▀", _cell(tuple(img[2 * r, c]), tuple(img[2 * r + 1, c])))
            out.append("\n")
        out.append("▀ class 1 ", Style(color=Color.from_rgb(*POS)))
        out.append("▀ class 0 ", Style(color=Color.from_rgb(*NEG)))
        out.append("▀ mistake ", Style(color=Color.from_rgb(*MISTAKE)))
        out.append("(test points dimmer) · background: ŷ", DIM)
        return out


def _dim(rgb, f: float = 0.45):
    return tuple(int(v * f) for v in rgb)


@lru_cache(maxsize=8192)
def _cell(top, bottom) -> Style:
    return Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))
