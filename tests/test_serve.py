"""`bptui serve`: the app in a browser through textual-serve, on loopback, opened in headless
Chromium (Debian's chromium; .ci/run installs it)."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .cdp import free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def sessions() -> list[str]:
    """Command lines of running `python -m bptui.cli worked-example` processes (app sessions)."""
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "bptui.cli worked-example" in cmd and " serve " not in cmd:
            out.append(cmd)
    return out


def test_serve_refuses_a_bad_scenario(capsys):
    from bptui.cli import main

    assert main(["serve", "no-such-scenario", "--port", "8001"]) == 2
    assert "unknown scenario" in capsys.readouterr().err


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_serve_opens_a_session_in_headless_chromium(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "bptui.cli", "serve", "worked-example", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(url, timeout=1).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer")
        assert "textual.js" in page
        import threading

        from .cdp import screenshot

        seen: list[str] = []
        done = threading.Event()

        def watch():
            while not done.is_set():
                seen.extend(sessions())
                time.sleep(0.1)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        png = screenshot(CHROMIUM, url, tmp_path / "profile", wait=6.0)
        done.set()
        watcher.join()
        (tmp_path / "page.png").write_bytes(png)
        shot_dir = os.environ.get("BPTUI_SERVE_SHOT")
        if shot_dir:
            (Path(shot_dir) / "serve.png").write_bytes(png)
        assert seen, "the page opened no app session"
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 30_000, "a drawn page, not the splash"
    finally:
        server.terminate()
        server.wait(timeout=10)
