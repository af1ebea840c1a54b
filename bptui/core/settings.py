"""The settings rules: TF Playground's knobs, their options and limits, and what an edit does.

The settings screen offers the option lists below, checks typed numbers against LIMITS, and
collects the edits by section:

    network   {"hidden": [4, 2], "hidden_activation": "tanh"}
    training  {"loss", "learning_rate", "update", "batch_size", "regularization",
               "regularization_rate"}
    data      pattern data only: {"pattern", "noise", "samples", "test_fraction", "features",
               "regenerate"} ("regenerate": draw new data, from the next split seed)

`apply(scenario, edits)` turns them into a new scenario. Edits of η and regularisation alone
keep the weights (the running trainer takes them with `retune`); any other edit builds the
network and data again from the scenario's seed, so the same settings give the same start.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from . import scenario as scen
from .data import FEATURES
from .limits import SEED_END
from .scenario import Scenario
from .trainer import UPDATE_MODES, Trainer

ETAS = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TF Playground's list
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
UPDATES = UPDATE_MODES
REGULARIZATIONS = ("none", "l1", "l2")
INPUT_FEATURES = tuple(FEATURES)
LIGHT = frozenset({"learning_rate", "regularization", "regularization_rate"})  # weights kept


@dataclass(frozen=True)
class Limit:
    """A whole number the user types, from lo to hi."""

    lo: int
    hi: int
    what: str

    def parse(self, raw: str) -> int:
        """The number in `raw`; ValueError with a one-line reason when it is not one in range."""
        raw = raw.strip()
        try:
            v = int(raw)
        except ValueError:
            raise ValueError(f"{self.what}: '{raw}' is not a whole number") from None
        if not self.lo <= v <= self.hi:
            raise ValueError(f"{self.what}: {v} is outside {self.lo}–{self.hi}")
        return v


LIMITS = {
    "hidden_layers": Limit(0, 6, "hidden layers"),
    "units": Limit(1, 16, "units a hidden layer"),
    "batch_size": Limit(1, 100_000, "batch size"),
    "noise": Limit(0, 50, "noise %"),
    "samples": Limit(10, 100_000, "samples"),
    "train_percent": Limit(10, 90, "train %"),
}


def parse_hidden(raw: str) -> list[int]:
    """Hidden layer sizes from text like "4, 2" (empty: no hidden layer)."""
    raw = raw.replace(" ", "")
    try:
        hidden = [int(x) for x in raw.split(",")] if raw else []
    except ValueError:
        raise ValueError(f"hidden layers: '{raw}' is not a list like 4, 2") from None
    layers, units = LIMITS["hidden_layers"], LIMITS["units"]
    if len(hidden) > layers.hi or any(not units.lo <= k <= units.hi for k in hidden):
        raise ValueError(
            f"hidden layers: {layers.lo} to {layers.hi} layers of {units.lo} to {units.hi} units"
        )
    return hidden


def losses_for(output_activation: str) -> tuple[str, ...]:
    """The losses a network with this output can train with (softmax: log loss only)."""
    return ("log",) if output_activation == "softmax" else ("mse", "square", "log")


def next_rate(eta: float, up: bool, home: float | None = None) -> float:
    """The next learning rate above (up) or below eta on TF's list (ETAS) with the scenario's
    own rate `home` among the stops, so that `+`/`-` always lead back to it; eta itself at the
    end. From a rate on neither list, the nearest stop on that side."""
    stops = ETAS if home is None else with_current(ETAS, home)
    if up:
        return next((v for v in stops if v > eta * (1 + 1e-9)), eta)
    return next((v for v in reversed(stops) if v < eta * (1 - 1e-9)), eta)


def with_current(options, current) -> list:
    """The options, plus the scenario's own value when it is not among them, in order."""
    return sorted(set(options) | {current})


