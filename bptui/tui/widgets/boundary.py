"""The Decision boundary: the model's output over the input plane as the background, the
data points on it as glyphs, and a legend that fits the width.

Background: half-block pixels (▀: foreground the upper pixel, background the lower), dimmed
so the points stand out. One output: ŷ from orange (0) through dark to blue (1). Several
(softmax): each pixel in the colour of its most probable class, stronger where the model is
surer. `t` shows one hidden unit's output on the orange-to-blue scale instead, with a
colour bar of its values as the legend (and no points: they belong to ŷ).
Points: one glyph per character cell, in the class colour at full brightness: • training,
◦ test, × a point the model gets wrong (in its true class's colour). A cell with several
points shows a mistake if it holds one, else its most common class.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from ...core.trainer import Trainer
from ...teach.notation import Notation, num
from ..style import NEG, POS, palette, readable
from .stripview import StripView

CLASS_RGB = [NEG, POS, (90, 200, 110), (205, 110, 225), (235, 80, 80), (80, 215, 215), (230, 210, 80)]
BG_DIM = 0.35  # the background's brightness against the points'
TRAIN, TEST, WRONG = "•", "◦", "×"


class BoundaryView(StripView):
    """Rendered straight to segments (one per character cell), redrawn by `show`. It also
    titles its panel (the container it sits in), in as many words as the width allows."""

    DEFAULT_CSS = "BoundaryView { height: 1fr; }"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.tr: Trainer | None = None
        self.unit: tuple[int, int] | None = None  # show this hidden unit's activation, not ŷ
        self._range = (0.0, 1.0)  # the unit's values at the two ends of the colour scale

    def show(self, tr: Trainer) -> None:
        self.tr = tr
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def restyle(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        w, h = self.size.width, self.size.height - 1
        if self.tr is None or self.tr.data.plane is None or w < 4 or h < 2:
            return
        title = self.title(self.parent.outer_size.width - 6) if self.parent is not None else None
        if title is not None and self.parent.border_title != title:  # (a new one repaints the panel)
            self.parent.border_title = title
        self.set_segments(self._draw(w, h), w)

    def title(self, width: int) -> str:
        """The panel's title, the longest of its forms that fits `width`."""
        if self.unit is None:
            forms = ["Decision boundary: the model's output and the points", "Decision boundary"]
        else:
            l, j = self.unit
            name, a = unit_name(self.tr.net.sizes, l, j), unit_name(self.tr.net.sizes, l, j, "a")
            forms = [
                f"Hidden unit {name}: its output {a} over the plane (t: next)",
                f"Hidden unit {name}: its output (t: next)",
                f"Unit {name} output (t: next)",
                f"Unit {name} (t)",
            ]
        return next((f for f in forms if len(f) <= width), forms[-1])

    # ---- drawing -------------------------------------------------------------------------
    def _draw(self, width: int, height: int) -> list[list[Segment]]:
        w, h, left = square(width, height)
        pad = [Segment(" " * left)] if left else []
        img = self._background(w, h)
        marks = {} if self.unit is not None else self._marks(w, h)
        lines = []
        for r in range(h):
            top, bot = img[2 * r].tolist(), img[2 * r + 1].tolist()
            line = []
            for c in range(w):
                m = marks.get(r * w + c)
                if m is None:
                    line.append(Segment("▀", cell_style(tuple(top[c]), tuple(bot[c]))))
                else:
                    bg = tuple((a + b) // 2 for a, b in zip(top[c], bot[c]))
                    line.append(Segment(m[0], _mark(readable(m[1], (bg,)), bg, m[0] == WRONG)))
            lines.append(pad + line)
        lines.append(self._legend(width))
        return lines

    def _grid(self, w: int, h: int):
        """The forward pass at the centre of every pixel: x1 left→right, x2 bottom→top."""
        plane = self.tr.data.plane
        lo, hi = plane.lo, plane.hi
        xs = lo + (np.arange(w) + 0.5) * (hi - lo) / w
        ys = hi - (np.arange(2 * h) + 0.5) * (hi - lo) / (2 * h)
        P = np.column_stack([np.tile(xs, 2 * h), np.repeat(ys, w)])
        with np.errstate(all="ignore"):
            return self.tr.net.forward(plane.featurize(P))

    def _background(self, w: int, h: int) -> np.ndarray:
        """(2h, w, 3) pixel colours: ŷ, the most probable class, or a hidden unit's output."""
        t, net = self._grid(w, h), self.tr.net
        base = np.array(palette(self.app).bg, dtype=float)  # where the model is undecided
        if self.unit is not None:
            l, j = self.unit
            a, act = t.a[l + 1][:, j], net.acts[l].name
            rgb = scale_rgb(unit_scale(a, act), base)
            span = float(np.abs(a).max()) if np.isfinite(a).all() else 1.0
            self._range = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, span)}.get(
                act, (-span, span)
            )
        elif t.yhat.shape[1] == 1:  # (a tanh output's −1 … 1 onto the scale's 0 … 1)
            rgb = scale_rgb(unit_scale(t.yhat[:, 0], net.output.name), base)
        else:
            Y = t.yhat
            K = Y.shape[1]
            k = np.nan_to_num(Y, nan=-1).argmax(1)
            sure = np.clip((Y.max(1) - 1 / K) / (1 - 1 / K), 0, 1)
            colours = np.array([class_rgb(i) for i in range(K)], dtype=float)
            rgb = base + (colours[k] - base) * sure[:, None]
            rgb[~np.isfinite(Y).all(1)] = (60, 0, 60)
        return (base + (rgb - base) * BG_DIM).astype(int).reshape(2 * h, w, 3)

    def _marks(self, w: int, h: int) -> dict[int, tuple[str, tuple]]:
        """Cell index → (glyph, colour) for the cells that hold points."""
        data, plane, t = self.tr.data, self.tr.data.plane, self.tr.threshold
        P_train = data.points if data.points is not None else data.X
        P_test = data.points_test if data.points_test is not None else data.X_test
        K = max(2, data.y.shape[1])
        counts = np.zeros((w * h, 3, K), dtype=int)  # per cell: test, train, wrong × class
        for P, X, Y, kind in ((P_test, data.X_test, data.y_test, 0), (P_train, data.X, data.y, 1)):
            if not len(X):
                continue
            with np.errstate(all="ignore"):
                pred = _classes(self.tr.net.predict(X), t)
            cls = _classes(Y, t)
            px = np.clip(((P[:, 0] - plane.lo) / (plane.hi - plane.lo) * w).astype(int), 0, w - 1)
            py = np.clip(((plane.hi - P[:, 1]) / (plane.hi - plane.lo) * h).astype(int), 0, h - 1)
            np.add.at(counts, (py * w + px, np.where(pred == cls, kind, 2), cls), 1)
        cells = np.flatnonzero(counts.sum((1, 2)))
        has = counts[cells].sum(2) > 0  # (cells, 3): test, train, wrong
        kind = np.where(has[:, 2], 2, np.where(has[:, 1], 1, 0))
        cls = counts[cells, kind].argmax(1)
        glyphs = (TEST, TRAIN, WRONG)
        return {c: (glyphs[k], class_rgb(i)) for c, k, i in zip(cells.tolist(), kind.tolist(), cls.tolist())}

    # ---- legend --------------------------------------------------------------------------
    def _legend(self, w: int) -> list[Segment]:
        if self.unit is not None:
            return self._scale_bar(w)
        data = self.tr.data
        K = data.y.shape[1]
        lo = f"{self.tr.threshold * 2 - 1:g}"  # class 0, or −1 for ±1 labels
        names = [f"class {lo}", "class 1"] if K == 1 else list(data.target_names)
        short = [lo, "1"] if K == 1 else [n.split("=")[-1][:6] for n in names]
        test, pal = data.has_test, palette(self.app)
        ink = pal.text
        for labels, sep in ((names, "  "), (short, " ")):
            parts = [(TRAIN, readable(class_rgb(i), pal.grounds), lab) for i, lab in enumerate(labels)]
            parts += [(TEST, ink, "test")] if test else []
            parts += [(WRONG, ink, "mistake")]
            pad = " " if sep == "  " else ""
            segs = []
            for g, rgb, lab in parts:
                segs += [
                    Segment(g + pad, Style(color=Color.from_rgb(*rgb), bold=True)),
                    Segment(lab + sep, pal.dim),
                ]
            if sum(len(s.text) for s in segs) - len(sep) <= w:
                return segs
        return segs

    def _scale_bar(self, w: int) -> list[Segment]:
        """The hidden unit's colour scale: its lowest value … its highest, as drawn."""
        l, j = self.unit
        lo, hi = self._range  # relu and linear: scaled by the largest |a| on the plane
        name = unit_name(self.tr.net.sizes, l, j, "a")
        left, right = f"{name} {num(lo)} ", f" {num(hi)}"
        n = max(4, min(24, w - len(left) - len(right)))
        pal = palette(self.app)
        base = np.array(pal.bg, dtype=float)
        segs = [Segment(left, pal.dim)]
        bar = scale_rgb(np.linspace(0, 1, n), base)
        for rgb in (base + (bar - base) * BG_DIM).astype(int).tolist():
            segs.append(Segment("█", Style(color=Color.from_rgb(*rgb))))
        return segs + [Segment(right, pal.dim)]


