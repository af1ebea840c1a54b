"""Every field of a saved session checked before it is restored, each problem a one-line error
naming the file and the field (`s.json: state.W: matrix 1 must be 4×1 finite numbers`).

A session is data a user may have edited, copied half or corrupted: nothing in it is trusted.
"""

from __future__ import annotations

import numpy as np

from .errors import BptuiError
from .history import CAPACITY, JSON_FIELDS
from .limits import MAX_EPOCHS
from .tomlio import is_number


class Bad(BptuiError):
    pass


def _int(v, lo, hi) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def header(doc) -> tuple[str, str, str | None]:
    """The saved scenario: (its TOML text, its name, the path it was loaded from)."""
    s = doc.get("scenario")
    if not isinstance(s, dict):
        raise Bad('scenario: expected an object with "toml", "name" and "path"')
    if not isinstance(s.get("toml"), str):
        raise Bad(f"scenario.toml: expected the scenario's TOML text as a string, got {_kind(s.get('toml'))}")
    if not isinstance(s.get("name"), str):
        raise Bad(f"scenario.name: expected a string, got {_kind(s.get('name'))}")
    if s.get("path") is not None and not isinstance(s["path"], str):
        raise Bad(f"scenario.path: expected a string or null, got {_kind(s['path'])}")
    return s["toml"], s["name"], s.get("path")


def state(doc, tr) -> dict:
    """The state and history, checked against the trainer the saved scenario builds."""
    st = doc.get("state")
    if not isinstance(st, dict):
        raise Bad("state: expected an object")
    for key in ("eta", "epoch", "i", "k", "diverged", "W", "b", "dW", "db"):
        if key not in st:
            raise Bad(f"state.{key}: missing")
    if not (is_number(st["eta"]) and st["eta"] > 0):
        raise Bad(f"state.eta: expected a finite number > 0, got {_show(st['eta'])}")
    if not _int(st["epoch"], 0, MAX_EPOCHS):
        raise Bad(f"state.epoch: expected a whole number from 0 to {MAX_EPOCHS}, got {_show(st['epoch'])}")
    for key in ("i", "k"):
        if not _int(st[key], 0, tr.m):
            raise Bad(
                f"state.{key}: expected a whole number from 0 to {tr.m} (the training records), got {_show(st[key])}"
            )
    if not isinstance(st["diverged"], bool):
        raise Bad(f"state.diverged: expected true or false, got {_show(st['diverged'])}")
    shapes_W = [w.shape for w in tr.net.W]
    shapes_b = None if tr.net.b is None else [v.shape for v in tr.net.b]
    out = {"W": _arrays(st["W"], shapes_W, "W"), "dW": _arrays(st["dW"], shapes_W, "dW")}
    for key in ("b", "db"):
        want = shapes_b if key == "b" or tr.db is not None else None
        if want is None and st[key] is not None:
            raise Bad(f"state.{key}: expected null (the scenario's network has no biases)")
        out[key] = None if want is None else _arrays(st[key], want, key)
    out["rows"] = history(doc.get("history"), st["epoch"])
    return out


def _arrays(xs, shapes, key) -> list[np.ndarray]:
    """Nested lists → float arrays of the given shapes, every value finite."""
    want = ", ".join("×".join(map(str, s)) for s in shapes)
    if not isinstance(xs, list) or len(xs) != len(shapes):
        raise Bad(f"state.{key}: expected {len(shapes)} arrays ({want}), got {_show(xs)}")
    out = []
    for j, (x, shape) in enumerate(zip(xs, shapes)):
        try:
            a = np.array(x, dtype=float)
        except (TypeError, ValueError, OverflowError):
            a = None
        if a is None or a.shape != shape or not _all_numbers(x):
            dims = "×".join(map(str, shape))
            raise Bad(f"state.{key}: array {j} must be {dims} finite numbers")
        out.append(a)
    return out


def _all_numbers(x) -> bool:
    if isinstance(x, list):
        return all(_all_numbers(v) for v in x)
    return is_number(x)


def history(rows, epoch: int) -> list:
    """Rows [epoch, train_loss, test_loss, train_accuracy, test_accuracy]: rising epochs up to
    the state's, each value a finite number or null."""
    n = len(JSON_FIELDS)
    if not isinstance(rows, list) or not 1 <= len(rows) <= CAPACITY:
        raise Bad(f"history: expected a list of 1 to {CAPACITY} rows, got {_show(rows)}")
    last = -1
    for j, r in enumerate(rows):
        ok = isinstance(r, list) and len(r) == n and _int(r[0], last + 1, epoch)
        if not ok or not all(v is None or is_number(v) for v in r[1:]):
            raise Bad(
                f"history: row {j} must be [epoch, train_loss, test_loss, train_accuracy, test_accuracy] "
                f"with epochs rising to {epoch} and numbers or null, got {_show(r)}"
            )
        last = r[0]
    return [[r[0]] + [None if v is None else float(v) for v in r[1:]] for r in rows]


def _kind(v) -> str:
    return "null" if v is None else type(v).__name__


def _show(v) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "…"
