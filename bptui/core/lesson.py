"""Lesson mode: one record's backprop in micro-steps, each with one sentence.

For a network with one hidden layer (the seeds' shape). Each micro-step names the formula
lines it reveals (labels of explain.record_lines), the sentence that says what is computed
and why, and the network values it uses (keys of the network panel), to highlight.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MicroStep:
    name: str
    sentence: str
    section: str  # which explain.Line section it reveals
    prefix: str  # lines whose label starts with this
    layer: int  # and belong to this layer (-1: any)
    shows: tuple[str, ...]  # network value keys revealed (prefixes)
    uses: tuple[str, ...]  # network keys highlighted (prefixes)


STEPS = [
    MicroStep("h", "Forward: each input times its weight, summed, is the hidden unit's input h.",
              "forward", "h", 0, ("x", "h0,"), ("x", "w0,", "h0,")),
    MicroStep("a", "The hidden unit squashes h with its activation: a = f(h) is what it passes on.",
              "forward", "a", 0, ("a0,",), ("h0,", "a0,")),
    MicroStep("ŷ", "The output unit does the same with the hidden outputs and the weights W: ŷ = f(W·a).",
              "forward", "ŷ", 1, ("h1,", "a1,"), ("a0,", "w1,", "h1,", "a1,")),
    MicroStep("error", "The error y − ŷ says how far the prediction is from the target, and in which direction.",
              "backward", "error", -1, ("y",), ("y", "a1,")),
    MicroStep("δ^o", "The output's error term δ^o scales the error by the output's slope f'(z): how much z should move.",
              "backward", "δ^o", -1, (), ("a1,", "h1,")),
    MicroStep("δ^h", "Backprop: δ^o goes back through W to the hidden unit, scaled by its slope f'(h): that is δ^h.",
              "backward", "δ^h", -1, (), ("w1,", "a0,")),
    MicroStep("ΔW", "The step for W (hidden → output) is η times δ^o times the hidden output a that fed it.",
              "steps", "ΔW", -1, (), ("w1,", "a0,")),
    MicroStep("Δw", "The steps for w (input → hidden) are η times δ^h times each input x that fed them.",
              "steps", "Δw", -1, (), ("w0,", "x")),
    MicroStep("update", "Update: every weight moves by its step. The next record starts from these weights.",
              "update", "", -1, (), ("w0,", "w1,")),
]  # fmt: skip


def supported(net) -> bool:
    return net.L == 2
