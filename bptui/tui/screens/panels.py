"""The main screen's panels as places for the keys: focus (tab, 1-4), scrolling (the
panel's own VerticalScroll bindings) and zoom (z: Textual's Screen.maximize); the backward
pass's title, fitted to its panel."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.containers import Container, VerticalScroll
from textual.widgets import Tab, Tabs

TABS = ["network", "backward", "record", "plots"]
NEW = " (new)"  # a small terminal's tab whose panel has a step not seen yet
PANELS = {
    "network": "#network-panel",
    "backward": "#backward-panel",
    "record": "#record-panel",
    "plots": "#plots",
}

STEP_TITLE = {  # the longest form that fits the panel's border is shown
    "record": (" · record {position} of {m} · epoch {epoch} · row {row}", " · record {position} of {m}",
               " (record {position})"),
    "update": (" (update)",),
    "epoch": (" (epoch {epoch})",),
}  # fmt: skip


def backward_title(tr, room: int) -> str:
    """The backward pass's panel title for the last step: the longest form within `room`."""
    st, forms = tr.last, ["Backward pass"]
    if st is not None:
        row = st.record + 1 if st.record is not None else 0
        args = dict(position=st.position, m=tr.m, epoch=st.epoch + 1, row=row)
        forms = [forms[0] + f.format(**args) for f in STEP_TITLE[st.kind]]
    return next((f for f in forms if len(f) <= room), forms[-1])


class Panel(VerticalScroll):
    """A bordered panel: focusable, scrolls by keys, can be zoomed to the full screen."""

    ALLOW_MAXIMIZE = True

    # Keys move the panel at once. Textual animates them (End glides for a second): a look
    # within that second saw End stop short of the end, and a step meanwhile changed the end
    # the glide was aiming at. Unanimated, End measures the end after the next layout.
    def _by_key(self, scroll) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()  # nothing to scroll: the key goes on to the screen
        scroll(animate=False)

    def action_scroll_home(self) -> None:
        self._by_key(self.scroll_home)

    def action_scroll_end(self) -> None:
        self._by_key(self.scroll_end)

    def action_page_up(self) -> None:
        self._by_key(self.scroll_page_up)

    def action_page_down(self) -> None:
        self._by_key(self.scroll_page_down)

    def action_scroll_up(self) -> None:
        self._by_key(self.scroll_up)

    def action_scroll_down(self) -> None:
        self._by_key(self.scroll_down)

    def on_resize(self) -> None:
        for view in self.children:  # a view that fits its text to the panel's height
            if hasattr(view, "refit"):
                view.refit()


class PlotsPanel(Container, can_focus=True):
    """The two plots: focusable as one panel, so it can be zoomed."""

    ALLOW_MAXIMIZE = True


class PanelKeys:
    """Mixed into MainScreen: which panel has the keys, and which one a small terminal shows."""

    tab = "network"

    def action_tab(self, name: str) -> None:
        """Keys 1-4: that panel gets the keys (and, on a small terminal, the screen)."""
        self._show_tab(name)
        self.query_one(PANELS[name]).focus()

    def _show_tab(self, name: str) -> None:
        self.tab = name
        if name == "backward":
            self._mark_tab(name, False)
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        self._layout()

    def _mark_tab(self, name: str, new: bool) -> None:
        tab = self.query_one(f"#tab-{name}", Tab)
        base = tab.label_text.removesuffix(NEW)
        if tab.label_text != (label := base + NEW if new else base):
            tab.label = label

    def _backward_title(self) -> None:
        """The backward pass's title, fitted to its panel. On a small terminal showing
        another panel, a new step's pass marks its tab until it is shown: `n` on the
        Network tab says where the step went."""
        panel = self.query_one("#backward-panel")
        shown = panel.border_title  # (none yet at the start: nothing to mark)
        # while playing, one title: an epoch in it would trail the text it heads (it is
        # redrawn at the plots' pace) and repaint the whole panel when it changed
        title = "Backward pass · playing"
        if not self.player.playing:
            title = backward_title(self.tr, panel.outer_size.width - 6)
        if shown != title:
            panel.border_title = title
            if shown and self.compact and self.tab != "backward":
                self._mark_tab("backward", self.tr.last is not None)  # (a reset: nothing new)

    def on_screen_suspend(self) -> None:
        """A modal screen (help, settings, …) opens: the main screen's notice goes, so it
        never covers it (MainScreen's own handler pauses play)."""
        self.app.clear_notifications()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        name = event.tab.id.removeprefix("tab-")
        if name != self.tab:
            self._show_tab(name)

    def action_focus_panel(self, step: int) -> None:
        """Tab / shift+tab: the next (previous) panel gets the keys."""
        names = list(PANELS)
        # on a small terminal the panel shown counts as the current one: the first tab shows
        # the next panel (focusing the one already shown would change nothing visible)
        now = self._panel_of(self.focused) or (self.tab if self.compact else None)
        i = (names.index(now) + step) % len(names) if now else (0 if step > 0 else len(names) - 1)
        if self.maximized is not None:
            self.minimize()
        self.action_tab(names[i])

    def _panel_of(self, widget) -> str | None:
        for name, sel in PANELS.items():
            panel = self.query_one(sel)
            if widget is not None and (widget is panel or panel in widget.ancestors):
                return name
        return None

    def action_zoom(self) -> None:
        """z: the focused panel fills the screen; z (or escape) again brings the others back."""
        if self.maximized is not None:
            self.minimize()
            return
        name = self._panel_of(self.focused) or self.tab
        self.action_tab(name)
        self.maximize(self.query_one(PANELS[name]), container=False)
