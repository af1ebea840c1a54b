"""The one notation: names, the number format, and the same name for a weight in every view;
after `n u` every weight that changed is highlighted with the digits that show it."""

import re
from fractions import Fraction

import numpy as np
import pytest

from bptui.teach.notation import Notation, change_text, column, num, weight_text
from bptui.tui.app import BptuiApp
from bptui.tui.screens.gradcheck import GradCheckScreen
from bptui.tui.screens.inspector import WeightInspector
from bptui.tui.widgets.network import NetworkView

from .contrast import visible_screen_stack
from .test_app import screen_text

BIG = (120, 40)


@pytest.mark.parametrize(
    "v, s",
    [(0.4953, "0.495"), (-0.0198477, "-0.0198"), (0.000152346, "0.000152"), (3.5401e-5, "3.54e-5"),
     (-1e-20, "-1e-20"), (123456.0, "1.23e5"), (12345.6, "12346"), (-0.00004, "-4e-5"), (0.0, "0")],
)  # fmt: skip
def test_one_number_format_with_a_fixed_switch_to_scientific(v, s):
    assert num(v) == s


def test_never_minus_zero():
    for v in (-1e-12, -0.0, -4e-7):
        assert not re.fullmatch(r"-0(\.0*)?", num(v, 3))
        assert weight_text(v) in ("+0.000", "0") or "e" in weight_text(v)
    assert weight_text(-0.0001) == "+0.000"


def test_a_table_column_has_one_style():
    assert column([0.000177, 3.54e-5, -0.000102]) == ["1.77e-4", "3.54e-5", "-1.02e-4"]
    assert column([0.5, -0.25]) == ["0.5", "-0.25"]


def test_course_names_and_the_layer_indexed_form():
    N = Notation([2, 1, 1])  # seed 004: w_i and W
    assert [N.weight(0, 0, 0), N.weight(0, 1, 0), N.weight(1, 0, 0)] == ["w₁", "w₂", "W"]
    assert (N.h(0), N.a(0), N.h(1), N.a(1), N.delta(0), N.delta(1)) == ("h", "a", "z", "ŷ", "δ^h", "δ^o")
    assert N.step(1) == "ΔW" and N.running_sum(1) == "Σδ^o·a" and N.running_sum(0) == "Σδ^h·x"
    N = Notation([6, 2, 1])  # seed 000: w_ij and W_j
    assert N.weight(0, 5, 1) == "w₆₂" and N.weight(1, 1, 0) == "W₂" and N.bias(0, 1) == "b^h₂"
    D = Notation([2, 8, 8, 1])
    assert D.weight(1, 2, 4) == "W2₃₅" and D.a(1) == "a2" and D.delta(0) == "δ1" and D.h(2) == "z"
    assert "layer-indexed" in D.convention()
    assert Notation([12, 3, 1]).weight(0, 9, 2) == "w₁₀,₃"  # two-digit indices get a comma


async def test_n_u_highlights_every_changed_weight_with_visible_digits():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        nv = app.main.query_one(NetworkView)
        before = dict(nv._prev)
        await pilot.press("n", "u")
        keys = [f"w{l},{i},{j}" for l, W in enumerate(app.tr.net.W) for (i, j), _ in np.ndenumerate(W)]
        assert set(keys) <= nv._changed, "every weight changed in the update and is highlighted"
        for k in keys:
            assert nv._prev[k] != before[k], f"{k}: the change shows at the digits drawn"
        assert nv._prev["w0,0,0"] == "+0.40015" and nv._prev["w0,1,0"] == "-0.19954"
        assert nv._prev["w1,0,0"] == "+0.130"
        drawn = "".join(s.text for s in nv.lines(nv.size.width))
        assert "+0.40015" in drawn and "-0.19954" in drawn
        await pilot.press("n")  # a record step changes no weight: nothing highlighted
        assert not any(k in nv._changed for k in keys)


