"""The step machine: record, update and epoch steps; modes; history; step back; reset."""

import numpy as np
import pytest

from bptui.core import data, scenario
from bptui.core.network import Network, init_weights
from bptui.core.trainer import Trainer


def make_trainer(
    update,
    batch_size=4,
    shuffle=False,
    bias=True,
    m=23,
    sizes=(3, 5, 2),
    loss="mse",
    hidden="tanh",
    output="sigmoid",
    train_bias=True,
    reg="none",
):
    rs = np.random.RandomState(0)
    X = rs.normal(size=(m, sizes[0]))
    Y = (rs.uniform(size=(m, sizes[-1])) > 0.5).astype(float)
    if output == "softmax":  # one-hot targets
        Y = np.eye(sizes[-1])[rs.randint(sizes[-1], size=m)]
    ds = data.make(X, Y, [f"x{i}" for i in range(sizes[0])], 0.2, 1)
    W = init_weights(list(sizes), "normal", 0.7, 3)
    b = [rs.normal(size=n) for n in sizes[1:]] if bias else None
    net = Network(list(sizes), W, hidden, output, b, train_bias)
    return Trainer(net, ds, loss, 0.9, update, batch_size, shuffle, seed=5, reg=reg, reg_rate=0.01)


def by_records(tr, epochs):
    for _ in range(epochs):
        e = tr.epoch
        while tr.epoch == e:
            if tr.update_due():
                tr.step_update()
            else:
                tr.step_record()


@pytest.mark.parametrize("update", ["batch", "sgd", "minibatch"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_epoch_step_equals_stepping_every_record(update, shuffle):
    a, b = make_trainer(update, shuffle=shuffle), make_trainer(update, shuffle=shuffle)
    by_records(a, 3)
    for _ in range(3):
        b.step_epoch()
    assert a.epoch == b.epoch == 3
    for wa, wb in zip(a.net.W + a.net.b, b.net.W + b.net.b):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        a.history.column("train_loss"), b.history.column("train_loss"), rtol=0, atol=1e-12
    )


FULL_BATCH_CASES = [
    dict(),
    dict(bias=False),
    dict(train_bias=False),
    dict(hidden="relu", output="linear", sizes=(3, 6, 4, 1)),
    dict(hidden="sigmoid", output="sigmoid", loss="log", sizes=(3, 4, 1)),
    dict(hidden="tanh", output="softmax", loss="log", sizes=(3, 5, 3)),
    dict(reg="l1"),
    dict(reg="l2", bias=False),
    dict(sizes=(3, 2)),  # no hidden layer
]


@pytest.mark.parametrize("case", FULL_BATCH_CASES, ids=lambda c: "-".join(map(str, c.values())) or "default")
def test_full_batch_run_equals_generic_epoch_steps(case):
    """run() takes the preallocated full-batch path; step_epoch() the generic one. 300 epochs
    cross a chunk of the full-batch path (256 epochs)."""
    a, b = make_trainer("batch", **case), make_trainer("batch", **case)
    assert a.run(300) == 300
    for _ in range(300):
        b.step_epoch()
    assert a.epoch == b.epoch == 300
    for wa, wb in zip(a.net.W + (a.net.b or []), b.net.W + (b.net.b or [])):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-12)
    ha, hb = a.history, b.history
    assert len(ha) == len(hb) == 301
    for col in ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "train_r2"):
        np.testing.assert_allclose(ha.column(col), hb.column(col), rtol=0, atol=1e-12)


def test_full_batch_run_steps_back_epoch_by_epoch():
    a, b = make_trainer("batch"), make_trainer("batch")
    states = [state(b)]
    for _ in range(4):
        b.step_epoch()
        states.append(state(b))
    a.run(4)
    assert_close(state(a), states[-1])
    for expect in reversed(states[:-1]):
        assert a.back()
        assert_close(state(a), expect)
    assert not a.back()


def test_epoch_step_finishes_a_partly_stepped_epoch():
    a, b = make_trainer("minibatch"), make_trainer("minibatch")
    for _ in range(6):  # the 5th press applies the first mini-batch's update before its record
        b.step_record()
    b.step_epoch()
    a.step_epoch()
    for wa, wb in zip(a.net.W, b.net.W):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-12)


def test_update_timing_per_mode():
    tr = make_trainer("minibatch", batch_size=4)
    m = tr.m
    for _ in range(4):
        assert not tr.update_due()
        tr.step_record()
    assert tr.update_due() and tr.k == 4
    tr.step_update()
    assert tr.k == 0 and tr.i == 4
    tr = make_trainer("sgd")
    tr.step_record()
    assert tr.update_due()
    tr = make_trainer("batch")
    for _ in range(m - 1):
        tr.step_record()
        assert not tr.update_due()
    tr.step_record()
    assert tr.update_due()
    tr.step_update()
    assert tr.epoch == 1 and len(tr.history) == 2


def test_minibatch_last_partial_batch_divides_by_its_size():
    tr = make_trainer("minibatch", batch_size=5)  # 18 training records: 5+5+5+3
    assert tr.m == 18
    tr.step_epoch()
    assert tr.last.updates == 4


def test_update_divides_by_records_accumulated():
    tr = make_trainer("batch")
    for _ in range(3):
        tr.step_record()
    W0 = tr.net.W[0].copy()
    acc = tr.dW[0].copy()
    st = tr.step_update()
    np.testing.assert_allclose(tr.net.W[0], W0 + tr.eta * acc / 3)
    assert st.k == 3


