"""The network panel keeps its drawing's skeleton (boxes, edges, names) between updates and
writes only the numbers and colours on a copy. Whatever changes the skeleton — the theme,
the panel's width, another scenario, the inputs' widths, lesson mode — must draw exactly what
a view with no skeleton kept draws."""

from bptui.tui.app import BptuiApp
from bptui.tui.widgets.network import NetworkView


def drawn(app) -> list[str]:
    """The network panel as it is drawn: each line's text and styles."""
    nv = app.main.query_one(NetworkView)
    return [repr(list(strip)) for strip in nv.lines(nv.size.width)]


def afresh(app) -> list[str]:
    """The same, drawn again with every skeleton forgotten (the drawing from scratch)."""
    nv = app.main.query_one(NetworkView)
    kept = drawn(app)
    nv.drop_skeletons()
    nv.restyle()
    out = drawn(app)
    nv.drop_skeletons()  # the drawings after this one make their skeletons again too
    nv.restyle()
    assert drawn(app) == out
    return out if kept == out else ["kept:", *kept, "afresh:", *out]


async def test_the_kept_skeleton_draws_what_a_fresh_one_draws():
    app = BptuiApp("diamond")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        nv = app.main.query_one(NetworkView)
        start = drawn(app)
        assert nv.mode == "graph" and start == afresh(app)
        await pilot.press("n", "n", "n")  # other inputs (their widths move the edges)
        assert drawn(app) != start and drawn(app) == afresh(app)
        before = drawn(app)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert drawn(app) != before, "the theme's colours"
        assert drawn(app) == afresh(app)
        for size in ((240, 44), (116, 40)):  # wider (2 columns more); narrower: no thumbnails
            before = drawn(app)
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert drawn(app) != before, f"another width at {size}"
            assert drawn(app) == afresh(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        # nets of other shapes: 2-4-1 with biases, 2-2-1 with and without, 2-1-1 (same inputs)
        for name in ("xor", "gaussian", "relu-intro", "worked-example"):
            before = drawn(app)
            app.load_scenario(name)
            await pilot.pause()
            await pilot.press("n")
            assert drawn(app) != before, f"another net: {name}"
            assert drawn(app) == afresh(app)


async def test_lesson_mode_draws_what_a_fresh_skeleton_draws():
    app = BptuiApp("worked-example")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        outside = drawn(app)
        await pilot.press("l")  # the lesson conceals the values not revealed yet
        await pilot.pause()
        seen = [drawn(app)]
        assert seen[0] != outside and seen[0] == afresh(app)
        for _ in range(9):  # every micro-step, the update's (dimmed values, a caption) too
            await pilot.press("n")
            seen.append(drawn(app))
            assert seen[-1] == afresh(app)
        assert len({tuple(s) for s in seen}) > 5
        await pilot.press("l")
        await pilot.pause()
        assert drawn(app) == afresh(app)
