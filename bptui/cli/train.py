"""The headless commands that train: `bptui train`, `bptui trace`, `bptui data`."""

from __future__ import annotations

import json
import sys
import time

from ..core import scenario as scen
from ..core import session
from ..core.errors import printable
from ..teach.lines import pending_lines, record_lines, update_lines, update_rule
from ..teach.notation import Notation, delta_convention, loss_name, metric, num, reported_loss, vec

TRACE_SECTIONS = {
    "forward": "Forward pass",
    "backward": "Backward pass",
    "steps": "This record's weight steps (seed 004: ΔW = η·δ·a, η = {eta})",
}


def header(sc, tr) -> str:
    return (
        f"{printable(sc.title)} · {tr.net.describe()} · η {tr.eta:g} · {tr.update_mode} · loss {tr.loss.name}"
    )


# ---- trace -----------------------------------------------------------------------------------
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
        _print_record(tr, tr.step_record())
    if tr.update_due():
        _print_update(tr, tr.step_update())
    return 0


def _print_record(tr, st) -> None:
    """One record's forward and backward pass and weight steps, then the pending sums."""
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


def _print_update(tr, st) -> None:
    print()
    print(f"Update after k = {st.k} record(s), η = {tr.eta:g}: {update_rule(tr.reg, tr.reg_rate)}")
    for line in update_lines(tr.net, st, tr.eta, tr.reg, tr.reg_rate):
        print("    " + line.text())


# ---- train -----------------------------------------------------------------------------------
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
    _write_exports(args, tr)
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


def _write_exports(args, tr) -> None:
    """`--history-csv` and `--weights-json`."""
    if args.history_csv:
        session.atomic_write(args.history_csv, session.history_csv(tr))
        print(f"wrote {args.history_csv}", file=sys.stderr)
    if args.weights_json:
        names = Notation(tr.net.sizes).export(tr.net.b is not None)
        session.atomic_write(args.weights_json, session.weights_json(tr, names))
        print(f"wrote {args.weights_json}", file=sys.stderr)


_TERMINATED = []


def _sigterm_interrupts() -> None:
    """SIGTERM stops `train` like ctrl+c: the summary so far is printed (status 143)."""
    import signal

    def stop(signum, frame):
        _TERMINATED.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


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
    line = f"Epoch {row['epoch']:>{width}}  Train loss: {metric(row['train_loss'])}  Test loss: {metric(row['test_loss'])}"
    if classify:
        line += f"  Train acc: {metric(row['train_accuracy'])}  Test acc: {metric(row['test_accuracy'])}"
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
    parts = [f"Trained {row['epoch']} epochs in {seconds:.3f} s.", f"Train loss {metric(row['train_loss'])}"]
    if row["test_loss"] is not None:
        parts.append(f"test loss {metric(row['test_loss'])}")
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
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

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


# ---- data ------------------------------------------------------------------------------------
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
