"""The `bptui` command: the app, and headless `train`, `trace`, `screenshot`, `lesson`, `serve`."""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from .core import scenario as scen
from .core import session
from .core.errors import BptuiError
from .core.explain import record_lines, update_lines

COMMANDS = ("train", "trace", "screenshot", "lesson", "serve")


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
    own = p.add_argument_group("your own data (SCENARIO is a .csv file)")
    own.add_argument("--target", help="the column to predict")
    own.add_argument("--one-hot", default="", help="columns to one-hot encode, comma-separated")
    own.add_argument("--standardize", default="", help="columns to standardise, comma-separated")
    own.add_argument("--hidden", type=_pos, default=4, help="hidden units (default 4)")
    own.add_argument("--test-fraction", type=float, default=0.2, help="test share (default 0.2)")
    own.add_argument("--write-scenario", metavar="FILE", help="write the scenario TOML here and exit")
    return p


def _parser_cmd(cmd: str) -> Parser:
    p = Parser(prog=f"bptui {cmd}")
    if cmd == "serve":
        p.add_argument("scenario", nargs="?", default="worked-example", help="built-in name or .toml path")
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        return p
    p.add_argument("scenario", help="built-in name or .toml path")
    if cmd == "train":
        p.add_argument("--epochs", type=_nonneg, help="epochs to train (default: the scenario's)")
        p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        p.add_argument("--history-csv", metavar="FILE", help="also write the history as CSV")
        p.add_argument("--weights-json", metavar="FILE", help="also write the final weights as JSON")
    if cmd == "trace":
        p.add_argument("--records", type=_pos, default=1, help="records to trace (default 1)")
    if cmd == "screenshot":
        p.add_argument("--epochs", type=_nonneg, default=0)
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
        return cmd_app(args.scenario)
    except BptuiError as exc:
        print(f"bptui: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


# ---- commands ------------------------------------------------------------------------------
def cmd_list() -> int:
    items = scen.builtin_list()
    w = max(len(n) for n, _ in items)
    for name, desc in items:
        print(f"{name:<{w}}  {desc}")
    return 0


def header(sc, tr) -> str:
    return f"{sc.title} · {tr.net.describe()} · η {tr.eta:g} · {tr.update_mode} · loss {tr.loss.name}"


def cmd_trace(args) -> int:
    sc = scen.load(args.scenario)
    tr = sc.build()
    print(header(sc, tr))
    for _ in range(args.records):
        if tr.update_due():
            _print_update(tr, tr.step_update())
        st = tr.step_record()
        x = tr.data.X[st.record]
        print()
        print(f"Record {st.position} of {tr.m} (epoch {st.epoch + 1}): x = {_vec(x)}, y = {_vec(st.y)}")
        section = None
        for line in record_lines(tr.net, st, tr.eta, tr.loss.name):
            if line.section != section:
                section = line.section
                print(
                    "  "
                    + {
                        "forward": "Forward pass",
                        "backward": "Backward pass",
                        "steps": f"Weight steps (η = {tr.eta:g})",
                    }[section]
                )
            print("    " + line.text())
        print(f"  Pending: ΔW += δ·a over {tr.k} record(s); the update adds η·ΔW/{tr.k}")
    if tr.update_due():
        _print_update(tr, tr.step_update())
    return 0


def _vec(v) -> str:
    from .core.explain import vec

    return vec(v)


def _print_update(tr, st) -> None:
    print()
    print(f"Update (W = W + η·ΔW/k, k = {st.k}, η = {tr.eta:g})")
    for line in update_lines(tr.net, st):
        print("    " + line.text())


def _fmt(v) -> str:
    return "—" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.4f}"


