"""The `bptui` command: the app, and headless `train`, `trace`, `screenshot`, `lesson`, `serve`,
`data`."""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from .core import scenario as scen
from .core import session
from .core.errors import BptuiError, printable
from .teach.lines import pending_lines, record_lines, update_lines, update_rule
from .teach.notation import Notation, delta_convention, loss_name, num, reported_loss, vec

COMMANDS = ("train", "trace", "screenshot", "lesson", "serve", "record", "data")


class UsageError(BptuiError):
    pass


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and leave through our exit-2 path."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _parser_main() -> Parser:
    p = Parser(
        prog="bptui",
        description="Watch backpropagation train a small network, number by number.",
        epilog="commands: " + ", ".join(COMMANDS) + " (bptui COMMAND --help)",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default="worked-example",
        help="built-in name, .toml scenario, .json session or .csv data",
    )
    p.add_argument("--list", action="store_true", help="list the built-in scenarios")
    _theme_arg(p)
    own = p.add_argument_group("your own data (SCENARIO is a .csv file)")
    own.add_argument("--target", help="the column to predict")
    own.add_argument("--one-hot", default="", help="columns to one-hot encode, comma-separated")
    own.add_argument("--standardize", default="", help="columns to standardise, comma-separated")
    own.add_argument("--hidden", type=_pos, default=4, help="hidden units (default 4)")
    own.add_argument("--test-fraction", type=float, default=0.2, help="test share (default 0.2)")
    own.add_argument("--write-scenario", metavar="FILE", help="write the scenario TOML here and exit")
    return p


def _theme_arg(p: Parser) -> None:
    p.add_argument(
        "--theme",
        metavar="NAME",
        help="colour theme, remembered for the next run (default: the last one used, else textual-dark;"
        " light ones for a projector: textual-light, solarized-light, catppuccin-latte, …)",
    )


def _parser_cmd(cmd: str) -> Parser:
    p = Parser(prog=f"bptui {cmd}")
    if cmd in ("screenshot", "lesson", "serve"):
        _theme_arg(p)
    if cmd == "serve":
        p.add_argument("scenario", nargs="?", default="worked-example", help="built-in name or .toml path")
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        return p
    if cmd == "record":
        p.add_argument("scenario", nargs="?", help="built-in name or .toml path (or give --lesson)")
        p.add_argument("--keys", default="", help='the keys to press, e.g. "n u e e"')
        p.add_argument(
            "--lesson", metavar="FILE", help="record a lesson: one frame per step, with its narration"
        )
        p.add_argument("-o", "--output", required=True, help="the HTML file to write")
        p.add_argument("--size", default="120x40", help="COLSxROWS (default 120x40)")
        return p
    if cmd == "lesson":
        p.add_argument(
            "scenario", metavar="LESSON", help="a lesson (built-in name or .toml file), or a scenario"
        )
        p.add_argument("--answers", metavar="ANSWERS.json", help="run headless: the answers, print the score")
        return p
    p.add_argument("scenario", help="built-in name or .toml path")
    if cmd == "train":
        p.add_argument("--epochs", type=_epochs, help="epochs to train (default: the scenario's)")
        p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        p.add_argument("--history-csv", metavar="FILE", help="also write the history as CSV")
        p.add_argument("--weights-json", metavar="FILE", help="also write the final weights as JSON")
    if cmd == "trace":
        p.add_argument("--records", type=_pos, default=1, help="records to trace (default 1)")
        p.add_argument("--epochs", type=_nonneg, default=0, help="epochs to train first (default 0)")
    if cmd == "data":
        p.add_argument(
            "--csv",
            metavar="FILE",
            required=True,
            help="write the train and test records here (- for stdout)",
        )
    if cmd == "screenshot":
        p.add_argument("--epochs", type=_epochs, default=0)
        p.add_argument("--records", type=_nonneg, default=0)
        p.add_argument("-o", "--output", required=True, help="the SVG file to write")
        p.add_argument("--size", default="120x40", help="COLSxROWS (default 120x40)")
    return p


