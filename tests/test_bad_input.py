"""The bad-input catalogue: every case must give one line on stderr naming the file and the
key or line, exit status 2, no traceback — across scenario files, pattern files, CSV files,
command-line arguments and hyperparameters."""

import json
import os
import re
import signal
import socket
from dataclasses import dataclass, field

import pytest

from bptui.cli import main
from bptui.core import files, scenario, session

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
    files: dict = field(default_factory=dict)  # name → text, or FIFO, DIR, LOOP, ->TARGET (a symlink)
    exit: int = 2


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
    Case("csv without --target", argv=["d.csv"], needles=["d.csv: a .csv needs --target COLUMN", "the columns are admit, gre, gpa"], csv="admit,gre,gpa\n1,380,3.1\n"),
    Case("csv without --target, unreadable", argv=["d.csv"], needles=["d.csv", "the file is empty"], csv=""),
    Case("csv --test-fraction 1", argv=["d.csv", "--target", "admit", "--test-fraction", "1"], needles=["bptui: error: --test-fraction", "from 0 up to 1"], csv="admit,gre,gpa\n1,380,3.1\n"),
    Case("--target without a csv", argv=["xor", "--target", "y"], needles=["bptui: error: --target and --write-scenario go with a .csv"]),
    Case("screenshot size", argv=["screenshot", "xor", "-o", "x.svg", "--size", "12"], needles=["bptui screenshot: error: --size", "like 120x40"]),
    Case("record with nothing", argv=["record", "-o", "x.html"], needles=["bptui record: error: give a SCENARIO"]),
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
    Case("missing argument", argv=["train"], needles=["bptui train: error: ", "required: scenario"]),
    Case("unknown option", argv=["train", "admissions", "--speed", "3"], needles=["unrecognized arguments: --speed 3"]),
    Case("bad screenshot size", argv=["screenshot", "admissions", "-o", "x.svg", "--size", "big"], needles=["--size", "COLSxROWS"]),
]  # fmt: skip


BIG = "1" + "0" * 400  # a TOML integer too large for a float
SESSION = "s.json"
ROWS = "admit,gre,gpa\n1,380,3.1\n0,660,3.6\n1,800,4.0\n0,640,3.2\n"
OWN = ["d.csv", "--target", "admit", "--write-scenario", "out.toml"]

