"""The loss landscape: the grid's loss is the history's train loss, point by point."""

import numpy as np
import pytest

from bptui.core import landscape as LS
from bptui.core import scenario as scen

DEEP_SOFTMAX = """
title = "deep softmax"
[network]
sizes = [2, 3, 3, 3]
hidden_activation = "tanh"
output_activation = "softmax"
bias = true
init = "uniform"
[training]
loss = "log"
learning_rate = 0.3
update = "batch"
seed = 5
[data]
x = [[0.1, 0.3], [-0.5, 0.2], [0.7, -0.4], [0.0, 0.9], [-0.3, -0.8]]
y = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]
"""


def keys_of(net):
    keys = [("W", l, i, j) for l, W in enumerate(net.W) for i, j in np.ndindex(W.shape)]
    return keys + ([("b", l, -1, j) for l in range(net.L) for j in range(net.sizes[l + 1])] if net.b else [])


def brute(tr, keys, vals):
    """The train loss with the weights set one network at a time, as the history computes it."""
    W0, b0 = tr.net.params()
    out = []
    for row in vals:
        W, b = [w.copy() for w in W0], None if b0 is None else [v.copy() for v in b0]
        for (kind, l, i, j), x in zip(keys, row):
            if kind == "W":
                W[l][i, j] = x
            else:
                b[l][j] = x
        tr.net.set_params(W, b)
        out.append(tr.loss.value(tr.data.y, tr.net.predict(tr.data.X)))
    tr.net.set_params(W0, b0)
    return np.array(out)


@pytest.mark.parametrize(
    "name", ["worked-example", "exercise", "admissions", "diamond", "xor", "spiral", "deep"]
)
def test_landscape_at_the_current_point_is_the_loss_shown_and_every_point_is_right(name):
    sc = scen.from_text(DEEP_SOFTMAX, None, "deep") if name == "deep" else scen.load(name)
    tr = sc.build()
    tr.run(50)
    shown = tr.history.last()["train_loss"]  # what the loss plot and status show
    keys = keys_of(tr.net)
    rs = np.random.RandomState(len(name))
    pairs = [[keys[k] for k in rs.choice(len(keys), 2, replace=False)] for _ in range(4)]
    if tr.net.L > 1:  # a weight into unit 1 of layer 1 and one reading that unit's output
        pairs.append([("W", 0, 0, 0), ("W", 1, 0, 0)])
    for pair in pairs:
        L = LS.landscape(tr, pair, 9, 7)
        assert L.loss_now == pytest.approx(shown, rel=1e-12, abs=1e-15)
        assert L.Z[3, 4] == pytest.approx(shown, rel=1e-12, abs=1e-15)  # the middle is now, exactly
        assert (L.u[4], L.v[3]) == L.now
        U, V = np.meshgrid(L.u, L.v)
        pts = np.column_stack([U.ravel(), V.ravel()])
        pick = rs.choice(len(pts), 6, replace=False)
        np.testing.assert_allclose(L.Z.ravel()[pick], brute(tr, pair, pts[pick]), rtol=1e-10, atol=1e-14)


def test_the_path_follows_training_and_ends_at_now():
    tr = scen.load("worked-example").build()
    keys = [("W", 0, 0, 0), ("W", 1, 0, 0)]
    assert LS.path(tr, keys).tolist() == [[0.4, 0.1]]
    tr.step_record()  # no weight changes: no new point
    assert len(LS.path(tr, keys)) == 1
    tr.step_update()
    tr.run(10)
    P = LS.path(tr, keys)
    assert len(P) == 12 and P[0].tolist() == [0.4, 0.1]
    assert P[1] == pytest.approx([0.400152, 0.130153], abs=1e-6)  # seed 004's first update
    assert P[-1].tolist() == [tr.net.W[0][0, 0], tr.net.W[1][0, 0]]
    cu, su, cv, sv = LS.window(tr, keys)
    assert abs(P[:, 0] - cu).max() < su and abs(P[:, 1] - cv).max() < sv  # the path fits


def test_two_different_weights_are_needed():
    tr = scen.load("worked-example").build()
    with pytest.raises(ValueError, match="two different"):
        LS.landscape(tr, [("W", 0, 0, 0), ("W", 0, 0, 0)])


def loss_range(tr, keys) -> float:
    Z = LS.landscape(tr, keys, 21, 21).Z
    return float(Z.max() - Z.min())


def test_the_default_pair_before_a_step_is_the_steepest_and_shows_descent():
    """The worked example opened on w₁, w₂ (a 0.0015 loss range over the grid, flat) while W,
    the weight that moves, was on no axis. Before any step the two weights along which the
    train loss is steepest come first: W and w₂; their landscape spans a real range."""
    tr = scen.load("worked-example").build()
    keys = keys_of(tr.net)
    pair = LS.moved(tr, keys)[:2]
    assert pair == [("W", 1, 0, 0), ("W", 0, 1, 0)]
    assert loss_range(tr, pair) > 20 * loss_range(tr, [("W", 0, 0, 0), ("W", 0, 1, 0)])
    assert LS.moved(tr, keys)[:2] == pair  # deterministic
    for name in ("exercise", "admissions", "diamond"):  # every net: the output layer's steepest weights
        tr = scen.load(name).build()
        grad = np.abs(np.concatenate([g.ravel() for g in LS.gradient(tr)[0]]))
        first = LS.moved(tr, keys_of(tr.net))[0]
        assert abs(LS.value(tr, first, *LS.gradient(tr))) == grad.max(), name


def test_after_steps_the_weights_that_moved_most_come_first():
    tr = scen.load("exercise").build()
    for _ in range(3):
        tr.step_epoch()
    keys = keys_of(tr.net)
    first = tr.snapshots()[0]
    far = sorted(keys, key=lambda k: -abs(LS.value(tr, k) - LS.value(tr, k, first.W, first.b)))
    assert LS.moved(tr, keys)[:2] == far[:2]
