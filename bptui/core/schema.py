"""The scenario schema: each section's keys, what each key accepts and its default, and the
checks of a whole document. Every problem is a ScenarioError naming the file, the key and
what would be right, e.g. `lesson.toml: [training] learning_rate: expected a number > 0, got 'fast'`.

A key's check takes the value and returns (ok, what would be right).
"""

from __future__ import annotations

from . import data as datamod
from . import tomlio
from .activations import ACTIVATIONS
from .errors import ScenarioError
from .limits import MAX_EPOCHS, MAX_PARAMS, MAX_SAMPLES, MAX_UNITS, SEED_END, record_units
from .trainer import UPDATE_MODES

_num = tomlio.is_number


def _int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_str(v):
    return isinstance(v, str), "a string"


def _is_bool(v):
    return isinstance(v, bool), "true or false"


def _choice(*opts):
    return lambda v: (v in opts, "one of " + ", ".join(f'"{o}"' for o in opts))


def _pos_num(v):
    return _num(v) and v > 0, "a number > 0"


def _int_min(lo):
    return lambda v: (_int(v) and v >= lo, f"a whole number ≥ {lo}")


def _int_range(lo, hi):
    return lambda v: (_int(v) and lo <= v <= hi, f"a whole number from {lo} to {hi}")


def _fraction(lo, hi, closed_hi=False):
    def chk(v):
        ok = _num(v) and lo <= v and (v <= hi if closed_hi else v < hi)
        return ok, f"a number from {lo} to {hi}" + ("" if closed_hi else " (exclusive)")

    return chk


def _str_list(v):
    return isinstance(v, list) and all(isinstance(s, str) for s in v), "a list of strings"


def _sizes(v):
    ok = isinstance(v, list) and len(v) >= 2 and all(_int(n) and n >= 1 for n in v)
    return ok, "a list of at least two whole numbers ≥ 1, e.g. [2, 4, 1]"


def _shuffle(v):
    return isinstance(v, bool) or v == "once", 'true (every epoch), false or "once"'


def _labels(v):
    ok = isinstance(v, list) and tuple(v) in datamod.LABELS and not any(isinstance(x, bool) for x in v)
    return ok, "[0, 1] (seed 003) or [-1, 1] (TF Playground)"


def _features(v):
    ok = (
        isinstance(v, list)
        and v
        and all(isinstance(f, str) for f in v)
        and len(set(v)) == len(v)
        and all(f in datamod.FEATURES for f in v)
    )
    return ok, "a list of distinct input features from " + ", ".join(f'"{f}"' for f in datamod.FEATURES)


def _any(v):
    return True, ""


_seed = _int_range(0, SEED_END - 1)
ACTS = tuple(ACTIVATIONS)  # softmax: output only, checked in Scenario.build
SCHEMA = {
    None: {"title": _is_str, "description": _is_str},
    "network": {
        "sizes": _sizes,
        "hidden_activation": _choice(*ACTS),
        "output_activation": _choice(*ACTS),
        "bias": _is_bool,
        "train_bias": _is_bool,
        "init": _choice("normal", "uniform"),
        "init_scale": _pos_num,
        "weights": _any,
        "biases": _any,
    },
    "training": {
        "loss": _choice("mse", "log", "square"),
        "learning_rate": _pos_num,
        "update": _choice(*UPDATE_MODES),
        "batch_size": _int_min(1),
        "epochs": _int_range(0, MAX_EPOCHS),
        "seed": _seed,
        "shuffle": _shuffle,
        "last_batch": _choice("update", "carry"),
        "l1": _choice("shrink", "zero"),
        "regularization": _choice("none", "l1", "l2"),
        "regularization_rate": lambda v: (_num(v) and v >= 0, "a number ≥ 0"),
    },
    "data": {
        "x": _any,
        "y": _any,
        "csv": _is_str,
        "target": _is_str,
        "one_hot": _str_list,
        "standardize": _str_list,
        "pattern": _is_str,
        "samples": _int_range(1, MAX_SAMPLES),
        "noise": _fraction(0, 0.5, closed_hi=True),
        "bias_column": _is_bool,
        "labels": _labels,
        "features": _features,
        "test_fraction": _fraction(0, 1),
        "split_seed": _seed,
    },
}
DEFAULTS = {
    "network": {
        "hidden_activation": "sigmoid",
        "output_activation": "sigmoid",
        "bias": False,
        "train_bias": True,
        "init": "normal",
    },
    "training": {
        "loss": "mse",
        "learning_rate": 0.5,
        "update": "batch",
        "batch_size": 10,
        "epochs": 1,
        "seed": None,
        "shuffle": False,
        "last_batch": "update",
        "l1": "shrink",
        "regularization": "none",
        "regularization_rate": 0.0,
    },
    "data": {
        "samples": 500,
        "noise": 0.0,
        "bias_column": False,
        "labels": [0, 1],
        "test_fraction": 0.0,
        "split_seed": None,
    },
}


