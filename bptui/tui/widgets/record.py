"""The Record panel: the current record's inputs, target, output and error."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from ...core.trainer import Trainer
from ...teach.notation import Notation, num, vec
from .stripview import StripView


class RecordView(StripView):
    """The current record, then (for non-2-D data) the training records around it with ŷ at
    the current weights."""

    rows = 8
    conceal_output = False  # lesson mode before the error step: no ŷ yet

    _tr: Trainer | None = None

    _width = 0

    def on_resize(self) -> None:
        if self._tr is not None and self.size.width != self._width:  # the table fits the width
            self._width = self.size.width
            self.show(self._tr)

    def restyle(self) -> None:
        if self._tr is not None:
            self.show(self._tr)

    def show(self, tr: Trainer) -> None:
        self._tr = tr
        out = self._current(tr)
        out.no_wrap, out.overflow = True, "ellipsis"
        if tr.data.plane is None and not self.conceal_output:
            out.append("\n\n")
            out.append_text(self._table(tr))
        self.set_text(out)

    def _table(self, tr: Trainer) -> Text:
        st = tr.last if tr.last is not None and tr.last.kind == "record" else None
        cur = st.position - 1 if st is not None else tr.i
        lo = max(0, min(cur - 2, tr.m - self.rows))
        pos = np.arange(lo, min(tr.m, lo + self.rows))
        idx = np.array([tr.record_index(p) for p in pos])
        X, Y = tr.data.X[idx], tr.data.y[idx]
        with np.errstate(all="ignore"):
            P = tr.net.predict(X)
        width = self.size.width or 60
        n_feat = max(0, min(len(tr.data.feature_names), (width - 5 - 18) // 8))
        more = "…" if n_feat < len(tr.data.feature_names) else ""
        out = Text(no_wrap=True, overflow="ellipsis")
        N = Notation(tr.net.sizes)
        names = [N.input_name(i, n)[:7] for i, n in enumerate(tr.data.feature_names[:n_feat])]
        out.append(f"{'#':>5}" + "".join(f"{n:>8}" for n in names) + more, self.pal.dim)
        out.append(f"{'y':>8}{'ŷ now':>9}\n", self.pal.dim)
        for p, x, y, yh in zip(pos, X, Y, P):
            mark = "▶" if p == cur else " "
            line = f"{mark}{p + 1:>4}" + "".join(f"{num(v):>8}" for v in x[:n_feat]) + more
            if len(y) > 1:  # classes: the true class and the predicted one with its probability
                k = int(yh.argmax())
                tail = f"{int(y.argmax()):>8}{f'{k} ({num(yh[k], 2)})':>9}"
            else:
                tail = f"{num(y[0]):>8}{num(yh[0]):>9}"
            out.append(line + tail, self.pal.selected if p == cur else None)
            out.append("\n")
        out.rstrip()
        return out

    def _current(self, tr: Trainer) -> Text:
        if tr.data.plane is not None:
            return self._one_line(tr)
        return self._full(tr)

    def _one_line(self, tr: Trainer) -> Text:
        """2-D data: the record in one line above the boundary: its target, the model's answer
        and whether it is right first; where the point is on the plane, the output unit, the
        word rec/next and the column's name in the class names (kind=2 → 2, as the legend
        names them) are left out, in that order, when the panel is narrow."""
        width, out = self.size.width or 80, Text(no_wrap=True, overflow="ellipsis")
        parts = [self._line_parts(tr, short) for short in (False, True)]
        forms = [[(t, st) for t, st, level in p if level < drop] for p in parts for drop in (4, 3, 2, 1)]
        kept = next((f for f in forms if sum(len(t) for t, _ in f) <= width), forms[-1])  # the longest
        for t, st in kept:
            out.append(t, st)
        return out

    def _line_parts(self, tr: Trainer, short: bool) -> list[tuple[str, object, int]]:
        """(text, style, level): the parts of the one-line record; a higher level goes first."""
        st = tr.last if tr.last is not None and tr.last.kind == "record" else tr.peek()
        x, y, yhat = st.trace.x[0], np.ravel(st.y), st.trace.yhat[0]
        stepped = tr.last is not None and tr.last.kind == "record"
        L, D = self.pal.label, self.pal.dim
        parts = [("rec " if stepped else "next ", L, 1), (f"{st.position}/{tr.m} ", L, 0), ("y ", D, 0)]
        if len(y) > 1:  # classes by the legend's names, the output unit by the drawing's
            k, c, names = int(yhat.argmax()), int(y.argmax()), tr.data.target_names
            names = [n.split("=")[-1] for n in names] if short else names
            unit = Notation(tr.net.sizes).unit("ŷ", tr.net.L - 1, k)
            parts += [
                (names[c], L, 0),
                (" ŷ ", D, 0),
                (names[k], L, 0),
                (f" ({unit} {num(yhat[k], 2)})", L, 2),
            ]
            ok = k == c
        else:
            parts += [(num(y[0]), L, 0), (" ŷ ", D, 0), (num(yhat[0]), L, 0)]
            ok = (yhat[0] >= tr.threshold) == (y[0] >= tr.threshold)
        if tr.classify:
            parts.append((" ✓" if ok else " ✗", self.pal.good if ok else self.pal.bad, 0))
        return parts + [(f"  at ({num(x[0])}, {num(x[1])})", D, 3)]

    def _full(self, tr: Trainer) -> Text:
        st = tr.last if tr.last is not None and tr.last.kind == "record" else None
        out = Text()
        if st is None:
            nxt = tr.record_index(tr.i) if tr.i < tr.m else None
            out.append(f"next: record {tr.i + 1} of {tr.m}", self.pal.label)
            if nxt is not None:
                out.append("\n  x ", self.pal.dim)
                out.append(self._x(tr, tr.data.X[nxt]))
                if self.conceal_output:
                    out.append("\n  y, ŷ and the error come later in the lesson", self.pal.dim)
                    return out
                out.append("   y ", self.pal.dim)
                out.append(vec(tr.data.y[nxt]))
            return out
        yhat, y = st.trace.yhat[0], np.ravel(st.y)
        if self.conceal_output:
            out.append(f"record {st.position} of {tr.m}", self.pal.label)
            out.append("\n  x ", self.pal.dim)
            out.append(self._x(tr, st.trace.x[0]))
            out.append("\n  y, ŷ and the error come later in the lesson", self.pal.dim)
            return out
        out.append(f"record {st.position} of {tr.m}", self.pal.label)
        out.append(f"  (row {st.record + 1})\n", self.pal.dim)
        out.append("  x ", self.pal.dim)
        out.append(self._x(tr, st.trace.x[0]))
        out.append("\n  y ", self.pal.dim)
        out.append(vec(y), self.pal.label)
        out.append("   ŷ ", self.pal.dim)
        out.append(vec(yhat), self.pal.label)
        out.append("   error y − ŷ ", self.pal.dim)
        out.append(vec(y - yhat), self.pal.label)
        if tr.classify and len(y) == 1:
            ok = (yhat[0] >= tr.threshold) == (y[0] >= tr.threshold)
            out.append("   ✓ right" if ok else "   ✗ wrong", self.pal.good if ok else self.pal.bad)
        return out

    def _x(self, tr: Trainer, x) -> str:
        N = Notation(tr.net.sizes)
        if len(x) <= 3:
            return "  ".join(
                f"{N.input_name(i, n)}={num(v)}" for i, (n, v) in enumerate(zip(tr.data.feature_names, x))
            )
        return vec(x) if len(x) <= 8 else vec(x[:8])[:-1] + ", …)"
