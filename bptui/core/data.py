"""Datasets: arrays, CSV loading, one-hot, standardising and the seeds' split.

A Dataset holds the training set X (m, n), y (m, k) and a test set of the same widths (possibly
with zero rows). For 2-D data, `plane` maps points of the input plane to feature rows, so the
app can draw the decision boundary.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import DataError


@dataclass
class Plane:
    """The 2-D input plane: its extent and how a point (x1, x2) becomes a feature row."""

    lo: float = -1.0
    hi: float = 1.0
    featurize: Callable[[np.ndarray], np.ndarray] = lambda P: P


@dataclass
class Dataset:
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: list[str]
    target_names: list[str] = field(default_factory=lambda: ["y"])
    plane: Plane | None = None

    @property
    def m(self) -> int:
        return len(self.X)

    @property
    def has_test(self) -> bool:
        return len(self.X_test) > 0

    def is_binary(self) -> bool:
        Y = np.concatenate([self.y, self.y_test])
        return bool(np.all((Y == 0) | (Y == 1)))


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


def make(X, y, names, test_fraction=0.0, split_seed=None, target_names=None, plane=None):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    tr, te = split_indices(len(X), test_fraction, split_seed)
    return Dataset(X[tr], y[tr], X[te], y[te], list(names), target_names or ["y"], plane)


MAX_CSV_BYTES = 20 * 2**20


def read_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """A numeric CSV with a header row → (column names, (rows, cols) array)."""
    if path.is_dir():
        raise DataError(f"{path}: is a directory; expected a CSV file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_CSV_BYTES:
        raise DataError(
            f"{path}: {size / 2**20:.1f} MB; bptui reads CSV files up to {MAX_CSV_BYTES // 2**20} MB "
            "(sample the rows you want to teach with)"
        )
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text CSV file (it is not UTF-8)") from None
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file: {exc}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not rows:
        raise DataError(f"{path}: the file is empty; expected a header row and numeric rows")
    header = [c.strip() for c in rows[0]]
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
                raise DataError(f"{path}: line {ln}: column '{name}': '{cell}' is not a number") from None
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
    for col in [target, *one_hot, *standardize]:
        if col not in header:
            raise DataError(f"{path}: no column '{col}'; the columns are {', '.join(header)}")
    cols = {name: A[:, j] for j, name in enumerate(header)}
    y = cols.pop(target)
    for name in one_hot:
        v = cols.pop(name)
        for c in np.unique(v):
            cols[f"{name}_{_fmt_category(c)}"] = (v == c).astype(float)
    for name in standardize:
        if name not in cols:
            raise DataError(f"{path}: column '{name}' cannot be both one-hot and standardised")
        v = cols[name]
        sd = v.std(ddof=1) if len(v) > 1 else 0.0
        if not sd > 0:
            raise DataError(f"{path}: column '{name}' is constant, so it cannot be standardised")
        cols[name] = (v - v.mean()) / sd
    if not cols:
        raise DataError(f"{path}: no feature columns left besides the target '{target}'")
    X = np.column_stack(list(cols.values()))
    if classes:  # one output per class (softmax): the target one-hot, classes sorted
        labels = np.unique(y)
        if len(labels) < 2:
            raise DataError(f"{path}: column '{target}' has one class only; a classifier needs two or more")
        if len(labels) > 50:
            raise DataError(
                f"{path}: column '{target}' has {len(labels)} classes; a softmax output takes up to 50"
            )
        Y = (y[:, None] == labels[None, :]).astype(float)
        return make(
            X, Y, list(cols), test_fraction, split_seed, [f"{target}={_fmt_category(c)}" for c in labels]
        )
    return make(X, y, list(cols), test_fraction, split_seed, [target])