HOSTILE = [
    # ---- numbers too large for a float, seeds out of range, wrong types
    Case("401-digit learning_rate", GOOD.replace("learning_rate = 0.5", f"learning_rate = {BIG}"), ["lesson.toml", "[training] learning_rate", "a number > 0", "…"]),
    Case("401-digit init_scale", GOOD.replace("[network]", f"[network]\ninit_scale = {BIG}"), ["[network] init_scale", "a number > 0"]),
    Case("401-digit data value", GOOD.replace("x = [[0.1, 0.3]]", f"x = [[0.1, {BIG}]]"), ["[data] x", "list of numbers"]),
    Case("401-digit target", GOOD.replace("y = [1]", f"y = [{BIG}]"), ["[data] y", "a number"]),
    Case("401-digit weight", GOOD.replace("[[0.1]]]", f"[[{BIG}]]]"), ["[network] weights", "matrix 1"]),
    Case("401-digit bias", GOOD.replace("[network]", f"[network]\nbias = true\nbiases = [[{BIG}], [0.1]]"), ["[network] biases", "vector 0"]),
    Case("401-digit regularization_rate", GOOD.replace("[training]", f"[training]\nregularization_rate = {BIG}"), ["[training] regularization_rate", "a number ≥ 0"]),
    Case("401-digit epochs", GOOD.replace("[training]", f"[training]\nepochs = {BIG}"), ["[training] epochs", "from 0 to 10000000"]),
    Case("401-digit batch_size", GOOD.replace("[training]", f'[training]\nupdate = "minibatch"\nbatch_size = {BIG}'), ["[training] batch_size", "larger than the 1 training records"]),
    Case("401-digit layer size", GOOD.replace("sizes = [2, 1, 1]", f"sizes = [2, {BIG}, 1]"), ["[network] sizes", "at most 10000 units"]),
    Case("401-digit noise", '[network]\nsizes = [2, 1]\n[data]\npattern = "circle"\nnoise = ' + BIG + "\n", ["[data] noise", "0 to 0.5"]),
    Case("5000-digit integer", GOOD.replace("learning_rate = 0.5", "learning_rate = 1" + "0" * 5000), ["lesson.toml", "more than 4300 digits"]),
    Case("401-digit rule constant", PATTERN_NET, ["p.toml", "label", "too large for a float"], pattern=f'label = "x1 > {BIG}"\n'),
    Case("401-digit generator parameter", PATTERN_NET, ["p.toml", "params", "finite numbers"], pattern=f'generator = "spiral"\nparams = {{plane = {BIG}}}\n'),
    Case("negative seed", GOOD.replace("[training]", "[training]\nseed = -1"), ["[training] seed", "from 0 to 4294967295", "-1"]),
    Case("seed 2**32", GOOD.replace("[training]", f"[training]\nseed = {2**32}"), ["[training] seed", "from 0 to 4294967295"]),
    Case("seed 2**63-1", GOOD.replace("[training]", f"[training]\nseed = {2**63 - 1}"), ["[training] seed"]),
    Case("negative split_seed", GOOD.replace("[data]", "[data]\nsplit_seed = -5"), ["[data] split_seed", "from 0 to 4294967295"]),
    Case("huge split_seed", GOOD.replace("[data]", f"[data]\nsplit_seed = {BIG}"), ["[data] split_seed", "from 0 to"]),
    Case("float seed", GOOD.replace("[training]", "[training]\nseed = 1.5"), ["[training] seed", "whole number"]),
    Case("generator a list", PATTERN_NET, ["p.toml: generator", "expected a name, got list"], pattern="generator = [1]\n"),
    Case("generator a number", PATTERN_NET, ["p.toml: generator", "got int"], pattern="generator = 3\n"),
    Case("generator a table", PATTERN_NET, ["p.toml: generator", "got dict"], pattern="[generator]\nx = 1\n"),
    Case("label a list", PATTERN_NET, ["p.toml: label", "must be a string"], pattern="label = [1]\n"),
    Case("pattern title a list", PATTERN_NET, ["p.toml", "'title' must be a string"], pattern='title = [1]\nlabel = "x1 > 0"\n'),
    Case("scenario title a list", GOOD + "\n", ["lesson.toml: title", "a string"], files={"lesson.toml": "title = [1]\n" + GOOD}),
    Case("csv key a number", CSV_NET.replace('csv = "d.csv"', "csv = 3"), ["[data] csv", "a string"]),
    Case("target a list", CSV_NET.replace('target = "admit"', 'target = ["admit"]'), ["[data] target", "a string"]),
    Case("one_hot a string", CSV_NET.replace('target = "admit"', 'target = "admit"\none_hot = "gre"'), ["[data] one_hot", "a list of strings"]),
    Case("one_hot column twice", CSV_NET.replace('target = "admit"', 'target = "admit"\none_hot = ["gre", "gre"]'), ["d.csv", "'gre' is named twice"], csv=ROWS),
    Case("one_hot holds the target", CSV_NET.replace('target = "admit"', 'target = "admit"\none_hot = ["admit"]'), ["d.csv", "'admit' is the target"], csv=ROWS),
    Case("standardize holds the target", CSV_NET.replace('target = "admit"', 'target = "admit"\nstandardize = ["admit"]'), ["d.csv", "'admit' is the target"], csv=ROWS),
    Case("standardize column twice", CSV_NET.replace('target = "admit"', 'target = "admit"\nstandardize = ["gpa", "gpa"]'), ["d.csv", "'gpa' is named twice"], csv=ROWS),
    Case("one-hot and standardised", CSV_NET.replace('target = "admit"', 'target = "admit"\none_hot = ["gre"]\nstandardize = ["gre"]'), ["d.csv", "both one-hot and standardised"], csv=ROWS),
    # ---- special files: FIFOs, devices, loops, directories
    Case("scenario is a FIFO", None, ["lesson.toml", "a FIFO", "not a regular file"], files={"lesson.toml": "FIFO"}),
    Case("CSV is a FIFO", CSV_NET, ["d.csv", "a FIFO"], files={"d.csv": "FIFO"}),
    Case("pattern is a FIFO", PATTERN_NET, ["p.toml", "a FIFO"], files={"p.toml": "FIFO"}),
    Case("session is a FIFO", argv=["s.json"], needles=["s.json", "a FIFO"], files={"s.json": "FIFO"}),
    Case("lesson of a FIFO", argv=["lesson", "f.toml"], needles=["f.toml", "a FIFO"], files={"f.toml": "FIFO"}),
    Case("own data CSV is a FIFO", argv=OWN, needles=["d.csv", "a FIFO"], files={"d.csv": "FIFO"}),
    Case("scenario links to /dev/zero", None, ["lesson.toml", "a character device"], files={"lesson.toml": "->/dev/zero"}),
    Case("CSV links to /dev/zero", CSV_NET, ["d.csv", "a character device"], files={"d.csv": "->/dev/zero"}),
    Case("pattern links to /dev/zero", PATTERN_NET, ["p.toml", "a character device"], files={"p.toml": "->/dev/zero"}),
    Case("session links to /dev/urandom", argv=["s.json"], needles=["s.json", "a character device"], files={"s.json": "->/dev/urandom"}),
    Case("scenario is a symlink loop", None, ["lesson.toml", "symbolic link loop"], files={"lesson.toml": "LOOP"}),
    Case("CSV is a symlink loop", CSV_NET, ["d.csv", "symbolic link loop"], files={"d.csv": "LOOP"}),
    Case("pattern is a symlink loop", PATTERN_NET, ["p.toml", "symbolic link loop"], files={"p.toml": "LOOP"}),
    Case("session is a symlink loop", argv=["s.json"], needles=["s.json", "symbolic link loop"], files={"s.json": "LOOP"}),
    Case("own data CSV is a symlink loop", argv=OWN, needles=["d.csv", "symbolic link loop"], files={"d.csv": "LOOP"}),
    Case("dangling symlink", None, ["lesson.toml", "no such file"], files={"lesson.toml": "->nowhere.toml"}),
    Case("scenario .toml is a directory", argv=["train", "x.toml"], needles=["x.toml", "is a directory"], files={"x.toml": "DIR"}),
    Case("session .json is a directory", argv=["s.json"], needles=["s.json", "is a directory"], files={"s.json": "DIR"}),
    Case("pattern is a directory", PATTERN_NET, ["p.toml", "is a directory"], files={"p.toml": "DIR"}),
    Case("path through a file", argv=["train", "GOOD.toml/x.toml"], needles=["GOOD.toml/x.toml", "not a folder"], files={"GOOD.toml": GOOD}),
    Case("CSV not UTF-8", CSV_NET, ["d.csv", "not a text file", "not UTF-8"], files={"d.csv": b"admit,gre\n1,\xff\xfe\n"}),
    Case("CSV with NUL bytes", CSV_NET, ["d.csv", "NUL bytes"], files={"d.csv": b"admit,gre,gpa\n1,2\x00,3\n"}),
    # ---- products of sizes, checked before allocating
    Case("1e6 samples x 10,000 units", '[network]\nsizes = [2, 10000, 1]\n[data]\npattern = "circle"\nsamples = 1000000\n', ["[data] samples", "1,000,000 records × 10,003 units", "at most 10,000,000"]),
    Case("1e6 samples x 3 layers of 20", '[network]\nsizes = [2, 20, 20, 20, 1]\n[data]\npattern = "circle"\nsamples = 1000000\n', ["[data] samples", "63 units"]),
    Case("one-hot of 30,000 values", CSV_NET.replace('target = "admit"', 'target = "admit"\none_hot = ["id"]'), ["d.csv", "one-hot of column 'id' gives 30,000 columns", "at most 10,000"], csv="admit,id\n" + "".join(f"{i % 2},{i}\n" for i in range(30000))),
    Case("--one-hot of 30,000 values", argv=[*OWN, "--one-hot", "id"], needles=["d.csv", "one-hot of column 'id'"], csv="admit,id\n" + "".join(f"{i % 2},{i}\n" for i in range(30000))),
    Case("records x hidden units", argv=["d.csv", "--target", "admit", "--hidden", "9000", "--write-scenario", "out.toml"], needles=["d.csv", "[network] sizes", "records ×"], csv="admit,a\n" + "".join(f"{i % 2},{i}\n" for i in range(2000))),
    Case("--hidden beyond the unit limit", argv=[*OWN, "--hidden", "20000"], needles=["[network] sizes", "at most 10000 units"], csv=ROWS),
    # ---- silently wrong data
    Case("standardising a constant 0.7", CSV_NET.replace('target = "admit"', 'target = "admit"\nstandardize = ["gpa"]'), ["d.csv", "'gpa' is constant (0.7 in all 3 records)"], csv="admit,gre,gpa\n1,380,0.7\n0,400,0.7\n1,500,0.7\n"),
    Case("--standardize a constant column", argv=[*OWN, "--standardize", "gre"], needles=["d.csv", "'gre' is constant"], csv="admit,gre\n1,5\n0,5\n1,5\n0,5\n1,5\n"),
    Case("pattern parameter nan", PATTERN_NET, ["p.toml", "params", "finite numbers"], pattern='generator = "spiral"\nparams = {plane = nan}\n'),
    Case("pattern parameter inf", PATTERN_NET, ["p.toml", "params", "finite numbers"], pattern='generator = "gaussian"\nparams = {plane = inf}\n'),
    Case("plane = 1e308", PATTERN_NET, ["p.toml", "params: plane = 1e+308 is out of range", "0.001 to 1000"], pattern='generator = "spiral"\nparams = {plane = 1e308}\n'),
    Case("plane 0", PATTERN_NET, ["p.toml", "params: plane = 0 is out of range", "6 keeps TF's coordinates"], pattern='generator = "gaussian"\nparams = {plane = 0}\n'),
    Case("old generator parameter", PATTERN_NET, ["p.toml", "params: 'turns' is not a parameter of spiral", "allowed: plane"], pattern='generator = "spiral"\nparams = {turns = 2}\n'),
    Case("pattern parameter a bool", PATTERN_NET, ["p.toml", "params", "finite numbers"], pattern='generator = "spiral"\nparams = {plane = true}\n'),
    # ---- messages: one line, control characters stripped, the right file named
    Case("key holding a newline", GOOD.replace("learning_rate = 0.5", '"learning\\nrate" = 0.5'), ["[training] unknown key 'learning\\nrate'"]),
    Case("key holding ESC", GOOD.replace("learning_rate = 0.5", '"rate\\u001b[31m" = 0.5'), ["[training] unknown key 'rate[31m'"]),
    Case("top key holding OSC", GOOD + '"\\u001b]0;pwned\\u0007" = 1\n', ["unknown key ']0;pwned'"]),
    Case("CSV header holding a newline", CSV_NET, ["d.csv: line 1", "'gr\\ne' holds a line break"], csv='admit,"gr\ne",gpa\n1,380,3.1\n'),
    Case("CSV header holding ESC", CSV_NET, ["d.csv: line 1", "control character"], csv="admit,\x1b[2Jgre,gpa\n1,380,3.1\n"),
    Case("one-row CSV", argv=OWN, needles=["d.csv: 1 record", "--test-fraction 0.2 leaves none"], csv="admit,gre\n1,380\n"),
    Case("CSV value 1e400", CSV_NET, ["d.csv: line 2", "'1e400' is not finite"], csv="admit,gre,gpa\n1,1e400,3\n"),
    # ---- command line and saving
    Case("--epochs beyond the limit", argv=["train", "xor", "--epochs", BIG], needles=["--epochs", "at most 10000000"]),
    Case("--test-fraction nan", argv=[*OWN, "--test-fraction", "nan"], needles=["--test-fraction", "from 0 up to 1"], csv=ROWS),
    Case("--write-scenario into a directory", argv=["d.csv", "--target", "admit", "--test-fraction", "0", "--write-scenario", "adir"], needles=["adir: cannot save: is a directory"], csv=ROWS),
    Case("--write-scenario into a missing folder", argv=["d.csv", "--target", "admit", "--test-fraction", "0", "--write-scenario", "no/such/out.toml"], needles=["no/such/out.toml: cannot save"], csv=ROWS),
    Case("--write-scenario onto a symlink loop", argv=["d.csv", "--target", "admit", "--test-fraction", "0", "--write-scenario", "loop.toml"], needles=["loop.toml: cannot save: a symbolic link loop"], csv=ROWS, files={"loop.toml": "LOOP"}),
    Case("serve on a port in use", argv=["serve", "xor", "--port", "{busy}"], needles=["127.0.0.1:", "cannot listen", "in use"]),
    Case("serve on a host that does not resolve", argv=["serve", "xor", "--host", "no-such-host.invalid", "--port", "8000"], needles=["no-such-host.invalid:8000", "does not resolve"]),
    Case("serve on port 0", argv=["serve", "xor", "--port", "0"], needles=["--port", "1 to 65535"]),
    Case("serve on port 70000", argv=["serve", "xor", "--port", "70000"], needles=["--port", "1 to 65535"]),
]  # fmt: skip