def _nonneg(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{s}'") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {v}")
    return v


def _epochs(s: str) -> int:
    from .core.limits import MAX_EPOCHS

    v = _nonneg(s)
    if v > MAX_EPOCHS:
        raise argparse.ArgumentTypeError(f"at most {MAX_EPOCHS}, got {v}")
    return v


def _pos(s: str) -> int:
    v = _nonneg(s)
    if v < 1:
        raise argparse.ArgumentTypeError("expected a whole number ≥ 1")
    return v


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            cmd = argv[0]
            args = _parser_cmd(cmd).parse_args(argv[1:])
            return {
                "train": cmd_train,
                "trace": cmd_trace,
                "screenshot": cmd_screenshot,
                "lesson": cmd_lesson,
                "serve": cmd_serve,
                "record": cmd_record,
                "data": cmd_data,
            }[cmd](args)
        args = _parser_main().parse_args(argv)
        if args.list:
            return cmd_list()
        if args.scenario.endswith(".csv"):
            return cmd_own_data(args)
        if args.target or args.write_scenario:
            raise UsageError(
                "bptui: --target and --write-scenario go with a .csv file (bptui data.csv --target COL)"
            )
        return cmd_app(args.scenario, args.theme)
    except BptuiError as exc:
        print(f"bptui: error: {printable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bptui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: the details go to a log file, one line to the terminal
        import traceback

        return _crashed(exc, traceback.format_exc())


def _crashed(exc: BaseException, details: str) -> int:
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
    return _crashed(exc, buf.getvalue())


# ---- commands ------------------------------------------------------------------------------
def cmd_list() -> int:
    items = scen.builtin_list()
    w = max(len(n) for n, _ in items)
    for name, desc in items:
        print(f"{name:<{w}}  {desc}")
    return 0


def header(sc, tr) -> str:
    return (
        f"{printable(sc.title)} · {tr.net.describe()} · η {tr.eta:g} · {tr.update_mode} · loss {tr.loss.name}"
    )


def cmd_trace(args) -> int:
    sc = scen.load(args.scenario)
    tr = sc.build()
    print(header(sc, tr))
    lk = loss_name(tr.loss.name, tr.net.acts[-1].name == "softmax")
    print(f"  Loss: {reported_loss(lk)} (plotted); {delta_convention(lk)}")
    if not Notation(tr.net.sizes).course:
        print(f"  Names: {Notation(tr.net.sizes).convention()}")
    if args.epochs:
        tr.run(args.epochs, snapshots=False)
        print(f"\nAfter {tr.epoch} epoch(s): {reported_loss(lk)} = {num(tr.last_row()['train_loss'], 4)}")
    for _ in range(args.records):
        if tr.update_due():
            _print_update(tr, tr.step_update())
        st = tr.step_record()
        x = tr.data.X[st.record]
        print()
        print(f"Record {st.position} of {tr.m} (epoch {st.epoch + 1}): x = {vec(x)}, y = {vec(st.y)}")
        section = None
        for line in record_lines(tr.net, st, tr.eta, tr.loss.name):
            if line.section != section:
                section = line.section
                print("  " + TRACE_SECTIONS[section].format(eta=f"{tr.eta:g}"))
            print("    " + line.text())
        print(f"  Pending: the running sums over k = {tr.k} record(s) since the last update")
        for line in pending_lines(tr.net, tr.dW, tr.db, tr.k, tr.eta):
            print("    " + line.text())
    if tr.update_due():
        _print_update(tr, tr.step_update())
    return 0


TRACE_SECTIONS = {
    "forward": "Forward pass",
    "backward": "Backward pass",
    "steps": "This record's weight steps (seed 004: ΔW = η·δ·a, η = {eta})",
}


def _print_update(tr, st) -> None:
    print()
    print(f"Update after k = {st.k} record(s), η = {tr.eta:g}: {update_rule(tr.reg, tr.reg_rate)}")
    for line in update_lines(tr.net, st, tr.eta, tr.reg, tr.reg_rate):
        print("    " + line.text())


def _fmt(v) -> str:
    from .teach.notation import metric

    return metric(v)


def cmd_train(args) -> int:
    sc = scen.load(args.scenario)
    tr = sc.build()
    epochs = sc.training["epochs"] if args.epochs is None else args.epochs
    log = sys.stderr if args.json else sys.stdout
    W0, b0 = tr.net.params()
    print(header(sc, tr) + f" · {epochs} epochs", file=log)
    print(_epoch_line(tr.history.row(0), len(str(epochs)), None, False), file=log)
    t0 = time.perf_counter()
    _sigterm_interrupts()
    try:
        _train_loop(tr, epochs, log)
        interrupted = False
    except KeyboardInterrupt:
        interrupted = True
    seconds = time.perf_counter() - t0
    hist = tr.history.dicts()
    if args.json:
        print(json.dumps(_train_doc(sc, tr, (W0, b0), hist, seconds)))
    print(_summary(tr, hist[-1], seconds), file=log)
    if args.history_csv:
        session.atomic_write(args.history_csv, session.history_csv(tr))
        print(f"wrote {args.history_csv}", file=sys.stderr)
    if args.weights_json:
        names = Notation(tr.net.sizes).export(tr.net.b is not None)
        session.atomic_write(args.weights_json, session.weights_json(tr, names))
        print(f"wrote {args.weights_json}", file=sys.stderr)
    if tr.history.kept() != "every epoch":
        print(f"bptui: the history keeps {tr.history.kept()}", file=sys.stderr)
    if interrupted:
        print(f"bptui: interrupted after {tr.epoch} epochs", file=sys.stderr)
        return 143 if _TERMINATED else 130
    if tr.diverged:
        print(
            f"bptui: error: training diverged in epoch {tr.epoch + 1} (the weights became inf or NaN);"
            f" the last finite weights are kept. Lower the learning rate (now {tr.eta:g}).",
            file=sys.stderr,
        )
        return 1
    return 0


_TERMINATED = []


def _sigterm_interrupts() -> None:
    """SIGTERM stops `train` like ctrl+c: the summary so far is printed (status 143)."""
    import signal

    def stop(signum, frame):
        _TERMINATED.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def cmd_data(args) -> int:
    """The records a scenario trains and tests on, with their input features, as CSV."""
    tr = scen.load(args.scenario).build()
    text = session.data_csv(tr)
    if args.csv == "-":
        sys.stdout.write(text)
        return 0
    session.atomic_write(args.csv, text)
    print(f"wrote {args.csv}: {tr.m} train and {len(tr.data.X_test)} test records", file=sys.stderr)
    return 0


def _train_loop(tr, epochs: int, log) -> None:
    """Train `epochs` epochs, printing a line every tenth of them (and a progress bar on a
    terminal for long runs); stops at a divergence."""
    every, width = max(1, epochs // 10), len(str(epochs))
    bar = Progress(epochs) if sys.stderr.isatty() and epochs >= 200 else None
    done, last_loss = 0, tr.history.row(0)["train_loss"]
    while done < epochs and not tr.diverged:
        done += tr.run(min(every - done % every, epochs - done), snapshots=False)
        if tr.diverged:
            break
        if done % every == 0 or done == epochs:
            if bar:
                bar.clear()
            row = tr.history.last()
            print(_epoch_line(row, width, last_loss, tr.classify), file=log)
            last_loss = row["train_loss"]
        if bar:
            bar.show(done)
    if bar:
        bar.clear()


def _epoch_line(row: dict, width: int, last_loss, classify: bool) -> str:
    """`Epoch n  Train loss: …  Test loss: …` as the seeds print it, with accuracies for a
    classifier and the seed's warning when the loss went up."""
    line = f"Epoch {row['epoch']:>{width}}  Train loss: {_fmt(row['train_loss'])}  Test loss: {_fmt(row['test_loss'])}"
    if classify:
        line += f"  Train acc: {_fmt(row['train_accuracy'])}  Test acc: {_fmt(row['test_accuracy'])}"
    if last_loss is not None and row["train_loss"] is not None and row["train_loss"] > last_loss:
        line += "  WARNING - Loss Increasing"
    return line


def _train_doc(sc, tr, initial, hist: list, seconds: float) -> dict:
    """What `train --json` prints."""

    def params(W, b) -> dict:
        return {"weights": [w.tolist() for w in W], "biases": None if b is None else [v.tolist() for v in b]}

    return {
        "scenario": sc.name,
        "epochs": tr.epoch,
        "initial": params(*initial),
        "final": params(*tr.net.params()),
        "history": hist,
        "history_kept": tr.history.kept(),
        "metrics": hist[-1],
        "timing": {"train_seconds": seconds},
    }


def _summary(tr, row, seconds) -> str:
    parts = [f"Trained {row['epoch']} epochs in {seconds:.3f} s.", f"Train loss {_fmt(row['train_loss'])}"]
    if row["test_loss"] is not None:
        parts.append(f"test loss {_fmt(row['test_loss'])}")
    s = parts[0] + " " + ", ".join(parts[1:]) + "."
    if tr.classify:
        s += f" Train accuracy {row['train_accuracy']:.3f}"
        if row["test_accuracy"] is not None:
            s += f", test accuracy {row['test_accuracy']:.3f}"
            s += f"\nPrediction accuracy: {row['test_accuracy']:.3f}"
        else:
            s += "."
    return s


class Progress:
    def __init__(self, total: int):
        self.total, self.t = total, 0.0

    def show(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.t < 0.1 and done < self.total:
            return
        self.t = now
        w = 30
        fill = int(w * done / max(1, self.total))
        sys.stderr.write(f"\r[{'#' * fill}{'.' * (w - fill)}] {done}/{self.total} epochs")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def own_data_toml(args) -> str:
    """A scenario for a user's CSV: sigmoid hidden units; log loss for 0/1 targets, softmax for
    more classes, a linear output with mse for anything else."""
    import os
    from pathlib import Path

    from .core import tomlio
    from .core.data import load_csv

    if not args.target:
        raise UsageError("bptui: a .csv needs --target COLUMN (the column to predict)")
    if not 0 <= args.test_fraction < 1:
        raise UsageError(
            f"bptui: --test-fraction: expected a number from 0 up to 1, got {args.test_fraction}"
        )
    cols = lambda s: [c.strip() for c in s.split(",") if c.strip()]  # noqa: E731
    path = Path(os.path.abspath(args.scenario))  # not resolve(): a symlink loop is named by files
    ds = load_csv(path, args.target, cols(args.one_hot), cols(args.standardize), args.test_fraction, 1)
    if ds.m == 0:
        n = len(ds.X_test)
        raise UsageError(
            f"{args.scenario}: {n} record{'s' if n > 1 else ''}; --test-fraction {args.test_fraction:g} "
            "leaves none to train on (use --test-fraction 0, or more records)"
        )
    y = ds.y[:, 0]
    classes = np.unique(np.concatenate([y, ds.y_test[:, 0]]))
    if set(classes.tolist()) <= {0.0, 1.0}:
        out, loss, act, eta, k = "sigmoid", "log", "sigmoid", 0.5, 1
    elif len(classes) <= 20 and np.all(classes == np.round(classes)):
        out, loss, act, eta, k = "softmax", "log", "sigmoid", 0.5, len(classes)
    else:
        out, loss, act, eta, k = "linear", "mse", "sigmoid", 0.05, 1
    doc = {
        "title": path.stem,
        "description": f"Built from {path.name} by bptui: predict {args.target}.",
        "network": {
            "sizes": [ds.X.shape[1], args.hidden, k],
            "hidden_activation": act,
            "output_activation": out,
            "bias": True,
            "init": "normal",
        },
        "training": {
            "loss": loss,
            "learning_rate": eta,
            "update": "minibatch",
            "batch_size": min(10, max(1, ds.m)),
            "epochs": 200,
            "seed": 1,
            "shuffle": True,
        },
        "data": {
            "csv": str(path),
            "target": args.target,
            "one_hot": cols(args.one_hot),
            "standardize": cols(args.standardize),
            "test_fraction": args.test_fraction,
            "split_seed": 1,
        },
    }
    return tomlio.dumps(doc)


def cmd_own_data(args) -> int:
    text = own_data_toml(args)
    sc = scen.from_text(text, None, args.scenario)  # errors name the CSV the user gave
    tr = sc.build()  # validated like any scenario
    if args.write_scenario:
        session.atomic_write(args.write_scenario, text)
        print(f"wrote {args.write_scenario}: edit it, then run bptui {args.write_scenario}", file=sys.stderr)
        return 0
    from .tui.app import BptuiApp

    return run_app(BptuiApp(loaded=(sc, tr), **_theme(args.theme)))


def _theme(arg: str | None, remember: bool = True) -> dict:
    """The app's theme arguments: --theme (checked; remembered when `remember`), else the
    theme remembered from the last run, else the default."""
    from .tui import themes

    name, warning = themes.resolve(arg)
    if warning:
        print(f"bptui: warning: {warning}", file=sys.stderr)
    if arg is not None and remember:
        try:
            themes.remember(name)
        except BptuiError as exc:
            print(f"bptui: warning: theme not remembered: {exc}", file=sys.stderr)
    return {"theme": name, "remember": remember}


def _end_with_parent() -> None:
    """Ask Linux to send SIGTERM when the server dies (even by SIGKILL): no orphan sessions."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def cmd_app(ref: str, theme: str | None = None) -> int:
    import os

    from .tui.app import BptuiApp

    if os.environ.get("BPTUI_SERVED") == "1":  # a session of `bptui serve` (tui/serve.py)
        _end_with_parent()

    app = BptuiApp(ref, **_theme(theme))  # loads and validates before the screen is taken over
    return run_app(app)


def _size(s: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in s.lower().split("x"))
    except ValueError:
        raise UsageError(f"bptui screenshot: --size: expected COLSxROWS like 120x40, got '{s}'") from None
    if not (20 <= w <= 1000 and 10 <= h <= 500):
        raise UsageError(f"bptui screenshot: --size: {s} is out of range (20x10 to 1000x500)")
    return w, h


def cmd_screenshot(args) -> int:
    import asyncio

    from .tui.app import BptuiApp

    size = _size(args.size)
    app = BptuiApp(args.scenario, epochs=args.epochs, records=args.records, **_theme(args.theme, False))

    async def shoot() -> str:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return app.export_screenshot(title=f"bptui {args.scenario}")

    svg = asyncio.run(shoot())
    session.atomic_write(args.output, svg)
    print(f"wrote {args.output} ({size[0]}x{size[1]})", file=sys.stderr)
    return 0


def cmd_record(args) -> int:
    """The screens after each key (or lesson step) as one self-contained HTML file."""
    import asyncio

    from .tui import record
    from .tui.app import BptuiApp

    size = _size(args.size)
    if args.lesson:
        from .teach import lessons

        if args.scenario or args.keys:
            raise UsageError(
                "bptui record: --lesson FILE records the lesson's own steps; give no SCENARIO or --keys"
            )
        les = lessons.load(args.lesson)
        app = BptuiApp(loaded=les.build(), lesson_file=les)
        frames = asyncio.run(record.record_lesson(app, size))
        return _write_demo(args, f"bptui · {les.title}", frames, size)
    if not args.scenario:
        raise UsageError("bptui record: give a SCENARIO (with --keys) or --lesson FILE")
    from .tui.screens.main import MainScreen

    known = record.app_keys(MainScreen)
    keys = record.parse_keys(args.keys, set(known))
    app = BptuiApp(args.scenario)
    frames = asyncio.run(record.record_keys(app, keys, size, known))
    return _write_demo(args, f"bptui · {app.sc.title}", frames, size)


def _write_demo(args, title: str, frames, size) -> int:
    from .tui import record

    session.atomic_write(args.output, record.to_html(title, frames))
    print(f"wrote {args.output}: {len(frames)} frames ({size[0]}x{size[1]})", file=sys.stderr)
    return 0


def cmd_lesson(args) -> int:
    """A lesson file (built-in name or path): in the app, or headless with --answers; a
    scenario: the app's micro-step lesson mode on it."""
    from .teach import lesson, lessons
    from .tui.app import BptuiApp

    if lessons.is_lesson(args.scenario):
        les = lessons.load(args.scenario)
        if args.answers is not None:
            from .teach import lessonrun

            answers = lessonrun.load_answers(args.answers, les)
            with np.errstate(all="ignore"):
                lessonrun.run_headless(les, les.build()[1], answers, sys.stdout)
            return 0
        return run_app(BptuiApp(loaded=les.build(), lesson_file=les, **_theme(args.theme)))
    if args.answers is not None:
        raise UsageError(
            f"bptui lesson: --answers goes with a lesson file; {args.scenario} is a scenario "
            f"(the lessons: {', '.join(lessons.builtin_names())})"
        )
    app = BptuiApp(args.scenario, lesson=True, **_theme(args.theme))
    if not lesson.supported(app.tr.net):
        raise BptuiError(
            f"lesson mode steps through networks with one hidden layer; {args.scenario} is {app.tr.net.describe()}"
        )
    return run_app(app)


def cmd_serve(args) -> int:
    """The app in a browser: textual-serve runs `bptui SCENARIO` for each page that opens."""
    import shlex

    from .tui.serve import check_address, serve

    scen.load(args.scenario)  # a bad scenario is an error now, not in every browser session
    check_address(args.host, args.port)
    theme = _theme(args.theme, False)["theme"]
    command = f"{shlex.quote(sys.executable)} -m bptui.cli {shlex.quote(args.scenario)} --theme {theme}"
    print(f"bptui: serving {args.scenario} on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    serve(command, args.host, args.port, "bptui")
    return 0


if __name__ == "__main__":
    sys.exit(main())
