"""Issue 11's screens at the three sizes a class meets (80×24, 120×40, 200×60), as
snapshots reviewed by eye. Deterministic: fixed seeds, no clock, no play timer."""

import pytest

from bptui.tui.app import BptuiApp

SIZES = [(80, 24), (120, 40), (200, 60)]
SCREENS = {
    "worked_example_n": ("worked-example", 0, ["n"]),
    "worked_example_n_u": ("worked-example", 0, ["n", "u"]),
    "exercise_n": ("exercise", 0, ["n"]),
    "admissions_r": ("admissions", 0, ["e", "r"]),
    "diamond_2000": ("diamond", 2000, []),
    "spiral": ("spiral", 0, []),
    "three_class_csv": ("three-class", 30, ["n"]),
    "lesson_step_9": ("worked-example", 0, ["l"] + ["n"] * 9),
    "settings_open": ("xor", 0, ["comma"]),
}


def _ref(name: str, tmp_path) -> str:
    if name != "three-class":
        return name
    from bptui.cli import main
    from tests.conftest import ROOT

    toml = tmp_path / "three.toml"
    csv = ROOT / "tests" / "data" / "three-class.csv"
    main([str(csv), "--target", "kind", "--write-scenario", str(toml)])
    return str(toml)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("what", list(SCREENS))
def test_screen_at_size(snap_compare, tmp_path, what, size):
    name, epochs, keys = SCREENS[what]
    assert snap_compare(BptuiApp(_ref(name, tmp_path), epochs=epochs), press=keys, terminal_size=size)
