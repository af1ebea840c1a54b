"""Softmax over a 3-class CSV, own-data scenarios, exports, and R² for regression."""

import json

import numpy as np

from bptui.cli import main
from bptui.core import losses, scenario

from .conftest import ROOT

THREE = ROOT / "tests" / "data" / "three-class.csv"


def test_own_csv_with_three_classes_gets_a_softmax_scenario(tmp_path, capsys):
    out = tmp_path / "three.toml"
    assert main([str(THREE), "--target", "kind", "--write-scenario", str(out)]) == 0
    sc = scenario.load(str(out))
    assert sc.network["output_activation"] == "softmax" and sc.network["sizes"] == [2, 4, 3]
    tr = sc.build()
    assert tr.loss is losses.get("xent") and tr.data.target_names == ["kind=0", "kind=1", "kind=2"]
    assert np.all(tr.data.y.sum(axis=1) == 1), "one-hot targets"
    tr.run(300, snapshots=False)
    last = tr.history.last()
    assert last["train_accuracy"] >= 0.95 and last["test_accuracy"] >= 0.9
    P = tr.net.predict(tr.data.X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    # the reported loss is the categorical cross-entropy
    ce = -np.mean(np.sum(tr.data.y * np.log(P), axis=1))
    assert abs(last["train_loss"] - ce) < 1e-12
    # δ^o = y − ŷ for softmax with cross-entropy
    st = tr.step_record()
    np.testing.assert_allclose(st.trace.delta[-1], st.y - st.trace.yhat)


def test_own_csv_binary_and_regression(tmp_path, capsys):
    binary = tmp_path / "b.toml"
    assert (
        main(
            [
                str(ROOT / "data" / "binary.csv"),
                "--target",
                "admit",
                "--one-hot",
                "rank",
                "--standardize",
                "gre,gpa",
                "--write-scenario",
                str(binary),
            ]
        )
        == 0
    )
    sc = scenario.load(str(binary))
    assert sc.network["output_activation"] == "sigmoid" and sc.training["loss"] == "log"
    reg = tmp_path / "r.toml"
    assert main([str(ROOT / "data" / "binary.csv"), "--target", "gpa", "--write-scenario", str(reg)]) == 0
    sc = scenario.load(str(reg))
    assert sc.network["output_activation"] == "linear" and sc.training["loss"] == "mse"
    tr = sc.build()
    tr.run(30, snapshots=False)
    r2 = tr.history.column("train_r2")
    assert np.isfinite(r2).all() and r2[-1] > r2[0]
    with np.errstate(over="ignore"):  # σ of a large negative h: e^(−h) overflows, σ = 0 exactly
        yhat = tr.net.predict(tr.data.X)
    y = tr.data.y
    assert abs(r2[-1] - (1 - ((y - yhat) ** 2).sum() / ((y - y.mean()) ** 2).sum())) < 1e-12
    assert tr.history.last()["train_accuracy"] is None  # regression: no accuracy


def test_csv_needs_a_target(capsys):
    assert main([str(THREE)]) == 2
    assert "--target" in capsys.readouterr().err


def test_train_exports_history_csv_and_weights_json(tmp_path, capsys):
    h, w = tmp_path / "h.csv", tmp_path / "w.json"
    assert main(["train", "xor", "--epochs", "5", "--history-csv", str(h), "--weights-json", str(w)]) == 0
    lines = h.read_text().splitlines()
    assert lines[0] == "epoch,train_loss,test_loss,train_accuracy,test_accuracy" and len(lines) == 7
    doc = json.loads(w.read_text())
    assert doc["sizes"] == [2, 4, 1] and doc["epoch"] == 5 and len(doc["biases"]) == 2
    # every weight named as on screen, shaped like the arrays
    assert doc["weight_names"][0][1][3] == "w₂₄" and doc["weight_names"][1][2] == ["W₃"]
    assert doc["bias_names"] == [["b^h₁", "b^h₂", "b^h₃", "b^h₄"], ["b^o"]]