def _session(*edits) -> str:
    """A saved xor session (2-4-1 with biases, mid-epoch, ΔW pending) as JSON, with `edits`:
    (dotted path, value) pairs; a value "DEL" removes the key."""
    sc = scenario.load("xor")
    tr = sc.build()
    tr.run(2)
    tr.step_record()
    doc = session.to_dict(sc, tr)
    for where, v in edits:
        *up, last = where.split(".")
        d = doc
        for k in up:
            d = d[int(k)] if isinstance(d, list) else d[k]
        if v == "DEL":
            del d[last]
        elif isinstance(d, list):
            d[int(last)] = v
        else:
            d[last] = v
    return json.dumps(doc)


def _raw(text, old, new) -> str:
    assert old in text
    return text.replace(old, new, 1)


S = _session()
W0 = json.loads(S)["state"]["W"][0]
SESSIONS = [
    Case("session: weight NaN", argv=["s.json"], needles=["s.json", "holds NaN", "finite numbers only"], files={"s.json": _raw(_session(("state.W.0.0.0", 7.5)), "7.5", "NaN")}),
    Case("session: weight Infinity", argv=["s.json"], needles=["s.json", "holds -Infinity"], files={"s.json": _raw(_session(("state.W.0.0.0", 7.5)), "7.5", "-Infinity")}),
    Case("session: weight 1e400", argv=["s.json"], needles=["s.json: state.W: array 0 must be 2×4 finite numbers"], files={"s.json": _raw(_session(("state.W.0.0.0", 7.5)), "7.5", "1e400")}),
    Case("session: weight a string", argv=["s.json"], needles=["s.json: state.W: array 0"], files={"s.json": _session(("state.W.0.0.0", "0.5"))}),
    Case("session: weight a bool", argv=["s.json"], needles=["s.json: state.W: array 1"], files={"s.json": _session(("state.W.1.0.0", True))}),
    Case("session: weights of the wrong shape", argv=["s.json"], needles=["s.json: state.W: array 0 must be 2×4"], files={"s.json": _session(("state.W.0", W0[:1]))}),
    Case("session: one weight matrix missing", argv=["s.json"], needles=["s.json: state.W: expected 2 arrays (2×4, 4×1)"], files={"s.json": _session(("state.W", [W0]))}),
    Case("session: empty b", argv=["s.json"], needles=["s.json: state.b: expected 2 arrays (4, 1)", "[]"], files={"s.json": _session(("state.b", []))}),
    Case("session: b null with biases", argv=["s.json"], needles=["s.json: state.b: expected 2 arrays"], files={"s.json": _session(("state.b", None))}),
    Case("session: empty dW", argv=["s.json"], needles=["s.json: state.dW: expected 2 arrays"], files={"s.json": _session(("state.dW", []))}),
    Case("session: dW NaN", argv=["s.json"], needles=["s.json", "holds NaN"], files={"s.json": _raw(_session(("state.dW.1.0.0", 7.5)), "7.5", "NaN")}),
    Case("session: empty db", argv=["s.json"], needles=["s.json: state.db: expected 2 arrays"], files={"s.json": _session(("state.db", []))}),
    Case("session: db of the wrong length", argv=["s.json"], needles=["s.json: state.db: array 1 must be 1 finite numbers"], files={"s.json": _session(("state.db.1", [0.1, 0.2]))}),
    Case("session: toml a number", argv=["s.json"], needles=["s.json: scenario.toml: expected the scenario's TOML text as a string, got int"], files={"s.json": _session(("scenario.toml", 3))}),
    Case("session: toml missing", argv=["s.json"], needles=["s.json: scenario.toml", "got null"], files={"s.json": _session(("scenario.toml", "DEL"))}),
    Case("session: name a list", argv=["s.json"], needles=["s.json: scenario.name: expected a string, got list"], files={"s.json": _session(("scenario.name", [1]))}),
    Case("session: path a number", argv=["s.json"], needles=["s.json: scenario.path: expected a string or null"], files={"s.json": _session(("scenario.path", 5))}),
    Case("session: scenario not an object", argv=["s.json"], needles=["s.json: scenario: expected an object"], files={"s.json": _session(("scenario", "xor"))}),
    Case("session: a bad embedded scenario", argv=["s.json"], needles=["s.json: its saved scenario (", "xor.toml): [training] learning_rate: expected a number > 0"], files={"s.json": _session(("scenario.toml", "[network]\nsizes = [2, 1]\n[training]\nlearning_rate = -1\n[data]\npattern = 'xor'\n"))}),
    Case("session: embedded scenario not TOML", argv=["s.json"], needles=["s.json: its saved scenario (", "TOML syntax error"], files={"s.json": _session(("scenario.toml", "[network"))}),
    Case("session: eta 0", argv=["s.json"], needles=["s.json: state.eta: expected a finite number > 0, got 0"], files={"s.json": _session(("state.eta", 0))}),
    Case("session: eta negative", argv=["s.json"], needles=["s.json: state.eta", "got -0.5"], files={"s.json": _session(("state.eta", -0.5))}),
    Case("session: eta a string", argv=["s.json"], needles=["s.json: state.eta", "got 'fast'"], files={"s.json": _session(("state.eta", "fast"))}),
    Case("session: eta true", argv=["s.json"], needles=["s.json: state.eta", "got True"], files={"s.json": _session(("state.eta", True))}),
    Case("session: eta 1e400", argv=["s.json"], needles=["s.json: state.eta", "got inf"], files={"s.json": _raw(_session(("state.eta", 7.5)), "7.5", "1e400")}),
    Case("session: epoch negative", argv=["s.json"], needles=["s.json: state.epoch: expected a whole number from 0"], files={"s.json": _session(("state.epoch", -1))}),
    Case("session: epoch a float", argv=["s.json"], needles=["s.json: state.epoch", "got 2.5"], files={"s.json": _session(("state.epoch", 2.5))}),
    Case("session: epoch 401 digits", argv=["s.json"], needles=["s.json: state.epoch", "…"], files={"s.json": _raw(_session(("state.epoch", 7777)), "7777", BIG)}),
    Case("session: cursor past the records", argv=["s.json"], needles=["s.json: state.i: expected a whole number from 0 to 250"], files={"s.json": _session(("state.i", 251))}),
    Case("session: cursor negative", argv=["s.json"], needles=["s.json: state.i"], files={"s.json": _session(("state.i", -1))}),
    Case("session: pending count past the records", argv=["s.json"], needles=["s.json: state.k: expected a whole number from 0 to 250"], files={"s.json": _session(("state.k", 10**6))}),
    Case("session: diverged a string", argv=["s.json"], needles=["s.json: state.diverged: expected true or false, got 'no'"], files={"s.json": _session(("state.diverged", "no"))}),
    Case("session: diverged 1", argv=["s.json"], needles=["s.json: state.diverged", "got 1"], files={"s.json": _session(("state.diverged", 1))}),
    Case("session: state missing a key", argv=["s.json"], needles=["s.json: state.k: missing"], files={"s.json": _session(("state.k", "DEL"))}),
    Case("session: state a list", argv=["s.json"], needles=["s.json: state: expected an object"], files={"s.json": _session(("state", []))}),
    Case("session: history empty", argv=["s.json"], needles=["s.json: history: expected a list of 1 to"], files={"s.json": _session(("history", []))}),
    Case("session: history not a list", argv=["s.json"], needles=["s.json: history: expected a list"], files={"s.json": _session(("history", {"a": 1}))}),
    Case("session: history row short", argv=["s.json"], needles=["s.json: history: row 1 must be [epoch, train_loss"], files={"s.json": _session(("history.1", [1, 0.5]))}),
    Case("session: history epochs not rising", argv=["s.json"], needles=["s.json: history: row 2", "epochs rising to 2"], files={"s.json": _session(("history.2.0", 1))}),
    Case("session: history past the cursor", argv=["s.json"], needles=["s.json: history: row 2"], files={"s.json": _session(("history.2.0", 9))}),
    Case("session: history value a string", argv=["s.json"], needles=["s.json: history: row 0"], files={"s.json": _session(("history.0.1", "low"))}),
    Case("session: 5000-digit integer", argv=["s.json"], needles=["s.json: not a valid session file", "4300 digits"], files={"s.json": _raw(_session(("state.epoch", 7777)), "7777", "1" * 5000)}),
    Case("session: nested too deeply", argv=["s.json"], needles=["s.json: not a valid session file", "nests too deeply"], files={"s.json": '{"bptui_session": 1, "x": ' + "[" * 100000 + "]" * 100000 + "}"}),
    Case("session: another format", argv=["s.json"], needles=["s.json: not a bptui session"], files={"s.json": _session(("bptui_session", 2))}),
    Case("session: cut short", argv=["s.json"], needles=["s.json: line 1: not a valid session file"], files={"s.json": S[: len(S) // 2]}),
    Case("lesson of a damaged session", argv=["lesson", "s.json"], needles=["s.json: state.b: expected 2 arrays"], files={"s.json": _session(("state.b", []))}),
]  # fmt: skip
CASES += HOSTILE + SESSIONS


def _make(p, spec) -> None:
    """A file for a case: text, bytes, or a special file."""
    if spec == "FIFO":
        os.mkfifo(p)
    elif spec == "DIR":
        p.mkdir()
    elif spec == "LOOP":
        os.symlink(p.name + ".2", p)
        os.symlink(p.name, p.with_name(p.name + ".2"))
    elif isinstance(spec, str) and spec.startswith("->"):
        os.symlink(spec[2:], p)
    elif isinstance(spec, bytes):
        p.write_bytes(spec)
    else:
        p.write_text(spec)


def _listing(folder):
    """Every name under `folder` with what it is (and a regular file's bytes): nothing may change."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p)] = ("link", os.readlink(p))
        elif p.is_file():
            out[str(p)] = ("file", p.read_bytes())
        else:
            out[str(p)] = ("other", p.stat().st_mode)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    for name, spec in case.files.items():
        _make(tmp_path / name, spec)
    if case.csv == "BIG":
        with open(tmp_path / "d.csv", "wb") as fh:
            fh.truncate(50 * 2**20)
    elif case.csv is not None:
        (tmp_path / "d.csv").write_text(case.csv)
    if case.pattern is not None:
        (tmp_path / "p.toml").write_text(case.pattern)
    if case.argv is None and "lesson.toml" not in case.files:
        p = tmp_path / "lesson.toml"
        if isinstance(case.scenario, bytes):
            p.write_bytes(case.scenario)
        else:
            p.write_text(case.scenario)
    argv = ["train", str(tmp_path / "lesson.toml")] if case.argv is None else case.argv
    argv = [a.replace("{dir}", str(tmp_path / "adir")) for a in argv]
    before = _listing(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        argv = [a.replace("{busy}", str(busy.getsockname()[1])) for a in argv]
        signal.alarm(60)  # a FIFO must not block: fail rather than hang
        try:
            assert main(argv) == case.exit
        finally:
            signal.alarm(0)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.match(r"bptui( [a-z]+)?: error: ", err), err
    assert not re.match(r"bptui( [a-z]+)?: error: bptui( [a-z]+)?:", err), "the command named twice"
    assert "\x1b" not in err and "\x07" not in err, err
    for n in case.needles:
        assert n in err, (n, err)
    assert _listing(tmp_path) == before, "a file was written or changed"


def test_unreadable_file_is_named(tmp_path, capsys, monkeypatch):
    p = tmp_path / "lesson.toml"
    p.write_text(GOOD)
    real = os.open

    def deny(path, *a, **kw):
        if str(path).endswith("lesson.toml"):
            raise PermissionError(13, "Permission denied")
        return real(path, *a, **kw)

    monkeypatch.setattr(files.os, "open", deny)
    assert main(["train", str(p)]) == 2
    assert "lesson.toml: cannot read: permission denied" in capsys.readouterr().err


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
