"""Every colour the panels draw, computed from the active Textual theme.

Values keep TF Playground's scale (blue: positive / class 1, orange: negative / class 0,
strength by magnitude), which reads well with the common colour-vision deficiencies; it is
mixed toward the theme's background, so a light theme gets light cells and a dark one dark.
Every colour text is drawn in is moved toward black or white until it has a WCAG contrast
ratio of at least 4.5:1 against what it is drawn on. Widgets ask `palette(app)`; it is
cached per theme, so switching themes costs one palette, not a palette per paint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rich.color import Color
from rich.style import Style

RGB = tuple[int, int, int]
POS = (78, 161, 255)  # blue: positive weight / class 1
NEG = (255, 150, 60)  # orange: negative weight / class 0
YELLOW = (230, 200, 80)  # a value that just changed
GREEN = (120, 220, 160)  # lesson mode: what the step uses
MAGENTA = (170, 0, 170)  # NaN
AA = 4.6  # WCAG AA asks 4.5:1 for text; a little over, for rounding to whole channels


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance of an sRGB colour (0: black, 1: white)."""

    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """The colour a fraction t of the way from a to b."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


@lru_cache(maxsize=4096)
def readable(c: RGB, bgs: tuple[RGB, ...], ratio: float = AA) -> RGB:
    """c, moved toward black (on light backgrounds) or white (on dark) just far enough to
    reach `ratio` against every background in `bgs`."""
    if min(contrast(c, b) for b in bgs) >= ratio:
        return c
    light = sum(luminance(b) for b in bgs) / len(bgs) > 0.18
    end = (0, 0, 0) if light else (255, 255, 255)
    lo, hi = 0.0, 1.0
    for _ in range(12):
        t = (lo + hi) / 2
        if min(contrast(mix(c, end, t), b) for b in bgs) >= ratio:
            hi = t
        else:
            lo = t
    return mix(c, end, hi)


def ink(bg: RGB, prefer: tuple[RGB, ...] = ()) -> RGB:
    """The colour to write on a filled cell: the first of `prefer` that reaches AA, else
    black or white, whichever contrasts more (one of them always reaches 4.58:1)."""
    for c in prefer:
        if contrast(c, bg) >= AA:
            return c
    return max(((0, 0, 0), (255, 255, 255)), key=lambda c: contrast(c, bg))


def _rgb(c: RGB) -> Color:
    return Color.from_rgb(*c)


def fg(c: RGB, **kw) -> Style:
    return Style(color=_rgb(c), **kw)


def on(bg: RGB, prefer: tuple[RGB, ...] = (), **kw) -> Style:
    """A filled cell: background bg, text in the colour that reads on it."""
    return Style(color=_rgb(ink(bg, prefer)), bgcolor=_rgb(bg), **kw)


@dataclass(eq=False)
class Palette:
    """The colours of one theme. bg is what the panels are drawn on; text colours also
    reach AA on the theme's surface and panel (dialogs, the status line)."""

    name: str
    dark: bool
    bg: RGB
    surface: RGB
    panel: RGB
    text: RGB
    primary: RGB
    success: RGB
    error: RGB
    cursor: RGB
    grounds: tuple[RGB, ...] = ()
    _weights: dict = field(default_factory=dict, repr=False)
    _probs: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        g = self.grounds = (self.bg, self.surface, self.panel)
        self.mid = readable(mix(self.text, self.bg, 0.45), g)  # neutral values, rules
        self.dim = fg(readable(mix(self.text, self.bg, 0.4), g))  # formulas, hints, names
        self.label = Style(bold=True)
        self.value = Style(bold=True)
        self.section = fg(readable(self.primary, g), bold=True)  # headings
        self.changed = on(mix(self.bg, YELLOW, 0.9), (self.bg, self.text), bold=True)
        self.focus = on(mix(self.bg, GREEN, 0.9), (self.bg, self.text), bold=True)
        self.good = fg(readable(self.success, g), bold=True)
        self.bad = fg(readable(self.error, g), bold=True)
        self.note = fg(readable(self.success, g), italic=True)  # the lesson's sentence
        self.selected = on(self.cursor, (self.text, self.bg), bold=True)  # the record table's row
        self.state = {
            "paused": self.section,
            "running": self.good,
            "diverged": on(self.error, (self.text, self.bg), bold=True),
        }
        # class colours as pixels (points, plot lines): at least 3:1 against the background
        self.pos = readable(POS, (self.bg,), 3.0)
        self.neg = readable(NEG, (self.bg,), 3.0)
        self.pos_text, self.neg_text = readable(POS, g), readable(NEG, g)
        # mistakes: yellow on a dark field (as seed 003), the text colour on a light one
        self.mistake = (255, 230, 0) if self.dark else readable(self.text, (self.bg,), 7.0)

    # ---- values --------------------------------------------------------------------------
    def weight_style(self, w: float, scale: float, bg: bool = False) -> Style:
        """A weight: hue by sign, strength by |w| / scale (quantised for caching); bg=True
        fills the cell instead of colouring the text."""
        q = 0 if scale <= 0 else int(max(-20, min(20, round(20 * w / scale))))
        key = (q, bg)
        st = self._weights.get(key)
        if st is None:
            st = self._weights[key] = self._weight(q, bg)
        return st

    def _weight(self, q: int, bg: bool) -> Style:
        t = min(1.0, abs(q) / 20) ** 0.6
        hue = POS if q >= 0 else NEG
        if bg:
            return on(mix(self.bg, hue, 0.15 + 0.7 * t), (self.text, self.bg))
        return fg(readable(mix(self.mid, hue, t), self.grounds), bold=t > 0.6)

    def prob_rgb(self, p: float) -> RGB:
        """A prediction ŷ ∈ [0, 1] as a colour: orange (0) through the background to blue (1)."""
        if p != p:  # NaN
            return mix(self.bg, MAGENTA, 0.6)
        q = int(max(0, min(100, round(p * 100))))
        rgb = self._probs.get(q)
        if rgb is None:
            t = q / 100
            rgb = mix(self.bg, POS, (t - 0.5) * 2) if t >= 0.5 else mix(self.bg, NEG, (0.5 - t) * 2)
            self._probs[q] = rgb
        return rgb


