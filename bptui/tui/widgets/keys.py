"""The key bar at the bottom: the screen's keys on one line, as one widget.

It looks and behaves like Textual's Footer (key in the accent colour, then what it does; a
click presses the key; the command palette key on the right), but Footer mounts a widget per
key and recomposes them all on every bindings signal, which cost a fifth of the time to the
first frame. KeyBar renders one Text and re-renders only when the keys it shows change.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import Input


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--hover", "keybar--disabled"}

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._keys: list[tuple[str, str, str, bool]] = []  # key, shown as, description, enabled
        self._palette: tuple[str, str, str, bool] | None = None  # the command palette's key
        self._spans: list[tuple[int, int, str]] = []  # x from, x to, key
        self._hover: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._keys, self._palette = self._active_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _active_keys(self) -> tuple[list, tuple | None]:
        """The keys shown on the left (one per action, as Footer), and the palette's key.
        While a text box has focus only its own keys show: the others type into it."""
        app, active = self.app, self.screen.active_bindings
        box = self.screen.focused if isinstance(self.screen.focused, Input) else None
        seen, keys = set(), []
        for node, binding, enabled, _tip in active.values():
            if box is not None and node is not box:
                continue
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _tip = active[app.COMMAND_PALETTE_BINDING]
            palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
        return keys, palette

    def _bindings_changed(self, screen) -> None:
        shown = self._active_keys()
        if shown != (self._keys, self._palette):
            self._keys, self._palette = shown
            self.refresh()

    def render(self) -> Text:
        """Footer's look (" n record  u update …") when every key fits, else compact
        ("n record u update …") so more keys fit; keys that still do not fit whole are left
        out (the help screen lists them all); the palette key stays on the right."""
        key_style = self.get_component_rich_style("keybar--key")
        desc_style = self.get_component_rich_style("keybar--description")
        hover_style = self.get_component_rich_style("keybar--hover")
        disabled_style = self.get_component_rich_style("keybar--disabled")
        palette = self._palette
        keys = [k for k in self._keys if palette is None or k[0] != palette[0]]
        width = self.size.width
        tail = 0 if palette is None else len(palette[1]) + len(palette[2]) + 3  # "▏k d "
        full = sum(len(shown) + len(desc) + 3 for _, shown, desc, _ in keys) + tail <= width
        text, spans = Text(no_wrap=True, overflow="crop", end=""), []

        def add(key, shown, description, enabled, pad):
            start = len(text)
            text.append(f"{pad}{shown}", key_style)
            text.append(f" {description} ", desc_style)
            if key == self._hover:
                text.stylize(hover_style, start)
            if not enabled:
                text.stylize(disabled_style, start)
            spans.append((start, len(text), key))

        for k in keys:
            add(*k, " " if full else "")
        if palette is not None:
            spans = [s for s in spans if s[1] <= width - tail]
            text.truncate(spans[-1][1] if spans else 0)
            text.append(" " * max(0, width - tail - len(text)))
            text.append("▏", desc_style)
            add(*palette, "")
        self._spans = spans
        return text

    def _key_at(self, x: int) -> str | None:
        return next((key for a, b, key in self._spans if a <= x < b), None)

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is not None:
            self.app.simulate_key(key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
