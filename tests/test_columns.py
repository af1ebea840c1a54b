"""One style and the same significant digits for every vector and table column of values: a
layer's per-weight steps (the grid), a vector (0.000314, 0.000140), the units table."""

import re
from decimal import Decimal

import numpy as np
import pytest

from bptui.core import scenario
from bptui.teach.lines import pending_lines, record_lines, update_lines
from bptui.teach.notation import column
from bptui.tui.app import BptuiApp

from .test_notation import screen_lines


def sig_digits(s: str) -> int:
    """Significant digits as written: 0.000140 → 3, 1.71e-4 → 3, 0.1 → 1."""
    return len(s.lstrip("-").split("e")[0].replace(".", "").lstrip("0"))


def test_a_column_has_one_style_and_the_same_digits_over_many_lists():
    rng = np.random.default_rng(3)
    for _ in range(3000):
        n = int(rng.integers(2, 9))
        vals = rng.choice([-1, 1], n) * 10.0 ** rng.uniform(-6, 4, n)
        vals[rng.random(n) < 0.2] = 0.0
        vals[rng.random(n) < 0.1] = 0.5  # an exact value keeps its short form
        for sig in (3, 6):
            out = column(vals, sig)
            styles = {"e" in s for s, v in zip(out, vals) if v != 0}
            assert len(styles) <= 1, (vals, out)
            for s, v in zip(out, vals):
                assert abs(Decimal(s) - Decimal(v)) <= Decimal(1).scaleb(Decimal(s).as_tuple().exponent) / 2
                exact, whole = (
                    abs(float(s) - v) <= 1e-9 * abs(v),
                    "." not in s and "e" not in s and abs(v) >= 10 ** (sig - 1),
                )
                assert sig_digits(s) == sig or whole or (exact and sig_digits(s) <= sig), (vals, out, sig)


def test_the_review_cases():
    assert column([0.000314, 0.00014003]) == ["0.000314", "0.000140"]
    assert column([9.93e-5, 0.000171]) == ["9.93e-5", "1.71e-4"]
    assert column([0.1, 0.3]) == ["0.1", "0.3"]  # data as the seeds write it
    assert column([0.00014003]) == ["0.00014"]  # one value alone: as num writes it


def groups(lines) -> list[list[str]]:
    """The values that stand in one column: a vector's entries, a heading's per-weight lines."""
    out, run = [], None
    for ln in lines:
        if ln.value.startswith("("):
            out.append(ln.value[1:-1].split(", "))
        if not ln.numbers and not ln.value:  # a heading: the per-weight lines follow
            run = []
            out.append(run)
        elif (
            run is not None
            and ln.numbers
            and not ln.formula.startswith(("Σ", "η"))
            and not ln.value.startswith("(")
        ):
            run.append(ln.value)
        else:
            run = None
    return [g for g in out if len(g) >= 2]


def every_group(name: str, records: int = 4) -> list[list[str]]:
    tr = scenario.load(name).build()
    found = []
    for _ in range(records):
        if tr.update_due():
            found += groups(update_lines(tr.net, tr.step_update(), tr.eta, tr.reg, tr.reg_rate))
        st = tr.step_record()
        found += groups(record_lines(tr.net, st, tr.eta, tr.loss.name))
        found += groups(pending_lines(tr.net, tr.dW, tr.db, tr.k, tr.eta))
    return found


@pytest.mark.parametrize("name", ["worked-example", "exercise", "admissions", "xor", "diamond", "relu-intro"])
def test_every_vector_and_grid_of_the_backward_pass_has_one_style(name):
    found = every_group(name)
    assert found, name
    for g in found:
        nonzero = [s for s in g if s != "0" and re.fullmatch(r"-?[\d.]+(e-?\d+)?", s)]
        assert len({"e" in s for s in nonzero}) <= 1, (name, g)
        assert len({sig_digits(s) for s in nonzero if sig_digits(s) >= 3}) <= 1, (name, g)


async def test_admissions_record_100_at_120x40_reads_in_one_style():
    """The review's screen: the Δw grid was 9.93e-5 beside 0.000171, the ΔW vector (…, -0.00046)."""
    app = BptuiApp("admissions")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "1", "0", "0", "enter")
        screen = "\n".join(screen_lines(app))
        assert "Δw₁₁ = 9.93e-5" in screen and "Δw₂₁ = 1.71e-4" in screen, screen
        assert "0.000171" not in screen and "(-0.000294, -0.000460)" in screen, screen
