"""A few lines of the Chrome DevTools protocol over aiohttp: open a page in headless Chromium,
wait, and capture a screenshot (Chromium's --screenshot fires at page load, before a
websocket-fed page has drawn anything)."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import subprocess
import time
import urllib.request

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _cdp(ws_url: str, url: str, wait: float, size: tuple[int, int]) -> bytes:
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
        n = 0

        async def call(method, **params):
            nonlocal n
            n += 1
            await ws.send_str(json.dumps({"id": n, "method": method, "params": params}))
            while True:
                msg = json.loads((await ws.receive()).data)
                if msg.get("id") == n:
                    return msg.get("result", {})

        await call(
            "Emulation.setDeviceMetricsOverride",
            width=size[0],
            height=size[1],
            deviceScaleFactor=1,
            mobile=False,
        )
        await call("Page.navigate", url=url)
        await asyncio.sleep(wait)
        shot = await call("Page.captureScreenshot", format="png")
        return base64.b64decode(shot["data"])


def screenshot(chromium: str, url: str, profile, wait: float = 6.0, size=(1400, 900)) -> bytes:
    port = free_port()
    proc = subprocess.Popen(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=1))
                page = next(t for t in targets if t.get("type") == "page")
                break
            except (OSError, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            raise RuntimeError("chromium's debugging port did not answer")
        return asyncio.run(_cdp(page["webSocketDebuggerUrl"], url, wait, size))
    finally:
        proc.kill()
        proc.wait(timeout=10)
