"""`bptui data.csv --target COL`: a scenario built for a user's own CSV, run or written out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from ..core import scenario as scen
from ..core import session, tomlio
from ..core.data import load_csv, read_csv
from .parse import UsageError
from .run import run_app, theme


def cmd_own_data(args) -> int:
    text = own_data_toml(args)
    sc = scen.from_text(text, None, args.scenario)  # errors name the CSV the user gave
    tr = sc.build()  # validated like any scenario
    if args.write_scenario:
        session.atomic_write(args.write_scenario, text)
        print(f"wrote {args.write_scenario}: edit it, then run bptui {args.write_scenario}", file=sys.stderr)
        return 0
    from ..tui.app import BptuiApp

    return run_app(BptuiApp(loaded=(sc, tr), **theme(args.theme)))


def own_data_toml(args) -> str:
    """A scenario for a user's CSV: sigmoid hidden units; log loss for 0/1 targets, softmax for
    more classes, a linear output with mse for anything else."""
    if not args.target:
        header, _ = read_csv(Path(args.scenario))  # a file that cannot be read says so first
        raise UsageError(
            f"{args.scenario}: a .csv needs --target COLUMN, the column to predict; "
            f"the columns are {', '.join(header)}"
        )
    if not 0 <= args.test_fraction < 1:
        raise UsageError(f"--test-fraction: expected a number from 0 up to 1, got {args.test_fraction}")
    path = Path(os.path.abspath(args.scenario))  # not resolve(): a symlink loop is named by files
    one_hot, standardize = _columns(args.one_hot), _columns(args.standardize)
    ds = load_csv(path, args.target, one_hot, standardize, args.test_fraction, 1)
    if ds.m == 0:
        n = len(ds.X_test)
        raise UsageError(
            f"{args.scenario}: {n} record{'s' if n > 1 else ''}; --test-fraction {args.test_fraction:g} "
            "leaves none to train on (use --test-fraction 0, or more records)"
        )
    out, loss, eta, k = _output_for(np.concatenate([ds.y[:, 0], ds.y_test[:, 0]]))
    doc = {
        "title": path.stem,
        "description": f"Built from {path.name} by bptui: predict {args.target}.",
        "network": {
            "sizes": [ds.X.shape[1], args.hidden, k],
            "hidden_activation": "sigmoid",
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
            "one_hot": one_hot,
            "standardize": standardize,
            "test_fraction": args.test_fraction,
            "split_seed": 1,
        },
    }
    return tomlio.dumps(doc)


def _columns(s: str) -> list[str]:
    """`--one-hot a,b` → ["a", "b"]."""
    return [c.strip() for c in s.split(",") if c.strip()]


def _output_for(y: np.ndarray) -> tuple[str, str, float, int]:
    """(output activation, loss, learning rate, output units) for the targets y: a sigmoid with
    log loss for 0/1, a softmax for up to 20 whole-number classes, else linear with mse."""
    classes = np.unique(y)
    if set(classes.tolist()) <= {0.0, 1.0}:
        return "sigmoid", "log", 0.5, 1
    if len(classes) <= 20 and np.all(classes == np.round(classes)):
        return "softmax", "log", 0.5, len(classes)
    return "linear", "mse", 0.05, 1
