"""The loss and accuracy plots: their ticks, and what an empty or clipped plot says."""

import math

import numpy as np
import pytest

from bptui.tui.app import BptuiApp
from bptui.tui.widgets.plots import HistoryPlot, ticks

RANGES = [(0.23416, 0.23778), (0, 1), (-1, 1), (0.0001, 0.35), (1234, 1234), (-3.2e-5, 1.7e-5),
          (0, 9483.2), (0.5, 0.5), (-250, 7), (1e-9, 2e-9), (3.1, 3.1000001), (0, 120_000),
          (0.012, 0.01325)]  # fmt: skip


def _nice(step: float) -> bool:
    m = step / 10 ** math.floor(math.log10(step) + 1e-9)
    return any(abs(m - c) < 1e-6 for c in (1, 2, 2.5, 5))


def _value(label: str) -> float:
    return float(label[:-1]) * 1000 if label.endswith("k") else float(label)


def _check(lo, hi, n, whole, expand):
    (a, b), vals, labels = ticks(lo, hi, n, whole=whole, expand=expand)
    assert 2 <= len(vals) <= max(n, 2) + 1, (lo, hi, n, vals)
    steps = np.diff(vals)
    assert np.allclose(steps, steps[0], rtol=1e-6), ("evenly spaced", vals)
    assert _nice(steps[0]), ("a round step", steps[0])
    assert len(set(labels)) == len(labels), ("labels tell ticks apart", labels)
    if not any(c in lab for lab in labels for c in "ek"):  # 0.01200 … 0.01325, not 0.013 beside 0.01325
        assert len({len(lab.partition(".")[2]) for lab in labels}) == 1, ("as many decimals", labels)
    for v, lab in zip(vals, labels):
        assert abs(_value(lab) - v) <= abs(steps[0]) * 1e-3, (lab, v)
        assert len(lab) <= 9, lab
    if whole:
        assert all(v == int(v) for v in vals) and steps[0] >= 1, vals
    if expand:
        tol = 1e-9 * abs(steps[0])  # (a value a billionth of a step below 0 counts as 0)
        assert a <= lo + tol and b >= hi - tol and (a, b) == (vals[0], vals[-1])
    else:
        assert (a, b) == (lo, hi) and lo - 1e-9 <= vals[0] and vals[-1] <= hi + 1e-9


@pytest.mark.parametrize("lo, hi", RANGES)
@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_ticks_are_round_evenly_spaced_and_labelled(lo, hi, n):
    _check(lo, hi, n, whole=False, expand=True)


def test_epoch_ticks_are_whole_numbers_from_zero_on_many_ranges():
    rng = np.random.default_rng(0)
    lasts = [0, 1, 2, 3, 7, 10, 47, 99, 100, 881, 1500, 9483, 120_000, 999_999]
    lasts += [int(v) for v in rng.integers(1, 10**6, 200)]
    for last in lasts:
        for n in (2, 3, 5, 8):
            (a, b), vals, labels = ticks(0, last, n, whole=True, expand=False)
            assert vals[0] == 0 and a == 0 and min(vals) >= 0, (last, vals)
            assert b == max(last, 1)
            _check(0, max(last, 1), n, whole=True, expand=False)


def test_random_ranges():
    rng = np.random.default_rng(1)
    for _ in range(500):
        c, w = rng.normal() * 10.0 ** rng.integers(-4, 5), 10 ** rng.uniform(-6, 5)
        _check(c, c + w, int(rng.integers(2, 8)), whole=False, expand=True)


def plot_text(app, wid: str) -> str:
    p = app.main.query_one(wid, HistoryPlot)
    r = p.render()
    return r.plain if hasattr(r, "plain") else str(r)


def axis_labels(text: str) -> list[str]:
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[i + 1].split()


async def test_epoch_axis_at_epoch_0_and_later_has_whole_numbers_only():
    app = BptuiApp("admissions")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        labels = axis_labels(plot_text(app, "#loss"))
        assert labels[0] == "0" and all(lab.isdigit() for lab in labels), labels
        await pilot.press("e", "e", "e")
        await pilot.pause()
        labels = axis_labels(plot_text(app, "#loss"))
        assert labels == ["0", "1", "2", "3"], labels
        app.tr.run(1231)
        app.main.refresh_views(force=True)
        await pilot.pause()
        labels = axis_labels(plot_text(app, "#accuracy"))
        assert labels[:3] == ["0", "500", "1000"], labels


