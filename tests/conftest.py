import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, timeout=120):
    """Run `python -m bptui.cli ARGS` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "bptui.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


@pytest.fixture(autouse=True)
def _own_config_folder(tmp_path_factory, monkeypatch):
    """Tests (and the processes they start) read and write their own config folder, never
    the user's (the remembered theme lives there)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def tmp_toml(tmp_path):
    def write(text, name="s.toml"):
        p = tmp_path / name
        p.write_text(text)
        return p

    return write


def three_class_toml(folder) -> Path:
    """The three-class CSV's scenario, as `bptui three-class.csv --target kind
    --write-scenario` writes it (softmax, 2-D data)."""
    from bptui.cli import main

    toml = Path(folder) / "three.toml"
    csv = ROOT / "tests" / "data" / "three-class.csv"
    assert main([str(csv), "--target", "kind", "--write-scenario", str(toml)]) == 0
    return toml


def seed_admissions_prep():
    """Seed 000's data_prep.py in NumPy: one-hot rank, standardise gre/gpa (sample std),
    RandomState(21).choice(400, 360) split."""
    raw = np.genfromtxt(ROOT / "data" / "binary.csv", delimiter=",", names=True)
    X = np.column_stack([raw["gre"], raw["gpa"]] + [(raw["rank"] == r).astype(float) for r in (1, 2, 3, 4)])
    for j in (0, 1):
        X[:, j] = (X[:, j] - X[:, j].mean()) / X[:, j].std(ddof=1)
    np.random.seed(21)
    sample = np.random.choice(400, size=int(400 * 0.9), replace=False)
    test = np.setdiff1d(np.arange(400), sample)
    return X[sample], raw["admit"][sample], X[test], raw["admit"][test]
