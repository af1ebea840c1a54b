"""The Network panel: units and weights, as boxes and edges for small nets, heatmaps for big ones.

Each unit is a box with one row ("port") per incoming weight, so every weight's value sits
beside its own edge; each source unit has its own vertical lane, so edges never share a line.

The rule (README): a net whose layers all have at most GRAPH_UNITS units and that has at
most GRAPH_LAYERS weight layers is drawn as boxes and edges whenever the drawing fits the
panel's width (it scrolls down when tall); otherwise as weight matrices. The room the
drawing needs is measured with every number at its widest (VAL_W, W_W), so the choice
depends on the net's shape and the panel's width only, never on the values shown.
"""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.text import Text

from ...core.trainer import Trainer
from ...teach.notation import Notation, weight_text
from .boundary import cell_style, unit_scale
from .heatmaps import heatmaps
from .netgraph import THUMB_H, THUMB_W, VAL_W, W_W, GraphDrawing, Layout, fit
from .stripview import StripView

GRAPH_UNITS, GRAPH_LAYERS = 10, 4  # wider or deeper nets are drawn as weight matrices


class NetworkView(GraphDrawing, StripView):
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
        self._thumb_cells: tuple = (None, None, {})  # (palette, thumbnails, (l, j) → cell styles)
        self._in_w: tuple | None = None  # (the data, its inputs' widths)
        self.focus: tuple[str, ...] = ()  # lesson mode: keys (prefixes) the step uses
        self._step = None  # the trainer's last step when last shown
        self._shown: tuple | None = None  # the weights when last shown
        self._before: tuple | None = None  # the weights before the last step
        self._drawn: dict[str, str] = {}  # what was drawn before the last step

    lesson_step = None  # lesson mode: the record Step being narrated (its values are drawn)
    before_update = False  # lesson mode: the weights drawn are after the update, the values before it

    def _record_step(self, tr: Trainer):
        """The record whose forward pass is drawn: the lesson's, the last stepped, or the next."""
        if self.lesson_step is not None:
            return self.lesson_step
        return tr.last if tr.last is not None and tr.last.kind == "record" else tr.peek()

    def forget(self) -> None:
        """A new start (scenario, reset): nothing counts as changed at the next `show`."""
        self._prev = {}

    def show(self, tr: Trainer) -> None:
        self.tr = tr
        if tr.last is not self._step:  # a new step: its changes are against the weights before it
            self._step, self._before = tr.last, self._shown if tr.last is not None else None
            self._drawn = self._prev
        self._shown = tr.net.params()
        vals = self._values(tr)
        # weights and biases: changed by the last step; the other values: since last shown
        self._changed = self._moved | {
            k for k, v in vals.items() if k[0] not in "wb" and self._prev.get(k, v) != v
        }
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
        self._moved: set[str] = set()  # weights and biases the last step changed
        if net.n_params() > 2000:  # heatmaps: no per-weight highlighting
            return out
        W0, b0 = self._before if self._before is not None else (None, None)
        for l, W in enumerate(net.W):
            old = W0[l] if W0 is not None and l < len(W0) and W0[l].shape == W.shape else None
            dead = tr.dead[l] if tr.dead is not None else np.zeros(W.shape, dtype=bool)
            for (i, j), v in np.ndenumerate(W):  # a changed weight with the digits that show it
                key = f"w{l},{i},{j}"
                was = None if old is None else old[i, j]
                out[key] = "dead" if dead[i, j] else weight_text(v, was, shown=self._drawn.get(key))
                if old is not None and old[i, j] != v:
                    self._moved.add(f"w{l},{i},{j}")
            if net.b is not None:
                oldb = b0[l] if b0 is not None and l < len(b0) and b0[l].shape == net.b[l].shape else None
                for j, v in enumerate(net.b[l]):
                    was = None if oldb is None else oldb[j]
                    out[f"b{l},{j}"] = weight_text(v, was, shown=self._drawn.get(f"b{l},{j}"))
                    if oldb is not None and oldb[j] != v:
                        self._moved.add(f"b{l},{j}")
        st = self._record_step(tr)
        if st is not None:
            t = st.trace
            for j, v in enumerate(t.a[0][0]):
                out[f"x{j}"] = fit(v)
            for l in range(net.L):
                for j in range(net.sizes[l + 1]):
                    out[f"h{l},{j}"] = fit(t.h[l][0, j])
                    out[f"a{l},{j}"] = fit(t.a[l + 1][0, j])
            for j, v in enumerate(np.ravel(st.y)):
                out[f"y{j}"] = fit(v)
        return out

    def _st(self, key: str, base: Style | None = None) -> Style | None:
        if self.focus and key.startswith(self.focus):
            return self.pal.focus
        return self.pal.changed if key in self._changed else base

    def _vst(self, key: str, base: Style | None = None) -> Style | None:
        """A unit value's style: dimmed when it is from before the update drawn."""
        return self.pal.dim if self.before_update else self._st(key, base)

    # ---- layout --------------------------------------------------------------------------
    def restyle(self) -> None:
        if self.tr is not None:  # the same numbers and highlights in the theme's colours
            self._cache = None
            self._put(self.size.width or 200)

    def on_resize(self) -> None:
        if self.tr is not None:  # graph or heatmaps depends on the width
            self._put(self.size.width)

    def _put(self, width: int) -> None:
        built = self._build(width)
        if isinstance(built, list):
            self.set_segments(built, width)
        else:
            self.set_text(built)

    def _build(self, width: int) -> Text | list:
        if self.tr is None:
            return Text("")
        if self._cache and self._cache[0] == width:
            return self._cache[1]
        graph = self._graph(width)
        self.mode = "graph" if graph is not None else "heatmap"
        text = graph if graph is not None else heatmaps(self.tr, self.pal, width, self.wants)
        self._cache = (width, text)
        return text

    def _names(self) -> list[str]:
        """The inputs' labels: the data's feature names when short and distinct, the
        notation's x₁ … otherwise (and for a feature called x1: it is x₁)."""
        names, N = self.tr.data.feature_names, Notation(self.tr.net.sizes)
        own = len(names) == len(set(names))
        return [N.input_name(i, n if own and len(n) <= 7 else None) for i, n in enumerate(names)]

    def needed_width(self, tr: Trainer, limit: int = 10_000) -> int:
        """The width the node-and-edge drawing needs (0 if the net is drawn as matrices):
        with the unit thumbnails when that fits in `limit`, else without. It depends on the
        net's shape and the feature names only, never on the values shown."""
        self.tr, self._cache = tr, None
        lay = self._measure(self._has_thumbs())
        if lay is not None and lay.thumbs and lay.need > limit:
            lay = self._measure(False)
        self.wants = lay.need if lay is not None else 0
        return self.wants

    def _input_widths(self) -> list[int]:
        """Per input: the widest of its values over the training records (they are data: the
        same after a reset), at most VAL_W."""
        X = self.tr.data.X
        if self._in_w is None or self._in_w[0] is not X:
            cols = [np.unique(X[:, j]) for j in range(X.shape[1])]
            self._in_w = (X, [max((len(fit(v)) for v in c), default=1) for c in cols])
        return self._in_w[1]

    def _has_thumbs(self) -> bool:
        return self.tr.data.plane is not None and self.tr.net.L > 1

    def _measure(self, thumbs: bool) -> Layout | None:
        """Where everything goes; None when the rule says matrices (a layer wider than
        GRAPH_UNITS units or more than GRAPH_LAYERS weight layers)."""
        net = self.tr.net
        L, sizes = net.L, net.sizes
        if max(sizes) > GRAPH_UNITS or L > GRAPH_LAYERS:
            return None
        N, src = Notation(sizes), self._names()
        in_w = max(8, max(len(n) + 1 + v for n, v in zip(src, self._input_widths())))
        cols = []  # per layer: box width, box height
        for l in range(L):
            names = [N.weight(l, i, j) for i in range(sizes[l]) for j in range(sizes[l + 1])]
            names += [N.bias(l, j) for j in range(sizes[l + 1])] if net.b is not None else []
            port = max(len(n) for n in names) + 1 + W_W
            vw = max(len(N.unit(s, l, j)) for s in (N.h(l), N.a(l)) for j in range(sizes[l + 1])) + 1 + VAL_W
            bw = max(port, vw, 6) + 4 + (THUMB_W + 1 if thumbs and l < L - 1 else 0)
            cols.append((bw, sizes[l] + (1 if net.b is not None else 0) + 4))
        gaps = [sizes[l] + 3 for l in range(L)]
        tail = max(0, len("error ") + VAL_W - cols[-1][0])  # the error under the output box
        need = in_w + sum(g + bw for g, (bw, _) in zip(gaps, cols)) + tail
        pitch = [bh + (3 if l == L - 1 else 1) for l, (_, bh) in enumerate(cols)]  # y, error under ŷ
        heights = [sizes[0] * 2 - 1] + [sizes[l + 1] * pitch[l] - 1 for l in range(L)]
        H = max(heights) + 1
        xs, x = [], in_w
        for l in range(L):
            xs.append(x + gaps[l])
            x += gaps[l] + cols[l][0]
        return Layout(thumbs, need, H, in_w, cols, gaps, heights, pitch, xs, N, src)

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

    def _thumb_styles(self, l: int, j: int) -> list[list[Style]]:
        """Unit (l, j)'s thumbnail as the styles of its cells (two pixels each), kept while
        neither the thumbnails nor the theme change: play draws the network every frame and
        the thumbnails only at the plots' pace."""
        pal = self.pal
        if self._thumb_cells[0] is not pal or self._thumb_cells[1] is not self._thumbs:
            self._thumb_cells = (pal, self._thumbs, {})
        cells = self._thumb_cells[2]
        if (l, j) not in cells:
            img = self._thumbs[l][..., j]
            rgb = [[pal.prob_rgb(p) for p in row] for row in img.tolist()]
            cells[(l, j)] = [
                [cell_style(*px) for px in zip(rgb[2 * r], rgb[2 * r + 1])] for r in range(THUMB_H)
            ]
        return cells[(l, j)]
