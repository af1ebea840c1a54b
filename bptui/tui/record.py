"""Replayable demos: the app driven headless by a list of keys (or a lesson), the screen after
each as an SVG frame, all in one self-contained HTML file stepped with the arrow keys or a
play button.

Byte-for-byte repeatable: the scenario's fixed seeds, no clock (play is refused: how far it
gets depends on time), each frame's notifications cleared before the next key, and every
frame's SVG ids rewritten from Rich's content hash to the frame's number. No external
resources: the SVGs' web-font URLs are dropped (local Fira Code, else any monospace).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..core.errors import BptuiError

# friendly spellings of keys → Textual's key names
ALIASES = {"+": "plus", "-": "minus", "?": "question_mark", ",": "comma", "=": "equals_sign", "esc": "escape"}
NAV = {
    "up",
    "down",
    "left",
    "right",
    "tab",
    "shift+tab",
    "escape",
    "enter",
    "home",
    "end",
    "pageup",
    "pagedown",
}
REFUSED = {
    "space": "play runs by the clock; use e (epoch) or E (run to end) in a recording",
    "q": "q quits the app",
}


@dataclass
class Frame:
    caption: str  # what the key did, or the lesson's narration
    svg: str


def parse_keys(text: str, known: set[str]) -> list[str]:
    """'n u e e' → Textual key names; an unknown or refused key is a one-line error."""
    keys = []
    for k in text.split():
        name = ALIASES.get(k, k)
        if name in REFUSED:
            raise BptuiError(f"--keys: '{k}' cannot be recorded: {REFUSED[name]}", "bptui record")
        if name not in known and name not in NAV:
            shown = " ".join(sorted(k for k in known if len(k) == 1))
            raise BptuiError(
                f"--keys: unknown key '{k}' (keys: {shown}, and up/down/tab/escape/enter)", "bptui record"
            )
        keys.append(name)
    return keys


def app_keys(app_cls) -> dict[str, str]:
    """Every key the app binds → its description."""
    out = {}
    for b in app_cls.BINDINGS:
        for k in b.key.split(","):
            out.setdefault(k, b.description or b.action)  # the first binding of a key is its plain meaning
    return out


async def record_keys(app, keys: list[str], size: tuple[int, int], describe: dict[str, str]) -> list[Frame]:
    """The screen at the start and after each key."""
    frames = []
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        frames.append(Frame("start", _shot(app, 0)))
        for n, k in enumerate(keys, 1):
            await pilot.press(k)
            await _settle(app, pilot)
            frames.append(Frame(f"key {_label(k)}: {describe.get(k, k)}", _shot(app, n)))
    return frames


async def record_lesson(app, size: tuple[int, int]) -> list[Frame]:
    """A lesson file in the app: the start, then a frame per step, and for each prompt a frame
    of the question before it is answered (with the right answer, for the demo)."""
    from ..teach.notation import num

    frames = []
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        fl = app.main.file_lesson
        start = f"{fl.lesson.title}\n{fl.lesson.intro}" + (f"\n? {fl.question}" if fl.question else "")
        frames.append(Frame(start, _shot(app, 0)))  # a first step that asks is asked at once
        while not fl.runner.done:
            if not fl.question:
                await pilot.press("n")
                await _settle(app, pilot)
                if fl.question:
                    frames.append(Frame("? " + fl.question, _shot(app, len(frames))))
            if fl.question:
                fl.answered(num(fl.runner.prompt()[1], 6))
                await _settle(app, pilot)
            frames.append(Frame(f"step {fl.runner.n}: {fl.narration}", _shot(app, len(frames))))
    return frames


async def _settle(app, pilot) -> None:
    """Wait until the screen is drawn and any run to the end has finished."""
    await pilot.pause()
    for _ in range(100_000):
        if not app.main.player.playing:
            break
        await pilot.pause(0.01)
    await pilot.pause()


def _shot(app, n: int) -> str:
    svg = app.export_screenshot(title=f"bptui · {app.sc.title}")
    app.clear_notifications()  # each frame shows only what its own key raised
    return clean_svg(svg, n)


def clean_svg(svg: str, n: int) -> str:
    """Frame n's SVG with ids of its own and no external resources."""
    svg = re.sub(r"terminal-\d+", f"bptui-f{n}", svg)
    svg = re.sub(r"\s*<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"@font-face\s*\{.*?\}", "", svg, flags=re.S)
    return svg


def _label(k: str) -> str:
    return {v: a for a, v in ALIASES.items()}.get(k, k)


def to_html(title: str, frames: list[Frame]) -> str:
    """One self-contained page: the frames, a caption each, ← → / space / play to step."""
    body = "\n".join(
        f'<section class="frame" id="f{n}"><p class="cap"><b>{n}/{len(frames) - 1}</b> '
        f"{html.escape(f.caption)}</p>\n{f.svg}\n</section>"
        for n, f in enumerate(frames)
    )
    return PAGE.format(title=html.escape(title), body=body, n=len(frames))


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
@font-face {{ font-family: "Fira Code"; src: local("Fira Code"), local("FiraCode-Regular"); }}
body {{ background: #15161a; color: #ddd; font-family: system-ui, sans-serif; margin: 0; padding: 12px; }}
header {{ display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }}
button {{ font-size: 16px; padding: 4px 12px; }}
.frame {{ display: none; }}
.frame.on {{ display: block; }}
.cap {{ font-size: 18px; margin: 4px 0 8px; white-space: pre-wrap; }}
svg {{ max-width: 100%; height: auto; }}
</style>
</head>
<body>
<header><button id="prev" title="previous (←)">◀</button><button id="play" title="play (space)">play</button>
<button id="next" title="next (→)">▶</button><span>{title} · ← → step, space plays, Home/End</span></header>
{body}
<script>
(function () {{
  var n = {n}, i = 0, timer = null;
  var play = document.getElementById("play");
  function show(k) {{
    i = Math.max(0, Math.min(n - 1, k));
    for (var j = 0; j < n; j++) document.getElementById("f" + j).className = "frame" + (j === i ? " on" : "");
  }}
  function toggle() {{
    if (timer) {{ clearInterval(timer); timer = null; play.textContent = "play"; return; }}
    if (i === n - 1) show(0);
    play.textContent = "pause";
    timer = setInterval(function () {{ if (i === n - 1) toggle(); else show(i + 1); }}, 1500);
  }}
  document.getElementById("prev").onclick = function () {{ show(i - 1); }};
  document.getElementById("next").onclick = function () {{ show(i + 1); }};
  play.onclick = toggle;
  document.addEventListener("keydown", function (e) {{
    if (e.key === "ArrowRight") show(i + 1);
    else if (e.key === "ArrowLeft") show(i - 1);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(n - 1);
    else if (e.key === " ") toggle();
    else return;
    e.preventDefault();
  }});
  show(0);
}})();
</script>
</body>
</html>
"""
