"""The built wheel carries data/ and patterns/, and the installed bptui works elsewhere."""

import json
import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("bptui-*.whl")
    return whl


@pytest.mark.slow
def test_wheel_contains_data_patterns_and_scenarios(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bptui/data/binary.csv" in names
    for p in [
        "circle",
        "diamond",
        "centered-square",
        "thick-right-angle",
        "thin-right-angle",
        "xor",
        "spiral",
        "gaussian",
        "tf-circle",
        "tf-xor",
        "tf-gaussian",
        "tf-spiral",
    ]:
        assert f"bptui/patterns/{p}.toml" in names
    assert "bptui/scenarios/admissions.toml" in names
    assert "bptui/lessons/worked-example.toml" in names and "bptui/lessons/learning-rate.toml" in names


@pytest.mark.slow
def test_installed_wheel_runs_outside_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import bptui, sys; from bptui.cli import main; print(bptui.__file__, file=sys.stderr); sys.exit(main())"
    out = subprocess.run(
        [sys.executable, "-c", code, "train", "admissions", "--json"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert str(target) in out.stderr, "ran the installed copy, not the checkout"
    assert json.loads(out.stdout)["metrics"]["test_accuracy"] == 0.725
    out = subprocess.run(
        [sys.executable, "-c", code, "train", "diamond", "--epochs", "2"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
