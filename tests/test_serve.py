"""`bptui serve`: the app in a browser through textual-serve, on loopback, opened in headless
Chromium (Debian's chromium; .ci/run installs it)."""

import os
import shutil
import signal
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


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (a served session is exec'd by the server's shell)."""
    out = []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(p))
    return out


def _environ(pid: int) -> dict:
    raw = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    return dict(kv.decode().split("=", 1) for kv in raw if b"=" in kv)


def _gone(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)  # the test fails; the session must not outlive it too
    return False


def _serve_and_open_a_page(stop):
    """Serve, open a page asking for a 20000×10000 terminal, check the session, then `stop`
    the server and return the session's pid."""
    import asyncio

    import aiohttp

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bptui.cli", "serve", "worked-example", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    async def page():
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    ws = await http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=20000&height=10000")
                    break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.2)
            else:
                pytest.fail("the server did not answer")
            for _ in range(100):
                kids = _children(server.pid)
                if kids:
                    break
                await asyncio.sleep(0.1)
            assert kids, "no session process"
            env = _environ(kids[0])
            assert (env["COLUMNS"], env["ROWS"]) == ("400", "200")
            assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "1"
            await ws.send_json(["resize", {"width": 10**9, "height": -5}])
            await asyncio.sleep(0.5)
            stop(server)
            server.wait(timeout=20)
            await ws.close()
            return kids[0]

    try:
        return asyncio.run(page())
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_clamps_the_size_and_ends_sessions_with_the_server():
    kid = _serve_and_open_a_page(lambda s: s.terminate())
    assert _gone(kid, 10), "the session outlived the server"


def test_a_killed_server_takes_its_sessions_with_it():
    kid = _serve_and_open_a_page(lambda s: s.kill())
    assert _gone(kid, 10), "the session outlived the server (SIGKILL)"


def test_serve_clamp():
    from bptui.tui.serve import clamp

    assert clamp(20000, 10000) == (400, 200)
    assert clamp(-1, "x") == (20, 10)
    assert clamp(120, 40) == (120, 40)
