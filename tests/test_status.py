"""The header keeps its form while the numbers grow, and the backward pass's title never
trails the text under it while playing."""

import re

import pytest

from bptui.tui.app import BptuiApp
from bptui.tui.widgets.status import StatusLine

from .test_app import until


def form(app) -> str:
    """The header's words without its numbers."""
    return re.sub(r"[\d.]+", "#", str(app.main.query_one(StatusLine).render()))


@pytest.mark.parametrize("name", ["worked-example", "exercise", "admissions", "diamond", "xor"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_header_keeps_its_form_as_the_epochs_grow(name, size):
    app = BptuiApp(name)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        forms = [form(app)]
        for epochs in (9, 90, 900):  # to epochs 9, 99 and 999: one digit more each time
            app.tr.run(epochs)
            app.main.refresh_views(force=True)
            await pilot.pause()
            forms.append(form(app))
        assert len(set(forms)) == 1, forms


async def test_while_playing_the_backward_title_says_so_and_after_it_names_the_epoch_shown():
    app = BptuiApp("diamond")  # 10 epochs a second
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.main.query_one("#backward-panel")
        await pilot.press("space")
        await until(pilot, lambda: app.tr.epoch >= 3)
        assert panel.border_title == "Backward pass · playing"
        await pilot.press("space")
        await pilot.pause()
        assert f"epoch {app.tr.epoch}" in panel.border_title, panel.border_title
