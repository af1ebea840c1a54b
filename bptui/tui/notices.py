"""Notices: one at a time, so they never pile up over the plots."""

from __future__ import annotations

from textual.dom import DOMNode


def say(node: DOMNode, message: str, **kw) -> None:
    """Notify `message`, replacing whatever notice is showing."""
    node.app.clear_notifications()
    node.notify(message, **kw)
