"""Notices: one at a time, so they never pile up over the plots."""

from __future__ import annotations

from textual.dom import DOMNode

from ..teach.notation import eta_text

UPDATED_FIRST = (
    "The due update was applied first (W ← W + η·Σδa/k), then this record. b undoes one at a time."
)
NOTHING_TO_APPLY = (
    "Nothing to apply: no record stepped since the last update (Σδa is empty). Step one first (n)."
)


def say(node: DOMNode, message: str, **kw) -> None:
    """Notify `message`, replacing whatever notice is showing."""
    node.app.clear_notifications()
    node.notify(message, **kw)


def say_diverged(node: DOMNode, eta: float) -> None:
    """Training diverged at learning rate `eta`: what happened and what to press."""
    say(
        node,
        f"Training diverged: a weight became inf or NaN at η = {eta_text(eta)}. "
        "The last finite weights are kept. Press - to lower η, then r to reset or b to step back.",
        title="diverged",
        severity="error",
        timeout=8,
    )
