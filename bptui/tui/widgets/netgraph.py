"""The network panel's node-and-edge drawing, in two parts: a skeleton drawn once per layout
(boxes, edges, titles, names; the edges' colours left as slots, one per weight) and, at every
update, a copy of it dressed with the numbers, the edges' colours and the thumbnails.

While playing only the numbers and their colours change, so an update copies the skeleton's
grid, writes some forty values and re-segments only the rows they are on. The drawing is the
same as when drawn whole: values are never on a line's cell (they sit inside the boxes and
before the inputs' edges, whose start depends on the inputs' widths, part of the skeleton's
key), so writing them last changes no line. The skeletons are kept in a small dict (the
layouts met lately: each input value's width picks one), emptied when it grows past SKELETONS.
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

import numpy as np
from rich.style import Style

from ...teach.notation import CHANGED_W, Notation, num, weight_text
from ..canvas import Canvas

THUMB_W, THUMB_H = 6, 4  # a hidden unit's thumbnail: 6 × 8 pixels in 6 × 4 cells
SCREEN_H = 36  # the rows a tall drawing centres its columns on
CENTRE_SPARE = 8  # columns to spare from which the drawing is centred in its panel
VAL_W, W_W = 8, CHANGED_W  # room for a value (num: -0.00305, -1.77e-5) and a weight (changed: +0.100035)
SKELETONS = 16  # skeletons kept (layouts × the inputs' widths met); more empty the cache


class Layout(NamedTuple):
    """Where the drawing's parts go (columns and rows of the canvas)."""

    thumbs: bool  # the hidden units' thumbnails inside their boxes
    need: int  # the width the drawing needs
    H: int  # its height
    in_w: int  # the inputs' column
    cols: list  # per layer: (box width, box height)
    gaps: list  # per layer: the columns for the edges' lanes before its boxes
    heights: list  # per column (inputs, then layers): the rows its units span
    pitch: list  # per layer: rows from one box's top to the next's
    xs: list  # per layer: the boxes' left edge
    N: Notation  # every name (weights, biases, units)
    src: list  # the inputs' names


class Slot(NamedTuple):
    """An edge cell's colour, decided at each update by weight (l, i, j)."""

    l: int
    i: int
    j: int


class Skeleton(NamedTuple):
    cv: Canvas  # boxes, edges, titles and names; edge colours as Slots
    lines: list  # cv's segments (the rows no value touches are these)
    slots: list  # (y, x, Slot) of every slot cell
    values: list  # (x, y, key, kind): kind x (input), w, b (weights), h, a (unit values)
    thumbs: list  # (x, y, rows, l, j)
    outs: list  # the output boxes' anchors (targets under them)
    rows: frozenset  # the rows values, slots and thumbnails are on


def fit(v: float) -> str:
    """A value as the seeds print it, in at most VAL_W characters."""
    s = num(v)
    return s if len(s) <= VAL_W else num(v, 2)


