"""The command line: --list, train (text and JSON), trace, and one-line errors for bad input."""

import json

from bptui.cli import main
from bptui.core import scenario

from .conftest import run_cli


def test_list_shows_every_builtin_with_a_line():
    out = run_cli("--list")
    assert out.returncode == 0
    names = [ln.split()[0] for ln in out.stdout.splitlines()]
    expected = {
        "worked-example", "exercise", "admissions", "relu-intro", "circle", "diamond",
        "centered-square", "thick-right-angle", "thin-right-angle", "xor", "spiral", "gaussian",
        "tf-circle", "tf-xor", "tf-gaussian", "tf-spiral",
    }  # fmt: skip
    assert set(names) == expected
    assert all(len(ln.split(None, 1)) == 2 for ln in out.stdout.splitlines())


def test_train_json_document(capsys):
    assert main(["train", "admissions", "--json"]) == 0
    cap = capsys.readouterr()
    doc = json.loads(cap.out)
    assert set(doc) == {
        "scenario",
        "epochs",
        "initial",
        "final",
        "history",
        "history_kept",
        "metrics",
        "timing",
    }
    assert doc["history_kept"] == "every epoch"
    assert doc["scenario"] == "admissions" and doc["epochs"] == 900
    assert doc["initial"]["biases"] is None and len(doc["final"]["weights"]) == 2
    assert len(doc["history"]) == 901 and doc["history"][0]["epoch"] == 0
    assert set(doc["history"][0]) == {"epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"}
    assert doc["metrics"] == doc["history"][-1]
    assert doc["metrics"]["test_accuracy"] == 0.725
    assert doc["timing"]["train_seconds"] > 0
    assert "Prediction accuracy: 0.725" in cap.err  # log lines go to stderr with --json


def test_train_text_log_and_summary(capsys):
    assert main(["train", "admissions", "--epochs", "90"]) == 0
    out = capsys.readouterr().out
    assert "Epoch  0  Train loss:" in out and "Epoch 90" in out
    assert "Trained 90 epochs" in out


def test_train_epochs_override_and_biases_in_json(capsys):
    assert main(["train", "xor", "--epochs", "3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["epochs"] == 3 and len(doc["history"]) == 4
    assert [len(b) for b in doc["final"]["biases"]] == [4, 1]


def test_train_divergence_exits_nonzero_with_a_message(tmp_toml, capsys):
    p = tmp_toml(
        """
        [network]
        sizes = [1, 1]
        output_activation = "linear"
        [training]
        learning_rate = 1e6
        epochs = 500
        [data]
        x = [[1.0], [2.0], [3.0]]
        y = [1.0, 2.0, 3.0]
        """
    )
    assert main(["train", str(p)]) == 1
    err = capsys.readouterr().err
    assert "diverged" in err and "Lower the learning rate" in err


def test_trace_exercise(capsys):
    assert main(["trace", "exercise"]) == 0
    out = capsys.readouterr().out
    assert "ΔW = η·δ^o·a = (0.5 × 0.0287 × 0.56, 0.5 × 0.0287 × 0.387) = (0.00804, 0.00556)" in out
    # six steps: one substituted line each, under the formula, their values one column (Δw₂₁
    # is 3.54e-5, so all six are scientific)
    assert "    Δw = η·δ^h·x\n    Δw₁₁ = 0.5 × 0.000708 × 0.5 = 1.77e-4\n" in out
    assert "    Δw₃₂ = 0.5 × (-0.00204) × (-0.2) = 2.04e-4\n" in out
    assert "    w₂₁ ← 0.1 + 3.54011e-5 = 0.100035\n" in out


def test_trace_several_records_in_batch_mode(capsys):
    assert main(["trace", "admissions", "--records", "2"]) == 0
    out = capsys.readouterr().out
    assert "Record 1 of 360" in out and "Record 2 of 360" in out
    assert "Pending: the running sums over k = 2 record(s)" in out
    assert "Update" not in out  # batch mode: no update before the epoch's last record


def test_every_builtin_scenario_builds():
    for name in scenario.builtin_names():
        tr = scenario.load(name).build()
        assert tr.m > 0 and len(tr.history) == 1


_WATCH_NUMPY = """
import os, sys
seen = []
class Watch:  # notes the BLAS variable when NumPy starts loading
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" and not seen:
            seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))
sys.meta_path.insert(0, Watch())
import bptui.cli
print(seen)
"""


def test_the_command_asks_for_one_blas_thread_before_numpy_loads(monkeypatch):
    import subprocess
    import sys

    def seen(value):
        if value is None:
            monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
        else:
            monkeypatch.setenv("OPENBLAS_NUM_THREADS", value)
        out = subprocess.run([sys.executable, "-c", _WATCH_NUMPY], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert seen(None) == "['1']"
    assert seen("3") == "['3']"  # the user's own choice stays
