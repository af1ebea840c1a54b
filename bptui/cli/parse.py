"""The command line's parsers: `bptui [SCENARIO]` and `bptui COMMAND …`, with one-line errors."""

from __future__ import annotations

import argparse

from ..core.errors import BptuiError

COMMANDS = ("train", "trace", "screenshot", "lesson", "serve", "record", "data")


class UsageError(BptuiError):
    """A command line that cannot run."""


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and leave through our exit-2 path."""

    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)", self.prog)


def parser_main() -> Parser:
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


def parser_cmd(cmd: str) -> Parser:
    """The parser of `bptui CMD`."""
    p = Parser(prog=f"bptui {cmd}")
    if cmd in ("screenshot", "lesson", "serve"):
        _theme_arg(p)
    if cmd in ("serve", "record", "lesson"):
        {"serve": _serve_args, "record": _record_args, "lesson": _lesson_args}[cmd](p)
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


def _serve_args(p: Parser) -> None:
    p.add_argument("scenario", nargs="?", default="worked-example", help="built-in name or .toml path")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)


def _record_args(p: Parser) -> None:
    p.add_argument("scenario", nargs="?", help="built-in name or .toml path (or give --lesson)")
    p.add_argument("--keys", default="", help='the keys to press, e.g. "n u e e"')
    p.add_argument("--lesson", metavar="FILE", help="record a lesson: one frame per step, with its narration")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--size", default="120x40", help="COLSxROWS (default 120x40)")


def _lesson_args(p: Parser) -> None:
    p.add_argument("scenario", metavar="LESSON", help="a lesson (built-in name or .toml file), or a scenario")
    p.add_argument("--answers", metavar="ANSWERS.json", help="run headless: the answers, print the score")


def _nonneg(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{s}'") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {v}")
    return v


def _epochs(s: str) -> int:
    from ..core.limits import MAX_EPOCHS

    v = _nonneg(s)
    if v > MAX_EPOCHS:
        raise argparse.ArgumentTypeError(f"at most {MAX_EPOCHS}, got {v}")
    return v


def _pos(s: str) -> int:
    v = _nonneg(s)
    if v < 1:
        raise argparse.ArgumentTypeError("expected a whole number ≥ 1")
    return v


def size(s: str) -> tuple[int, int]:
    """`--size COLSxROWS` → (cols, rows)."""
    try:
        w, h = (int(v) for v in s.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size: expected COLSxROWS like 120x40, got '{s}'", "bptui screenshot") from None
    if not (20 <= w <= 1000 and 10 <= h <= 500):
        raise UsageError(f"--size: {s} is out of range (20x10 to 1000x500)", "bptui screenshot")
    return w, h
