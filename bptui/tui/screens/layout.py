"""Where the main screen's panels go, for a terminal size and a scenario: a pure function,
so the rule can be read and tested without a screen."""

from __future__ import annotations

from dataclasses import dataclass

COMPACT_W, COMPACT_H = 100, 30  # below either: one panel at a time (tabs, keys 1-4)
TALL = 50  # from this height the backward pass fits above the record and the plots
PLOTS_MIN = 9  # rows of the plots' panel when the backward pass takes the full height
PLOT_W, PLOT_H = 22, 11  # 2-D data below TALL rows: each plot's least size (3 y ticks, legend)
PLANE_RIGHT = 50  # 2-D data below TALL rows: the columns the boundary and the plots keep
BOUNDARY_MIN = 20  # 2-D data from TALL rows: the boundary under the network when it gets this many
PLANE_PLOTS = 13  # … and then the plots' rows, side by side under the backward pass


@dataclass(frozen=True)
class Grid:
    """The grid of the panels (CSS values), or compact: one panel at a time."""

    compact: bool
    columns: str = "1fr"  # grid-columns
    rows: str = "1fr"  # grid-rows
    size: tuple[int, int] = (1, 1)  # grid-size: columns, rows


def grid(width: int, height: int, plane: bool, network_wants: int, needs: tuple[int, int] = (0, 0)) -> Grid:
    """Wide: the first column is what the network drawing needs (`network_wants`, 0 when
    it draws heatmaps), between 30 % and 55 % of the width (60 % for 2-D data, with unit
    thumbnails). Without 2-D data, below TALL rows the backward pass runs the full height on
    the right, so its weight steps and pending update show whole, and the left column stacks
    the network (the rows it `needs`), the record (the rows it needs) and the plots (the
    rest); from TALL rows the backward pass sits above the record and the plots. For 2-D
    data the network runs the full height on the left, the backward pass above the boundary
    and the plots on the right; below TALL rows the right keeps PLANE_RIGHT columns and
    the plots, stacked beside the boundary, PLOT_H rows each (whole titles, legends and
    three y ticks), the backward pass the rows left above them. From TALL rows, when the
    network's drawing leaves BOUNDARY_MIN rows under it, the boundary goes there and the
    backward pass takes the right column down to the plots (PLANE_PLOTS rows, side by side),
    so its weight steps show too; this depends on the net's shape only, never on the step
    shown. Small terminals: one panel at a time."""
    if width < COMPACT_W or height < COMPACT_H:
        return Grid(compact=True)
    share = 0.6 if plane else 0.55
    cols = network_wants + 6 if network_wants else int(width * 0.42)  # borders, padding, scrollbar
    cols = max(int(width * 0.3), min(int(width * share), cols))
    room = height - 2  # the status line and the key bar
    if plane and height >= TALL:
        top = needs[0] + 2  # the network, whole
        if needs[0] and room - top >= BOUNDARY_MIN:  # grid: network | backward / boundary | plots
            return Grid(False, f"{cols} 1fr", f"{top} {room - top - PLANE_PLOTS} {PLANE_PLOTS}", (2, 3))
        return Grid(False, f"{cols} 3fr 2fr", "1fr 1fr", (3, 2))
    if plane:  # the boundary and the two plots below the backward pass take what they read in
        keep = width - PLANE_RIGHT  # (unless only the full share lets the graph be drawn)
        if not (network_wants and keep < network_wants + 6 <= int(width * share)):
            cols = max(int(width * 0.3), min(cols, keep))
        plots = max(PLOT_W, (width - cols) * 2 // 5)
        return Grid(False, f"{cols} 1fr {plots}", f"{max(6, room - 2 * PLOT_H)} 1fr", (3, 2))
    if height >= TALL:  # room for everything: the backward pass above, record and plots below
        return Grid(False, f"{cols} 1fr", f"1fr {max(14, room // 3)}", (2, 2))
    net_rows, rec_rows = needs
    net = max(8, min(net_rows + 2, room - 5 - PLOTS_MIN))
    rec = max(5, min(rec_rows + 2, room - net - PLOTS_MIN))
    return Grid(False, f"{cols} 1fr", f"{net} {rec} 1fr", (2, 3))


def network_room(width: int, plane: bool, height: int = TALL) -> int:
    """The most columns the network drawing may ask for."""
    cols = int(width * (0.6 if plane else 0.55))
    if plane and height < TALL:
        cols = max(int(width * 0.3), min(cols, width - PLANE_RIGHT))
    return cols - 6
