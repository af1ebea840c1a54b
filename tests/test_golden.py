"""The seeds' numbers, exactly."""

import numpy as np
import pytest

from bptui.core import scenario
from bptui.core.network import Network

from .conftest import run_cli, seed_admissions_prep
from .seedloop import seed_record_loop


def test_worked_example_record_and_update():
    tr = scenario.load("worked-example").build()
    st = tr.step_record()
    t = st.trace
    assert t.h[0][0, 0] == pytest.approx(-0.02)
    assert round(t.a[1][0, 0], 3) == 0.495
    assert round(t.yhat[0, 0], 3) == 0.512
    assert round(t.delta[1][0, 0], 3) == 0.122
    assert round(t.delta[0][0, 0], 5) == 0.00305
    assert round(tr.eta * st.dW[1][0, 0], 4) == 0.0302
    assert np.round(tr.eta * st.dW[0][:, 0], 6).tolist() == [0.000152, 0.000457]
    assert tr.update_due()
    tr.step_update()
    assert round(tr.net.W[1][0, 0], 6) == 0.130153
    assert np.round(tr.net.W[0][:, 0], 6).tolist() == [0.400152, -0.199543]
    assert tr.epoch == 1 and tr.i == 0


def test_trace_worked_example_prints_the_seed_numbers():
    out = run_cli("trace", "worked-example")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for expected in [
        "h = Σ w·x = 0.4×0.1 + (-0.2)×0.3 = -0.02",
        "a = σ(h) = σ(-0.02) = 0.495",
        "ŷ = σ(W·a) = σ(0.1×0.495) = 0.512",
        "δ^o = (y − ŷ)·ŷ(1 − ŷ) = (1 − 0.512) × 0.512 × (1 − 0.512) = 0.122",
        "δ^h = W·δ^o·a(1 − a) = 0.1 × 0.122 × 0.495 × (1 − 0.495) = 0.00305",
        "ΔW = η·δ^o·a = 0.5 × 0.122 × 0.495 = 0.0302",
        "= (0.000152, 0.000457)",
        "W ← W + η·Σδ^o·a/1 = W + ΔW = 0.1 + 0.0301535 = 0.130153",
        "= (0.400152, -0.199543)",
    ]:
        assert expected in text, expected


def test_exercise_weight_steps():
    tr = scenario.load("exercise").build()
    st = tr.step_record()
    d_ho = tr.eta * st.dW[1][:, 0]
    d_ih = tr.eta * st.dW[0]
    np.testing.assert_allclose(d_ho, [0.00804047, 0.00555918], atol=5e-9)
    np.testing.assert_allclose(
        d_ih,
        [[1.770055e-4, -5.111785e-4], [3.540111e-5, -1.022357e-4], [-7.080222e-5, 2.044714e-4]],
        atol=5e-11,
    )


def test_admissions_data_prep_matches_the_seed():
    tr = scenario.load("admissions").build()
    X, y, Xt, yt = seed_admissions_prep()
    assert tr.data.feature_names == ["gre", "gpa", "rank_1", "rank_2", "rank_3", "rank_4"]
    np.testing.assert_array_equal(tr.data.X, X)
    np.testing.assert_array_equal(tr.data.y[:, 0], y)
    np.testing.assert_array_equal(tr.data.X_test, Xt)
    np.testing.assert_array_equal(tr.data.y_test[:, 0], yt)


def test_admissions_matches_the_seed_loop_and_reaches_0_725():
    X, y, _, _ = seed_admissions_prep()
    wih, who, _ = seed_record_loop(X, y)
    tr = scenario.load("admissions").build()
    assert tr.run(900) == 900
    np.testing.assert_allclose(tr.net.W[0], wih, rtol=0, atol=1e-9)
    np.testing.assert_allclose(tr.net.W[1][:, 0], who, rtol=0, atol=1e-9)
    h = tr.history
    assert len(h) == 901 and h.dicts()[0]["epoch"] == 0
    assert h.dicts()[-1]["test_accuracy"] == 0.725


def _relu_net(weights):
    W0 = np.array([weights["node_0"], weights["node_1"]], dtype=float).T
    W1 = np.array(weights["output"], dtype=float)[:, None]
    return Network([2, 2, 1], [W0, W1], "relu", "relu")


def test_relu_intro_seed_002():
    weights_0 = {"node_0": [2, 1], "node_1": [1, 2], "output": [1, 1]}
    weights_1 = {"node_0": [2, 1], "node_1": [1, 2], "output": [1, 0]}
    x, target_actual = np.array([0, 3]), 3
    error_0 = _relu_net(weights_0).predict(x)[0, 0] - target_actual
    error_1 = _relu_net(weights_1).predict(x)[0, 0] - target_actual
    assert (error_0, error_1) == (6, 0)  # the seed: 9 − 3 and a perfect prediction
    # the scenario holds weights_0 and the four points
    tr = scenario.load("relu-intro").build()
    assert tr.history.dicts()[0]["train_loss"] == 37.5
    w1b = {"node_0": [2, 1], "node_1": [1, 1.5], "output": [1, 1.5]}
    X, Y = tr.data.X, tr.data.y
    assert _relu_net(w1b).loss_value(X, Y, tr.loss) == 49.890625


def test_relu_intro_slope_maps_onto_eta_and_delta():
    """Seed 002's no-hidden-layer model: slope 2·x·error = [14, 28, 42]; one step at lr 0.01
    takes the error from 7 to 5.04. bptui's δ·x is −slope/2, so η = 2·lr gives that step."""
    sc = scenario.from_text(
        """
        [network]
        sizes = [3, 1]
        output_activation = "linear"
        weights = [[[0], [2], [1]]]
        [training]
        learning_rate = 0.02
        update = "sgd"
        [data]
        x = [[1, 2, 3]]
        y = [0]
        """
    )
    tr = sc.build()
    st = tr.step_record()
    error = st.trace.yhat[0, 0] - 0
    assert error == 7
    slope = -2 * st.dW[0][:, 0]
    assert slope.tolist() == [14, 28, 42]
    tr.step_update()
    assert tr.net.predict([1, 2, 3])[0, 0] == pytest.approx(5.04, abs=1e-12)
