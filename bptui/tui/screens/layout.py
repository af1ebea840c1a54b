"""Where the main screen's panels go, for a terminal size and a scenario: a pure function,
so the rule can be read and tested without a screen."""

from __future__ import annotations

from dataclasses import dataclass

COMPACT_W, COMPACT_H = 100, 30  # below either: one panel at a time (tabs, keys 1-4)


@dataclass(frozen=True)
class Grid:
    compact: bool
    columns: str = "1fr"  # grid-columns
    rows: str = "1fr"  # grid-rows
    size: tuple[int, int] = (1, 1)  # grid-size: columns, rows


def grid(width: int, height: int, plane: bool, network_wants: int) -> Grid:
    """Wide: the first column is what the network drawing needs (`network_wants`, 0 when
    it draws heatmaps), between 30 % and 55 % of the width (60 % for 2-D data, with unit
    thumbnails). For 2-D data the network runs the full height on the left and the boundary
    and plots share the right. Small terminals: one panel at a time."""
    if width < COMPACT_W or height < COMPACT_H:
        return Grid(compact=True)
    share = 0.6 if plane else 0.55
    cols = network_wants + 6 if network_wants else int(width * 0.42)  # borders, padding, scrollbar
    cols = max(int(width * 0.3), min(int(width * share), cols))
    if plane:
        return Grid(False, f"{cols} 3fr 2fr", "1fr 1fr", (3, 2))
    return Grid(False, f"{cols} 1fr", f"1fr {max(12, min(18, height // 3))}", (2, 2))


def network_room(width: int, plane: bool) -> int:
    """The most columns the network drawing may ask for."""
    return int(width * (0.6 if plane else 0.55)) - 6
