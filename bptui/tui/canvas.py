"""A character grid with box-drawing lines that join where they cross, as lines of segments."""

from __future__ import annotations

from itertools import groupby

from rich.segment import Segment
from rich.style import Style

# box characters by the directions they connect, as bits: up 8, down 4, left 2, right 1
_BOX = {
    0b0011: "─",
    0b1100: "│",
    0b0101: "┌",
    0b0110: "┐",
    0b1001: "└",
    0b1010: "┘",
    0b1101: "├",
    0b1110: "┤",
    0b0111: "┬",
    0b1011: "┴",
    0b1111: "┼",
    0b0001: "─",
    0b0010: "─",
    0b1000: "│",
    0b0100: "│",
}
UP, DOWN, LEFT, RIGHT = 8, 4, 2, 1


class Canvas:
    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles: list[list[Style | None]] = [[None] * width for _ in range(height)]
        self.dirs: dict[tuple[int, int], int] = {}  # a line's cell → the directions it joins

    def text(self, x: int, y: int, s: str, style: Style | str | None = None) -> None:
        if not 0 <= y < self.h:
            return
        st = Style.parse(style) if isinstance(style, str) else style
        chars, styles, dirs = self.chars[y], self.styles[y], self.dirs
        for i, ch in enumerate(s):
            if 0 <= x + i < self.w:
                chars[x + i] = ch
                styles[x + i] = st
                if dirs:
                    dirs.pop((x + i, y), None)

    def copy(self) -> Canvas:
        cv = Canvas(0, 0)
        cv.w, cv.h, cv.dirs = self.w, self.h, dict(self.dirs)
        cv.chars, cv.styles = [r[:] for r in self.chars], [r[:] for r in self.styles]
        return cv

    def grow(self, rows: int) -> None:
        """`rows` blank rows more at the bottom."""
        self.chars += [[" "] * self.w for _ in range(rows)]
        self.styles += [[None] * self.w for _ in range(rows)]
        self.h += rows

    def crop(self, height: int) -> None:
        """Keep the first `height` rows."""
        self.h = min(self.h, height)
        del self.chars[self.h :], self.styles[self.h :]
        self.dirs = {k: d for k, d in self.dirs.items() if k[1] < self.h}

    def indent(self, dx: int) -> None:
        """dx blank columns more on the left (the grid grows by as much)."""
        if dx > 0:
            self.w += dx
            self.chars = [[" "] * dx + row for row in self.chars]
            self.styles = [[None] * dx + row for row in self.styles]
            self.dirs = {(x + dx, y): d for (x, y), d in self.dirs.items()}

    def _line(self, x: int, y: int, d: int, style) -> None:
        if not (0 <= x < self.w and 0 <= y < self.h):
            return
        cur = self.dirs.get((x, y))
        if cur is None:
            if self.chars[y][x] != " ":
                return  # never draw over text
            cur = 0
        cur |= d
        self.dirs[(x, y)] = cur
        self.chars[y][x] = _BOX.get(cur, "┼")
        if style is not None:
            self.styles[y][x] = Style.parse(style) if isinstance(style, str) else style

    def hline(self, x0: int, x1: int, y: int, style=None) -> None:
        if x0 > x1:
            x0, x1 = x1, x0
        for x in range(x0, x1 + 1):
            self._line(x, y, (LEFT if x > x0 else 0) | (RIGHT if x < x1 else 0), style)

    def vline(self, x: int, y0: int, y1: int, style=None) -> None:
        if y0 > y1:
            y0, y1 = y1, y0
        for y in range(y0, y1 + 1):
            self._line(x, y, (UP if y > y0 else 0) | (DOWN if y < y1 else 0), style)

    def box(self, x: int, y: int, w: int, h: int, style=None) -> None:
        self.hline(x, x + w - 1, y, style)
        self.hline(x, x + w - 1, y + h - 1, style)
        self.vline(x, y, y + h - 1, style)
        self.vline(x + w - 1, y, y + h - 1, style)

    def segments(self, known: list | None = None, rows=None) -> list[list[Segment]]:
        """The grid as lines of segments, one per run of equal style (no wrapping needed).
        With `known` (the segments of a grid this one was copied from) only `rows` are
        segmented again; the others are known's."""
        out = []
        for y, (row, styles) in enumerate(zip(self.chars, self.styles)):
            if known is not None and y not in rows:
                out.append(known[y])
                continue
            line, x = [], 0
            for st, run in groupby(styles):  # runs of equal styles (compared as == does)
                n = len(tuple(run))
                line.append(Segment("".join(row[x : x + n]), st))
                x += n
            out.append(line)
        return out
