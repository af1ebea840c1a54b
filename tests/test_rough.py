"""Rough handling: resizing while playing, ctrl+c, SIGTERM, a save killed midway, and
save → quit → resume giving identical numbers."""

import itertools
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from bptui.core import scenario, session
from bptui.core.errors import BptuiError
from bptui.tui.app import BptuiApp

from .conftest import ROOT


async def test_resize_while_playing_never_overlaps():
    app = BptuiApp("diamond")
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("space")
        for w, h in [(200, 60), (60, 20), (120, 40), (80, 24), (61, 21), (200, 60)]:
            await pilot.resize_terminal(w, h)
            await pilot.pause(0.2)
            assert app.main.player.playing, (w, h)
            assert app.main.compact == (w < 100 or h < 30)
            shown = [p.region for p in app.main.query(".panel") if p.display and p.region.area]
            for a, b in itertools.combinations(shown, 2):
                assert not a.overlaps(b), (w, h, a, b)
            for p in shown:
                assert p.right <= w and p.bottom <= h, (w, h, p)
        await pilot.press("space")
    assert app.tr.epoch > 0


def _start(code: str, *args):
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _finish(p, timeout):
    """communicate, but a child that outlives the timeout is killed, not left running."""
    try:
        return p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise


def test_ctrl_c_in_train_prints_the_summary_and_exits_130():
    p = _start(
        "import sys; from bptui.cli import main; sys.exit(main())", "train", "spiral", "--epochs", "1000000"
    )
    p.stdout.readline()  # the header: past the imports, training
    time.sleep(1)
    p.send_signal(signal.SIGINT)
    out, err = _finish(p, 30)
    assert p.returncode == 130, err
    assert "Trained" in out and "epochs in" in out
    assert "interrupted after" in err and "Traceback" not in err


def test_sigterm_ends_the_app_cleanly():
    code = (
        "from bptui.tui.app import BptuiApp\n"
        "app = BptuiApp('diamond')\n"
        "async def ready(pilot):\n"
        "    print('ready', flush=True)\n"
        "app.run(headless=True, size=(120, 40), auto_pilot=ready)\n"
        "print('exited', app.return_code)\n"
    )
    p = _start(code)
    assert p.stdout.readline() == "ready\n"  # the app runs: its handlers are in place
    p.send_signal(signal.SIGTERM)
    out, err = _finish(p, 30)
    assert p.returncode == 0, err
    assert "exited" in out and "Traceback" not in err


def test_a_save_killed_midway_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "s.json"
    sc = scenario.load("xor")
    tr = sc.build()
    session.save(target, sc, tr)
    before = target.read_bytes()
    code = (
        "import os, signal, sys\n"
        "from bptui.core import scenario, session\n"
        "sc = scenario.load('xor'); tr = sc.build(); tr.run(5)\n"
        "def die(fd):  # the temp file is written; the process dies before the rename\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = die\n"
        "session.save(sys.argv[1], sc, tr)\n"
    )
    p = _start(code, str(target))
    _finish(p, 60)
    assert p.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    sc2, tr2 = session.load(target)
    assert tr2.epoch == 0
    leftovers = [tmp_path / f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    assert leftovers, "the kill happened after the temp file was written"
    # the next save cleans up what a killed save left, once it is clearly not in progress
    session.save(target, sc, tr)
    assert all(f.exists() for f in leftovers), "a recent temp file may be another save's"
    old = time.time() - session.STALE_SECONDS - 60
    for f in leftovers:
        os.utime(f, (old, old))
    other = tmp_path / ".other.json.x.tmp"
    other.write_text("{}")
    os.utime(other, (old, old))
    session.save(target, sc, tr)
    assert not any(f.exists() for f in leftovers) and other.exists()


def test_a_failed_save_removes_its_temp_file(tmp_path, monkeypatch):
    sc = scenario.load("xor")
    tr = sc.build()

    def boom(a, b):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(BptuiError, match=r"s\.json: cannot save: No space left on device$"):
        session.save(tmp_path / "s.json", sc, tr)
    assert os.listdir(tmp_path) == []


async def test_save_quit_resume_gives_identical_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = BptuiApp("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", "e", "n", "n", "n", "plus", "w")
        await pilot.pause()
        saved = app.session_path
        a = app.tr
        await pilot.press("q")
    assert saved is not None and saved.exists()
    doc = json.loads(saved.read_text())
    assert doc["state"]["epoch"] == 2 and doc["state"]["i"] == 3
    app2 = BptuiApp(str(saved))
    async with app2.run_test(size=(120, 40)) as pilot:
        b = app2.tr
        assert (b.epoch, b.i, b.k, b.eta) == (a.epoch, a.i, a.k, a.eta)
        for x, y in zip(a.net.W + a.net.b + a.dW + a.db, b.net.W + b.net.b + b.dW + b.db):
            np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(a.history.column("test_loss"), b.history.column("test_loss"))
        await pilot.press("n", "e")
    a.step_record()
    a.step_epoch()
    for x, y in zip(a.net.W, b.net.W):
        np.testing.assert_array_equal(x, y)


def test_a_damaged_session_is_a_one_line_error(tmp_path, capsys):
    from bptui.cli import main

    p = tmp_path / "s.json"
    p.write_text('{"bptui_session": 1, "scenario": {"name": "x"}}')
    assert main([str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "s.json: scenario.toml: expected the scenario's TOML text" in err


async def test_keys_typed_after_q_run_no_action():
    """A word pasted or typed fast after q (q-u-e-s-t-i-o-n): the i would open the weight
    inspector while the app leaves, whose widgets are never mounted (a crash at exit)."""
    from bptui.tui.app import BptuiApp

    app = BptuiApp("worked-example")
    async with app.run_test(size=(120, 40)) as pilot:
        screens = len(app.screen_stack)
        app.exit()
        assert await app.run_action("app.inspect") is False
        await pilot.pause()
        assert len(app.screen_stack) == screens
    assert app.return_code == 0
