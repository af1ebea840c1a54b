"""The history in bounded memory: recent epochs exact, older ones thinned, and said so."""

import numpy as np
import pytest

from bptui.core import history, session

from .test_trainer import make_trainer


@pytest.fixture
def small(monkeypatch):
    """A history of at most 256 rows, the last 64 epochs exact."""
    monkeypatch.setattr(history, "CAPACITY", 256)
    monkeypatch.setattr(history, "RECENT", 64)


def test_a_long_run_keeps_recent_epochs_exactly_and_thins_older_ones(small):
    tr = make_trainer("batch")
    full = make_trainer("batch")
    full.history.capacity = 10**6  # the same run, every row kept
    for t in (tr, full):
        for _ in range(5):
            t.run(1000)
    h = tr.history
    ep = h.column("epoch")
    assert len(h) <= 256 and ep[0] == 0 and ep[-1] == 5000
    assert np.array_equal(ep[-64:], np.arange(5000 - 63, 5001))  # the recent epochs, all
    old = ep[ep < h.exact_from]
    assert h.stride > 1 and np.all(old % h.stride == 0)
    assert np.array_equal(old, np.arange(0, h.exact_from, h.stride))  # none missing either
    assert np.all(ep[ep >= h.exact_from] == np.arange(h.exact_from, 5001))
    assert h.kept() == f"every epoch from {h.exact_from:,}, every {h.stride}th before"
    # a kept row is the row an unthinned history has for that epoch
    for col in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        np.testing.assert_allclose(h.column(col), full.history.column(col)[ep], rtol=0, atol=1e-12)


def test_a_generic_run_is_thinned_the_same_way(small):
    tr = make_trainer("minibatch")
    tr.run(700)
    ep = tr.history.column("epoch")
    assert len(ep) <= 256 and np.array_equal(ep[-64:], np.arange(700 - 63, 701))
    assert np.all(ep[ep < tr.history.exact_from] % tr.history.stride == 0)


def test_a_short_run_keeps_every_epoch():
    tr = make_trainer("batch")
    tr.run(300)
    assert tr.history.column("epoch").tolist() == list(range(301))
    assert tr.history.kept() == "every epoch"


def test_stepping_back_after_thinning_drops_the_rows_after_the_epoch(small):
    tr = make_trainer("batch")
    tr.run(1000)
    for _ in range(10):
        assert tr.back()
    assert tr.epoch == 990
    assert tr.history.column("epoch")[-1] == 990
    assert tr.history.last()["train_loss"] == pytest.approx(tr.net.loss_value(tr.data.X, tr.data.y, tr.loss))


def test_a_saved_thinned_history_loads_with_what_was_kept(small, tmp_path):
    sc_tr = make_trainer("batch")
    sc_tr.run(3000)
    h = sc_tr.history
    again = make_trainer("batch")
    again.restore(*sc_tr.net.params(), sc_tr.dW, sc_tr.db, epoch=3000, i=0, k=0, rows=h.rows())
    g = again.history
    assert (g.stride, g.exact_from, g.kept()) == (h.stride, h.exact_from, h.kept())
    assert g.dicts() == h.dicts()
    again.run(2000)  # and goes on thinning from there
    ep = again.history.column("epoch")
    assert len(ep) <= 256 and np.all(ep[ep < again.history.exact_from] % again.history.stride == 0)


def test_history_csv_names_its_columns_and_writes_the_kept_rows(small):
    tr = make_trainer("batch")
    tr.run(600)
    lines = session.history_csv(tr).splitlines()
    assert lines[0] == "epoch,train_loss,test_loss,train_accuracy,test_accuracy"
    assert len(lines) == len(tr.history) + 1
    assert [int(x.split(",")[0]) for x in lines[1:]] == tr.history.column("epoch").tolist()


async def test_the_plots_say_what_the_history_kept(small):
    from bptui.tui.app import BptuiApp

    app = BptuiApp("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        loss = app.main.query_one("#loss")
        assert "every" not in str(loss.border_subtitle)
        app.tr.run(1000)
        app.main.refresh_views(force=True)
        await pilot.pause()
        h = app.tr.history
        assert h.stride > 1 and f"every epoch from {h.exact_from:,}, every {h.stride}th before" in str(
            loss.border_subtitle
        )