def sections(doc: dict, src) -> dict:
    """The document's network, training and data sections, checked and with the defaults
    filled in: {"network": {…}, "training": {…}, "data": {…}}. `src` names the file in errors."""
    _check_top(doc, src)
    out = {}
    for sec in ("network", "training", "data"):
        given = doc.get(sec, {})
        for key, val in given.items():
            if key not in SCHEMA[sec]:
                raise ScenarioError(f"{src}: [{sec}] unknown key '{key}'; allowed: {', '.join(SCHEMA[sec])}")
            ok, want = SCHEMA[sec][key](val)
            if not ok:
                raise ScenarioError(f"{src}: [{sec}] {key}: expected {want}, got {_show(val)}")
        out[sec] = {**DEFAULTS[sec], **given}
    _check_sizes(out["network"], out["data"], src)
    _check_data(out["data"], "labels" in doc.get("data", {}), src)
    return out


def _check_top(doc: dict, src) -> None:
    """The top level: title, description and the three section tables."""
    for key, val in doc.items():
        if key in SCHEMA and key is not None:
            if not isinstance(val, dict):
                raise ScenarioError(f"{src}: [{key}] must be a table, e.g. [{key}] on its own line")
            continue
        if key not in SCHEMA[None]:
            allowed = ", ".join(list(SCHEMA[None]) + [f"[{s}]" for s in SCHEMA if s])
            raise ScenarioError(f"{src}: unknown key '{key}'; allowed at the top: {allowed}")
        ok, want = SCHEMA[None][key](val)
        if not ok:
            raise ScenarioError(f"{src}: {key}: expected {want}, got {_show(val)}")


def _check_sizes(net: dict, data: dict, src) -> None:
    """The layer sizes, against the limits on units, weights and records."""
    if "sizes" not in net:
        raise ScenarioError(f"{src}: [network] sizes: missing; give the layer sizes, e.g. sizes = [2, 4, 1]")
    if max(net["sizes"]) > MAX_UNITS:
        raise ScenarioError(f"{src}: [network] sizes: at most {MAX_UNITS} units a layer")
    n_par = sum(a * b for a, b in zip(net["sizes"][:-1], net["sizes"][1:]))
    if n_par > MAX_PARAMS:
        raise ScenarioError(f"{src}: [network] sizes: {n_par} weights; at most {MAX_PARAMS}")
    if "pattern" in data and record_units(data["samples"], net["sizes"]):
        raise ScenarioError(f"{src}: [data] samples: {record_units(data['samples'], net['sizes'])}")


def _check_data(data: dict, labels_given: bool, src) -> None:
    """One data source, and only the keys that go with it."""
    sources = [k for k in ("x", "csv", "pattern") if k in data]
    if len(sources) != 1:
        raise ScenarioError(f"{src}: [data]: give exactly one source: x and y, csv, or pattern")
    if "x" in data and "y" not in data:
        raise ScenarioError(f"{src}: [data] y: missing; inline records x need targets y")
    if "features" in data and "pattern" not in data:
        raise ScenarioError(f"{src}: [data] features: only pattern data has input features to choose")
    if labels_given and "pattern" not in data:
        raise ScenarioError(f"{src}: [data] labels: only pattern data has class labels to choose")
    if "csv" in data and "target" not in data:
        raise ScenarioError(f"{src}: [data] target: missing; name the CSV column to predict")


def _show(v) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "…"
