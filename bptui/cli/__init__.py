"""The `bptui` command: the app, and headless `train`, `trace`, `screenshot`, `lesson`, `serve`,
`record`, `data`.

`parse.py` holds the parsers, `train.py` the commands that train headless (train, trace, data),
`run.py` the ones that run the app (the app, screenshot, record, lesson, serve), `owndata.py`
the scenario built for a user's CSV. `main` turns every error into one line and an exit status.
NumPy's BLAS is asked for one thread before anything imports NumPy (bptui/threads.py).
"""

from __future__ import annotations

import sys

from ..threads import one_blas_thread

one_blas_thread()

from ..core.errors import BptuiError, printable  # noqa: E402
from .parse import COMMANDS, UsageError, parser_cmd, parser_main  # noqa: E402
from .run import cmd_app, cmd_lesson, cmd_list, cmd_record, cmd_screenshot, cmd_serve, crashed  # noqa: E402
from .train import cmd_data, cmd_trace, cmd_train  # noqa: E402

__all__ = ["COMMANDS", "UsageError", "main"]

_COMMAND = {
    "train": cmd_train,
    "trace": cmd_trace,
    "screenshot": cmd_screenshot,
    "lesson": cmd_lesson,
    "serve": cmd_serve,
    "record": cmd_record,
    "data": cmd_data,
}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            return _COMMAND[argv[0]](parser_cmd(argv[0]).parse_args(argv[1:]))
        args = parser_main().parse_args(argv)
        if args.list:
            return cmd_list()
        if args.scenario.endswith(".csv"):
            from .owndata import cmd_own_data

            return cmd_own_data(args)
        if args.target or args.write_scenario:
            raise UsageError(
                "--target and --write-scenario go with a .csv file (bptui data.csv --target COL)"
            )
        return cmd_app(args.scenario, args.theme)
    except BptuiError as exc:
        print(f"{exc.prog}: error: {printable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bptui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: the details go to a log file, one line to the terminal
        import traceback

        return crashed(exc, traceback.format_exc())