def test_history_starts_with_epoch_zero_on_whole_sets():
    tr = make_trainer("batch")
    h = tr.history.dicts()
    assert [r["epoch"] for r in h] == [0]
    Yhat = tr.net.predict(tr.data.X)
    assert h[0]["train_loss"] == pytest.approx(np.mean((tr.data.y - Yhat) ** 2))
    Yt = tr.net.predict(tr.data.X_test)
    assert h[0]["test_loss"] == pytest.approx(np.mean((tr.data.y_test - Yt) ** 2))
    tr.run(4)
    rows = tr.history.dicts()
    assert [r["epoch"] for r in rows] == [0, 1, 2, 3, 4]
    # each row belongs to the weights at the end of its epoch
    Yhat = tr.net.predict(tr.data.X)
    assert rows[-1]["train_loss"] == pytest.approx(np.mean((tr.data.y - Yhat) ** 2), abs=1e-15)


def test_lazy_history_rows_match_eager_evaluation():
    a, b = make_trainer("batch"), make_trainer("batch")
    a.run(5)
    for _ in range(5):
        b.step_epoch()
        b.settle()  # compute each row at once
    np.testing.assert_allclose(a.history.column("train_loss"), b.history.column("train_loss"), atol=1e-15)


def state(tr):
    W, b = tr.net.params()
    return (
        [w.copy() for w in W + (b or [])],
        [d.copy() for d in tr.dW],
        tr.k,
        tr.epoch,
        tr.i,
        tr.history.dicts(),
    )


def assert_same(s1, s2):
    for x, y in zip(s1[0] + s1[1], s2[0] + s2[1]):
        np.testing.assert_array_equal(x, y)
    assert s1[2:5] == s2[2:5]
    assert s1[5] == s2[5]


def assert_close(s1, s2):
    for x, y in zip(s1[0] + s1[1], s2[0] + s2[1]):
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-14)
    assert s1[2:5] == s2[2:5]
    assert len(s1[5]) == len(s2[5])
    for r1, r2 in zip(s1[5], s2[5]):
        assert r1 == pytest.approx(r2, abs=1e-14)


def test_step_back_restores_every_kind_of_step_and_forward_again_repeats():
    tr = make_trainer("minibatch", shuffle=True)
    states = [state(tr)]
    actions = ["record", "record", "record", "record", "update", "record", "epoch", "record", "epoch"]
    for act in actions:
        {"record": tr.step_record, "update": tr.step_update, "epoch": tr.step_epoch}[act]()
        states.append(state(tr))
    for expect in reversed(states[:-1]):
        assert tr.back()
        assert_same(state(tr), expect)
    assert not tr.back()
    for act, expect in zip(actions, states[1:]):
        {"record": tr.step_record, "update": tr.step_update, "epoch": tr.step_epoch}[act]()
        assert_same(state(tr), expect)


def test_reset_recreates_the_initial_state():
    tr = scenario.load("xor").build()
    first = state(tr)
    tr.run(3)
    tr.step_record()
    tr.reset()
    assert_same(state(tr), first)
    again = scenario.load("xor").build()
    assert_same(state(again), first)


def test_divergence_keeps_last_finite_weights_and_stops():
    rs = np.random.RandomState(1)
    ds = data.make(rs.normal(size=(20, 3)), rs.normal(size=20), ["a", "b", "c"])
    net = Network([3, 4, 1], init_weights([3, 4, 1], seed=1), "linear", "linear")
    tr = Trainer(net, ds, "mse", 1e6, "batch")
    with np.errstate(all="raise"):  # no NumPy warning may escape
        done = tr.run(1000)
    assert tr.diverged and done < 1000
    assert all(np.isfinite(w).all() for w in tr.net.W)
    assert tr.epoch == done and len(tr.history) == done + 1
    again = Trainer(Network([3, 4, 1], init_weights([3, 4, 1], seed=1), "linear", "linear"), ds, "mse", 1e6)
    again.run(done)
    for w, v in zip(tr.net.W, again.net.W):
        np.testing.assert_array_equal(w, v)  # the weights of the last finite epoch
    epoch = tr.epoch
    tr.run(5)
    tr.step_record()
    assert tr.epoch == epoch, "a diverged trainer does not step on"
    assert tr.back() and not tr.diverged and tr.epoch == done  # back to just before the blow-up


@pytest.mark.parametrize("per_call", [1, 1000])
def test_divergence_keeps_every_row_of_the_history(per_call):
    """A one-layer linear net: the weights grow a millionfold an epoch, and the last finite
    ones still give finite outputs, so every row has a loss (inf at worst, never NaN)."""
    rs = np.random.RandomState(2)
    ds = data.make(rs.normal(size=(20, 3)), rs.normal(size=20), ["a", "b", "c"])
    tr = Trainer(Network([3, 1], init_weights([3, 1], seed=1), "linear", "linear"), ds, "mse", 1e6)
    with np.errstate(all="raise"):
        while not tr.diverged and tr.epoch < 1000:
            tr.run(per_call)
    assert tr.diverged and 10 < tr.epoch < 1000
    loss = tr.history.column("train_loss")
    assert len(loss) == tr.epoch + 1 and not np.isnan(loss).any()
    with np.errstate(all="ignore"):
        assert loss[-1] == np.mean((tr.data.y - tr.net.predict(tr.data.X)) ** 2)


def test_update_with_nothing_pending_is_a_no_op():
    tr = make_trainer("sgd")
    assert tr.step_update() is None
    assert tr.snapshots() == ()
