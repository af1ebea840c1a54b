"""Loss and accuracy per epoch (train and test), thinned to the plot's width."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
from plotext._dict import themes as plotext_themes
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual_plotext import PlotextPlot

from ...core.history import History
from ...teach.notation import num
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


_RUN = re.compile(r"((?:\x1b\[[0-9;]*m)*)([^\x1b]*)")


@lru_cache(maxsize=256)
def _ansi_style(codes: str) -> Style | None:
    """The Rich style of one run's escape codes (plotext resets after every run)."""
    spans = Text.from_ansi(codes + "x").spans
    return spans[0].style if spans else None


def ansi_lines(ansi: str) -> list[list[Segment]]:
    """plotext's output (runs of colour codes, characters and a reset) as lines of segments."""
    out = []
    for row in ansi.rstrip("\n").split("\n"):
        out.append([Segment(t, _ansi_style(c)) for c, t in _RUN.findall(row) if t])
    return out


_MANT = (1, 2, 2.5, 5)


def _steps(raw: float, whole: bool):
    """Tick steps 1, 2, 2.5, 5 × 10^k from the first ≥ raw upwards (whole: integers only)."""
    k = math.floor(math.log10(raw)) if raw > 0 else 0
    while True:
        for m in _MANT:
            s = m * 10.0**k
            if s >= raw * (1 - 1e-9) and (not whole or (s >= 1 and s == int(s))):
                yield s
        k += 1


def _label(t: float, d: int, step: float, short: bool) -> str:
    """`short`: as many significant digits as the step needs (2e-05, 1.25e-05, 0), for an
    axis whose labels would be long with d decimals; else d decimals on every label."""
    if abs(t) >= 10_000 and step >= 1000 and t % 1000 == 0:
        return f"{t / 1000:g}k"  # 120k, not 120000
    if short:
        p = max(1, math.floor(math.log10(abs(t))) - math.floor(math.log10(step)) + 2) if t else 1
        return f"{t:.{p}g}"
    s = f"{t:.{d}f}"
    return s.lstrip("-") if float(s) == 0 else s


def ticks(lo: float, hi: float, n: int, whole: bool = False, expand: bool = True):
    """At most n evenly spaced ticks at round values (1, 2, 2.5 or 5 × 10^k apart) for an
    axis over lo … hi: (limits, tick values, labels). `whole`: the step is a whole number.
    `expand`: the limits grow to the outer ticks; else they stay lo … hi."""
    n = max(2, n)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi - lo <= 1e-4 * max(abs(lo), abs(hi)):  # flat: a range around the value
        pad = max(abs(lo) * 0.05, 1 if whole else 0.05)
        lo, hi = (lo - pad, hi + pad) if not whole else (lo, lo + pad)
    best = None
    for step in _steps((hi - lo) / (4 * n), whole):  # the densest that gives at most n
        a = math.floor(lo / step + 1e-9) if expand else math.ceil(lo / step - 1e-9)
        b = math.ceil(hi / step - 1e-9) if expand else math.floor(hi / step + 1e-9)
        if b - a + 1 < 2 and best is not None:
            break  # one tick only: the step before, a tick over n, labels both ends better
        best = (step, a, b)
        if b - a + 1 <= n or step > 10 * (hi - lo):  # (−s, 0, s: three ticks at the fewest)
            break
    step, a, b = best
    raw = [i * step for i in range(a, b + 1)]
    d = next(d for d in range(12) if all(abs(round(v, d) - v) < step * 1e-6 for v in raw))
    vals = [round(v, d) for v in raw]
    limits = (vals[0], vals[-1]) if expand else (lo, hi)
    short = d > 4 and (max(abs(v) for v in vals) < 1e-4 or any(len(f"{v:.{d}f}") > 9 for v in vals))
    return limits, vals, [_label(v, d, step, short) for v in vals]


