"""Snapshots of the drawing, the decision boundary and the plots (2-D scenarios, a deep net,
several classes, a hidden unit large), at the main sizes."""

import pytest

from bptui.cli import main
from bptui.tui.app import BptuiApp
from tests.conftest import ROOT


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_diamond_after_2000_epochs(snap_compare, size):
    press = ["3"] if size == (80, 24) else []  # small terminals: the boundary's tab
    assert snap_compare(BptuiApp("diamond", epochs=2000), press=press, terminal_size=size)


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
def test_spiral(snap_compare, size):
    assert snap_compare(BptuiApp("spiral", epochs=300), terminal_size=size)


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
def test_three_class_csv(snap_compare, tmp_path, size):
    toml = tmp_path / "three.toml"
    main(
        [str(ROOT / "tests" / "data" / "three-class.csv"), "--target", "kind", "--write-scenario", str(toml)]
    )
    assert snap_compare(BptuiApp(str(toml), epochs=30), terminal_size=size)


def test_hidden_unit_with_its_colour_scale(snap_compare):
    assert snap_compare(BptuiApp("diamond", epochs=2000), press=["t", "t"], terminal_size=(120, 40))
