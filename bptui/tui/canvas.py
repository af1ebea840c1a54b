"""A character grid with box-drawing lines that join where they cross, as lines of segments."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

# box characters by the directions they connect: (up, down, left, right)
_BOX = {
    (0, 0, 1, 1): "─",
    (1, 1, 0, 0): "│",
    (0, 1, 0, 1): "┌",
    (0, 1, 1, 0): "┐",
    (1, 0, 0, 1): "└",
    (1, 0, 1, 0): "┘",
    (1, 1, 0, 1): "├",
    (1, 1, 1, 0): "┤",
    (0, 1, 1, 1): "┬",
    (1, 0, 1, 1): "┴",
    (1, 1, 1, 1): "┼",
    (0, 0, 0, 1): "─",
    (0, 0, 1, 0): "─",
    (1, 0, 0, 0): "│",
    (0, 1, 0, 0): "│",
}


class Canvas:
    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles: list[list[Style | None]] = [[None] * width for _ in range(height)]
        self.dirs: dict[tuple[int, int], list[int]] = {}

    def text(self, x: int, y: int, s: str, style: Style | str | None = None) -> None:
        if not 0 <= y < self.h:
            return
        st = Style.parse(style) if isinstance(style, str) else style
        for i, ch in enumerate(s):
            if 0 <= x + i < self.w:
                self.chars[y][x + i] = ch
                self.styles[y][x + i] = st
                self.dirs.pop((x + i, y), None)

    def _line(self, x: int, y: int, d: tuple[int, int, int, int], style) -> None:
        if not (0 <= x < self.w and 0 <= y < self.h):
            return
        cur = self.dirs.get((x, y))
        if cur is None:
            if self.chars[y][x] != " ":
                return  # never draw over text
            cur = [0, 0, 0, 0]
            self.dirs[(x, y)] = cur
        for i in range(4):
            cur[i] |= d[i]
        self.chars[y][x] = _BOX.get(tuple(cur), "┼")
        if style is not None:
            self.styles[y][x] = Style.parse(style) if isinstance(style, str) else style

    def hline(self, x0: int, x1: int, y: int, style=None) -> None:
        if x0 > x1:
            x0, x1 = x1, x0
        for x in range(x0, x1 + 1):
            self._line(x, y, (0, 0, int(x > x0), int(x < x1)), style)

    def vline(self, x: int, y0: int, y1: int, style=None) -> None:
        if y0 > y1:
            y0, y1 = y1, y0
        for y in range(y0, y1 + 1):
            self._line(x, y, (int(y > y0), int(y < y1), 0, 0), style)

    def box(self, x: int, y: int, w: int, h: int, style=None) -> None:
        self.hline(x, x + w - 1, y, style)
        self.hline(x, x + w - 1, y + h - 1, style)
        self.vline(x, y, y + h - 1, style)
        self.vline(x + w - 1, y, y + h - 1, style)

    def segments(self) -> list[list[Segment]]:
        """The grid as lines of segments, one per run of equal style (no wrapping needed)."""
        out = []
        for y in range(self.h):
            row, styles = self.chars[y], self.styles[y]
            line, start = [], 0
            for x in range(1, self.w + 1):
                if x == self.w or styles[x] != styles[start]:
                    line.append(Segment("".join(row[start:x]), styles[start]))
                    start = x
            out.append(line)
        return out
