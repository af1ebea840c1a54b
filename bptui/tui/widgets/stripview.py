"""A widget that shows a Rich Text through cached strips.

Textual's generic content pipeline re-wraps and re-styles a long Text on every paint; here
the Text is rendered to lines once per update (and per width), `render_line` hands out the
cached strips, and a layout pass is requested only when the number of lines changes."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from ..style import Palette, palette


class StripView(Widget):
    DEFAULT_CSS = "StripView { height: auto; }"

    def __init__(self, **kw):
        super().__init__(**kw)
        self._text = Text("")
        self._strips: tuple[int, list[Strip]] | None = None

    def set_text(self, text: Text) -> None:
        before = len(self._strips[1]) if self._strips else -1
        self._text = text
        self._strips = None
        after = len(self.lines(self.size.width)) if self.size.width else -2
        self.refresh(layout=after != before)

    def set_segments(self, lines: list, width: int) -> None:
        """Lines of ready segments (already fitted to `width`): no wrapping pass at all."""
        before = len(self._strips[1]) if self._strips else -1
        base = self.rich_style
        self._text = None
        self._strips = (width, [Strip(line).apply_style(base) for line in lines])
        self.refresh(layout=len(lines) != before)

    @property
    def pal(self) -> Palette:
        """The colours of the app's active theme."""
        return palette(self.app)

    def restyle(self) -> None:
        """The theme changed: draw again in its colours (subclasses rebuild their text)."""
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
            console = self.app.console
            opts = console.options.update_width(max(1, width))
            rendered = console.render_lines(self._text, opts, pad=False)
            base = self.rich_style  # the widget's colours from the stylesheet, under the text's
            self._strips = (width, [Strip(line).apply_style(base) for line in rendered])
        return self._strips[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        lines = self.lines(self.size.width)
        return lines[y] if y < len(lines) else Strip.blank(self.size.width, self.rich_style)
