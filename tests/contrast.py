"""WCAG contrast of what the screen really shows: every cell the compositor renders, with
its colours as drawn (the compositor has already resolved transparent backgrounds, `dim` and
ANSI colours to the RGB the terminal gets; `reverse` is swapped here)."""

from __future__ import annotations

from dataclasses import dataclass

from textual._compositor import visible_screen_stack

from bptui.tui.style import contrast


def graphic(ch: str) -> bool:
    """Not text: spaces, box drawing, block elements (the heatmaps' ▀, bars), braille (plot
    lines). WCAG asks 3:1 of graphics, 4.5:1 of text."""
    o = ord(ch)
    return ch.isspace() or 0x2500 <= o <= 0x259F or 0x2800 <= o <= 0x28FF or ch == "▏"


@dataclass
class Run:
    x: int
    y: int
    text: str
    fg: tuple[int, int, int]
    bg: tuple[int, int, int]

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)


def runs(app, region=None) -> list[Run]:
    """Every run of text on the screen (within `region` if given), graphics left out."""
    screen = app.screen
    visible_screen_stack.set(app._background_screens)
    update = screen._compositor.render_full_update()
    out = []
    for y, chops in enumerate(update.strips):
        x = 0
        for strip in chops:
            for seg in strip:
                text, style = seg.text, seg.style
                n = seg.cell_length
                if style is None or all(graphic(c) for c in text):
                    x += n
                    continue
                if region is not None and not (
                    region.y <= y < region.bottom and region.x <= x < region.right
                ):
                    x += n
                    continue
                fg, bg = style.color, style.bgcolor
                if style.reverse:
                    fg, bg = bg, fg
                assert fg is not None and fg.triplet is not None, f"unresolved colour at {x},{y}: {text!r}"
                assert bg is not None and bg.triplet is not None, (
                    f"unresolved background at {x},{y}: {text!r}"
                )
                if fg.triplet != bg.triplet:  # else it draws nothing (a toggle that is off)
                    out.append(Run(x, y, text, tuple(fg.triplet), tuple(bg.triplet)))
                x += n
    return out
