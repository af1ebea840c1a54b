"""The main screen: status line, the panels, the footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Tab, Tabs

from ..widgets.backward import BackwardView
from ..widgets.boundary import BoundaryView
from ..widgets.keys import KeyBar
from ..widgets.network import NetworkView
from ..widgets.plots import HistoryPlot
from ..widgets.record import RecordView
from ..widgets.status import StatusLine


class MainScreen(Screen):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Tabs(
            Tab("1 Network", id="tab-network"),
            Tab("2 Backward pass", id="tab-backward"),
            Tab("3 Record", id="tab-record"),
            Tab("4 Plots", id="tab-plots"),
            id="tabs",
        )
        with Container(id="main"):
            with VerticalScroll(id="network-panel", classes="panel"):
                yield NetworkView(id="network")
            with VerticalScroll(id="backward-panel", classes="panel"):
                yield BackwardView(id="backward")
            with Vertical(id="record-panel", classes="panel"):
                yield RecordView(id="record")
                yield BoundaryView(id="boundary")
            with Container(id="plots"):
                yield HistoryPlot("loss", id="loss", classes="panel")
                yield HistoryPlot("accuracy", id="accuracy", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.main_ready()

    def on_resize(self) -> None:
        self.app.relayout()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        self.app.show_tab(event.tab.id.removeprefix("tab-"))
