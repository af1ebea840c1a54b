"""The Network panel's weight matrices, for nets too big or too wide to draw as boxes and
edges: each matrix a coloured grid, rows labelled by the from-unit, columns by the to-unit."""

from __future__ import annotations

import textwrap

import numpy as np
from rich.text import Text

from ...core.trainer import Trainer
from ...teach.notation import Notation, num, weight_text


def heatmaps(tr: Trainer, pal, width: int, wants: int) -> Text:
    """Each weight matrix as a coloured grid, rows labelled by the from-unit (x₁, a₂ …),
    columns by the to-unit (h₁, ŷ …), the matrix by its symbol (notation.py)."""
    net = tr.net
    N = Notation(net.sizes)
    out = Text(no_wrap=True, overflow="crop")
    if wants:  # the rule allows the drawing, the width does not
        out.append(f"The drawing needs {wants} columns; this panel has {width}.\n", pal.dim)
    if not N.course:
        out.append(textwrap.fill(N.convention(), max(20, width - 1)) + "\n", pal.dim)
    for l, W in enumerate(net.W):
        n_in, n_out = W.shape
        rows = min(n_in, 24)
        lw = max(len(N.source(l, i)) for i in range(rows)) + 2
        lw = max(lw, len(N.b(l)) + 2) if net.b is not None else lw
        scale = float(np.abs(W).max()) or 1.0
        cell = 7 if lw + n_out * 7 <= width else (3 if lw + n_out * 3 <= width else 1)
        shown = min(n_out, max(1, (width - lw) // cell))
        out.append(f"{N.W(l)}  {N.layer(l)}  {n_in}×{n_out}", pal.label)
        more = "" if shown == n_out else f"   (first {shown} columns)"
        out.append(f"   |{N.W(l)}| ≤ {num(scale)}{more}\n", pal.dim)
        if cell == 7:
            out.append(" " * lw + "".join(f"{N.title(l, j):^6} " for j in range(shown)) + "\n", pal.label)
        else:
            out.append(" " * lw + f"columns {N.title(l, 0)} … {N.title(l, shown - 1)}\n", pal.dim)
        for i in range(rows):
            out.append(f"{N.source(l, i):>{lw - 2}}  ", pal.label)
            for j in range(shown):
                if tr.dead is not None and tr.dead[l][i, j]:
                    out.append({7: "  dead ", 3: "×× "}.get(cell, "×"), pal.dim)
                else:
                    _cell(out, pal, W[i, j], scale, cell)
            out.append("\n")
        if rows < n_in:
            out.append(" " * lw + f"… {n_in - rows} more rows\n", pal.dim)
        if net.b is not None:
            out.append(f"{N.b(l):>{lw - 2}}  ", pal.label)
            for j in range(shown):
                _cell(out, pal, net.b[l][j], scale, cell)
            out.append("\n")
    out.rstrip()
    return out


def _cell(out: Text, pal, v: float, scale: float, cell: int) -> None:
    if cell == 7:
        out.append(f"{weight_text(v):>6} ", pal.weight_style(v, scale, bg=True))
    else:
        out.append("██ "[:cell] if cell == 3 else "█", pal.weight_style(v, scale))
