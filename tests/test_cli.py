"""The command line: --list, train (text and JSON), trace, and one-line errors for bad input."""

import json

import pytest

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
    }  # fmt: skip
    assert set(names) == expected
    assert all(len(ln.split(None, 1)) == 2 for ln in out.stdout.splitlines())


def test_train_json_document(capsys):
    assert main(["train", "admissions", "--json"]) == 0
    cap = capsys.readouterr()
    doc = json.loads(cap.out)
    assert set(doc) == {"scenario", "epochs", "initial", "final", "history", "metrics", "timing"}
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
    assert "Δw = η·δ^h·x = [(0.000177, -0.000511), (3.54e-5, -0.000102), (-7.08e-5, 0.000204)]" in out


def test_trace_several_records_in_batch_mode(capsys):
    assert main(["trace", "admissions", "--records", "2"]) == 0
    out = capsys.readouterr().out
    assert "Record 1 of 360" in out and "Record 2 of 360" in out
    assert "Pending: ΔW += δ·a over 2 record(s)" in out
    assert "Update" not in out  # batch mode: no update before the epoch's last record


GOOD = """
[network]
sizes = [2, 1, 1]
weights = [[[0.4], [-0.2]], [[0.1]]]
[training]
learning_rate = 0.5
[data]
x = [[0.1, 0.3]]
y = [1]
"""

BAD_SCENARIOS = [
    ("toml syntax", "[network\nsizes = [2]", ["TOML syntax error", "line 1"]),
    ("unknown key", GOOD.replace("learning_rate", "learnrate"), ["[training] unknown key 'learnrate'", "allowed"]),
    ("unknown section", GOOD + "\n[plots]\nx = 1\n", ["unknown key 'plots'"]),
    ("wrong type", GOOD.replace("learning_rate = 0.5", 'learning_rate = "fast"'), ["[training] learning_rate", "a number > 0"]),
    ("bad choice", GOOD.replace("[network]", '[network]\nhidden_activation = "swish"'), ["hidden_activation", '"sigmoid"']),
    ("weight shapes", GOOD.replace("[[0.1]]]", "[[0.1], [0.2]]]"), ["[network] weights", "matrix 1 must be 1×1"]),
    ("sizes vs data", GOOD.replace("sizes = [2, 1, 1]", "sizes = [3, 1, 1]").replace("weights = [[[0.4], [-0.2]], [[0.1]]]", ""), ["[network] sizes", "sizes[0] must be 2"]),
    ("log without sigmoid", GOOD.replace("[training]", '[training]\nloss = "log"').replace("[network]", '[network]\noutput_activation = "linear"'), ["[training] loss", "sigmoid"]),
    ("log with non-01 target", GOOD.replace("[training]", '[training]\nloss = "log"').replace("y = [1]", "y = [0.6]"), ["[data] y", "0/1", "0.6"]),
    ("two sources", GOOD.replace("[data]", '[data]\npattern = "circle"'), ["exactly one source"]),
    ("missing sizes", GOOD.replace("sizes = [2, 1, 1]", ""), ["[network] sizes: missing"]),
    ("section not a table", 'network = 3\n', ["[network] must be a table"]),
    ("unknown pattern", '[network]\nsizes=[2,1]\n[data]\npattern = "moons"', ["[data] pattern", "unknown pattern 'moons'"]),
    ("unsafe pattern", '[network]\nsizes=[2,1]\n[data]\npattern = "evil.toml"', ["evil.toml", "attribute access"]),
]  # fmt: skip


@pytest.mark.parametrize("case, text, needles", BAD_SCENARIOS, ids=[c[0] for c in BAD_SCENARIOS])
def test_bad_scenarios_get_one_line_errors(case, text, needles, tmp_path, capsys):
    (tmp_path / "evil.toml").write_text('label = "x1.__class__"\n')
    p = tmp_path / "lesson.toml"
    p.write_text(text)
    assert main(["train", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bptui: error: "), err
    assert "lesson.toml" in err, err
    for n in needles:
        assert n in err, (n, err)


def csv_scenario(tmp_path, csv_text, target="admit", extra=""):
    (tmp_path / "d.csv").write_text(csv_text)
    p = tmp_path / "c.toml"
    p.write_text(f'[network]\nsizes = [2, 1]\n[data]\ncsv = "d.csv"\ntarget = "{target}"\n{extra}')
    return p


@pytest.mark.parametrize(
    "csv_text, target, extra, needles",
    [
        ("admit,gre,gpa\n1,380,\n", "admit", "", ["d.csv: line 2", "'gpa' is missing a value"]),
        ("admit,gre,gpa\n1,380,3.1\n0,abc,3\n", "admit", "", ["d.csv: line 3", "'abc' is not a number"]),
        ("admit,gre,gpa\n1,380,3.1\n", "chance", "", ["no column 'chance'", "admit, gre, gpa"]),
        (
            "admit,gre,gpa\n2,380,3.1\n0,400,3\n",
            "admit",
            '[training]\nloss = "log"\n',
            ["[data] target", "0/1", "found 2"],
        ),
        ("admit,gre,gpa\n1,380\n", "admit", "", ["line 2", "2 values, but the header has 3"]),
        ("", "admit", "", ["the file is empty"]),
    ],
)
def test_bad_csv_files(tmp_path, capsys, csv_text, target, extra, needles):
    p = csv_scenario(tmp_path, csv_text, target, extra)
    assert main(["train", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    for n in needles:
        assert n in err, (n, err)


def test_missing_csv_file_is_named(tmp_path, capsys):
    p = tmp_path / "c.toml"
    p.write_text('[network]\nsizes = [2, 1]\n[data]\ncsv = "nope.csv"\ntarget = "y"\n')
    assert main(["train", str(p)]) == 2
    err = capsys.readouterr().err
    assert "c.toml: [data] csv: no file 'nope.csv'" in err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (
            ["train", "no-such-scenario"],
            "unknown scenario 'no-such-scenario'; built-in scenarios: admissions",
        ),
        (["train", "missing/file.toml"], "missing/file.toml: no such file"),
        (["train", "admissions", "--epochs", "-3"], "expected a whole number ≥ 0"),
        (["trace", "admissions", "--records", "x"], "expected a whole number"),
        (["train"], "the following arguments are required: scenario"),
        (["no-such-scenario"], "unknown scenario"),
    ],
)
def test_bad_arguments(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err


def test_directory_as_scenario(tmp_path, capsys):
    assert main(["train", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_errors_leave_no_traceback_in_a_real_process(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text("[network]\nsizes = 'big'\n")
    out = run_cli("train", str(p))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr
    assert "x.toml: [network] sizes: expected a list" in out.stderr


def test_every_builtin_scenario_builds():
    for name in scenario.builtin_names():
        tr = scenario.load(name).build()
        assert tr.m > 0 and len(tr.history) == 1