def test_a_changed_weight_carries_the_digits_that_show_its_change():
    assert change_text(0.400152, 0.4, "+0.400") == "+0.40015"  # +0.4002 reads as a step of 0.0002
    assert change_text(-0.600511179, -0.6, "-0.600") == "-0.6005"  # the exercise's w₁₂, not -0.601
    assert change_text(0.1000353, 0.1, "+0.100") == "+0.100035"  # the exercise's w₂₁
    assert change_text(-0.199543, -0.2) == "-0.19954"
    assert change_text(0.0051234, 0.0051) == "+0.00512"
    assert change_text(0.13015, 0.1) == "+0.130"
    # 0.42514 → 0.42496: +0.4250 would read as the +0.425 drawn before
    assert change_text(0.42496, 0.42514, "+0.425") == "+0.42496"
    assert change_text(1e-7, -1e-7) == "Δ+2e-7"  # no decimals that fit tell them apart: the change
    assert change_text(0.4 + 1.96e-8, 0.4, "+0.400") == "Δ+1.9e-8"  # cut, never overstated
    assert all(len(change_text(0.4 + d, 0.4)) <= 9 for d in (1e-3, 1e-5, 1e-7, 1e-9))


def lead(x: Fraction) -> tuple[int, int]:
    """The first significant digit of x ≠ 0 and its place (0.000511 → (5, -4)), by counting."""
    x, place = abs(x), 0
    while x >= 10:
        x, place = x / 10, place + 1
    while x < 1:
        x, place = x * 10, place - 1
    return int(x), place


def test_the_drawn_change_never_overstates_the_true_one_over_many_pairs():
    """Over 20 000 (old, new) pairs of every size: the text is new rounded to d ≥ 3 decimals
    in at most 9 characters; the change it reads as (text − old at d decimals) has the true
    change's sign and first significant digit, in its place; d is the fewest that does so and
    reads differently from what was drawn before; otherwise the change itself, not overstated."""
    rng = np.random.default_rng(7)
    olds = rng.choice([-1, 1], 20000) * 10.0 ** rng.uniform(-3, 2.5, 20000)
    steps = rng.choice([-1, 1], 20000) * 10.0 ** rng.uniform(-9, 0, 20000)
    for old, new in zip(olds, olds + steps):
        old, new = float(old), float(new)
        if new == old:
            continue
        shown = weight_text(old)
        text, true = change_text(new, old, shown), Fraction(new) - Fraction(old)

        def ok(d: int) -> bool:
            s = f"{new:+.{d}f}"
            step = Fraction(s) - Fraction(f"{old:+.{d}f}")
            return (
                len(s) <= 9
                and float(s) != float(shown)
                and step != 0
                and (step > 0) == (true > 0)
                and lead(step) == lead(true)
            )

        assert len(text) <= 9, (old, new, text)
        if text.startswith("Δ"):
            assert not any(ok(d) for d in range(3, 9)), (old, new, text)
            cut = Fraction(text[1:])
            assert (cut > 0) == (true > 0) and abs(cut) <= abs(true) and lead(cut) == lead(true), (
                old,
                new,
                text,
            )
            continue
        d = len(text.split(".")[1])
        rounded = f"{new:+.{d}f}"
        assert d >= 3 and text == (rounded if float(rounded) else "+" + rounded[1:]), (old, new, text)
        assert ok(d) and not any(ok(k) for k in range(3, d)), (old, new, text)


async def test_the_exercise_at_80x24_draws_w12_with_the_digit_its_step_has():
    """The review's case: after n u, w₁₂ -0.6 → -0.600511 reads -0.6005, not -0.601."""
    app = BptuiApp("exercise")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "u")
        screen = "\n".join(screen_lines(app))
        assert "w₁₂ -0.6005 " in screen and "w₁₁ +0.50018" in screen, screen


def screen_lines(app) -> list[str]:
    """The terminal's rows as the compositor renders them."""
    visible_screen_stack.set(app._background_screens)
    update = app.screen._compositor.render_full_update()
    return ["".join(seg.text for strip in chops for seg in strip) for chops in update.strips]


