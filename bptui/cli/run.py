"""The commands that run the app: the app itself, `screenshot`, `record`, `lesson`, `serve`;
and how a run ends (a crash goes to a log file, one line to the terminal)."""

from __future__ import annotations

import sys

import numpy as np

from ..core import scenario as scen
from ..core import session
from ..core.errors import BptuiError, printable
from .parse import UsageError, size


def crashed(exc: BaseException, details: str) -> int:
    """Write a crash's traceback to a log file and say where in one line; exit status 1."""
    import tempfile

    try:
        fd, log = tempfile.mkstemp(prefix="bptui-crash-", suffix=".log")
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(f"bptui {' '.join(sys.argv[1:])}\n{details}")
        where = f"the details are in {log}"
    except OSError:
        where = "no log file could be written"
    what = printable(f"{type(exc).__name__}: {exc}")[:200]
    print(f"bptui: error: bptui stopped on an unexpected error ({what}); {where}", file=sys.stderr)
    return 1


def run_app(app) -> int:
    """Run the app; after an unhandled exception its traceback goes to a log file, not over the
    learner's terminal, and the exit status is 1."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    app.error_console = Console(file=buf, width=120, markup=False, highlight=False)
    app.run()
    if not app.return_code:
        return 0
    exc = app._exception or RuntimeError(f"the app ended with status {app.return_code}")
    return crashed(exc, buf.getvalue())


def theme(arg: str | None, remember: bool = True) -> dict:
    """The app's theme arguments: --theme (checked; remembered when `remember`), else the
    theme remembered from the last run, else the default."""
    from ..tui import themes

    name, warning = themes.resolve(arg)
    if warning:
        print(f"bptui: warning: {warning}", file=sys.stderr)
    if arg is not None and remember:
        try:
            themes.remember(name)
        except BptuiError as exc:
            print(f"bptui: warning: theme not remembered: {exc}", file=sys.stderr)
    return {"theme": name, "remember": remember}


def cmd_list() -> int:
    items = scen.builtin_list()
    w = max(len(n) for n, _ in items)
    for name, desc in items:
        print(f"{name:<{w}}  {desc}")
    return 0


def _end_with_parent() -> None:
    """Ask Linux to send SIGTERM when the server dies (even by SIGKILL): no orphan sessions."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def cmd_app(ref: str, theme_arg: str | None = None) -> int:
    import os

    from ..tui.app import BptuiApp

    if os.environ.get("BPTUI_SERVED") == "1":  # a session of `bptui serve` (tui/serve.py)
        _end_with_parent()

    app = BptuiApp(ref, **theme(theme_arg))  # loads and validates before the screen is taken over
    return run_app(app)


def cmd_screenshot(args) -> int:
    import asyncio

    from ..tui.app import BptuiApp

    cols_rows = size(args.size)
    app = BptuiApp(args.scenario, epochs=args.epochs, records=args.records, **theme(args.theme, False))

    async def shoot() -> str:
        async with app.run_test(size=cols_rows) as pilot:
            await pilot.pause()
            return app.export_screenshot(title=f"bptui {args.scenario}")

    svg = asyncio.run(shoot())
    session.atomic_write(args.output, svg)
    print(f"wrote {args.output} ({cols_rows[0]}x{cols_rows[1]})", file=sys.stderr)
    return 0


def cmd_record(args) -> int:
    """The screens after each key (or lesson step) as one self-contained HTML file."""
    import asyncio

    from ..tui import record
    from ..tui.app import BptuiApp

    cols_rows = size(args.size)
    if args.lesson:
        from ..teach import lessons

        if args.scenario or args.keys:
            raise UsageError(
                "--lesson FILE records the lesson's own steps; give no SCENARIO or --keys", "bptui record"
            )
        les = lessons.load(args.lesson)
        app = BptuiApp(loaded=les.build(), lesson_file=les)
        frames = asyncio.run(record.record_lesson(app, cols_rows))
        return _write_demo(args, f"bptui · {les.title}", frames, cols_rows)
    if not args.scenario:
        raise UsageError("give a SCENARIO (with --keys) or --lesson FILE", "bptui record")
    from ..tui.screens.main import MainScreen

    known = record.app_keys(MainScreen)
    keys = record.parse_keys(args.keys, set(known))
    app = BptuiApp(args.scenario)
    frames = asyncio.run(record.record_keys(app, keys, cols_rows, known))
    return _write_demo(args, f"bptui · {app.sc.title}", frames, cols_rows)


def _write_demo(args, title: str, frames, cols_rows) -> int:
    from ..tui import record

    session.atomic_write(args.output, record.to_html(title, frames))
    print(f"wrote {args.output}: {len(frames)} frames ({cols_rows[0]}x{cols_rows[1]})", file=sys.stderr)
    return 0


def cmd_lesson(args) -> int:
    """A lesson file (built-in name or path): in the app, or headless with --answers; a
    scenario: the app's micro-step lesson mode on it."""
    from ..teach import lesson, lessons
    from ..tui.app import BptuiApp

    if lessons.is_lesson(args.scenario):
        les = lessons.load(args.scenario)
        if args.answers is not None:
            from ..teach import lessonrun

            answers = lessonrun.load_answers(args.answers, les)
            with np.errstate(all="ignore"):
                lessonrun.run_headless(les, les.build()[1], answers, sys.stdout)
            return 0
        return run_app(BptuiApp(loaded=les.build(), lesson_file=les, **theme(args.theme)))
    if args.answers is not None:
        raise UsageError(
            f"--answers goes with a lesson file; {args.scenario} is a scenario "
            f"(the lessons: {', '.join(lessons.builtin_names())})",
            "bptui lesson",
        )
    app = BptuiApp(args.scenario, lesson=True, **theme(args.theme))
    if not lesson.supported(app.tr.net):
        raise BptuiError(
            f"lesson mode steps through networks with one hidden layer; {args.scenario} is {app.tr.net.describe()}"
        )
    return run_app(app)


def cmd_serve(args) -> int:
    """The app in a browser: textual-serve runs `bptui SCENARIO` for each page that opens."""
    import shlex

    from ..tui.serve import check_address, serve

    scen.load(args.scenario)  # a bad scenario is an error now, not in every browser session
    check_address(args.host, args.port)
    name = theme(args.theme, False)["theme"]
    command = f"{shlex.quote(sys.executable)} -m bptui.cli {shlex.quote(args.scenario)} --theme {name}"
    print(f"bptui: serving {args.scenario} on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    serve(command, args.host, args.port, "bptui")
    return 0
