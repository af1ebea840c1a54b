"""A widget that shows a Rich Text (or ready lines of segments) through cached strips.

Textual's generic content pipeline re-wraps and re-styles a long Text on every paint; here
the Text is rendered to lines once per update (and per width) and `render_line` hands out
the cached strips. An update repaints only the lines that differ from the ones shown (a
line of segments equal to one shown before reuses its strip), so Textual re-styles and the
compositor redraws only those; a layout pass is requested only when the number of lines
changes. While `hold` is set (play), the height never shrinks: a line fewer is drawn blank
instead of moving every panel below."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from ..style import Palette, palette

HOLD_SPARE = 3  # while held, a growing view takes this many blank lines more than it needs


class StripView(Widget):
    DEFAULT_CSS = "StripView { height: auto; }"

    def __init__(self, **kw):
        super().__init__(**kw)
        self._text = Text("")
        self._strips: tuple[int, list[Strip]] | None = None
        self._known: dict[tuple, Strip] = {}  # a line's segments → its strip (the last update's lines)
        self._known_base = None  # the widget's style those strips were made with
        self._over: dict = {}
        self._pal: tuple[str, Palette] | None = None
        self.hold = False  # keep the height while lines come and go (play)

    def set_text(self, text: Text) -> None:
        shown = self._strips[1] if self._strips else None
        self._text = text
        self._strips = None
        if not self.size.width:
            self.refresh(layout=True)
            return
        self._repaint(shown, self.lines(self.size.width))

    def set_segments(self, lines: list[list[Segment]], width: int) -> None:
        """Lines of ready segments (already fitted to `width`): no wrapping pass at all."""
        shown = self._strips[1] if self._strips else None
        self._text = None
        self._strips = (width, self._to_strips(lines))
        self._repaint(shown, self._strips[1])

    def _to_strips(self, lines) -> list[Strip]:
        """Strips for lines of segments, with the widget's colours under the text's; a line
        met in the last update keeps its strip (and its cached rendering)."""
        base, new, over = self.rich_style, {}, {None: self.rich_style}
        if self._known_base != base:
            self._known, self._over = {}, {}
        known, was = self._known, self._over  # over: a segment's style → base + it
        plain = base.without_color == Style()  # then a style with both colours is base + it
        out = []
        for line in lines:
            key = tuple(line)
            strip = known.get(key) or new.get(key)
            if strip is None:
                segs = []
                for text, style, control in line:
                    st = over.get(style)
                    if st is None:
                        whole = plain and style.color is not None and style.bgcolor is not None
                        st = over[style] = style if whole else was.get(style) or base + style
                    segs.append(Segment(text, st, control))
                strip = Strip(segs)
            new[key] = strip
            out.append(strip)
        # both caches keep only this update's lines and styles: a picture whose colours change
        # at every update (the boundary while playing) would otherwise grow them without end
        self._known, self._over, self._known_base = new, over, base
        return out

    def _repaint(self, shown: list[Strip] | None, lines: list[Strip]) -> None:
        """Refresh the lines that changed; a layout pass if the number of lines did."""
        if shown is None or len(shown) != len(lines):
            if self.hold and shown is not None:  # grow with room to spare, never shrink
                rows = len(shown) if len(lines) < len(shown) else len(lines) + HOLD_SPARE
                lines.extend([Strip.blank(self.size.width, self.rich_style)] * (rows - len(lines)))
            if shown is None or len(shown) != len(lines):
                self.refresh(layout=True)
                return
        w = self.size.width
        dirty = [Region(0, y, w, 1) for y, (a, b) in enumerate(zip(shown, lines)) if a is not b]
        if dirty:
            self.refresh(*dirty)

    @property
    def pal(self) -> Palette:
        """The colours of the app's active theme (looked up again when the theme changes)."""
        name = self.app.theme
        if self._pal is None or self._pal[0] != name:
            self._pal = (name, palette(self.app))
        return self._pal[1]

    def restyle(self) -> None:
        """The theme changed: draw again in its colours (subclasses rebuild their text)."""
        self._pal = None
        if self._text is not None:
            self._strips = None
            self.refresh()

    @property
    def text(self) -> Text | None:
        return self._text

    def lines(self, width: int) -> list[Strip]:
        if self._text is None and self._strips is not None:
            return self._strips[1]  # set_segments: fixed lines, cropped by the container
        if self._strips is None or self._strips[0] != width:
            self._strips = (width, self._to_strips(self._render(self._text, max(1, width))))
        return self._strips[1]

    def _render(self, text: Text, width: int) -> list[list[Segment]]:
        """The text's lines as segments: a line that fits the width as it is (most do: the
        panels break their lines themselves), a longer one wrapped by Rich."""
        console = self.app.console
        opts = console.options.update_width(width)
        out, plain = [], text.justify in (None, "default", "left")
        for line in text.split("\n", allow_blank=True):
            if plain and line.cell_len <= width and "\t" not in line.plain:
                out.append([seg for seg in line.render(console, end="") if seg.text])
            else:  # as the whole text would be: wrapped, or cropped when it does not wrap
                line.justify, line.overflow, line.no_wrap = text.justify, text.overflow, text.no_wrap
                out.extend(console.render_lines(line, opts, pad=False))
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    _remeasure = False  # a layout pass is asked for: the height laid out is not the text's

    def render_line(self, y: int) -> Strip:
        lines = self.lines(self.size.width)
        if len(lines) != self.size.height and not self._remeasure and self._auto_height():
            # Laid out with a stale height (Textual keeps a measure taken while a layout was
            # already pending): the panel would end before the text does, so End stops short.
            self._remeasure = True
            self.call_after_refresh(self._measure_again)
        return lines[y] if y < len(lines) else Strip.blank(self.size.width, self.rich_style)

    def _auto_height(self) -> bool:
        height = self.styles.height
        return height is not None and height.is_auto

    def _measure_again(self) -> None:
        self._remeasure = False
        if len(self.lines(self.size.width)) != self.size.height:
            self.refresh(layout=True)
