"""Colours shared by the panels: weights by sign and strength (TF Playground's blue and
orange), values that just changed, and a two-colour scale for predictions."""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color
from rich.style import Style

POS = (78, 161, 255)  # blue: positive weight / class 1
NEG = (255, 150, 60)  # orange: negative weight / class 0
MID = (110, 110, 110)
CHANGED = Style(bold=True, color="black", bgcolor="rgb(230,200,80)")
FOCUS = Style(bold=True, color="black", bgcolor="rgb(120,220,160)")  # lesson: what the step uses
DIM = Style(color="rgb(120,120,120)")
LABEL = Style(bold=True)


def _mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


@lru_cache(maxsize=4096)
def _weight_style(q: int, bg: bool) -> Style:
    t = min(1.0, abs(q) / 20) ** 0.6
    rgb = _mix(MID, POS if q >= 0 else NEG, t)
    if bg:
        dark = _mix((20, 20, 20), rgb, 0.85)
        fg = (0, 0, 0) if t > 0.55 else (235, 235, 235)
        return Style(bgcolor=Color.from_rgb(*dark), color=Color.from_rgb(*fg))
    return Style(color=Color.from_rgb(*rgb), bold=t > 0.6)


def weight_style(w: float, scale: float, bg: bool = False) -> Style:
    """Colour for a weight: hue by sign, strength by |w| / scale (quantised for caching)."""
    q = 0 if scale <= 0 else int(max(-20, min(20, round(20 * w / scale))))
    return _weight_style(q, bg)


@lru_cache(maxsize=512)
def _prob_rgb(q: int) -> tuple[int, int, int]:
    t = q / 100
    base = (30, 30, 34)
    return _mix(base, POS, (t - 0.5) * 2) if t >= 0.5 else _mix(base, NEG, (0.5 - t) * 2)


def prob_rgb(p: float) -> tuple[int, int, int]:
    """Background for a prediction ŷ ∈ [0, 1]: orange (0) through dark to blue (1)."""
    if p != p:  # NaN
        return (60, 0, 60)
    return _prob_rgb(int(max(0, min(100, round(p * 100)))))
