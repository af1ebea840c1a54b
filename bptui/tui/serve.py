"""`bptui serve`: textual-serve, bounded.

Each page gets its own app process (a session). Here a session's terminal size is clamped to
MAX_COLS × MAX_ROWS whatever the page asks for, its NumPy runs BLAS on one thread (a served
class shares the machine's cores), and every session still running when the server stops is
ended with it. The address is checked first, so a port in use, a host that does not resolve
or a port the user may not open is a one-line error.
"""

from __future__ import annotations

import os
import signal
import socket
import time

import textual_serve.server
from textual_serve.app_service import AppService

from ..core.errors import BptuiError
from ..threads import ONE_THREAD

MAX_COLS, MAX_ROWS = 400, 200
MIN_COLS, MIN_ROWS = 20, 10
SERVED = "BPTUI_SERVED"  # set in a session's environment: the app ends when the server does


def clamp(width, height) -> tuple[int, int]:
    """The page's terminal size, within MIN_ × MAX_ (a non-number counts as the minimum)."""

    def bound(v, lo, hi):
        try:
            return min(max(int(v), lo), hi)
        except (TypeError, ValueError, OverflowError):
            return lo

    return bound(width, MIN_COLS, MAX_COLS), bound(height, MIN_ROWS, MAX_ROWS)


class Session(AppService):
    """One page's app process: bounded size, one BLAS thread, registered to end with the server."""

    pids: set[int] = set()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(*clamp(width, height))
        env.update(ONE_THREAD)
        env[SERVED] = "1"
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24):
        process = await super()._open_app_process(width, height)
        Session.pids.add(process.pid)
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp(width, height))


class BoundedServer(textual_serve.server.Server):
    """Ends its sessions and closes its pages when it stops (an open page would otherwise keep
    the shutdown waiting a minute for its handler)."""

    pages: set = set()

    def request_exit(self) -> None:
        for pid in Session.pids:
            _signal(pid, signal.SIGTERM)
        super().request_exit()

    async def _process_messages(self, websocket, app_service) -> None:
        BoundedServer.pages.add(websocket)
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            BoundedServer.pages.discard(websocket)

    async def on_shutdown(self, app) -> None:
        for ws in list(BoundedServer.pages):
            await ws.close()


def check_address(host: str, port: int) -> None:
    """Bind and release host:port now, so that a bad address is an error before serving."""
    where, serve = f"{host}:{port}", "bptui serve"
    if not 0 < port < 65536:
        raise BptuiError(f"--port: expected 1 to 65535, got {port}", serve)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BptuiError(f"{where}: the host does not resolve ({exc}); try --host 127.0.0.1", serve) from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except PermissionError:
            raise BptuiError(
                f"{where}: not allowed to open this port (below 1024?); try --port 8000", serve
            ) from None
        except OSError as exc:
            raise BptuiError(
                f"{where}: cannot listen: {exc.strerror or exc} (another server on the port?)", serve
            ) from None


def end_sessions(grace: float = 3.0) -> None:
    """Terminate the sessions still running, then kill any that do not end within `grace` s."""
    live = [p for p in Session.pids if _signal(p, signal.SIGTERM)]
    deadline = time.monotonic() + grace
    while live and time.monotonic() < deadline:
        live = [p for p in live if _alive(p)]
        time.sleep(0.05)
    for p in live:
        _signal(p, signal.SIGKILL)
    Session.pids.clear()


def _signal(pid: int, sig) -> bool:
    try:
        os.kill(pid, sig)
        return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return _signal(pid, 0)


def serve(command: str, host: str, port: int, title: str) -> None:
    """Serve `command` (one process per page) until ctrl+c or SIGTERM; then end the sessions.
    (`check_address` first gives a clearer error than the server's.)"""
    textual_serve.server.AppService = Session  # the server builds each page's session from this name
    server = BoundedServer("exec " + command, host=host, port=port, title=title)
    try:
        server.serve()
    except OSError as exc:
        raise BptuiError(f"{host}:{port}: cannot listen: {exc.strerror or exc}", "bptui serve") from None
    finally:
        end_sessions()