@pytest.mark.parametrize("name, size", [("admissions", (200, 60)), ("diamond", (120, 40))])
async def test_y_ticks_are_evenly_spaced_round_values(name, size):
    app = BptuiApp(name, epochs=300)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = plot_text(app, "#loss").splitlines()
        rows = [(i, line.split("┤")[0].strip()) for i, line in enumerate(lines) if "┤" in line]
        vals = [float(v) for _, v in rows]
        assert len(vals) >= 3 and np.allclose(np.diff(vals), vals[1] - vals[0])
        assert len(set(np.diff([i for i, _ in rows]))) == 1, rows  # an equal number of rows apart
        assert max(len(v.split(".")[-1]) for _, v in rows) <= 3, rows  # 0.27, not 0.26843


def _y_ticks(text: str) -> list[tuple[int, str]]:
    return [(i, line.split("┤")[0].strip()) for i, line in enumerate(text.splitlines()) if "┤" in line]


@pytest.mark.parametrize("name, epochs, keys", [("admissions", 0, ["e", "r"]), ("admissions", 900, []),
                                                ("exercise", 0, ["n"]), ("worked-example", 50, [])])  # fmt: skip
async def test_a_plot_of_three_rows_or_more_has_three_evenly_spaced_y_ticks_at_120x40(name, epochs, keys):
    """Admissions' plots get three data rows at 120×40 (the network takes the height): a
    tick on each of them (1.0, 0.5, 0.0), not two (1, 0)."""
    app = BptuiApp(name, epochs=epochs)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        for wid in ("#loss", "#accuracy"):
            text = plot_text(app, wid)
            if "No R²" in text:
                continue
            rows = _y_ticks(text)
            vals = [float(v) for _, v in rows]
            assert len(rows) >= 3 and np.allclose(np.diff(vals), vals[1] - vals[0]), (wid, rows)
            assert len(set(np.diff([i for i, _ in rows]))) == 1, (wid, rows)


async def test_an_empty_plot_says_why_and_clipping_is_said():
    app = BptuiApp("exercise", epochs=2)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert "No R² to plot" in plot_text(app, "#accuracy")
        app.load_scenario("relu-intro")
        await pilot.press("e")
        await pilot.pause()
        assert "R² below −1 drawn at −1" in plot_text(app, "#accuracy")
        app.tr.run(300)
        app.main.refresh_views(force=True)
        await pilot.pause()
        if app.tr.history.column("train_r2").min() >= -1:
            assert "below" not in plot_text(app, "#accuracy")


def _three_class(tmp_path) -> str:
    from bptui.cli import main
    from tests.conftest import ROOT

    toml = tmp_path / "three.toml"
    main(
        [str(ROOT / "tests" / "data" / "three-class.csv"), "--target", "kind", "--write-scenario", str(toml)]
    )
    return str(toml)


@pytest.mark.parametrize("name, epochs", [("diamond", 300), ("spiral", 50), ("three-class", 30)])
async def test_2d_plots_at_120x40_have_whole_titles_legends_and_three_y_ticks(name, epochs, tmp_path):
    from rich.text import Text

    from .test_app import screen_text

    ref = _three_class(tmp_path) if name == "three-class" else name
    app = BptuiApp(ref, epochs=epochs)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = "".join(screen_text(app).split())
        for wid in ("#loss", "#accuracy"):
            plot = app.main.query_one(wid, HistoryPlot)
            title = Text.from_markup(plot.border_title).plain
            legend = Text.from_markup(plot.border_subtitle).plain
            assert "…" not in title and "".join(title.split()) in text, (name, title)
            assert legend == "━ train ━ test" and "━train━test" in text, (name, legend)
            ys = [line.split("┤")[0].strip() for line in plot_text(app, wid).splitlines() if "┤" in line]
            assert len(ys) >= 3, (name, wid, ys)


async def test_the_legend_gives_the_last_values_when_they_fit():
    """Admissions' point, test accuracy 0.725, can be read off the plot at 120x40 however few
    rows it has: the legend carries each line's last value when the panel has the room."""
    app = BptuiApp("admissions")
    async with app.run_test(size=(120, 40)) as pilot:
        app.tr.run(900)
        app.main.refresh_views(force=True)
        await pilot.pause()
        acc = app.main.query_one("#accuracy", HistoryPlot)
        legend = acc.border_subtitle
        assert "test 0.725" in legend and "train 0.481" in legend, legend
