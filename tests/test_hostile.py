"""Rough input beyond the catalogue: special files met by the one file opener, saving over
modes and symlinks, valid input that string formatting used to refuse, silently wrong data, a
crash's exit status, and messages that stay one clean line."""

import json
import os
import stat
import subprocess
import sys
import threading
import time
import tomllib

import numpy as np
import pytest

from bptui.cli import main
from bptui.core import data, files, scenario, session, tomlio
from bptui.core.errors import BptuiError, printable

from .conftest import ROOT

ROWS = "admit,gre,gpa\n1,380,3.1\n0,660,3.6\n1,800,4.0\n0,640,3.2\n1,520,2.9\n"


# ---- the one file opener ----------------------------------------------------------------------
def test_a_fifo_is_refused_at_once_even_with_a_writer_waiting(tmp_path):
    f = tmp_path / "f.toml"
    os.mkfifo(f)
    t0 = time.monotonic()
    with pytest.raises(BptuiError, match="is a FIFO"):
        files.read_text(f)
    assert time.monotonic() - t0 < 2
    # a writer holding the FIFO open changes nothing: it is still not read
    writer = threading.Thread(target=lambda: open(f, "w").close(), daemon=True)
    writer.start()
    with pytest.raises(BptuiError, match="is a FIFO"):
        files.read_text(f)
    writer.join(5)


def test_dev_zero_behind_a_symlink_is_a_device_not_a_huge_file(tmp_path):
    link = tmp_path / "big.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(BptuiError, match="character device"):
        files.read_bytes(link)


def test_the_size_limit_holds_while_reading_whatever_st_size_says(tmp_path, monkeypatch):
    p = tmp_path / "d.csv"
    p.write_bytes(b"x" * 5000)
    real = os.fstat

    class Lying:  # a file that grows after fstat, or a /proc file that says 0
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 0

    monkeypatch.setattr(files.os, "fstat", lambda fd: Lying(real(fd)))
    with pytest.raises(BptuiError, match="more than 0 MB") as e:
        files.read_bytes(p, "CSV file", limit=1000)
    assert "CSV files up to" in str(e.value)
    assert len(files.read_bytes(p, limit=5000)) == 5000


def test_a_symlink_loop_and_a_locked_folder_are_one_line_errors(tmp_path, monkeypatch):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(BptuiError, match="symbolic link loop"):
        files.read_text(a)
    real = os.open

    def locked(path, *args, **kw):  # what a folder without x permission gives (root bypasses it)
        if "locked" in str(path):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kw)

    monkeypatch.setattr(files.os, "open", locked)
    with pytest.raises(BptuiError, match="permission denied .on the file or a folder on its path."):
        files.read_text(tmp_path / "locked" / "s.toml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root searches any folder")
def test_a_folder_the_user_cannot_search(tmp_path):
    d = tmp_path / "locked"
    d.mkdir()
    (d / "s.toml").write_text("x = 1")
    d.chmod(0o600)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bptui.cli", "train", str(d / "s.toml")], capture_output=True, text=True
        )
    finally:
        d.chmod(0o700)
    assert out.returncode == 2 and "permission denied" in out.stderr and "Traceback" not in out.stderr


# ---- saving -------------------------------------------------------------------------------
def test_a_save_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    p = tmp_path / "s.json"
    p.write_text("old")
    p.chmod(0o640)
    session.atomic_write(p, "new")
    assert stat.S_IMODE(p.stat().st_mode) == 0o640 and p.read_text() == "new"