def drawn(app) -> dict[tuple, str]:
    """Every weight's and bias's text as the drawing on the screen shows it, by (kind, l, i, j)."""
    N, net = Notation(app.tr.net.sizes), app.tr.net
    names = {
        ("w", l, i, j): N.weight(l, i, j) for l, W in enumerate(net.W) for (i, j), _ in np.ndenumerate(W)
    }
    if net.b is not None:
        names |= {("b", l, 0, j): N.bias(l, j) for l, b in enumerate(net.b) for j in range(b.size)}
    r = app.main.query_one(NetworkView).region  # the drawing as the screen shows it
    text = "\n".join(line[r.x : r.right] for line in screen_lines(app)[r.y : r.bottom])
    out = {}
    for key, name in names.items():
        found = re.findall(rf"(?<![\w₀-₉^]){re.escape(name)} (\S+)", text)
        assert len(found) == 1, (name, found)
        out[key] = found[0]
    return out


def value(net, key) -> float:
    kind, l, i, j = key
    return float(net.W[l][i, j] if kind == "w" else net.b[l][j])


@pytest.mark.parametrize(
    "name, keys, size",
    [
        ("worked-example", "nu", BIG),
        ("worked-example", "nu", (80, 24)),
        ("exercise", "nu", BIG),
        ("exercise", "nu", (200, 60)),
        ("admissions", "e", BIG),
        ("diamond", "e", BIG),
        ("exercise", "nunueee", BIG),
    ],
)
async def test_every_changed_weight_shows_digits_that_differ_from_before(name, keys, size):
    """Read from the screen: after the keys, each weight that changed is drawn with digits
    that read differently from what was drawn before the last key, that round the new value,
    and at which the change reads with its true first significant digit (never overstated);
    or, too small for the cell, as the change itself (Δ+9.5e-7)."""
    app = BptuiApp(name)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys[:-1])
        before, old = drawn(app), {k: value(app.tr.net, k) for k in drawn(app)}
        await pilot.press(keys[-1])
        after, nv = drawn(app), app.main.query_one(NetworkView)
        changed = [k for k in old if value(app.tr.net, k) != old[k]]
        assert len(changed) >= 3
        for k in changed:
            new, text = value(app.tr.net, k), after[k]
            true = Fraction(new) - Fraction(old[k])
            if text.startswith("Δ"):  # too small a change for the cell: the change itself
                assert lead(Fraction(text[1:])) == lead(true) and abs(Fraction(text[1:])) <= abs(true), k
                continue
            d = len(text.split(".")[1])
            assert float(text) != float(before[k]), f"{k}: {before[k]} → {text} reads unchanged"
            assert abs(float(text) - new) <= 0.5 * 10**-d + 1e-12, f"{k}: {text} is not {new}"
            step = Fraction(text) - Fraction(f"{old[k]:.{d}f}")  # the change the text reads as
            assert lead(step) == lead(true) and (step > 0) == (true > 0), f"{k}: {old[k]} → {new} as {text}"
            assert f"{k[0]}{k[1]},{k[3] if k[0] == 'b' else f'{k[2]},{k[3]}'}" in nv._changed, k
        for k in set(old) - set(changed):
            assert after[k] == before[k], k


async def test_e_highlights_the_weights_an_epoch_changed():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("e")
        nv = app.main.query_one(NetworkView)
        assert {f"w0,{i},{j}" for i in range(3) for j in range(2)} | {"w1,0,0", "w1,1,0"} <= nv._changed


async def test_one_weight_has_one_name_in_the_drawing_inspector_and_gradient_check():
    app = BptuiApp("exercise")
    async with app.run_test(size=BIG) as pilot:
        N = Notation(app.tr.net.sizes)
        names = [
            N.weight(l, i, j)
            for l, W in enumerate(app.tr.net.W)
            for i in range(W.shape[0])
            for j in range(W.shape[1])
        ]
        await pilot.press("n")
        drawing = "".join(s.text for s in app.main.query_one(NetworkView).lines(200))
        await pilot.press("i")
        assert isinstance(app.screen, WeightInspector)
        inspector = [label.split()[0] for label, _ in app.screen.items]
        await pilot.press("escape", "g")
        assert isinstance(app.screen, GradCheckScreen)
        gradcheck = screen_text(app)
        for name in names:
            assert f"{name} " in drawing, name
            assert name in inspector, name
            assert re.search(rf"\b{name}\s+-?\d", gradcheck), name
        assert names == inspector