class HistoryPlot(PlotextPlot):
    """`show(history)` stores the columns; the plot is built at render time. The legend is
    in the panel's border (plotext's own would cover the first epochs of the curve). An
    empty plot says why; R² below −1 is drawn at −1, and the plot says so."""

    def __init__(self, what: str, **kw):
        super().__init__(**kw)
        self.what = what  # "loss", "accuracy" or "r2" (regression)
        self._data: tuple | None = None
        self._kept = ""
        self._strips: tuple | None = None  # (size, the plot's lines)
        self._titles: list[str] = []

    def set_titles(self, *forms: str) -> None:
        """The panel's title: the longest of these forms (longest first) that fits whole."""
        self._titles = list(forms)
        self._fit_title()

    def on_resize(self) -> None:
        self._fit_title()
        self.restyle()  # the legend with or without the values, as they fit

    def _fit_title(self) -> None:
        room = self.outer_size.width - 6  # the corners, a rule and a space each side
        if self._titles:
            fits = [f for f in self._titles if len(f) <= room] if room > 0 else []
            self.border_title = fits[0] if fits else self._titles[-1]

    def show(self, hist: History) -> None:
        self._data = (
            hist.column("epoch"),
            hist.column(f"train_{self.what}"),
            hist.column(f"test_{self.what}"),
        )
        self._kept = "" if hist.stride == 1 else f" · {hist.kept()}"  # a long run's thinned history
        self.restyle()

    def restyle(self) -> None:
        """The legend (in the border) and the plot in the active theme's colours."""
        pal = palette(self.app)
        has_test = self._data is not None and bool(np.isfinite(self._data[2]).any())
        sides = [("train", pal.pos_text, 1)] + ([("test", pal.neg_text, 2)] if has_test else [])
        # with the last epoch's values (test accuracy 0.725 read off the plot) if they fit
        forms = [
            [(f"━ {name}" + (f" {self._last(i)}" if values else ""), c) for name, c, i in sides]
            for values in (True, False)
        ]
        room = self.outer_size.width - 6 - len(self._kept)
        words = next((f for f in forms if len(" ".join(w for w, _ in f)) <= room), forms[-1])
        self.border_subtitle = " ".join(f"[rgb{c}]{w}[/]" for w, c in words) + self._kept
        self.refresh()

    def _last(self, column: int) -> str:
        """The last finite value of a column of the history, as the formulas write numbers."""
        v = self._data[column] if self._data is not None else np.empty(0)
        v = v[np.isfinite(v)]
        return num(float(v[-1])) if len(v) else "–"

    def render(self):
        """The plot as a Rich Text (plotext's own path; the screen draws `render_line`)."""
        why = self._set_up()
        return why if why is not None else super().render()

    def render_line(self, y: int) -> Strip:
        """The plot's lines, built once per change (data, theme, size) and parsed straight
        from plotext's output to strips, not through Rich's and Textual's generic pipelines.
        An empty plot's reason is drawn by Textual (centred and wrapped)."""
        size = self.size
        if self._strips is None or self._strips[0] != size:
            self._strips = (size, self.strips(size.width))
        lines = self._strips[1]
        if lines is None:
            return super().render_line(y)
        return lines[y] if y < len(lines) else Strip.blank(size.width, self.rich_style)

    def strips(self, width: int) -> list[Strip] | None:
        """The plot drawn at `width`: plotext's output parsed to strips (None: nothing to plot)."""
        if self._set_up() is not None:
            return None
        self.plt.plotsize(width, self.size.height)
        self.plt.theme(self.theme)
        base = self.rich_style
        return [  # (offsets: text selection, as Textual's own rendering gives them)
            Strip(line).apply_style(base).apply_offsets(0, y).adjust_cell_length(width, base)
            for y, line in enumerate(ansi_lines(self.plt.build()))
        ]

    def refresh(self, *regions, **kw):
        self._strips = None  # every refresh draws the plot again (its data, theme or size)
        return super().refresh(*regions, **kw)

    def _set_up(self) -> Text | None:
        """Set plotext's figure up for the data; a Text saying why when there is nothing to plot."""
        pal = palette(self.app)
        self.set_reactive(HistoryPlot.theme, plot_theme(pal))
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.xlabel("epoch")
        if self._data is None:
            return None
        ep, tr, te = self._data
        idx = thin(len(ep), max(10, self.size.width - 8))
        ep, curves = ep[idx], [(tr[idx], pal.pos), (te[idx], pal.neg)]
        ys = np.concatenate([c for c, _ in curves])
        ys = ys[np.isfinite(ys)]
        if not len(ys):  # say why, in words that wrap to the panel
            return Text(EMPTY[self.what], style=pal.dim, justify="center")
        for y, color in curves:
            y = np.maximum(y, -1.0) if self.what == "r2" else y
            ok = np.isfinite(y)
            if ok.any():
                plt.plot(ep[ok].tolist(), y[ok].tolist(), color=color, marker="braille")
        clipped = self.what == "r2" and ys.min() < -1
        if clipped:
            plt.title("R² below −1 drawn at −1" if self.size.width >= 26 else "R² < −1 at −1")
        self._axes(float(ep[-1]), ys, clipped)
        return None

    def _axes(self, last: float, ys: np.ndarray, titled: bool) -> None:
        """Whole-number epoch ticks from 0; evenly spaced y ticks at round values."""
        plt = self.plt
        lo, hi = {"accuracy": (0.0, 1.0), "r2": (max(-1.0, float(ys.min())), 1.0)}.get(
            self.what, (float(ys.min()), float(ys.max()))
        )
        rows = max(2, self.size.height - 4 - titled)  # the frame, the x labels and "epoch"
        n = min(6, max((rows - 1) // 2 + 1, min(rows, 3)))  # two rows apart, or three ticks at least
        (y0, y1), yv, yl = ticks(lo, hi, n)
        if y0 < 0 <= lo:  # a loss (or accuracy) is never negative: no tick below 0
            (y0, y1), yv, yl = ticks(0.0, max(hi, 2 * lo), n)
        # the same number of rows between neighbours (plotext rounds each tick to a row): the
        # rows left over go above the top tick
        per = max(1, (rows - 1) // (len(yv) - 1))
        plt.ylim(y0, y0 + (y1 - y0) * (rows - 1) / (per * (len(yv) - 1)))
        plt.yticks(yv, yl)
        cols = max(8, self.size.width - max(len(t) for t in yl) - 3)
        for n in range(8, 1, -1):  # as many as fit with a space between neighbours
            (x0, x1), xv, xl = ticks(0, last, n, whole=True, expand=False)
            gap = cols * (xv[1] - xv[0]) / (x1 - x0) if len(xv) > 1 else cols
            if gap >= max(len(t) for t in xl) + 2:
                break
        plt.xlim(x0, x1)
        plt.xticks(xv, xl)


EMPTY = {
    "loss": "\nNo finite loss to plot: training diverged.",
    "accuracy": "\nNo accuracy to plot: no record has been scored.",
    "r2": "\nNo R² to plot: R² compares the error with the spread of the targets, "
    "and it needs two or more records whose targets differ.",
}
