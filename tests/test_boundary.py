"""The decision boundary: the model's output as the background, the points as glyphs on it,
mistakes marked, several classes by colour, a hidden unit with its colour scale, and a
legend and title that fit."""

import re

import numpy as np

from bptui.tui.app import BptuiApp
from bptui.tui.widgets.boundary import TEST, TRAIN, WRONG, BoundaryView, class_rgb, square
from tests.conftest import ROOT, three_class_toml

BIG = (120, 40)


def rows(bv: BoundaryView) -> list[list]:
    return [list(strip) for strip in bv.lines(bv.size.width)]


def picture(bv: BoundaryView) -> tuple[int, int, int]:
    """(w, h, left): the picture's cells in the widget, and the blank columns before it."""
    return square(bv.size.width, bv.size.height - 1)


def glyph_cells(bv: BoundaryView) -> dict[tuple[int, int], object]:
    """(row, column of the picture) → the segment, for the cells that show a point."""
    out, left = {}, picture(bv)[2]
    for r, line in enumerate(rows(bv)[:-1]):
        c = 0
        for seg in line:
            if seg.text in (TRAIN, TEST, WRONG):
                out[(r, c - left)] = seg
            c += len(seg.text)
    return out


def expected_cells(app, w: int, h: int):
    """Where the points fall and which of them the model gets wrong, computed here."""
    tr, plane = app.tr, app.tr.data.plane
    P_train = tr.data.points if tr.data.points is not None else tr.data.X
    P_test = tr.data.points_test if tr.data.points_test is not None else tr.data.X_test
    cells, wrong = set(), set()
    for P, X, Y in ((P_train, tr.data.X, tr.data.y), (P_test, tr.data.X_test, tr.data.y_test)):
        pred, cls = tr.net.predict(X), Y
        if Y.shape[1] == 1:
            bad = (pred[:, 0] >= 0.5) != (cls[:, 0] >= 0.5)
        else:
            bad = pred.argmax(1) != cls.argmax(1)
        c = np.clip(((P[:, 0] - plane.lo) / (plane.hi - plane.lo) * w).astype(int), 0, w - 1)
        r = np.clip(((plane.hi - P[:, 1]) / (plane.hi - plane.lo) * h).astype(int), 0, h - 1)
        cells |= set(zip(r.tolist(), c.tolist()))
        wrong |= set(zip(r[bad].tolist(), c[bad].tolist()))
    return cells, wrong


def panel_title_fits(app) -> None:
    panel = app.main.query_one("#record-panel")
    assert len(panel.border_title) <= panel.outer_size.width - 4, panel.border_title
    assert "…" not in panel.border_title


async def test_points_mistakes_and_a_legend_that_fits():
    app = BptuiApp("diamond", epochs=300)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        bv = app.main.query_one(BoundaryView)
        w, h, _ = picture(bv)
        legend = "".join(s.text for s in rows(bv)[-1])
        assert len(legend.rstrip()) <= w and "mistake" in legend and "test" in legend, legend
        assert legend.count(TRAIN) == 2 and WRONG in legend
        cells, wrong = expected_cells(app, w, h)
        shown = glyph_cells(bv)
        assert set(shown) == cells, "every point's cell shows a glyph, no other cell does"
        assert {k for k, s in shown.items() if s.text == WRONG} == wrong and wrong
        for seg in shown.values():  # a point is brighter than the background behind it
            fg, bg = seg.style.color.triplet, seg.style.bgcolor.triplet
            assert max(fg) > 1.5 * max(bg), (fg, bg)
        panel_title_fits(app)
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        legend = "".join(s.text for s in rows(bv)[-1])
        assert "class 0" in legend and "class 1" in legend and len(legend.rstrip()) <= bv.size.width


async def test_the_plane_is_drawn_square_and_centred():
    """A pixel is half a cell, as wide as it is tall: the square plane is w × 2h pixels with
    w = 2h, centred in a wide panel (at 200x60 the panel is wider than tall: the diamond was
    drawn 1.6 times as wide as tall)."""
    app = BptuiApp("diamond", epochs=50)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        bv = app.main.query_one(BoundaryView)
        w, h, left = picture(bv)
        assert w == 2 * h and bv.size.width - w >= 8 and left == (bv.size.width - w) // 2
        lines = ["".join(s.text for s in line) for line in rows(bv)[:-1]]
        assert all(ln[:left].strip() == "" and ln[left : left + w].strip() for ln in lines[:h])
        assert all(ln[left + w :].strip() == "" for ln in lines[:h])
    assert square(30, 20) == (30, 15, 0) and square(41, 20) == (40, 20, 0) and square(44, 20) == (40, 20, 2)


