"""A Static drawn from the palette, and drawn again when the theme changes.

Dialogs write their hints, verdicts and tables in the palette's colours. A plain Static keeps
the colours it was given, so a dialog open during a theme switch would keep the old theme's
text on the new theme's background. `Painted` keeps the function that draws it instead.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from textual.widgets import Static

from ..style import Palette, palette

Paint = Callable[[Palette], RenderableType]


class Painted(Static):
    def __init__(self, paint: Paint | None = None, **kw):
        super().__init__(**kw)
        self.paint = paint

    def on_mount(self) -> None:
        self.restyle()

    def restyle(self) -> None:
        """Draw again in the active theme's palette (the app calls this on a theme switch)."""
        if self.paint is not None:
            self.update(self.paint(palette(self.app)))

    def repaint(self, paint: Paint) -> None:
        """Draw new content."""
        self.paint = paint
        self.restyle()
