"""The Network panel: units and weights, as boxes and edges for small nets, heatmaps for big ones.

Each unit is a box with one row ("port") per incoming weight, so every weight's value sits
beside its own edge; each source unit has its own vertical lane, so edges never share a line.
"""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.text import Text

from ...core.explain import SUB, num
from ...core.trainer import Trainer
from ..canvas import Canvas
from ..style import CHANGED, DIM, FOCUS, LABEL, prob_rgb, weight_style
from .boundary import _cell, unit_scale
from .stripview import StripView

THUMB_W, THUMB_H = 6, 4  # a hidden unit's thumbnail: 6 × 8 pixels in 6 × 4 cells


def _sub(name: str, j: int, n: int) -> str:
    return name if n == 1 else name + str(j + 1).translate(SUB)


def _w(v: float) -> str:
    return f"{v:+.3f}" if abs(v) < 100 else f"{v:+.2e}"


class NetworkView(StripView):
    """Renders the trainer's network; `show(trainer)` pushes the numbers down."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.tr: Trainer | None = None
        self._prev: dict[str, str] = {}
        self._changed: set[str] = set()
        self._cache: tuple | None = None
        self.mode = "graph"
        self.wants = 0  # the width the graph needs (0: heatmaps)
        self.conceal: tuple[str, ...] = ()  # lesson mode: value keys (prefixes) not revealed yet
        self._thumbs: list | None = None  # the hidden units' thumbnails, and whether to redo them
        self.thumbs_stale = True
        self.focus: tuple[str, ...] = ()  # lesson mode: keys (prefixes) the step uses

    def show(self, tr: Trainer) -> None:
        self.tr = tr
        vals = self._values(tr)
        self._changed = {k for k, v in vals.items() if self._prev.get(k, v) != v}
        if self.conceal:
            vals = {k: ("·" if k.startswith(self.conceal) else v) for k, v in vals.items()}
            self._changed = set()
        self._prev = vals
        self._cache = None
        self._put(self.size.width or 200)

    # ---- the numbers ---------------------------------------------------------------------
    def _values(self, tr: Trainer) -> dict[str, str]:
        """Every number the panel shows, by key, so changes can be highlighted."""
        net = tr.net
        out = {}
        if net.n_params() > 2000:  # heatmaps: no per-weight highlighting
            return out
        for l, W in enumerate(net.W):
            for (i, j), v in np.ndenumerate(W):
                out[f"w{l},{i},{j}"] = _w(v)
            if net.b is not None:
                for j, v in enumerate(net.b[l]):
                    out[f"b{l},{j}"] = _w(v)
        st = tr.last if tr.last is not None and tr.last.kind == "record" else tr.peek()
        if st is not None:
            t = st.trace
            for j, v in enumerate(t.a[0][0]):
                out[f"x{j}"] = num(v)
            for l in range(net.L):
                for j in range(net.sizes[l + 1]):
                    out[f"h{l},{j}"] = num(t.h[l][0, j])
                    out[f"a{l},{j}"] = num(t.a[l + 1][0, j])
            for j, v in enumerate(np.ravel(st.y)):
                out[f"y{j}"] = num(v)
        return out

    def _st(self, key: str, base: Style | None = None) -> Style | None:
        if self.focus and key.startswith(self.focus):
            return FOCUS
        return CHANGED if key in self._changed else base

    # ---- layout --------------------------------------------------------------------------
    def on_resize(self) -> None:
        if self.tr is not None:  # graph or heatmaps depends on the width
            self._put(self.size.width)

    def _put(self, width: int) -> None:
        built = self._build(width)
        if isinstance(built, Canvas):
            self.set_segments(built.segments(), width)
        else:
            self.set_text(built)

    def _build(self, width: int) -> Text | Canvas:
        if self.tr is None:
            return Text("")
        if self._cache and self._cache[0] == width:
            return self._cache[1]
        graph = self._graph(width)
        self.mode = "graph" if graph is not None else "heatmap"
        text = graph if graph is not None else self._heatmaps(width)
        self._cache = (width, text)
        return text

    def _names(self) -> list[str]:
        names = self.tr.data.feature_names
        if (
            len(names) == len(set(names))
            and all(len(n) <= 7 for n in names)
            and names != [f"x{i + 1}" for i in range(len(names))]
        ):
            return list(names)
        return [_sub("x", i, len(names)) for i in range(len(names))]

    def needed_width(self, tr: Trainer, limit: int = 10_000) -> int:
        """The width the node-and-edge drawing needs (0 if the net is drawn as heatmaps):
        with the unit thumbnails when that fits in `limit`, else without."""
        self.tr, self.wants = tr, 0
        self._graph(10_000)
        if self.wants > limit:
            self._graph(10_000, with_thumbs=False)
        self._cache = None
        return self.wants

    def _graph(self, width: int, with_thumbs: bool = True) -> Canvas | None:
        net, tr = self.tr.net, self.tr
        L, sizes = net.L, net.sizes
        if max(sizes) > 10 or L > 4:
            return None
        thumbs = None
        if with_thumbs and tr.data.plane is not None and L > 1:
            if self.thumbs_stale or self._thumbs is None:  # redrawn at the plots' pace in play
                self._thumbs, self.thumbs_stale = self._thumbnails(), False
            thumbs = self._thumbs
        vals = self._prev
        scale = max(float(np.abs(w).max()) for w in net.W) or 1.0
        hname = ["h"] * (L - 1) + ["z"] if L == 2 else [f"h{l + 1}" for l in range(L - 1)] + ["z"]
        aname = ["a"] * (L - 1) + ["ŷ"] if L == 2 else [f"a{l + 1}" for l in range(L - 1)] + ["ŷ"]
        src_names = [self._names()] + [
            [_sub(aname[l], j, sizes[l + 1]) for j in range(sizes[l + 1])] for l in range(L)
        ]
        # sizes of things
        in_w = (
            max(len(n) for n in src_names[0]) + 1 + max(len(vals.get(f"x{j}", "·")) for j in range(sizes[0]))
        )
        in_w = max(in_w, 8)
        cols = []  # per layer: box width, box height
        for l in range(L):
            ports = [
                f"{src_names[l][i]} {_w(net.W[l][i, j])}"
                for i in range(sizes[l])
                for j in range(sizes[l + 1])
            ]
            vw = max(len(vals.get(f"{k}{l},{j}", "·")) for k in "ha" for j in range(sizes[l + 1])) + 3
            bw = max(max(len(p) for p in ports), vw, 6) + 4
            if thumbs is not None and l < L - 1:
                bw += THUMB_W + 1  # the unit's activation over the plane, inside its box
            bh = sizes[l] + (1 if net.b is not None else 0) + 4
            cols.append((bw, bh))
        gaps = [sizes[l] + 3 for l in range(L)]
        tail = max(0, 19 - cols[-1][0])  # "y 0.6  error -0.0123" under the output box
        need = in_w + sum(g + bw for g, (bw, _) in zip(gaps, cols)) + tail
        heights = [sizes[0] * 2 - 1] + [sizes[l + 1] * (cols[l][1] + 1) - 1 for l in range(L)]
        H = max(heights) + 1
        self.wants = need
        if need > width and thumbs is not None:
            return self._graph(width, with_thumbs=False)  # no room for thumbnails: drop them
        if need > width or H > 60:
            return None
        cv = Canvas(width, H)
        # column x positions
        xs, x = [], in_w
        for l in range(L):
            x += gaps[l]
            xs.append(x)
            x += cols[l][0]
        # input nodes, spread over the height
        anchors = []  # per column: (x_right, y) of each unit's outgoing edge
        top = (H - heights[0]) // 2
        inp = []
        for j in range(sizes[0]):
            y = top + 2 * j
            name, v = src_names[0][j], vals.get(f"x{j}", "·")
            cv.text(0, y, name, LABEL)
            cv.text(len(name) + 1, y, v, self._st(f"x{j}"))
            inp.append((len(name) + 1 + len(v), y))
        anchors.append(inp)
        # unit boxes
        for l in range(L):
            bw, bh = cols[l]
            top = (H - heights[l + 1]) // 2
            units = []
            n_src = sizes[l]
            lane0 = xs[l] - gaps[l] + 2
            for j in range(sizes[l + 1]):
                by = top + j * (bh + 1)
                bx = xs[l]
                cv.box(bx, by, bw, bh, DIM)
                title = f" {_sub(aname[l] if l == L - 1 else hname[l], j, sizes[l + 1])} "
                if l == L - 1:
                    title = f" {_sub('ŷ', j, sizes[-1])} "
                cv.text(bx + 2, by, title, LABEL)
                # ports: one row per incoming weight, the edge from the source's lane
                for i in range(n_src):
                    py = by + 1 + i
                    w = net.W[l][i, j]
                    key = f"w{l},{i},{j}"
                    cv.text(bx + 2, py, src_names[l][i], DIM)
                    cv.text(bx + 3 + len(src_names[l][i]), py, _w(w), self._st(key, weight_style(w, scale)))
                    lane = lane0 + i
                    sx, sy = anchors[l][i]
                    es = weight_style(w, scale)
                    cv.hline(lane, bx, py, es)
                    cv.vline(lane, min(sy, py), max(sy, py), DIM)
                    cv.hline(sx + 1, lane, sy, DIM)
                if net.b is not None:
                    py = by + 1 + n_src
                    v = net.b[l][j]
                    cv.text(bx + 2, py, "b", DIM)
                    cv.text(bx + 4, py, _w(v), self._st(f"b{l},{j}", weight_style(v, scale)))
                # the unit's input h (z for the output) and its output a (ŷ)
                vy = by + bh - 3
                hk, ak = f"h{l},{j}", f"a{l},{j}"
                hn = hname[l] if l < L - 1 else "z"
                an = aname[l] if l < L - 1 else "ŷ"
                cv.text(bx + 2, vy, hn, DIM)
                cv.text(bx + 3 + len(hn), vy, vals.get(hk, "·"), self._st(hk))
                cv.text(bx + 2, vy + 1, an, LABEL)
                cv.text(bx + 3 + len(an), vy + 1, vals.get(ak, "·"), self._st(ak, LABEL))
                if thumbs is not None and l < L - 1:
                    self._draw_thumb(cv, bx + bw - THUMB_W - 2, by + 1, bh - 2, thumbs[l][..., j])
                units.append((bx + bw - 1, vy + 1))
            anchors.append(units)
        # target and error beside each output
        st = tr.last if tr.last is not None and tr.last.kind == "record" else tr.peek()
        for j, (_, oy) in enumerate(anchors[-1]):
            yv = vals.get(f"y{j}")
            if yv is not None and yv != "·":  # under the output's box (once the lesson shows y)
                yn = _sub("y", j, sizes[-1])
                bx = xs[-1]
                cv.text(bx, oy + 2, f"{yn} {yv}", LABEL)
                err = float(np.ravel(st.y)[j] - st.trace.yhat[0, j])
                cv.text(bx + len(yn) + len(yv) + 3, oy + 2, f"error {num(err)}", DIM)
        return cv

    def _thumbnails(self) -> list[np.ndarray]:
        """Each hidden layer's activations over a (2·THUMB_H, THUMB_W) grid of the plane."""
        tr = self.tr
        plane = tr.data.plane
        xs = plane.lo + (np.arange(THUMB_W) + 0.5) * (plane.hi - plane.lo) / THUMB_W
        ys = plane.hi - (np.arange(2 * THUMB_H) + 0.5) * (plane.hi - plane.lo) / (2 * THUMB_H)
        P = np.column_stack([np.tile(xs, 2 * THUMB_H), np.repeat(ys, THUMB_W)])
        with np.errstate(all="ignore"):
            t = tr.net.forward(plane.featurize(P))
        out = []
        for l in range(tr.net.L - 1):
            out.append(unit_scale(t.a[l + 1], tr.net.acts[l].name).reshape(2 * THUMB_H, THUMB_W, -1))
        return out

    def _draw_thumb(self, cv: Canvas, x: int, y: int, rows: int, img: np.ndarray) -> None:
        rows = min(rows, THUMB_H)
        for r in range(rows):
            for c in range(THUMB_W):
                top, bot = prob_rgb(img[2 * r, c]), prob_rgb(img[2 * r + 1, c])
                cv.text(x + c, y + r, "▀", _cell(top, bot))

    def _heatmaps(self, width: int) -> Text:
        """Each weight matrix as a coloured grid (rows: from-units, columns: to-units)."""
        net = self.tr.net
        out = Text(no_wrap=True, overflow="crop")
        for l, W in enumerate(net.W):
            n_in, n_out = W.shape
            scale = float(np.abs(W).max()) or 1.0
            cell = 7 if 6 + n_out * 7 <= width else (3 if 6 + n_out * 3 <= width else 1)
            shown = min(n_out, max(1, (width - 6) // cell))
            out.append(f"W{l + 1}  {n_in}×{n_out}", LABEL)
            out.append(
                f"   |w| ≤ {num(scale)}" + ("" if shown == n_out else f"   (first {shown} columns)"), DIM
            )
            out.append("\n")
            rows = n_in if n_in <= 24 else 24
            for i in range(rows):
                out.append(f"{i + 1:>4}  ", DIM)
                for j in range(shown):
                    v = W[i, j]
                    txt = f"{v:+.2f} " if cell == 7 else ("██ " if cell == 3 else "█")
                    style = weight_style(v, scale, bg=cell == 7)
                    out.append(txt[:cell], style if cell == 7 else weight_style(v, scale))
                out.append("\n")
            if rows < n_in:
                out.append(f"      … {n_in - rows} more rows\n", DIM)
            if net.b is not None:
                out.append("   b  ", DIM)
                for j in range(shown):
                    v = net.b[l][j]
                    out.append(
                        (f"{v:+.2f} " if cell == 7 else "█  ")[:cell], weight_style(v, scale, bg=cell == 7)
                    )
                out.append("\n")
        out.rstrip()
        return out
