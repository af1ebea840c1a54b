"""TF Playground's knobs in the core: input features for 2-D data, L1/L2 regularisation."""

import numpy as np
import pytest

from bptui.core import scenario
from bptui.core.errors import ScenarioError

from .test_trainer import by_records, make_trainer


@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_regularised_update_is_the_descent_step_of_the_penalty(reg):
    tr = make_trainer("batch")
    tr.reg, tr.reg_rate = reg, 0.3
    for _ in range(tr.m):
        tr.step_record()
    W0, acc, k = [w.copy() for w in tr.net.W], [d.copy() for d in tr.dW], tr.k
    tr.step_update()
    for w, w0, d in zip(tr.net.W, W0, acc):
        pen = np.sign(w0) if reg == "l1" else w0
        np.testing.assert_allclose(w, w0 + tr.eta * d / k - tr.eta * 0.3 * pen, atol=1e-15)


@pytest.mark.parametrize("update", ["batch", "sgd", "minibatch"])
def test_regularised_epoch_equals_stepping(update):
    a, b = make_trainer(update), make_trainer(update)
    for t in (a, b):
        t.reg, t.reg_rate = "l2", 0.1
    by_records(a, 2)
    b.run(2)
    for wa, wb in zip(a.net.W, b.net.W):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-12)


def test_plane_features():
    sc = scenario.from_text(
        '[network]\nsizes = [3, 1]\n[training]\nloss = "log"\n[data]\npattern = "xor"\nsamples = 200\n'
        'features = ["x1", "x1*x2", "sin(x2)"]\nsplit_seed = 2\n'
    )
    tr = sc.build()
    assert tr.data.feature_names == ["x1", "x1*x2", "sin(x2)"]
    P = np.array([[0.5, -0.2]])
    np.testing.assert_allclose(tr.data.plane.featurize(P), [[0.5, -0.1, np.sin(-0.2)]])
    tr.eta = 2.0
    tr.run(300, snapshots=False)
    assert tr.history.last()["train_accuracy"] > 0.9, "x1·x2 alone separates XOR"


def test_features_need_pattern_data():
    with pytest.raises(ScenarioError, match="only pattern data"):
        scenario.from_text('[network]\nsizes = [1, 1]\n[data]\nx = [[1]]\ny = [1]\nfeatures = ["x1"]\n')
    with pytest.raises(ScenarioError, match="distinct input features"):
        scenario.from_text('[network]\nsizes = [1, 1]\n[data]\npattern = "xor"\nfeatures = ["x3"]\n')