@dataclass(frozen=True)
class Change:
    """What an edit does: the new scenario, and a new trainer when the weights are not kept."""

    scenario: Scenario
    trainer: Trainer | None

    @property
    def keep_weights(self) -> bool:
        return self.trainer is None

    @property
    def message(self) -> str:
        if self.keep_weights:
            return "η and regularisation changed; the weights are kept."
        return f"New network or data: weights drawn again from seed {self.scenario.training['seed']}."


def current(sc: Scenario) -> dict:
    """The edits that change nothing: the scenario's own values, by section."""
    n, t, d = sc.network, sc.training, sc.data
    edits = {
        "network": {"hidden": n["sizes"][1:-1], "hidden_activation": n["hidden_activation"]},
        "training": {k: t[k] for k in ("loss", "learning_rate", "update", "batch_size")}
        | {k: t[k] for k in ("regularization", "regularization_rate")},
        "data": {},
    }
    if "pattern" in d:
        keys = ("pattern", "noise", "samples", "test_fraction")
        edits["data"] = {k: d[k] for k in keys} | {
            "features": d.get("features", ["x1", "x2"]),
            "regenerate": False,
        }
    return edits


def apply(sc: Scenario, edits: dict) -> Change:
    """The scenario after the edits. Raises ScenarioError (one line) when the result is not a
    valid scenario, e.g. a batch larger than the training set."""
    rebuild = needs_rebuild(sc, edits)
    doc = _edited(sc, edits, rebuild)
    new = scen.from_dict(doc, sc.path, sc.name)
    new.text = scen.to_toml(doc)
    return Change(new, new.build() if rebuild else None)


def needs_rebuild(sc: Scenario, edits: dict) -> bool:
    """False when only η and regularisation change (the weights are kept)."""
    net, data = edits["network"], dict(edits["data"])
    if data.pop("regenerate", False):
        return True
    if any(sc.training.get(k) != v for k, v in edits["training"].items() if k not in LIGHT):
        return True
    if (
        _sizes(sc, edits) != sc.network["sizes"]
        or net["hidden_activation"] != sc.network["hidden_activation"]
    ):
        return True
    return any(sc.data.get(k, ["x1", "x2"] if k == "features" else None) != v for k, v in data.items())


def retune(tr: Trainer, sc: Scenario) -> None:
    """Give a running trainer the scenario's η and regularisation (the edits that keep weights)."""
    t = sc.training
    tr.eta, tr.reg, tr.reg_rate = (
        float(t["learning_rate"]),
        t["regularization"],
        float(t["regularization_rate"]),
    )


def _sizes(sc: Scenario, edits: dict) -> list[int]:
    """Layer sizes: the scenario's inputs and outputs around the edited hidden layers; pattern
    data with chosen features has one input a feature (plus the bias column when it has one)."""
    sizes = [sc.network["sizes"][0]] + list(edits["network"]["hidden"]) + [sc.network["sizes"][-1]]
    if "features" in edits["data"]:
        sizes[0] = len(edits["data"]["features"]) + (1 if sc.data["bias_column"] else 0)
    return sizes


def _edited(sc: Scenario, edits: dict, rebuild: bool) -> dict:
    """The scenario document with the edits written in."""
    t, doc = edits["training"], copy.deepcopy(sc.doc)
    for section in ("network", "training", "data"):
        doc.setdefault(section, {})
    doc["training"].update(t)
    if not rebuild:
        return doc
    sizes, net, data = _sizes(sc, edits), doc["network"], dict(edits["data"])
    net["sizes"], net["hidden_activation"] = sizes, edits["network"]["hidden_activation"]
    if t["loss"] == "log" and sc.network["output_activation"] not in ("sigmoid", "softmax"):
        net["output_activation"] = "sigmoid"
    if sizes != sc.network["sizes"]:
        net.pop("weights", None)  # weights given in the file fit the old sizes only
        net.pop("biases", None)
    if data.pop("regenerate", False):
        data["split_seed"] = (int(sc.data["split_seed"] or 0) + 1) % SEED_END  # 2³²−1 wraps to 0
    doc["data"].update(data)
    return doc