def square(width: int, height: int) -> tuple[int, int, int]:
    """(w, h, left): the picture in a width × height area of cells is w × h cells, w × 2h
    pixels with w = 2h (the plane is square and a half-block pixel is as wide as it is tall,
    so a circle is drawn round), `left` blank columns before it to centre it."""
    w, h = min(width, 2 * height), min(height, (width + 1) // 2)
    return w, h, (width - w) // 2 if width > w + 1 else 0


def unit_name(sizes, l: int, j: int, sym: str = "h") -> str:
    """A hidden unit's input (sym "h") or output ("a") in the notation: h₁, or h2₃ in a
    deeper net."""
    N = Notation(sizes)
    return N.unit(N.h(l) if sym == "h" else N.a(l), l, j)


def class_rgb(k: int) -> tuple[int, int, int]:
    return CLASS_RGB[k % len(CLASS_RGB)]


def _classes(Y: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Class numbers: one output ≥ threshold is class 1 (0.5, or 0 for ±1 labels); several:
    the largest."""
    if Y.shape[1] == 1:
        return (Y[:, 0] >= threshold).astype(int)
    return np.nan_to_num(Y, nan=-1).argmax(1)


def scale_rgb(p: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Values in [0, 1] → colours: orange (0) through the background `base` (0.5) to blue (1);
    NaN purple."""
    p = np.asarray(p, dtype=float)
    t = np.clip(np.nan_to_num(p, nan=0.5), 0, 1)[:, None]
    up = base + (np.array(POS) - base) * (2 * t - 1)
    down = base + (np.array(NEG) - base) * (1 - 2 * t)
    rgb = np.where(t >= 0.5, up, down)
    rgb[np.isnan(p)] = (60, 0, 60)
    return rgb


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


@lru_cache(maxsize=4096)
def _mark(fg, bg, bold: bool) -> Style:
    return Style(color=Color.from_rgb(*fg), bgcolor=Color.from_rgb(*bg), bold=bold)
