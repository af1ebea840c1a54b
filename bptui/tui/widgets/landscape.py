"""The loss landscape of two weights as a half-block heatmap (banded, so the bands read as
contours), with the path training took drawn over it and the current point marked."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ...core import landscape as LS
from ...core.trainer import Trainer
from ...teach.chain import weight_name
from ...teach.notation import num
from ..style import RGB, contrast, fg, mix, palette, readable
from .boundary import cell_style
from .stripview import StripView

MAX_POINTS = 2400  # grid points computed per draw; more pixels than that are upscaled
BANDS = 12
RAMP = [(13, 8, 135), (84, 2, 163), (139, 10, 165), (185, 50, 137), (219, 92, 104), (244, 136, 73), (254, 188, 43), (240, 249, 33)]  # fmt: skip
START, NOW = (80, 220, 120), (255, 40, 40)  # the path itself is drawn in the theme's text colour


class LandscapeView(StripView):
    DEFAULT_CSS = "LandscapeView { height: 1fr; }"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.tr: Trainer | None = None
        self.keys: tuple | None = None
        self.win = None
        self.last: LS.Landscape | None = None

    def show(self, tr: Trainer, keys) -> None:
        """Draw for these two weights; the window stays put while the path stays inside it."""
        keys = tuple(keys)
        P = LS.path(tr, keys) if keys[0] != keys[1] else None
        if P is not None and (keys != self.keys or self.win is None or not _inside(P, self.win)):
            self.win = LS.window(tr, keys, P)
        self.tr, self.keys = tr, keys
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def restyle(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        w, h = self.size.width, self.size.height - 3
        if self.tr is None or w < 8 or h < 3:
            return
        self.set_segments(self._draw(w, h), w)

    def _draw(self, w: int, h: int) -> list[list[Segment]]:
        tr, keys = self.tr, self.keys
        if keys[0] == keys[1]:
            return [[Segment("Pick two different weights.")]]
        f = min(1.0, (MAX_POINTS / (w * 2 * h)) ** 0.5)
        L = self.last = LS.landscape(tr, keys, max(3, int(w * f)), max(3, int(2 * h * f)), self.win)
        Z = _resample(L.Z, 2 * h, w)[::-1]  # pixel (r, c): row 0 at the top, the largest v
        lo, hi = float(np.nanmin(L.Z)), float(np.nanmax(L.Z))
        # rounded first, here and in px: the last bits of the weights differ between machines
        # (their libm), and the current point sits exactly between two cells (the grid is
        # centred on it), so unrounded it would fall on either side by machine
        band = np.clip(np.round((Z - lo) / ((hi - lo) or 1.0) * BANDS, 9).astype(int), 0, BANDS - 1)
        pal = palette(self.app)
        ramp = [band_rgb(k, pal.bg) for k in range(BANDS)]
        img = np.array(ramp)[band]
        u0, u1, v0, v1 = L.u[0], L.u[-1], L.v[0], L.v[-1]

        def px(pt):
            return (
                int(round(round((pt[0] - u0) / (u1 - u0) * (w - 1), 9))),
                int(round(round((v1 - pt[1]) / (v1 - v0) * (2 * h - 1), 9))),
            )

        pts = [px(p) for p in L.path]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            n = max(abs(x1 - x0), abs(y1 - y0), 1)
            for s in range(n + 1):
                x, y = round(x0 + (x1 - x0) * s / n), round(y0 + (y1 - y0) * s / n)
                if 0 <= x < w and 0 <= y < 2 * h:
                    img[y, x] = _mark(pal.text, ramp[band[y, x]])
        for (x, y), rgb in ((pts[0], START), (pts[-1], NOW)):
            if 0 <= x < w and 0 <= y < 2 * h:
                img[y, x] = _mark(rgb, ramp[band[y, x]])
        lines = [
            [
                Segment("▀", cell_style(tuple(t), tuple(b)))
                for t, b in zip(img[2 * r].tolist(), img[2 * r + 1].tolist())
            ]
            for r in range(h)
        ]
        return lines + [list(t.render(self.app.console)) for t in self._legend(L, lo, hi, len(pts))]

    def _legend(self, L: LS.Landscape, lo: float, hi: float, n: int) -> list[Text]:
        net = self.tr.net
        a, b = (weight_name(net, k[0], k[1], k[2], k[3]) for k in self.keys)
        axes = Text(
            f"→ {a} from {num(L.u[0], 4)} to {num(L.u[-1], 4)}   ↑ {b} from {num(L.v[0], 4)} to {num(L.v[-1], 4)}"
        )
        pal = palette(self.app)  # the marks' colours, readable as text on the theme's background
        marks = Text()
        marks.append("▀ now ", fg(readable(NOW, pal.grounds)))
        marks.append(f"{a} {num(L.now[0], 6)}, {b} {num(L.now[1], 6)}, loss {num(L.loss_now, 6)}  ")
        marks.append("▀ start ", fg(readable(START, pal.grounds)))
        marks.append(f"▀ path ({n} steps)", fg(readable(pal.text, pal.grounds)))
        scale = Text()
        for k in range(BANDS):
            scale.append("█", Style(color=Color.from_rgb(*band_rgb(k, pal.bg))))
        scale.append(f" train loss {num(lo, 4)} … {num(hi, 4)}, {BANDS} bands", style=pal.dim)
        return [axes, marks, scale]


def _resample(Z: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Z (nv, nu) bilinearly onto rows × cols pixels (corners on corners)."""
    r, c = np.linspace(0, Z.shape[0] - 1, rows), np.linspace(0, Z.shape[1] - 1, cols)
    r0, c0 = np.minimum(r.astype(int), Z.shape[0] - 2), np.minimum(c.astype(int), Z.shape[1] - 2)
    fr, fc = (r - r0)[:, None], (c - c0)[None, :]
    Z00, Z01 = Z[np.ix_(r0, c0)], Z[np.ix_(r0, c0 + 1)]
    Z10, Z11 = Z[np.ix_(r0 + 1, c0)], Z[np.ix_(r0 + 1, c0 + 1)]
    return (Z00 * (1 - fc) + Z01 * fc) * (1 - fr) + (Z10 * (1 - fc) + Z11 * fc) * fr


def _inside(P: np.ndarray, win) -> bool:
    cu, su, cv, sv = win
    return bool(np.all(np.abs(P[:, 0] - cu) <= su) and np.all(np.abs(P[:, 1] - cv) <= sv))


@lru_cache(maxsize=8 * BANDS)
def band_rgb(k: int, bg: RGB) -> RGB:
    """Band k of BANDS (0: the lowest loss) on the theme's background bg. The ramp runs from
    its end nearest bg to its end farthest from it (dark violet → yellow on a dark theme,
    yellow → violet on a light one), and the lower the loss the more it is mixed toward bg:
    valleys sit back, high ground stands out, as the value colours do."""
    ramp = RAMP if contrast(RAMP[-1], bg) >= contrast(RAMP[0], bg) else RAMP[::-1]
    t = k / (BANDS - 1) * (len(ramp) - 1)
    i = min(int(t), len(ramp) - 2)
    c = mix(ramp[i], ramp[i + 1], t - i)
    return mix(bg, c, 0.45 + 0.55 * k / (BANDS - 1))


def _mark(rgb: RGB, under: RGB) -> RGB:
    """A mark's pixel colour: its own, moved to 3:1 (WCAG's ask of graphics) against the band it is on."""
    return readable(tuple(rgb), (tuple(under),), 3.0)
