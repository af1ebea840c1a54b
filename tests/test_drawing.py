"""The network drawing: the graph/matrix rule, and a drawing that stays the same through
reset, open and resize."""

import pytest

from bptui.core import scenario as scen
from bptui.teach.notation import weight_text as _w
from bptui.tui.app import BptuiApp
from bptui.tui.widgets.network import GRAPH_LAYERS, GRAPH_UNITS, NetworkView


def drawn(app) -> list[str]:
    """The network panel as it is drawn: each line's text and styles."""
    nv = app.main.query_one(NetworkView)
    return [repr(list(strip)) for strip in nv.lines(nv.size.width)]


@pytest.mark.parametrize("name", ["admissions", "exercise", "diamond"])
async def test_r_and_o_draw_the_network_exactly_as_at_start(name):
    app = BptuiApp(name)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = drawn(app)
        assert app.main.query_one(NetworkView).mode == "graph"
        await pilot.press("n", "n", "r")
        await pilot.pause()
        assert drawn(app) == start
        await pilot.press("o", "enter")  # the picker opens on the current scenario
        await pilot.pause()
        assert app.sc.name == name and drawn(app) == start
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert drawn(app) == start


async def test_the_style_does_not_follow_the_values():
    """Values that need more room (a large weight, a long number) do not turn the drawing
    into matrices: the room is reserved for the widest numbers."""
    app = BptuiApp("admissions")
    async with app.run_test(size=(120, 40)) as pilot:
        nv = app.main.query_one(NetworkView)
        await pilot.press("n")
        app.tr.net.W[0][0, 0] = -1234.5
        app.tr.net.W[1][0, 0] = 0.00012345
        app.main.refresh_views(force=True)
        await pilot.pause()
        assert nv.mode == "graph"
        assert "-1.2e3" in "".join(drawn(app))


@pytest.mark.parametrize("name", [n for n, _ in scen.builtin_list()])
async def test_graph_or_matrices_as_the_rule_says(name):
    """Layers of at most ten units (and at most four weight layers) are drawn as boxes and
    edges when the drawing fits the panel's width; otherwise as matrices, saying why."""
    app = BptuiApp(name)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        nv = app.main.query_one(NetworkView)
        sizes = app.tr.net.sizes
        small = max(sizes) <= GRAPH_UNITS and len(sizes) - 1 <= GRAPH_LAYERS
        assert nv.mode == ("graph" if small else "heatmap")
        if small:
            assert nv.wants <= nv.size.width
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        if nv.mode == "heatmap" and small:  # too wide for this panel: said so
            assert f"needs {nv.wants} columns" in "".join(drawn(app))
            assert nv.wants > nv.size.width


async def test_spiral_is_a_graph_when_there_is_room():
    app = BptuiApp("spiral")
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        nv = app.main.query_one(NetworkView)
        assert nv.mode == "graph"
        assert len(nv.lines(nv.size.width)) > 60  # taller than the panel: it scrolls


@pytest.mark.parametrize(
    "v, s",
    [(0.4253, "+0.425"), (-9.9996, "-10.00"), (12.345, "+12.35"), (-123.45, "-123.5"),
     (1234.0, "+1.2e3"), (-5.6e12, "-6e12"), (float("nan"), "+nan")],
)  # fmt: skip
def test_a_weight_fits_its_reserved_room(v, s):
    assert _w(v) == s and len(s) <= 6