def cmd_train(args) -> int:
    sc = scen.load(args.scenario)
    tr = sc.build()
    epochs = sc.training["epochs"] if args.epochs is None else args.epochs
    log = sys.stderr if args.json else sys.stdout
    W0, b0 = tr.net.params()
    print(header(sc, tr) + f" · {epochs} epochs", file=log)
    every = max(1, epochs // 10)
    bar = Progress(epochs) if sys.stderr.isatty() and epochs >= 200 else None
    first = tr.history.row(0)
    print(
        f"Epoch {0:>{len(str(epochs))}}  Train loss: {_fmt(first['train_loss'])}  Test loss: {_fmt(first['test_loss'])}",
        file=log,
    )
    last_loss = first["train_loss"]
    t0 = time.perf_counter()
    interrupted = False
    try:
        done = 0
        while done < epochs and not tr.diverged:
            n = min(every - done % every, epochs - done)
            done += tr.run(n, snapshots=False)
            if tr.diverged:
                break
            row = tr.history.last()
            if done % every == 0 or done == epochs:
                if bar:
                    bar.clear()
                warn = (
                    "  WARNING - Loss Increasing"
                    if last_loss is not None and row["train_loss"] > last_loss
                    else ""
                )
                acc = (
                    f"  Train acc: {_fmt(row['train_accuracy'])}  Test acc: {_fmt(row['test_accuracy'])}"
                    if tr.classify
                    else ""
                )
                print(
                    f"Epoch {done:>{len(str(epochs))}}  Train loss: {_fmt(row['train_loss'])}  Test loss: {_fmt(row['test_loss'])}{acc}{warn}",
                    file=log,
                )
                last_loss = row["train_loss"]
            if bar:
                bar.show(done)
    except KeyboardInterrupt:
        interrupted = True
    seconds = time.perf_counter() - t0
    if bar:
        bar.clear()
    hist = tr.history.dicts()
    final = hist[-1]
    if args.json:
        W, b = tr.net.params()
        doc = {
            "scenario": sc.name,
            "epochs": tr.epoch,
            "initial": {
                "weights": [w.tolist() for w in W0],
                "biases": None if b0 is None else [v.tolist() for v in b0],
            },
            "final": {
                "weights": [w.tolist() for w in W],
                "biases": None if b is None else [v.tolist() for v in b],
            },
            "history": hist,
            "metrics": final,
            "timing": {"train_seconds": seconds},
        }
        print(json.dumps(doc))
    print(_summary(tr, final, seconds), file=log)
    if args.history_csv:
        session.atomic_write(args.history_csv, session.history_csv(tr))
        print(f"wrote {args.history_csv}", file=sys.stderr)
    if args.weights_json:
        session.atomic_write(args.weights_json, session.weights_json(tr))
        print(f"wrote {args.weights_json}", file=sys.stderr)
    if interrupted:
        print(f"bptui: interrupted after {tr.epoch} epochs", file=sys.stderr)
        return 130
    if tr.diverged:
        print(
            f"bptui: error: training diverged in epoch {tr.epoch + 1} (the weights became inf or NaN);"
            f" the last finite weights are kept. Lower the learning rate (now {tr.eta:g}).",
            file=sys.stderr,
        )
        return 1
    return 0


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
    from pathlib import Path

    from .core.data import load_csv

    if not args.target:
        raise UsageError("bptui: a .csv needs --target COLUMN (the column to predict)")
    if not 0 <= args.test_fraction < 1:
        raise UsageError(
            f"bptui: --test-fraction: expected a number from 0 up to 1, got {args.test_fraction}"
        )
    cols = lambda s: [c.strip() for c in s.split(",") if c.strip()]  # noqa: E731
    path = Path(args.scenario).resolve()
    ds = load_csv(path, args.target, cols(args.one_hot), cols(args.standardize), args.test_fraction, 1)
    y = ds.y[:, 0]
    classes = np.unique(np.concatenate([y, ds.y_test[:, 0]]))
    if set(classes.tolist()) <= {0.0, 1.0}:
        out, loss, act, eta, k = "sigmoid", "log", "sigmoid", 0.5, 1
    elif len(classes) <= 20 and np.all(classes == np.round(classes)):
        out, loss, act, eta, k = "softmax", "log", "sigmoid", 0.5, len(classes)
    else:
        out, loss, act, eta, k = "linear", "mse", "sigmoid", 0.05, 1
    q = lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"  # noqa: E731
    return f"""title = "{path.stem}"
description = "Built from {path.name} by bptui: predict {args.target}."

[network]
sizes = [{ds.X.shape[1]}, {args.hidden}, {k}]
hidden_activation = "{act}"
output_activation = "{out}"
bias = true
init = "normal"

[training]
loss = "{loss}"
learning_rate = {eta}
update = "minibatch"
batch_size = {min(10, max(1, ds.m))}
epochs = 200
seed = 1
shuffle = true

[data]
csv = "{path}"
target = "{args.target}"
one_hot = {q(cols(args.one_hot))}
standardize = {q(cols(args.standardize))}
test_fraction = {args.test_fraction}
split_seed = 1
"""


def cmd_own_data(args) -> int:
    text = own_data_toml(args)
    sc = scen.from_text(text, None, args.scenario.rsplit("/", 1)[-1].removesuffix(".csv"))
    tr = sc.build()  # validated like any scenario
    if args.write_scenario:
        session.atomic_write(args.write_scenario, text)
        print(f"wrote {args.write_scenario}: edit it, then run bptui {args.write_scenario}", file=sys.stderr)
        return 0
    from .tui.app import BptuiApp

    BptuiApp(loaded=(sc, tr)).run()
    return 0


def cmd_app(ref: str) -> int:
    from .tui.app import BptuiApp

    app = BptuiApp(ref)  # loads and validates before the screen is taken over
    app.run()
    return 0


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
    app = BptuiApp(args.scenario, epochs=args.epochs, records=args.records)

    async def shoot() -> str:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return app.export_screenshot(title=f"bptui {args.scenario}")

    svg = asyncio.run(shoot())
    try:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(svg)
    except OSError as exc:
        raise BptuiError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {args.output} ({size[0]}x{size[1]})", file=sys.stderr)
    return 0


def cmd_lesson(args) -> int:
    from .core import lesson
    from .tui.app import BptuiApp

    app = BptuiApp(args.scenario, lesson=True)
    if not lesson.supported(app.tr.net):
        raise BptuiError(
            f"lesson mode steps through networks with one hidden layer; {args.scenario} is {app.tr.net.describe()}"
        )
    app.run()
    return 0


def cmd_serve(args) -> int:
    """The app in a browser: textual-serve runs `bptui SCENARIO` for each page that opens."""
    import shlex

    from textual_serve.server import Server

    scen.load(args.scenario)  # a bad scenario is an error now, not in every browser session
    if not 0 < args.port < 65536:
        raise UsageError(f"bptui serve: --port: expected 1 to 65535, got {args.port}")
    command = f"{shlex.quote(sys.executable)} -m bptui.cli {shlex.quote(args.scenario)}"
    print(f"bptui: serving {args.scenario} on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    Server(command, host=args.host, port=args.port, title="bptui").serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