def css_variables(pal: Palette, v: dict[str, str]) -> dict[str, str]:
    """Theme variables for the stylesheet: the palette's text colours ($bptui-dim,
    $bptui-good, $bptui-on-primary for a primary button's label, $bptui-rule for panel
    borders, $bptui-key-disabled for a key that does nothing now), and Textual's key-bar and list-cursor colours moved to AA against what they are on."""

    def hexed(c: RGB) -> str:
        return "#{:02X}{:02X}{:02X}".format(*c)

    bar = _resolve(v.get("footer-background"), pal.bg) or pal.panel
    primary = _resolve(v.get("primary"), pal.bg) or pal.primary
    out = {
        "bptui-dim": hexed(pal.dim.color.triplet),
        "bptui-good": hexed(pal.good.color.triplet),
        "bptui-on-primary": hexed(ink(primary, (pal.text, pal.bg))),
        # panel borders: the primary colour, softened but at 3:1 (WCAG's ask of graphics)
        "bptui-rule": hexed(readable(mix(pal.bg, primary, 0.5), (pal.bg,), 3.0)),
    }
    for name in ("footer-key-foreground", "footer-description-foreground"):
        c = _resolve(v.get(name), bar)
        if c is not None:
            out[name] = hexed(readable(c, (bar,)))
    # a key that does nothing now: its description's colour faded toward the bar, still AA
    desc = _resolve(v.get("footer-description-foreground"), bar) or pal.text
    out["bptui-key-disabled"] = hexed(readable(mix(desc, bar, 0.5), (bar,)))
    cursor = _resolve(v.get("block-cursor-background"), pal.bg)
    if cursor is not None:  # the highlighted row of a list
        out["block-cursor-foreground"] = hexed(ink(cursor, (pal.text, pal.bg)))
    return out


def _resolve(value: str | None, under: RGB) -> RGB | None:
    """A theme variable's colour as RGB, blended onto `under` if it has alpha; None if it
    is not a plain colour ("auto 87%", an ANSI default)."""
    from textual.color import Color as TColor

    if not value:
        return None
    try:
        c = TColor.parse(value)
    except Exception:
        return None
    if c.ansi is not None:
        return None
    c = TColor(*under) + c if c.a < 1 else c
    return (c.r, c.g, c.b)


def _palette_for(theme) -> Palette:
    v = theme.to_color_system().generate()
    dark = theme.dark
    bg = _resolve(v.get("background"), (0, 0, 0)) or ((18, 18, 18) if dark else (240, 240, 240))
    text = _resolve(v.get("foreground"), bg) or ((224, 224, 224) if dark else (31, 31, 31))

    def get(name: str, default: RGB) -> RGB:
        return _resolve(v.get(name), bg) or default

    return Palette(
        name=theme.name,
        dark=dark,
        bg=bg,
        surface=get("surface", bg),
        panel=get("panel", bg),
        text=text,
        primary=get("text-primary", get("primary", POS)),
        success=get("text-success", get("success", GREEN)),
        error=get("text-error", get("error", (200, 40, 40))),
        cursor=get("block-cursor-background", get("primary", POS)),
    )


_PALETTES: dict[int, tuple[object, Palette]] = {}


def palette(app) -> Palette:
    """The palette of the app's active theme (built once per theme object)."""
    theme = app.current_theme
    hit = _PALETTES.get(id(theme))
    if hit is None or hit[0] is not theme:
        hit = _PALETTES[id(theme)] = (theme, _palette_for(theme))
    return hit[1]