def test_a_new_file_gets_the_umasks_mode_not_0600(tmp_path):
    old = os.umask(0o027)
    try:
        session.atomic_write(tmp_path / "n.json", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.json").stat().st_mode) == 0o640


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "s.json"
    target.write_text("old")
    target.chmod(0o604)
    link = tmp_path / "s.json"
    link.symlink_to(target)
    sc = scenario.load("xor")
    session.save(link, sc, sc.build())
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert json.loads(target.read_text())["bptui_session"] == 1
    assert not list((tmp_path / "real").glob(".*.tmp")) and not list(tmp_path.glob(".*.tmp"))


# ---- valid input that string formatting refused ------------------------------------------
def test_own_data_with_a_bom_quotes_and_backslashes_writes_toml_that_loads(tmp_path):
    folder = tmp_path / 'my "data" \\ here'
    folder.mkdir()
    csv = folder / "d.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + b'admit,"gr""e",gpa\n' + ROWS.split("\n", 1)[1].encode())
    out = tmp_path / "out.toml"
    assert main([str(csv), "--target", "admit", "--standardize", 'gr"e', "--write-scenario", str(out)]) == 0
    doc = tomllib.loads(out.read_text())
    assert doc["data"]["csv"] == str(csv) and doc["data"]["standardize"] == ['gr"e']
    assert set(doc) == {"title", "description", "network", "training", "data"}
    assert main(["train", str(out), "--epochs", "2"]) == 0


def test_the_toml_writer_escapes_everything_tomllib_reads_back():
    nasty = 'a"b\\c\nd\te\x1b[31m\x00\x7f]\n[inject]\nx = 1 #'
    doc = {"title": nasty, "weird key": 1, "data": {"csv": nasty, nasty: [nasty, 1.5, True], "n": 10**20}}
    assert tomllib.loads(tomlio.dumps(doc)) == doc
    with pytest.raises(ValueError):
        tomlio.dumps({"x": float("nan")})


# ---- silently wrong data ------------------------------------------------------------------
def _standardised(tmp_path, values):
    p = tmp_path / "d.csv"
    p.write_text("y,v\n" + "".join(f"{i % 2},{v!r}\n" for i, v in enumerate(values)))
    return data.load_csv(p, "y", standardize=["v"]).X[:, 0]


def test_huge_and_tiny_columns_standardise_to_the_same_numbers(tmp_path):
    ref = _standardised(tmp_path, [1.0, 2.0, 4.0])
    for scale in (1e308 / 4, 1e-320):
        z = _standardised(tmp_path, [scale * 1.0, scale * 2.0, scale * 4.0])
        assert np.all(np.isfinite(z)) and np.allclose(z, ref, atol=1e-3), (scale, z)


def test_a_constant_column_is_named_constant_and_tiny_values_are_not(tmp_path):
    with pytest.raises(BptuiError, match=r"'v' is constant \(0.7 in all 3 records\)"):
        _standardised(tmp_path, [0.7, 0.7, 0.7])
    assert np.ptp(_standardised(tmp_path, [1e-320, 2e-320, 1e-320])) > 0


def test_nan_pattern_points_are_bad_input_not_divergence(tmp_path):
    (tmp_path / "p.toml").write_text('generator = "spiral"\nparams = {turns = nan}\n')
    (tmp_path / "s.toml").write_text('[network]\nsizes = [2, 1]\n[data]\npattern = "p.toml"\n')
    assert main(["train", str(tmp_path / "s.toml")]) == 2


# ---- messages -----------------------------------------------------------------------------
def test_printable_strips_terminal_controls_and_keeps_one_line():
    assert printable("a\x1b]0;pwned\x07b\x9b31mc\x7f\nd\re\tf") == "a]0;pwnedb31mc\\nd\\re f"
    assert printable("para\nline", keep_newlines=True) == "para\nline"


def test_a_title_with_escape_codes_reaches_the_terminal_clean(tmp_path):
    p = tmp_path / "s.toml"
    text = (ROOT / "bptui" / "scenarios" / "xor.toml").read_text()
    p.write_text('title = "x\\u001b]0;owned\\u0007\\u001b[2J"\n' + "\n".join(text.splitlines()[1:]))
    out = subprocess.run([sys.executable, "-m", "bptui.cli", "trace", str(p)], capture_output=True, text=True)
    assert out.returncode == 0 and "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert out.stdout.startswith("x]0;owned[2J · ")


def test_a_huge_loss_prints_in_scientific_form(capsys):
    from bptui.teach.notation import metric as _fmt  # what `train` prints a loss with

    assert _fmt(2.7860053859682394e196) == "2.7860e+196" and _fmt(0.5) == "0.5000" and _fmt(None) == "—"


# ---- a crash ------------------------------------------------------------------------------
CRASH = """
import sys
from bptui.cli import main
from bptui.tui.app import BptuiApp
run = BptuiApp.run
BptuiApp.run = lambda self, *a, **k: run(self, headless=True, size=(120, 40))
def boom(self):
    raise ZeroDivisionError("boom in a panel")
BptuiApp.on_ready = lambda self: self.call_later(boom, self)
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("argv", [["worked-example"], ["lesson", "worked-example"], ["SESSION"]])
def test_a_crash_exits_1_with_the_traceback_in_a_log_file(argv, tmp_path):
    if argv == ["SESSION"]:
        sc = scenario.load("xor")
        argv = [str(session.save(tmp_path / "s.json", sc, sc.build()))]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", CRASH, *argv], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "boom" in out.stderr
    line = out.stderr.strip().splitlines()[-1]
    assert line.startswith("bptui: error: bptui stopped on an unexpected error (ZeroDivisionError: boom")
    log = line.rsplit("the details are in ", 1)[1]
    assert log.startswith(str(tmp_path)) and "ZeroDivisionError" in open(log).read()


def test_split_seed_2_32_minus_1_wraps_when_drawing_new_data():
    from bptui.core import settings

    text = (ROOT / "bptui" / "scenarios" / "xor.toml").read_text()
    sc = scenario.from_text(text.replace("split_seed = 5", f"split_seed = {2**32 - 1}"))
    edits = settings.current(sc)
    edits["data"]["regenerate"] = True
    change = settings.apply(sc, edits)
    assert change.scenario.data["split_seed"] == 0 and change.trainer.m > 0


# ---- signals and serve's address ------------------------------------------------------------
def _interrupt(args, sig, wait_for_output: bool):
    import signal

    p = subprocess.Popen(
        [sys.executable, "-m", "bptui.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if wait_for_output:
        p.stdout.readline()  # running, past the imports
    time.sleep(2 if wait_for_output else 8)
    p.send_signal(getattr(signal, sig))
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()  # never leave it running
        p.communicate()
        raise
    return p.returncode, out, err


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "spiral", "--records", "100000000"],
        ["screenshot", "spiral", "--epochs", "10000000", "-o", "x.svg"],
    ],
)
def test_ctrl_c_in_trace_and_screenshot_is_one_quiet_line(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _interrupt(args, "SIGINT", args[0] == "trace")
    assert code == 130 and err == "bptui: interrupted\n", err
    assert not (tmp_path / "x.svg").exists()


def test_sigterm_during_train_prints_the_summary_so_far():
    code, out, err = _interrupt(["train", "spiral", "--epochs", "10000000"], "SIGTERM", True)
    assert code == 143 and "Trained" in out and "epochs in" in out, (out, err)
    assert "interrupted after" in err and "Traceback" not in err


def test_serve_on_a_port_the_user_may_not_open(monkeypatch):
    from bptui.tui import serve

    class Refused:
        def __init__(self, *a):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def setsockopt(self, *a):
            pass

        def bind(self, addr):
            raise PermissionError(13, "Permission denied")  # what a user gets below 1024

    monkeypatch.setattr(serve.socket, "socket", Refused)
    with pytest.raises(
        BptuiError, match=r"127.0.0.1:80: not allowed to open this port \(below 1024\?\); try --port 8000"
    ):
        serve.check_address("127.0.0.1", 80)


async def test_notifications_are_plain_text_not_markup(tmp_path, monkeypatch):
    from textual.app import App
    from textual.content import Content
    from textual.markup import MarkupError

    from bptui.tui.app import BptuiApp

    with pytest.raises(MarkupError):  # what a title "a [/x]" did as markup
        Content.from_markup("Opened a [/x]")
    sent = []
    monkeypatch.setattr(App, "notify", lambda self, message, **kw: sent.append((message, kw)))
    text = (ROOT / "bptui" / "scenarios" / "xor.toml").read_text().splitlines()
    p = tmp_path / "odd.toml"
    p.write_text('title = "a [/x] [b]b\\u001b[2J"\n' + "\n".join(text[1:]))
    app = BptuiApp("xor")
    async with app.run_test(size=(120, 40)):
        sent.clear()
        app.load_scenario(str(p))
        app.load_scenario(str(tmp_path / "missing.toml"))
    assert sent[0] == ("Opened a [/x] [b]b[2J", {"title": "", "markup": False})
    assert "missing.toml: no such file" in sent[1][0] and sent[1][1]["markup"] is False
