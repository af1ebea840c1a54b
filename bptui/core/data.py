"""Datasets: arrays, CSV loading, one-hot, standardising and the seeds' split.

A Dataset holds the training set X (m, n), y (m, k) and a test set of the same widths (possibly
with zero rows). For 2-D data, `plane` maps points of the input plane to feature rows, so the
app can draw the decision boundary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import files
from .errors import DataError, printable
from .limits import MAX_CLASSES, MAX_UNITS, record_units


@dataclass
class Plane:
    """The 2-D input plane: its extent and how a point (x1, x2) becomes a feature row."""

    lo: float = -1.0
    hi: float = 1.0
    featurize: Callable[[np.ndarray], np.ndarray] = lambda P: P


def data_plane(X: np.ndarray) -> Plane | None:
    """A plane around 2-D data whose two columns are the inputs themselves (a CSV); None if
    its extent is out of floating-point range."""
    if not len(X):
        return None
    lo, hi = float(np.min(X)), float(np.max(X))
    pad = 0.05 * (hi - lo) or 1.0
    return Plane(lo - pad, hi + pad) if np.isfinite([lo - pad, hi + pad]).all() else None


@dataclass
class Dataset:
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: list[str]
    target_names: list[str] = field(default_factory=lambda: ["y"])
    plane: Plane | None = None
    points: np.ndarray | None = None  # 2-D data: the plane's points (m, 2) behind X …
    points_test: np.ndarray | None = None  # … and behind X_test

    @property
    def m(self) -> int:
        return len(self.X)

    @property
    def has_test(self) -> bool:
        return len(self.X_test) > 0

    def is_binary(self) -> bool:
        Y = np.concatenate([self.y, self.y_test])
        return bool(np.all((Y == 0) | (Y == 1)))

    def classes(self) -> tuple[float, float] | None:
        """The (negative, positive) targets of one-output class data: (0, 1) as the seeds
        label, or (−1, 1) as TF Playground does; None for anything else."""
        Y = np.concatenate([self.y, self.y_test])
        if Y.shape[1] != 1:
            return None
        for lo, hi in LABELS:
            if np.all((Y == lo) | (Y == hi)):
                return lo, hi
        return None


LABELS = ((0.0, 1.0), (-1.0, 1.0))  # the two ways to label classes: seed 003's and TF's

FEATURES = {
    "x1": lambda P: P[:, 0],
    "x2": lambda P: P[:, 1],
    "x1^2": lambda P: P[:, 0] ** 2,
    "x2^2": lambda P: P[:, 1] ** 2,
    "x1*x2": lambda P: P[:, 0] * P[:, 1],
    "sin(x1)": lambda P: np.sin(P[:, 0]),
    "sin(x2)": lambda P: np.sin(P[:, 1]),
}


def plane_features(names, bias_column: bool = False) -> Callable[[np.ndarray], np.ndarray]:
    """Points (n, 2) of the plane → the feature columns TF Playground offers (and a bias)."""

    def featurize(P: np.ndarray) -> np.ndarray:
        cols = [FEATURES[n](P) for n in names]
        if bias_column:
            cols.append(np.ones(len(P)))
        return np.column_stack(cols)

    return featurize


def split_indices(n: int, test_fraction: float, seed) -> tuple[np.ndarray, np.ndarray]:
    """The seeds' split: train = RandomState(seed).choice(n, int(n·(1 − f)), replace=False) in
    that order, test = the rest in file order. With f = 0 every record trains, in file order."""
    if test_fraction <= 0:
        return np.arange(n), np.arange(0)
    n_train = int(n * (1 - test_fraction) + 1e-9)
    train = np.random.RandomState(seed).choice(n, size=n_train, replace=False)
    test = np.setdiff1d(np.arange(n), train)
    return train, test


def make(X, y, names, test_fraction=0.0, split_seed=None, target_names=None, plane=None, points=None):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    tr, te = split_indices(len(X), test_fraction, split_seed)
    P, P_test = (None, None) if points is None else (points[tr], points[te])
    return Dataset(X[tr], y[tr], X[te], y[te], list(names), target_names or ["y"], plane, P, P_test)


def read_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """A numeric CSV with a header row → (column names, (rows, cols) array)."""
    text = files.read_text(path, "CSV file", error=DataError)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file: {exc}") from None
    if not rows:
        raise DataError(f"{path}: the file is empty; expected a header row and numeric rows")
    header = [c.strip() for c in rows[0]]
    for name in header:
        if printable(name) != name:
            raise DataError(
                f"{path}: line 1: the column name '{printable(name)}' holds a line break or a control "
                "character; use plain names"
            )
    if len(set(header)) != len(header):
        raise DataError(f"{path}: line 1: duplicate column names in the header {header}")
    body = []
    for ln, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise DataError(f"{path}: line {ln}: {len(row)} values, but the header has {len(header)} columns")
        vals = []
        for name, cell in zip(header, row):
            cell = cell.strip()
            if cell == "":
                raise DataError(f"{path}: line {ln}: column '{name}' is missing a value")
            try:
                v = float(cell)
            except ValueError:
                raise DataError(
                    f"{path}: line {ln}: column '{name}': '{printable(cell)}' is not a number"
                ) from None
            if not np.isfinite(v):
                raise DataError(f"{path}: line {ln}: column '{name}': '{cell}' is not finite")
            vals.append(v)
        body.append(vals)
    if not body:
        raise DataError(f"{path}: no data rows after the header")
    return header, np.array(body, dtype=float)


def _fmt_category(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def load_csv(
    path,
    target: str,
    one_hot=(),
    standardize=(),
    test_fraction=0.0,
    split_seed=None,
    classes: bool = False,
) -> Dataset:
    """Load a CSV as the seeds' data prep does: one-hot columns are dropped and their dummies
    (name_value, sorted) appended; standardised columns become (x − mean) / sample std."""
    path = Path(path)
    header, A = read_csv(path)
    _check_columns(path, header, target, one_hot, standardize)
    cols = {name: A[:, j] for j, name in enumerate(header)}
    y = cols.pop(target)
    _check_width(path, cols, one_hot)
    for name in one_hot:
        v = cols.pop(name)
        for c in np.unique(v):
            cols[f"{name}_{_fmt_category(c)}"] = (v == c).astype(float)
    for name in standardize:
        cols[name] = _standardise(path, name, cols[name])
    if not cols:
        raise DataError(f"{path}: no feature columns left besides the target '{target}'")
    X = np.column_stack(list(cols.values()))
    if classes:  # one output per class (softmax): the target one-hot, classes sorted
        labels = np.unique(y)
        if len(labels) < 2:
            raise DataError(f"{path}: column '{target}' has one class only; a classifier needs two or more")
        if len(labels) > MAX_CLASSES:
            raise DataError(
                f"{path}: column '{target}' has {len(labels)} classes; a softmax output takes up to {MAX_CLASSES}"
            )
        Y = (y[:, None] == labels[None, :]).astype(float)
        names = [f"{target}={_fmt_category(c)}" for c in labels]
        plane = data_plane(X) if X.shape[1] == 2 else None  # 2-D classes: a decision boundary
        return make(X, Y, list(cols), test_fraction, split_seed, names, plane)
    binary = bool(np.all((y == 0) | (y == 1)))
    plane = data_plane(X) if X.shape[1] == 2 and binary else None
    return make(X, y, list(cols), test_fraction, split_seed, [target], plane)


def _check_columns(path, header, target, one_hot, standardize) -> None:
    """Every named column exists, none is named twice, the target is not an input."""
    for col in [target, *one_hot, *standardize]:
        if col not in header:
            raise DataError(f"{path}: no column '{col}'; the columns are {', '.join(header)}")
    for what, names in (("one-hot", one_hot), ("standardise", standardize)):
        twice = [c for i, c in enumerate(names) if c in names[:i]]
        if twice:
            raise DataError(f"{path}: column '{twice[0]}' is named twice in the columns to {what}")
        if target in names:
            raise DataError(f"{path}: column '{target}' is the target; only input columns are {what}d")
    both = [c for c in one_hot if c in standardize]
    if both:
        raise DataError(f"{path}: column '{both[0]}' cannot be both one-hot and standardised")


def _check_width(path, cols: dict, one_hot) -> None:
    """The inputs after one-hot, counted before the matrix is built."""
    widths = {name: len(np.unique(cols[name])) for name in one_hot}
    n = len(cols) - len(one_hot) + sum(widths.values())
    if n > MAX_UNITS:
        big = max(widths, key=widths.get)
        raise DataError(
            f"{path}: one-hot of column '{big}' gives {widths[big]:,} columns, {n:,} inputs in all; "
            f"at most {MAX_UNITS:,} (one-hot is for a few categories)"
        )
    m = len(next(iter(cols.values()))) if cols else 0
    too_many = record_units(m, [n])
    if too_many:
        raise DataError(f"{path}: {too_many}")


def _standardise(path, name: str, v: np.ndarray) -> np.ndarray:
    """(v − mean) / sample std; a column of one value is an error, not 0.816 everywhere."""
    if v.max() == v.min():
        n = "the one record" if len(v) == 1 else f"all {len(v)} records"
        raise DataError(
            f"{path}: column '{name}' is constant ({_fmt_category(v[0])} in {n}), so it cannot be "
            "standardised; leave it out of standardize"
        )
    with np.errstate(all="ignore"):
        mean, sd = v.mean(), v.std(ddof=1)
        if np.isfinite(mean) and np.isfinite(sd) and sd > 0:
            z = (v - mean) / sd
        else:  # squares of 1e308 overflow, of 1e-320 underflow: scale into [-1, 1] first
            w = v / np.abs(v).max()
            z = (w - w.mean()) / w.std(ddof=1)
    if not np.all(np.isfinite(z)):
        raise DataError(f"{path}: column '{name}' cannot be standardised (its values are out of range)")
    return z