async def test_points_sit_where_the_data_is_whatever_the_input_features(tmp_path):
    """With x1², x2² as the first inputs, the points are still drawn at (x1, x2)."""
    toml = (ROOT / "bptui" / "scenarios" / "diamond.toml").read_text()
    feats = toml.replace("bias_column = true", 'bias_column = true\nfeatures = ["x1^2", "x2^2", "x1", "x2"]')
    (tmp_path / "f.toml").write_text(feats.replace("sizes = [3, 4, 1]", "sizes = [5, 4, 1]"))
    app = BptuiApp(str(tmp_path / "f.toml"))
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        bv = app.main.query_one(BoundaryView)
        (w, h, _), d, plane = picture(bv), app.tr.data, app.tr.data.plane
        P = np.concatenate([d.X[:, 2:4], d.X_test[:, 2:4]])  # the x1, x2 columns
        c = np.clip(((P[:, 0] - plane.lo) / (plane.hi - plane.lo) * w).astype(int), 0, w - 1)
        r = np.clip(((plane.hi - P[:, 1]) / (plane.hi - plane.lo) * h).astype(int), 0, h - 1)
        assert set(glyph_cells(bv)) == set(zip(r.tolist(), c.tolist()))


async def test_several_classes_coloured_by_the_most_probable(tmp_path):
    toml = three_class_toml(tmp_path)
    app = BptuiApp(str(toml), epochs=30)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        assert app.tr.data.plane is not None
        bv = app.main.query_one(BoundaryView)
        assert bv.display and bv.size.height > 5
        w, h, left = picture(bv)
        # the background cell by cell: the hue of the class the model finds most probable
        plane = app.tr.data.plane
        hues = set()
        cells = [(r, c - left, s) for r, line in enumerate(rows(bv)[:-1]) for c, s in enumerate(line)]
        for r, c, seg in cells:
            if seg.text != "▀":
                continue
            x = plane.lo + (c + 0.5) * (plane.hi - plane.lo) / w
            y = plane.hi - (2 * r + 0.5) * (plane.hi - plane.lo) / (2 * h)
            k = int(app.tr.net.predict(np.array([[x, y]]))[0].argmax())
            fg = np.array(seg.style.color.triplet, dtype=float)
            base = np.array((30, 30, 34)) * 0.45
            if np.abs(fg - base).max() < 20:
                continue  # undecided: dark
            dists = [np.linalg.norm((fg - base) / np.linalg.norm(fg - base) - _unit(i)) for i in range(3)]
            assert int(np.argmin(dists)) == k, (r, c, fg, k)
            hues.add(k)
        assert hues == {0, 1, 2}
        cells, wrong = expected_cells(app, w, h)
        assert set(glyph_cells(bv)) == cells
        legend = "".join(s.text for s in rows(bv)[-1])
        assert legend.count(TRAIN) == 3 and "mistake" in legend and len(legend.rstrip()) <= w
        panel_title_fits(app)


def _unit(k: int) -> np.ndarray:
    v = (np.array(class_rgb(k)) - (30, 30, 34)) * 0.45
    return v / np.linalg.norm(v)


async def test_t_shows_the_unit_with_a_colour_scale_and_a_title_that_fits():
    app = BptuiApp("diamond", epochs=300)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        bv = app.main.query_one(BoundaryView)
        await pilot.press("t")
        await pilot.pause()
        legend = "".join(s.text for s in rows(bv)[-1])
        assert "mistake" not in legend and "class" not in legend
        assert legend.startswith("a₁ 0 ") and legend.rstrip().endswith(" 1") and legend.count("█") >= 4
        bar = [s.style.color.triplet for s in rows(bv)[-1] if s.text == "█"]
        assert bar[0].red > bar[0].blue and bar[-1].blue > bar[-1].red, "orange (0) to blue (1)"
        assert not glyph_cells(bv), "the unit's map alone"
        panel_title_fits(app)
        assert "h₁" in app.main.query_one("#record-panel").border_title
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert "its output a₁ over the plane" in app.main.query_one("#record-panel").border_title


async def test_the_record_line_names_classes_as_the_legend_and_outputs_as_the_drawing(tmp_path):
    """Above the boundary: the target and the answer by the legend's class names, the output
    unit by the drawing's name (ŷ₃, not a 0-based 2), right or wrong; a narrow panel drops
    the point's position, then the unit, then the word rec, never the verdict."""
    from bptui.tui.widgets.record import RecordView

    toml = three_class_toml(tmp_path)
    for size, want in (
        ((200, 60), r"^rec 1/240 y kind=\d ŷ kind=(\d) \(ŷ(.) [\d.]+\) [✓✗]  at \("),
        ((120, 40), r"^rec 1/240 y \d ŷ (\d) [✓✗]$"),
    ):
        app = BptuiApp(str(toml))
        async with app.run_test(size=size) as pilot:
            await pilot.press("n")
            rv = app.main.query_one(RecordView)
            line = "".join(s.text for s in list(rv.lines(rv.size.width))[0]).rstrip()
            m = re.match(want, line)
            assert m and len(line) <= rv.size.width, line
            k = int(app.tr.last.trace.yhat[0].argmax())
            assert int(m.group(1)) == k  # the class value, as the legend's kind=k
            if size == (200, 60):
                assert m.group(2) == "₁₂₃"[k], "the output unit as the drawing names it"
