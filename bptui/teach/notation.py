"""The one notation: the name of every weight, bias, unit, layer and sum, and the one number
format. Everything that shows a weight's name or a number of the backward pass asks here.

Names (seeds 000 and 004) for a net with one hidden layer:

    x_i      input i                     w_ij   weight input i → hidden unit j
    h_j      hidden unit j's input       W_j    weight hidden unit j → output
    a_j      hidden unit j's output      z      the output unit's input;  ŷ = f(z)
    δ^h_j    hidden error term           δ^o    output error term
    b^h_j    hidden bias                 b^o    output bias
    ΔW = η·δ^o·a, Δw_ij = η·δ^h_j·x_i    one record's weight step (seed 004), nothing else
    Σδ^o·a, Σδ^h·x                       the running sum between updates (seed 000's del_w)

An index whose range is 1 is dropped (seed 004's w_i and W). Indices are subscripts, from-unit
first; when one is 10 or more they are separated by commas (w₁₀,₂). Deeper nets (and nets with no
hidden layer) number their layers: the layer number follows the letter as a plain digit and unit
indices stay subscripts, so W2₁₃ is the weight from unit 1 of hidden layer 1 to unit 3 of hidden
layer 2 and a2₃ is that unit's output. Superscripts mean only ^h / ^o and squares.

Numbers: `num` gives `sig` significant digits, in fixed notation for 1e-4 ≤ |v| < 1e5 and in
scientific notation (3.54e-5) outside; never -0. `column` gives one style for a whole table.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SCI_LOW, SCI_HIGH = 1e-4, 1e5  # the fixed switch to scientific notation


# ---- numbers ----------------------------------------------------------------------------------
def _sci(v: float, sig: int) -> str:
    m, e = f"{v:.{max(sig, 1) - 1}e}".split("e")
    if "." in m:
        m = m.rstrip("0").rstrip(".")
    return f"{m}e{int(e)}"


def eta_text(eta: float) -> str:
    """η as the formulas write it, every digit it has: 0.5, 0.03, 1e-5 (never 1e-05)."""
    return num(eta, 12)


def num(v: float, sig: int = 3) -> str:
    """`sig` significant digits as the seeds print them: 0.495, 0.00305, -0.02, 3.54e-5."""
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if not SCI_LOW <= abs(v) < SCI_HIGH:
        return _sci(v, sig)
    dec = max(0, sig - 1 - math.floor(math.log10(abs(v))))
    s = f"{v:.{dec}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if float(s) == 0 else s


def signed(v: float, sig: int = 3) -> str:
    """A weight as the drawing and heatmaps write it: always with its sign (+0.4, -0.2)."""
    s = num(v, sig)
    return s if s.startswith("-") or s in ("0", "nan") else "+" + s


def weight_text(v: float, old: float | None = None, width: int = 6, shown: str | None = None) -> str:
    """A weight as the drawing writes it, signed, in `width` characters (+0.425, +12.35,
    +1.2e3); a weight that changed from `old` as `change_text` writes it."""
    v = float(v)
    if not math.isfinite(v):
        return f"{v:+}"
    if old is not None and old != v and math.isfinite(old):
        return change_text(v, float(old), shown)
    if shown is not None and _still_reads(v, shown):  # unchanged: keep the digits a change needed
        return shown
    for d in (3, 2, 1):
        s = f"{v:+.{d}f}"
        if len(s) <= width:
            return _nonzero(s)
    for d in (1, 0):
        m, e = f"{v:+.{d}e}".split("e")
        if len(m) + 1 + len(str(int(e))) <= width or d == 0:
            return f"{m}e{int(e)}"
    return s


CHANGED_W = 9  # the most characters a changed weight takes in the drawing (+0.100035)


def change_text(new: float, old: float, shown: str | None = None, most: int = CHANGED_W) -> str:
    """A weight that changed from `old` to `new`, in at most `most` characters: rounded to the
    fewest decimals (3 at least) at which the change it reads as (new − old, both at those
    decimals) has the true change's first significant digit, in its place and not larger,
    and at which new reads differently from `shown` (what was drawn before the step):
    -0.6 → -0.600511 reads -0.6005 (-0.601 would read as a change of 0.001, double the true
    0.000511), 0.4 → +0.40015 (0.400152: +0.4002 would read as 0.0002). When no decimals
    that fit do so, the change itself, cut (not rounded) to two digits: Δ+2e-8."""
    before = _value(shown)
    for d in range(3, most):
        s = f"{new:+.{d}f}"
        if len(s) > most:
            break
        if float(s) != before and reads_change(
            Decimal(s) - Decimal(f"{old:+.{d}f}"), Decimal(new) - Decimal(old)
        ):
            return _nonzero(s)
    return "Δ" + _cut(new - old)


def reads_change(shown: Decimal, true: Decimal | float) -> bool:
    """Whether a change written as `shown` has the `true` change's sign and first significant
    digit, in its place: 0.0005 for 0.000511 does, 0.001 and 0.0002 do not."""
    t = Decimal(true)
    if shown == 0 or t == 0 or (shown < 0) != (t < 0) or shown.adjusted() != t.adjusted():
        return False
    lead = -t.adjusted()
    return int(abs(shown).scaleb(lead)) == int(abs(t).scaleb(lead))


def _cut(v: float) -> str:
    """A change in two significant digits, cut toward zero so it is never overstated: +1.9e-8."""
    m, e = f"{v:+.6e}".split("e")
    m = m[:4].rstrip("0").rstrip(".")
    return f"{m}e{int(e)}" if not SCI_LOW <= abs(v) < SCI_HIGH else signed(float(f"{m}e{e}"), 2)


def _still_reads(v: float, shown: str) -> bool:
    """Whether `shown`, a fixed-point text with more than 3 decimals, is v at its digits."""
    whole, _, frac = shown.partition(".")
    return len(frac) > 3 and frac.isdigit() and _nonzero(f"{v:+.{len(frac)}f}") == shown


def _value(s: str | None) -> float | None:
    """The number a drawn text reads as (None for ·, dead, a Δ …)."""
    try:
        return float(s) if s is not None else None
    except ValueError:
        return None


def _nonzero(s: str) -> str:
    """-0.000 and +0.000 read as 0: write them as 0 with the digits kept (+0.000)."""
    return "+" + s[1:] if float(s) == 0 else s


def par(v: float, sig: int = 3) -> str:
    """A number as an operand: negative numbers in brackets."""
    s = num(v, sig)
    return f"({s})" if s.startswith("-") else s


def vec(vals, sig: int = 3) -> str:
    """A vector as (a, b), its entries in one style (column); one value as itself."""
    s = column(vals, sig)
    return s[0] if len(s) == 1 else "(" + ", ".join(s) + ")"


def column(values, sig: int = 3) -> list[str]:
    """One number style for a whole table column or vector: scientific for all when any value
    needs it, and, with two values or more, the same `sig` significant digits for each: a value
    that is not exact at fewer keeps its trailing zeros (0.000314, 0.000140, not 0.00014);
    exact ones stay as written (0.1, 1, 0)."""
    vals = [float(v) for v in np.ravel(values)]
    sci = any(v != 0 and math.isfinite(v) and not SCI_LOW <= abs(v) < SCI_HIGH for v in vals)
    out = [("0" if v == 0 else _sci(v, sig)) if sci and math.isfinite(v) else num(v, sig) for v in vals]
    if len(vals) < 2:
        return out
    return [_padded(s, v, sig) for s, v in zip(out, vals)]


def _padded(s: str, v: float, sig: int) -> str:
    """`s` (v at `sig` digits, trailing zeros dropped) with them back when v is not exact at
    the digits written: 0.00014 → 0.000140 for 0.00014003; 0.1 for 0.1 stays."""
    if not math.isfinite(v) or v == 0 or abs(float(s) - v) <= 1e-9 * abs(v):
        return s
    mant, e, exp = s.partition("e")
    digits = len(mant.lstrip("-").replace(".", "").lstrip("0"))
    if digits >= sig:
        return s
    return mant + ("" if "." in mant else ".") + "0" * (sig - digits) + e + exp


# ---- names ------------------------------------------------------------------------------------
def sub(*idx: int) -> str:
    """1-based indices as subscripts: ₁₂, or ₁₀,₂ when one has two digits."""
    parts = [str(k).translate(SUB) for k in idx]
    return ("," if any(k >= 10 for k in idx) else "").join(parts)


class Notation:
    """Names for a network with layer sizes `sizes` (inputs, hidden…, outputs). Weight layer
    l = 0 … L−1 feeds unit layer l + 1; unit layer 0 is the input x."""

    def __init__(self, sizes):
        self.sizes = [int(s) for s in sizes]
        self.L = len(self.sizes) - 1

    @property
    def course(self) -> bool:
        """The seeds' shape (one hidden layer): course names without layer numbers."""
        return self.L == 2

    def _n(self, l: int) -> str:  # a layer number in the layer-indexed form
        return "" if self.course else str(l + 1)

    # symbols without unit indices
    def W(self, l: int) -> str:
        return "wW"[l] if self.course else ("w" if self.L == 1 else f"W{l + 1}")

    def b(self, l: int) -> str:
        if self.course:
            return ("b^h", "b^o")[l]
        return "b" if self.L == 1 else f"b{l + 1}"

    def h(self, l: int) -> str:
        """Unit layer l+1's input (z for the output)."""
        return "z" if l == self.L - 1 else "h" + self._n(l)

    def a(self, l: int) -> str:
        """Unit layer l+1's output (ŷ for the output); a(-1) is the input x."""
        if l < 0:
            return "x"
        return "ŷ" if l == self.L - 1 else "a" + self._n(l)

    def delta(self, l: int) -> str:
        return "δ^o" if l == self.L - 1 else ("δ^h" if self.course else f"δ{l + 1}")

    # with unit indices (an index whose range is 1 is dropped)
    def unit(self, sym: str, l: int, j: int) -> str:
        """`sym` for unit j of unit layer l + 1 (l = -1: the inputs)."""
        return sym if self.sizes[l + 1] == 1 else sym + sub(j + 1)

    def weight(self, l: int, i: int, j: int) -> str:
        idx = [k + 1 for k, n in ((i, self.sizes[l]), (j, self.sizes[l + 1])) if n > 1]
        return self.W(l) + sub(*idx)

    def bias(self, l: int, j: int) -> str:
        return self.unit(self.b(l), l, j)

    def x(self, i: int) -> str:
        return self.unit("x", -1, i)

    def input_name(self, i: int, feature: str | None = None) -> str:
        """Input i as a view labels it: its feature's name, or x₁ when the data calls it x1."""
        return feature if feature and feature != f"x{i + 1}" else self.x(i)

    def y(self, j: int) -> str:
        return self.unit("y", self.L - 1, j)

    def source(self, l: int, i: int) -> str:
        """The value weight layer l multiplies: x_i, a_i, …"""
        return self.unit(self.a(l - 1), l - 1, i)

    def step(self, l: int) -> str:
        """One record's step of layer l: ΔW = η·δ^o·a (seed 004)."""
        return "Δ" + self.W(l)

    def bias_step(self, l: int) -> str:
        return "Δ" + self.b(l)

    def running_sum(self, l: int) -> str:
        """What layer l accumulates between updates: Σδ^o·a (seed 000's del_w)."""
        return f"Σ{self.delta(l)}·{self.a(l - 1)}"

    def bias_sum(self, l: int) -> str:
        return f"Σ{self.delta(l)}"

    def layer(self, l: int) -> str:
        """Weight layer l in words: input → hidden, hidden 1 → hidden 2, hidden → output."""

        def side(k: int) -> str:
            if k == 0:
                return "input"
            if k == self.L:
                return "output"
            return "hidden" if self.L == 2 else f"hidden {k}"

        return f"{side(l)} → {side(l + 1)}"

    def title(self, l: int, j: int) -> str:
        """Unit j of unit layer l + 1 as the drawing titles its box: h₂, h1₃, ŷ."""
        return self.unit(self.h(l) if l < self.L - 1 else "ŷ", l, j)

    def describe_weight(self, l: int, i: int, j: int, features=None) -> str:
        """'w₁₂  x₁ (gre) → h₂': the name and the edge it sits on."""
        src = self.source(l, i)
        if l == 0 and features is not None and features[i] not in (src, f"x{i + 1}"):
            src += f" ({features[i]})"
        return f"{self.weight(l, i, j)}  {src} → {self.title(l, j)}"

    def describe_bias(self, l: int, j: int) -> str:
        return f"{self.bias(l, j)}  bias of {self.title(l, j)}"

    def export(self, bias: bool) -> dict:
        """Every weight's and bias's name, shaped like the arrays, for the weights export."""
        L, n = self.L, self.sizes
        return {
            "notation": self.convention(),
            "weight_names": [
                [[self.weight(l, i, j) for j in range(n[l + 1])] for i in range(n[l])] for l in range(L)
            ],
            "bias_names": [[self.bias(l, j) for j in range(n[l + 1])] for l in range(L)] if bias else None,
        }

    def convention(self) -> str:
        """How this net's names are formed, in one sentence (shown beside deeper nets)."""
        if self.course:
            return "w_ij: input i → hidden j; W_j: hidden j → output (seed 000); one-unit indices dropped"
        if self.L == 1:
            return "w_ij: input i → output j (no hidden layer); one-unit indices dropped"
        return (
            "layer-indexed: Wl_ij is the weight from unit i of layer l−1 to unit j of layer l "
            "(layer 0 = x); hl_j, al_j, δl_j, bl_j are unit j of hidden layer l; z, ŷ, δ^o the output"
        )


