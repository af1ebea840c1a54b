"""The bad-input catalogue: every case must give one line on stderr naming the file and the
key or line, exit status 2, no traceback — across scenario files, pattern files, CSV files,
command-line arguments and hyperparameters."""

import os
from dataclasses import dataclass, field

import pytest

from bptui.cli import main

from .conftest import run_cli

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
CSV_NET = '[network]\nsizes = [2, 1]\n[data]\ncsv = "d.csv"\ntarget = "admit"\n'
PATTERN_NET = (
    '[network]\nsizes = [2, 1]\n[training]\nloss = "log"\n[data]\npattern = "p.toml"\nsamples = 50\n'
)


@dataclass
class Case:
    name: str
    scenario: str | bytes | None = None  # lesson.toml's text (None: use argv as given)
    needles: list[str] = field(default_factory=list)
    csv: str | None = None  # d.csv
    pattern: str | None = None  # p.toml
    argv: list[str] | None = None  # instead of ["train", lesson.toml]


CASES = [
    # ---- scenario files
    Case("empty file", "", ["lesson.toml", "the file is empty"]),
    Case("binary garbage", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", ["lesson.toml", "not a text file"]),
    Case("toml syntax", "[network\nsizes = [2]", ["lesson.toml", "TOML syntax error", "line 1"]),
    Case("duplicate keys", GOOD.replace("learning_rate = 0.5", "learning_rate = 0.5\nlearning_rate = 0.1"), ["lesson.toml", "TOML syntax error", "learning_rate"]),
    Case("wrong nesting", GOOD.replace("[training]", "[training.extra]\nx = 1\n[training]"), ["lesson.toml", "[training] unknown key 'extra'"]),
    Case("section as value", "network = 3\n", ["lesson.toml", "[network] must be a table"]),
    Case("unknown top key", GOOD + "\ncolour = 'red'\n", ["lesson.toml", "unknown key 'colour'"]),
    Case("unknown key", GOOD.replace("learning_rate", "learnrate"), ["[training] unknown key 'learnrate'", "allowed"]),
    Case("wrong type", GOOD.replace("learning_rate = 0.5", 'learning_rate = "fast"'), ["[training] learning_rate", "a number > 0", "'fast'"]),
    Case("bad choice", GOOD.replace("[network]", '[network]\nhidden_activation = "swish"'), ["hidden_activation", '"sigmoid"']),
    Case("missing sizes", GOOD.replace("sizes = [2, 1, 1]", ""), ["[network] sizes: missing"]),
    Case("sizes with 0 units", GOOD.replace("sizes = [2, 1, 1]", "sizes = [2, 0, 1]"), ["[network] sizes", "≥ 1"]),
    Case("sizes vs data", GOOD.replace("sizes = [2, 1, 1]", "sizes = [3, 1, 1]").replace("weights = [[[0.4], [-0.2]], [[0.1]]]", ""), ["[network] sizes", "sizes[0] must be 2"]),
    Case("weight shapes", GOOD.replace("[[0.1]]]", "[[0.1], [0.2]]]"), ["[network] weights", "matrix 1 must be 1×1"]),
    Case("biases without bias", GOOD.replace("[training]", "[training]").replace("weights =", "biases = [[0.1], [0.2]]\nweights ="), ["[network] biases", "bias = true"]),
    Case("huge number", GOOD.replace("learning_rate = 0.5", "learning_rate = 1e400"), ["[training] learning_rate", "a number > 0"]),
    Case("features not names", PATTERN_NET.replace("samples = 50", "samples = 50\nfeatures = [[]]"), ["[data] features", "distinct input features", "[[]]"], pattern='rule = "x1 > 0"'),
    Case("negative eta", GOOD.replace("learning_rate = 0.5", "learning_rate = -0.1"), ["[training] learning_rate", "a number > 0"]),
    Case("log without sigmoid", GOOD.replace("[training]", '[training]\nloss = "log"').replace("[network]", '[network]\noutput_activation = "linear"'), ["[training] loss", "sigmoid"]),
    Case("log with non-01 target", GOOD.replace("[training]", '[training]\nloss = "log"').replace("y = [1]", "y = [0.6]"), ["[data] y", "0/1", "0.6"]),
    Case("one class only", GOOD.replace("[training]", '[training]\nloss = "log"').replace("x = [[0.1, 0.3]]", "x = [[0.1, 0.3], [0.2, 0.1]]").replace("y = [1]", "y = [1, 1]"), ["[data] y", "every training record is class 1"]),
    Case("two sources", GOOD.replace("[data]", '[data]\npattern = "circle"'), ["exactly one source"]),
    Case("no data", "[network]\nsizes = [2, 1]\n", ["[data]", "exactly one source"]),
    Case("records of mixed length", GOOD.replace("x = [[0.1, 0.3]]", "x = [[0.1, 0.3], [0.2]]").replace("y = [1]", "y = [1, 0]"), ["[data] x", "same number of values"]),
    Case("0 records", GOOD.replace("x = [[0.1, 0.3]]", "x = []").replace("y = [1]", "y = []"), ["[data] x", "non-empty"]),
    Case("y count", GOOD.replace("y = [1]", "y = [1, 0]"), ["[data] y", "1 targets"]),
    Case("batch larger than data", GOOD.replace("learning_rate = 0.5", 'learning_rate = 0.5\nupdate = "minibatch"\nbatch_size = 50'), ["[training] batch_size", "larger than the 1 training records"]),
    Case("batch size 0", GOOD.replace("learning_rate = 0.5", "learning_rate = 0.5\nbatch_size = 0"), ["[training] batch_size", "≥ 1"]),
    Case("test fraction 1", GOOD.replace("[data]", "[data]\ntest_fraction = 1.0"), ["[data] test_fraction", "from 0 to 1"]),
    Case("split leaves nothing", GOOD.replace("[data]", "[data]\ntest_fraction = 0.5"), ["[data] test_fraction", "no training records"]),
    Case("noise out of range", '[network]\nsizes = [2, 1]\n[data]\npattern = "circle"\nnoise = 0.9\n', ["[data] noise", "0 to 0.5"]),
    Case("samples 0", '[network]\nsizes = [2, 1]\n[data]\npattern = "circle"\nsamples = 0\n', ["[data] samples", "from 1 to 1000000"]),
    # ---- CSV files
    Case("csv missing value", CSV_NET, ["d.csv: line 2", "'gpa' is missing a value"], csv="admit,gre,gpa\n1,380,\n"),
    Case("csv not a number", CSV_NET, ["d.csv: line 3", "'abc' is not a number"], csv="admit,gre,gpa\n1,380,3.1\n0,abc,3\n"),
    Case("csv NaN", CSV_NET, ["d.csv: line 2", "'nan' is not finite"], csv="admit,gre,gpa\n1,nan,3.1\n"),
    Case("csv inf", CSV_NET, ["d.csv: line 3", "'-inf' is not finite"], csv="admit,gre,gpa\n1,380,3.1\n0,-inf,3\n"),
    Case("csv unknown target", CSV_NET.replace('"admit"', '"chance"'), ["no column 'chance'", "admit, gre, gpa"], csv="admit,gre,gpa\n1,380,3.1\n"),
    Case("csv target not 0/1", CSV_NET + '[training]\nloss = "log"\n', ["[data] target", "0/1", "found 2"], csv="admit,gre,gpa\n2,380,3.1\n0,400,3\n"),
    Case("csv ragged", CSV_NET, ["line 2", "2 values, but the header has 3"], csv="admit,gre,gpa\n1,380\n"),
    Case("csv empty", CSV_NET, ["d.csv", "the file is empty"], csv=""),
    Case("csv header only", CSV_NET, ["d.csv", "no data rows"], csv="admit,gre,gpa\n"),
    Case("csv duplicate header", CSV_NET, ["d.csv: line 1", "duplicate column names"], csv="admit,gre,gre\n1,380,3.1\n"),
    Case("csv 1 record standardised", CSV_NET.replace('target = "admit"', 'target = "admit"\nstandardize = ["gre"]'), ["d.csv", "'gre' is constant"], csv="admit,gre,gpa\n1,380,3.1\n"),
    Case("csv missing file", CSV_NET.replace("d.csv", "nope.csv"), ["lesson.toml: [data] csv: no file 'nope.csv'"]),
    Case("csv is a directory", CSV_NET.replace("d.csv", "adir"), ["adir", "is a directory"]),
    Case("csv 50 MB", CSV_NET, ["d.csv", "50.0 MB", "up to 20 MB"], csv="BIG"),
    # ---- pattern files
    Case("pattern unsafe import", PATTERN_NET, ["p.toml", "label", "may not use"], pattern='label = "__import__(\'os\').system(\'id\')"\n'),
    Case("pattern attribute", PATTERN_NET, ["p.toml", "attribute access"], pattern='label = "x1.real > 0"\n'),
    Case("pattern lambda", PATTERN_NET, ["p.toml", "lambda"], pattern='label = "(lambda: 1)() > 0"\n'),
    Case("pattern comprehension", PATTERN_NET, ["p.toml", "comprehension"], pattern='label = "x1 > [x for x in (1, 2)]"\n'),
    Case("pattern does not parse", PATTERN_NET, ["p.toml", "does not parse"], pattern='label = "x1 >"\n'),
    Case("pattern one class", PATTERN_NET, ["p.toml", "labels all 50 points 0"], pattern='label = "maximum(x1, x2) > 5"\n'),
    Case("pattern unknown generator", PATTERN_NET, ["p.toml", "unknown 'moons'"], pattern='generator = "moons"\n'),
    Case("pattern neither", PATTERN_NET, ["p.toml", "exactly one of"], pattern='title = "x"\n'),
    # ---- command line
    Case("unknown scenario", argv=["train", "no-such-scenario"], needles=["unknown scenario 'no-such-scenario'", "built-in scenarios: admissions"]),
    Case("missing file", argv=["train", "missing/file.toml"], needles=["missing/file.toml: no such file"]),
    Case("scenario is a directory", argv=["train", "{dir}"], needles=["is a directory"]),
    Case("negative epochs", argv=["train", "admissions", "--epochs", "-3"], needles=["--epochs", "≥ 0"]),
    Case("records not a number", argv=["trace", "admissions", "--records", "x"], needles=["--records", "whole number"]),
    Case("missing argument", argv=["train"], needles=["required: scenario"]),
    Case("unknown option", argv=["train", "admissions", "--speed", "3"], needles=["unrecognized arguments: --speed 3"]),
    Case("bad screenshot size", argv=["screenshot", "admissions", "-o", "x.svg", "--size", "big"], needles=["--size", "COLSxROWS"]),
]  # fmt: skip


def test_the_catalogue_is_large():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    if case.csv == "BIG":
        with open(tmp_path / "d.csv", "wb") as fh:
            fh.truncate(50 * 2**20)
    elif case.csv is not None:
        (tmp_path / "d.csv").write_text(case.csv)
    if case.pattern is not None:
        (tmp_path / "p.toml").write_text(case.pattern)
    if case.argv is None:
        p = tmp_path / "lesson.toml"
        if isinstance(case.scenario, bytes):
            p.write_bytes(case.scenario)
        else:
            p.write_text(case.scenario)
        argv = ["train", str(p)]
    else:
        argv = [a.replace("{dir}", str(tmp_path / "adir")) for a in case.argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bptui: error: "), err
    for n in case.needles:
        assert n in err, (n, err)


def test_unreadable_file_is_named(tmp_path, capsys, monkeypatch):
    p = tmp_path / "lesson.toml"
    p.write_text(GOOD)
    real = type(p).read_text

    def deny(self, *a, **kw):
        if self.name == "lesson.toml":
            raise PermissionError(13, "Permission denied")
        return real(self, *a, **kw)

    monkeypatch.setattr(type(p), "read_text", deny)
    assert main(["train", str(p)]) == 2
    assert "lesson.toml: cannot read: Permission denied" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_really(tmp_path):
    p = tmp_path / "lesson.toml"
    p.write_text(GOOD)
    p.chmod(0)
    out = run_cli("train", str(p))
    assert out.returncode == 2 and "cannot read" in out.stderr


def test_no_traceback_in_a_real_process(tmp_path):
    p = tmp_path / "x.toml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    out = run_cli("train", str(p))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1
