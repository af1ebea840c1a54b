"""The main screen's layout rule (screens/layout.py), a pure function: where the panels go
for a terminal size and a net's drawing."""

from bptui.tui.screens.layout import BOUNDARY_MIN, PLANE_PLOTS, grid


def _rows(g) -> list[int]:
    return [int(r) for r in g.rows.split()]


def test_2d_data_at_200x60_puts_the_boundary_under_a_short_network():
    g = grid(200, 60, True, 64, (36, 0))  # the three-class CSV: 36 rows of drawing
    assert g.size == (2, 3)
    net, mid, plots = _rows(g)
    assert net == 38, "the network whole, with its borders"
    assert plots == PLANE_PLOTS and sum(_rows(g)) == 58, "the plots at the foot, side by side"
    assert net + mid == 58 - PLANE_PLOTS, "the backward pass down to the plots: 45 rows"
    assert mid + plots >= BOUNDARY_MIN, "the boundary under the network"


def test_2d_data_keeps_the_boundary_beside_the_plots_when_the_network_is_tall_or_the_screen_short():
    assert grid(200, 60, True, 105, (112, 0)).size == (3, 2)  # spiral: the drawing scrolls
    assert grid(200, 50, True, 64, (36, 0)).size == (3, 2)  # 10 rows under it: too few
    assert grid(120, 40, True, 64, (36, 0)).size == (3, 2)  # below TALL rows: as before


def test_the_layout_depends_on_the_drawing_not_on_the_step_shown():
    """Only the network's rows (its shape) choose the layout, so `n` never moves the panels."""
    assert grid(200, 60, True, 64, (36, 0)) == grid(200, 60, True, 64, (36, 12))
