"""Lesson mode: one record's backprop in micro-steps, each with one sentence.

For a network with one hidden layer (the seeds' shape). Each micro-step names the formula lines
it reveals (labels of lines.record_lines), the sentence that says what is computed and why, and
the quantities it reveals and uses, as notation.Ref (kind, layer): a view maps them to its own
places with notation.value_prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lines import Line, record_lines, update_lines

Ref = tuple[str, int]  # (kind, weight layer): x, w, b, h, a, y — see notation.value_prefix


@dataclass(frozen=True)
class MicroStep:
    name: str
    sentence: str
    section: str  # which Line section it reveals
    prefix: str  # lines whose label starts with this
    layer: int  # and belong to this layer (-1: any)
    shows: tuple[Ref, ...]  # quantities revealed
    uses: tuple[Ref, ...]  # quantities highlighted


X, Y = ("x", -1), ("y", -1)
w, W = ("w", 0), ("w", 1)
h, a, z, yhat = ("h", 0), ("a", 0), ("h", 1), ("a", 1)

STEPS = [
    MicroStep("h", "Forward: each input times its weight, summed, is the hidden unit's input h.",
              "forward", "h", 0, (X, h), (X, w, h)),
    MicroStep("a", "The hidden unit squashes h with its activation: a = f(h) is what it passes on.",
              "forward", "a", 0, (a,), (h, a)),
    MicroStep("ŷ", "The output unit does the same with the hidden outputs and the weights W: ŷ = f(W·a).",
              "forward", "ŷ", 1, (z, yhat), (a, W, z, yhat)),
    MicroStep("error", "The error y − ŷ says how far the prediction is from the target, and in which direction.",
              "backward", "error", -1, (Y,), (Y, yhat)),
    MicroStep("δ^o", "The output's error term δ^o scales the error by the output's slope f'(z): how much z should move.",
              "backward", "δ^o", -1, (), (yhat, z)),
    MicroStep("δ^h", "Backprop: δ^o goes back through W to the hidden unit, scaled by its slope f'(h): that is δ^h.",
              "backward", "δ^h", -1, (), (W, a)),
    MicroStep("ΔW", "This record's step for W (hidden → output) is ΔW = η·δ^o·a: η times δ^o times the hidden output a that fed it.",
              "steps", "ΔW", -1, (), (W, a)),
    MicroStep("Δw", "This record's steps for w (input → hidden) are Δw = η·δ^h·x: η times δ^h times each input x that fed them.",
              "steps", "Δw", -1, (), (w, X)),
    MicroStep("update", "Update: every weight moves by η·Σδa/k, the sum of its records' δa since the last update; with k = 1 that is this record's ΔW.",
              "update", "", -1, (), (w, W)),
]  # fmt: skip


def supported(net) -> bool:
    return net.L == 2


def revealed_lines(net, record, update, eta: float, loss: str, reg: str = "none", lam: float = 0.0):
    """Per micro-step, the formula lines it reveals: a list of (MicroStep, [Line]).
    `record` is the record's Step; `update` the update Step that followed it, if any (the
    record's lines are then written with the weights before that update)."""
    at = (update.W_old, update.b_old) if update is not None else None
    lines = record_lines(net, record, eta, loss, at)
    out: list[tuple[MicroStep, list[Line]]] = []
    for ms in STEPS:
        if ms.section == "update":
            shown = update_lines(net, update, eta, reg, lam) if update is not None else []
        else:
            shown = [
                ln
                for ln in lines
                if ln.section == ms.section and ln.label.startswith(ms.prefix) and ms.layer in (-1, ln.layer)
            ]
        out.append((ms, shown))
    return out