# ---- what is being minimised ------------------------------------------------------------------
LOSS_TEXT = {
    # name: (what the plots and history report, the per-record E that δ differentiates)
    "mse": ("mean (y − ŷ)²", "E = ½Σ(y − ŷ)²"),
    "square": ("mean ½Σ(y − ŷ)² (TF Playground's)", "E = ½Σ(y − ŷ)²"),
    "log": ("mean −[y ln ŷ + (1 − y) ln(1 − ŷ)]", "E = −[y ln ŷ + (1 − y) ln(1 − ŷ)]"),
    "xent": ("mean −Σ y ln ŷ", "E = −Σ y ln ŷ"),
}


def loss_name(loss: str, softmax: bool = False) -> str:
    return "xent" if loss == "log" and softmax else loss


def loss_of(tr) -> str:
    """The LOSS_TEXT key of a trainer's loss (log loss over a softmax is the cross-entropy)."""
    return loss_name(tr.loss.name, tr.net.output.name == "softmax")


def reported_loss(loss: str) -> str:
    """The loss the plots, status and history show, by its definition."""
    return LOSS_TEXT[loss][0]


def record_objective(loss: str) -> str:
    """The per-record E whose gradient backprop computes."""
    return LOSS_TEXT[loss][1]


def delta_brief(loss: str) -> str:
    """The δ convention in a few words, for a status line: δ = −∂E/∂(unit input), E = ½Σ(y − ŷ)²."""
    return f"δ = −∂E/∂(unit input), {record_objective(loss)}"


def delta_convention(loss: str) -> str:
    """How δ relates to E, and how the reported loss relates to E."""
    if loss == "mse":
        return (
            "δ = −∂E/∂(unit input) with E = ½Σ(y − ŷ)² per record; "
            "the plotted mean (y − ŷ)² is 2·E/k averaged over records (k outputs)"
        )
    if loss == "square":
        return (
            "δ = −∂E/∂(unit input) with E = ½Σ(y − ŷ)² per record; "
            "the plotted mean ½(y − ŷ)² is E/k averaged over records (k outputs)"
        )
    return f"δ = −∂E/∂(unit input) with {record_objective(loss)} per record; the plotted loss is E averaged over records"


# ---- where a view keeps each value ------------------------------------------------------------
def value_prefix(ref: tuple[str, int]) -> str:
    """The key prefix of every value of one quantity (kind, layer)."""
    kind, layer = ref
    return kind if kind in ("x", "y") else f"{kind}{layer},"


def metric(v) -> str:
    """A loss or an accuracy in a summary: 4 decimals, or 4 significant digits when huge
    (1.0000e+200); — when there is none."""
    if v is None or v != v:
        return "—"
    return f"{v:.4f}" if abs(v) < 1e6 else f"{v:.4e}"