def top_row(lay: Layout, col: int) -> int:
    """A column's first row: centred on the drawing's first SCREEN_H rows (all of it when
    it is shorter), so a tall drawing shows its inputs and output without scrolling."""
    return max(0, (min(lay.H, SCREEN_H) - lay.heights[col]) // 2)


class GraphDrawing:
    """NetworkView's graph: needs its `tr`, `pal`, `_prev` (the values shown), `_st`, `_vst`,
    `_measure`, `_has_thumbs`, `_thumbnails`, `_thumb_styles`, `_record_step` and
    `before_update`."""

    _skeletons: dict | None = None

    def drop_skeletons(self) -> None:
        """Forget every skeleton: the next update draws one afresh."""
        self._skeletons = {}

    def _graph(self, width: int, with_thumbs: bool = True) -> list | None:
        """The drawing as lines of segments; None when it is drawn as matrices."""
        lay = self._measure(with_thumbs and self._has_thumbs())
        self.wants = lay.need if lay is not None else 0
        if lay is None:
            return None
        if lay.need > width and lay.thumbs:
            return self._graph(width, with_thumbs=False)  # no room for thumbnails: drop them
        if lay.need > width:
            return None
        if lay.thumbs and (self.thumbs_stale or self._thumbs is None):  # at the plots' pace in play
            self._thumbs, self.thumbs_stale = self._thumbnails(), False
        spare = width - lay.need  # much room to spare (a tab of its own): the drawing centred
        off = spare // 2 if spare >= CENTRE_SPARE else 0
        caption = self._caption(lay, width - off)
        sk = self._skeleton(lay, width - off)
        cv = sk.cv.copy()
        self._dress(sk, cv)
        rows = self._draw_targets(cv, lay, sk.outs)
        if not caption and not off:
            return cv.segments(sk.lines, sk.rows | rows)
        if caption:  # on the drawing's blank last row when it has one: the panel keeps its height
            y = lay.H - 1 if not "".join(cv.chars[lay.H - 1]).strip() else lay.H
            cv.grow(len(caption))
            for i, line in enumerate(caption):
                cv.text(0, y + i, line, self.pal.dim)
            cv.crop(y + len(caption))
        cv.indent(off)
        return cv.segments()

    def _caption(self, lay: Layout, width: int) -> list[str]:
        """Lesson mode after the update: the weights drawn are the new ones, the unit values
        (dimmed) those the forward pass found with the weights before it; the caption says so."""
        if not self.before_update:
            return []
        N = lay.N
        names = ", ".join(s(l) for l in range(self.tr.net.L) for s in (N.h, N.a))
        return textwrap.wrap(f"new weights · {names}: from before the update", width)

    def _draw_targets(self, cv: Canvas, lay: Layout, outs: list) -> set[int]:
        """The target and the error under each output's box (once the lesson shows y); the
        rows drawn on."""
        st, rows = self._record_step(self.tr), set()
        for j, (_, oy) in enumerate(outs):
            yv = self._prev.get(f"y{j}")
            if yv is None or yv == "·":
                continue
            yn, bx = lay.N.y(j), lay.xs[-1]
            cv.text(bx, oy + 2, f"{yn} {yv}", self.pal.label)
            err = float(np.ravel(st.y)[j] - st.trace.yhat[0, j])
            cv.text(bx, oy + 3, f"error {fit(err)}", self.pal.dim)
            rows |= {oy + 2, oy + 3}
        return rows

    # ---- the skeleton: once per layout -----------------------------------------------------
    def _skeleton(self, lay: Layout, width: int) -> Skeleton:
        net = self.tr.net
        lens = tuple(len(self._prev.get(f"x{j}", "·")) for j in range(net.sizes[0]))
        key = (
            width,
            self.pal,
            tuple(net.sizes),
            net.b is not None,
            tuple(lay.src),
            lay.thumbs,
            lay.in_w,
            lens,
        )
        if self._skeletons is None or len(self._skeletons) >= SKELETONS and key not in self._skeletons:
            self._skeletons = {}
        sk = self._skeletons.get(key)
        if sk is None:
            sk = self._skeletons[key] = self._draw_skeleton(lay, width, lens)
        return sk

    def _draw_skeleton(self, lay: Layout, width: int, lens: tuple) -> Skeleton:
        cv, values, thumbs = Canvas(width, lay.H), [], []
        anchors = [self._skel_inputs(cv, lay, lens, values)]
        for l in range(self.tr.net.L):
            anchors.append(self._skel_layer(cv, lay, l, anchors[l], values, thumbs))
        slots = [(y, x, s) for y, row in enumerate(cv.styles) for x, s in enumerate(row) if type(s) is Slot]
        rows = {y for y, _, _ in slots} | {v[1] for v in values}
        rows |= {y + r for _, y, n, _, _ in thumbs for r in range(min(n, THUMB_H))}
        return Skeleton(cv, cv.segments(), slots, values, thumbs, anchors[-1], frozenset(rows))

    def _skel_inputs(self, cv: Canvas, lay: Layout, lens: tuple, values: list) -> list:
        """The input names, spread over the height; their values' places; their edges' anchors."""
        top, out = top_row(lay, 0), []
        for j, name in enumerate(lay.src):
            y = top + 2 * j
            cv.text(0, y, name, self.pal.label)
            values.append((len(name) + 1, y, f"x{j}", "x", (j,)))
            out.append((len(name) + 1 + lens[j], y))
        return out

    def _skel_layer(self, cv: Canvas, lay: Layout, l: int, srcs: list, values: list, thumbs: list) -> list:
        """Layer l's unit boxes: one port row per incoming weight, its edge (coloured by the
        weight: a Slot) from the source's own lane; then the bias, h (z) and a (ŷ) rows.
        Returns the outgoing anchors."""
        net, pal, N = self.tr.net, self.pal, lay.N
        (bw, bh), bx = lay.cols[l], lay.xs[l]
        top, lane0 = top_row(lay, l + 1), bx - lay.gaps[l] + 2
        out = []
        for j in range(net.sizes[l + 1]):
            by = top + j * lay.pitch[l]
            cv.box(bx, by, bw, bh, pal.dim)
            cv.text(bx + 2, by, f" {N.title(l, j)} ", pal.label)
            for i in range(net.sizes[l]):
                py, name = by + 1 + i, N.weight(l, i, j)
                cv.text(bx + 2, py, name, pal.dim)
                values.append((bx + 3 + len(name), py, f"w{l},{i},{j}", "w", Slot(l, i, j)))
                lane, (sx, sy) = lane0 + i, srcs[i]
                cv.hline(lane, bx, py, Slot(l, i, j))
                cv.vline(lane, min(sy, py), max(sy, py), pal.dim)
                cv.hline(sx + 1, lane, sy, pal.dim)
            if net.b is not None:
                py, name = by + 1 + net.sizes[l], N.bias(l, j)
                cv.text(bx + 2, py, name, pal.dim)
                values.append((bx + 3 + len(name), py, f"b{l},{j}", "b", (l, j)))
            vy = by + bh - 3
            for dy, s, kind, st in ((0, N.h(l), "h", pal.dim), (1, N.a(l), "a", pal.label)):
                name = N.unit(s, l, j)
                cv.text(bx + 2, vy + dy, name, st)
                values.append((bx + 3 + len(name), vy + dy, f"{kind}{l},{j}", kind, (l, j)))
            if lay.thumbs and l < net.L - 1:
                thumbs.append((bx + bw - THUMB_W - 2, by + 1, bh - 2, l, j))
            out.append((bx + bw - 1, vy + 1))
        return out

    # ---- each update ---------------------------------------------------------------------
    def _dress(self, sk: Skeleton, cv: Canvas) -> None:
        """The numbers, the edges' colours and the thumbnails on a copy of the skeleton."""
        net, pal, vals = self.tr.net, self.pal, self._prev
        scale = max(float(np.abs(w).max()) for w in net.W) or 1.0
        edges: dict[Slot, Style] = {}

        def edge(s: Slot) -> Style:
            es = edges.get(s)
            if es is None:  # dim when L1 killed it
                dead = vals.get(f"w{s.l},{s.i},{s.j}") == "dead"
                es = edges[s] = pal.dim if dead else pal.weight_style(net.W[s.l][s.i, s.j], scale)
            return es

        styles = cv.styles
        for y, x, s in sk.slots:
            styles[y][x] = edge(s)
        for x, y, key, kind, at in sk.values:
            if kind == "w":
                v = vals.get(key) or weight_text(net.W[at.l][at.i, at.j])
                cv.text(x, y, v, self._st(key, edge(at)))
            elif kind == "b":
                b = net.b[at[0]][at[1]]
                cv.text(x, y, vals.get(key) or weight_text(b), self._st(key, pal.weight_style(b, scale)))
            elif kind == "x":
                cv.text(x, y, vals.get(key, "·"), self._st(key))
            else:
                cv.text(x, y, vals.get(key, "·"), self._vst(key, pal.label if kind == "a" else None))
        for x, y, rows, l, j in sk.thumbs:
            cells = self._thumb_styles(l, j)
            for r in range(min(rows, THUMB_H)):
                cv.text(x, y + r, "▀" * THUMB_W)
                styles[y + r][x : x + THUMB_W] = cells[r]
