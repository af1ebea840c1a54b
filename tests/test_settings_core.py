"""TF Playground's knobs in the core: input features for 2-D data, L1/L2 regularisation."""

import numpy as np
import pytest

from bptui.core import scenario, settings
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


# ---- the settings rules (core.settings), without the UI ------------------------------------


def edited(sc, **changes):
    """The scenario's own settings with some changed: section__key=value."""
    edits = settings.current(sc)
    for key, v in changes.items():
        section, name = key.split("__")
        edits[section][name] = v
    return edits


def weights(tr):
    return [w.copy() for w in tr.net.W + (tr.net.b or [])]


def test_no_edit_keeps_the_weights_and_the_scenario():
    sc = scenario.load("circle")
    ch = settings.apply(sc, settings.current(sc))
    assert ch.keep_weights and ch.trainer is None
    for section in ("network", "training", "data"):
        assert getattr(ch.scenario, section) == getattr(sc, section)


@pytest.mark.parametrize(
    "change",
    [
        dict(training__learning_rate=0.03),
        dict(training__regularization="l2", training__regularization_rate=0.01),
    ],
)
def test_eta_and_regularisation_keep_the_weights(change):
    sc = scenario.load("circle")
    tr = sc.build()
    tr.run(20)
    before = weights(tr)
    ch = settings.apply(sc, edited(sc, **change))
    assert ch.keep_weights and "weights are kept" in ch.message
    settings.retune(tr, ch.scenario)
    for key, v in change.items():
        assert ch.scenario.training[key.split("__")[1]] == v
    assert (tr.eta, tr.reg, tr.reg_rate) == (
        ch.scenario.training["learning_rate"],
        ch.scenario.training["regularization"],
        ch.scenario.training["regularization_rate"],
    )
    for w, v in zip(weights(tr), before):
        np.testing.assert_array_equal(w, v)
    # the saved text says so too: a session resumes the edited η
    assert scenario.from_text(ch.scenario.text).training == ch.scenario.training


@pytest.mark.parametrize(
    "change, check",
    [
        (dict(network__hidden=[3, 2]), lambda sc: sc.network["sizes"] == [3, 3, 2, 1]),
        (dict(network__hidden_activation="relu"), lambda sc: sc.network["hidden_activation"] == "relu"),
        (dict(training__update="sgd"), lambda sc: sc.training["update"] == "sgd"),
        (
            dict(training__batch_size=7, training__update="minibatch"),
            lambda sc: sc.training["batch_size"] == 7,
        ),
        (dict(data__noise=0.2), lambda sc: sc.data["noise"] == 0.2),
        (dict(data__pattern="xor"), lambda sc: sc.data["pattern"] == "xor"),
        (dict(data__samples=100), lambda sc: sc.data["samples"] == 100),
        # three features and the bias column
        (dict(data__features=["x1", "x2", "x1*x2"]), lambda sc: sc.network["sizes"][0] == 4),
        (dict(data__regenerate=True), lambda sc: sc.data["split_seed"] == 4),  # the next split seed
    ],
    ids=lambda v: "-".join(v) if isinstance(v, dict) else "",
)
def test_other_edits_build_again_from_the_seed(change, check):
    sc = scenario.load("circle")
    ch = settings.apply(sc, edited(sc, **change))
    assert not ch.keep_weights and check(ch.scenario)
    assert f"seed {sc.training['seed']}" in ch.message
    # the same start as building the edited scenario from its text
    fresh = scenario.from_text(ch.scenario.text).build()
    for w, v in zip(weights(ch.trainer), weights(fresh)):
        np.testing.assert_array_equal(w, v)
    np.testing.assert_array_equal(ch.trainer.data.X, fresh.data.X)


def test_new_sizes_drop_the_weights_the_file_gave():
    sc = scenario.load("worked-example")
    assert "weights" in sc.doc["network"]
    ch = settings.apply(sc, edited(sc, network__hidden=[2]))
    assert ch.scenario.network["sizes"] == [2, 2, 1] and "weights" not in ch.scenario.doc["network"]
    ch = settings.apply(sc, edited(sc, network__hidden_activation="tanh"))
    assert "weights" in ch.scenario.doc["network"], "same sizes: the file's weights still fit"


def test_log_loss_on_a_linear_output_switches_it_to_sigmoid():
    sc = scenario.from_text(
        '[network]\nsizes = [2, 3, 1]\noutput_activation = "linear"\n[data]\npattern = "xor"\nsamples = 50\n'
    )
    ch = settings.apply(sc, edited(sc, training__loss="log"))
    assert ch.scenario.network["output_activation"] == "sigmoid" and ch.trainer.loss.name == "log"


def test_an_edit_that_makes_a_bad_scenario_is_refused_with_one_line():
    sc = scenario.load("circle")  # 625 samples, 500 of them for training
    with pytest.raises(
        ScenarioError, match=r"\[training\] batch_size: 100000 is larger than the 500 training records"
    ):
        settings.apply(sc, edited(sc, training__update="minibatch", training__batch_size=100_000))


def test_limits_parse_typed_numbers_with_one_line_reasons():
    lim = settings.LIMITS["batch_size"]
    assert lim.parse(" 12 ") == 12
    with pytest.raises(ValueError, match="batch size: 'x' is not a whole number"):
        lim.parse("x")
    with pytest.raises(ValueError, match="batch size: 0 is outside 1–100000"):
        lim.parse("0")
    assert settings.parse_hidden("4, 2") == [4, 2] and settings.parse_hidden(" ") == []
    with pytest.raises(ValueError, match="is not a list like 4, 2"):
        settings.parse_hidden("4;2")
    with pytest.raises(ValueError, match="0 to 6 layers of 1 to 16 units"):
        settings.parse_hidden("17")
    with pytest.raises(ValueError, match="0 to 6 layers of 1 to 16 units"):
        settings.parse_hidden("1,1,1,1,1,1,1")


def test_option_lists():
    assert settings.losses_for("softmax") == ("log",) and settings.losses_for("sigmoid") == (
        "mse",
        "square",
        "log",
    )
    assert settings.with_current(settings.ETAS, 0.5) == sorted(settings.ETAS + (0.5,))
    assert settings.with_current(settings.ETAS, 0.3) == list(settings.ETAS)
    assert set(settings.INPUT_FEATURES) >= {"x1", "x2", "x1*x2", "sin(x1)"}
    assert settings.UPDATES == ("batch", "sgd", "minibatch")
