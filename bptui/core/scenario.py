"""Scenario TOML ⇄ Network + Trainer + Dataset, with validation.

schema.py checks each key of a document; a Scenario checks what needs the data (sizes against
the inputs, targets against the loss) when it builds its Trainer. Every problem becomes a
ScenarioError whose one-line message names the file, the key and what would be right, e.g.
`lesson.toml: [training] learning_rate: expected a number > 0, got "fast"`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import data as datamod
from . import files, patterns, schema, tomlio
from .errors import BptuiError, ScenarioError, printable
from .limits import record_units
from .network import Network, init_weights
from .paths import scenarios_dir, shipped
from .trainer import Trainer

_num = tomlio.is_number


@dataclass
class Scenario:
    """A validated scenario document; `build()` turns it into a ready Trainer."""

    name: str
    path: Path | None
    title: str
    description: str
    network: dict
    training: dict
    data: dict
    doc: dict = field(default_factory=dict)
    text: str = ""  # the TOML source, saved with sessions

    def err(self, section, key, msg) -> ScenarioError:
        return ScenarioError(_where(self.path or self.name, section, key) + msg)

    def build(self) -> Trainer:
        ds = self._dataset()
        too_many = record_units(ds.m + len(ds.X_test), self.network["sizes"])
        if too_many:
            raise self.err("network", "sizes", too_many)
        net = self._network(ds)
        tr = self.training
        where = "target" if "csv" in self.data else ("pattern" if "pattern" in self.data else "y")
        if ds.m == 0:
            raise self.err(
                "data",
                "test_fraction",
                f"the split leaves no training records (all {len(ds.X_test)} are test); lower test_fraction",
            )
        if tr["loss"] == "log" and not ds.is_binary():
            bad = _first_not_01(np.concatenate([ds.y, ds.y_test]).ravel())
            raise self.err("data", where, f"log loss needs 0/1 class targets, found {bad:g}")
        if tr["loss"] == "log" and ds.y.shape[1] == 1 and len(np.unique(ds.y)) < 2:
            only = int(ds.y[0, 0])
            raise self.err(
                "data",
                where,
                f"every training record is class {only}: a classifier needs both classes 0 and 1",
            )
        if tr["update"] == "minibatch" and tr["batch_size"] > ds.m:
            raise self.err(
                "training", "batch_size", f"{tr['batch_size']} is larger than the {ds.m} training records"
            )
        return Trainer(
            net,
            ds,
            loss=tr["loss"],
            eta=tr["learning_rate"],
            update=tr["update"],
            batch_size=tr["batch_size"],
            shuffle=tr["shuffle"],
            seed=tr["seed"],
            reg=tr["regularization"],
            reg_rate=tr["regularization_rate"],
            last_batch=tr["last_batch"],
            l1=tr["l1"],
        )

    # ---- parts ---------------------------------------------------------------------------
    def _dataset(self) -> datamod.Dataset:
        d = self.data
        f, seed = d["test_fraction"], d["split_seed"]
        try:
            if "csv" in d:
                path = self._csv_path(d["csv"])
                softmax = self.network["output_activation"] == "softmax"
                return datamod.load_csv(
                    path,
                    d["target"],
                    d.get("one_hot", ()),
                    d.get("standardize", ()),
                    f,
                    seed,
                    classes=softmax,
                )
            if "pattern" in d:
                try:
                    pat = patterns.load(self._pattern_ref(d["pattern"]))
                except BptuiError as exc:
                    raise self.err("data", "pattern", str(exc)) from None
                try:
                    P, y = pat.sample(d["samples"], d["noise"], seed)
                except BptuiError as exc:
                    raise self.err("data", "pattern", str(exc)) from None
                bias = d["bias_column"]
                feats = d.get("features", ["x1", "x2"])
                featurize = datamod.plane_features(feats, bias)
                X = featurize(P)
                names = list(feats) + (["bias"] if bias else [])
                plane = datamod.Plane(-pat.extent, pat.extent, featurize)
                lo, hi = d["labels"]
                return datamod.make(X, np.where(y > 0, hi, lo), names, f, seed, ["y"], plane, P)
        except ScenarioError:
            raise
        except BptuiError as exc:
            raise ScenarioError(f"{exc} (from {self.path or self.name})") from None
        X, Y = self._inline()
        names = [f"x{j + 1}" for j in range(X.shape[1])]
        tnames = ["y"] if Y.shape[1] == 1 else [f"y{j + 1}" for j in range(Y.shape[1])]
        return datamod.make(X, Y, names, f, seed, tnames)

    def _inline(self):
        x, y = self.data["x"], self.data["y"]
        if not (
            isinstance(x, list)
            and x
            and all(isinstance(r, list) and r and all(_num(v) for v in r) for r in x)
        ):
            raise self.err(
                "data", "x", "expected a non-empty list of records, each a list of numbers, e.g. [[0.1, 0.3]]"
            )
        if len({len(r) for r in x}) != 1:
            raise self.err("data", "x", "every record must have the same number of values")
        if not isinstance(y, list) or len(y) != len(x):
            raise self.err("data", "y", f"expected a list of {len(x)} targets, one per record")
        rows = [[v] if _num(v) else v for v in y]
        if (
            not all(isinstance(r, list) and r and all(_num(v) for v in r) for r in rows)
            or len({len(r) for r in rows}) != 1
        ):
            raise self.err("data", "y", "each target must be a number, or a list of numbers of one length")
        return np.array(x, dtype=float), np.array(rows, dtype=float)

    def _csv_path(self, ref: str) -> Path:
        cands = []
        if self.path is not None:
            cands.append(self.path.parent / ref)
        cands += [Path(ref), shipped("data") / ref]
        for c in cands:
            if files.exists(c):
                return c  # read through files: a directory, a FIFO or a loop is named there
        raise self.err("data", "csv", f"no file '{ref}' next to the scenario or in bptui's data/")

    def _pattern_ref(self, ref: str) -> str:
        if self.path is not None and ref.endswith(".toml"):
            p = self.path.parent / ref
            if files.exists(p):
                return str(p)
        return ref

    def _network(self, ds: datamod.Dataset) -> Network:
        n = self.network
        sizes = n["sizes"]
        n_in, n_out = ds.X.shape[1], ds.y.shape[1]
        if sizes[0] != n_in:
            raise self.err(
                "network",
                "sizes",
                f"the data has {n_in} inputs ({', '.join(ds.feature_names)}), so sizes[0] must be {n_in}, not {sizes[0]}",
            )
        if sizes[-1] != n_out:
            raise self.err(
                "network",
                "sizes",
                f"the data has {n_out} target(s), so sizes[-1] must be {n_out}, not {sizes[-1]}",
            )
        if self.training["loss"] == "log" and n["output_activation"] not in ("sigmoid", "softmax"):
            raise self.err(
                "training",
                "loss",
                f'log loss needs output_activation = "sigmoid" or "softmax", not "{n["output_activation"]}"',
            )
        if n["output_activation"] == "softmax" and self.training["loss"] != "log":
            raise self.err("training", "loss", 'a softmax output needs loss = "log" (cross-entropy)')
        if n["hidden_activation"] == "softmax":
            raise self.err("network", "hidden_activation", "softmax is for the output layer only")
        if "weights" in n:
            W = self._matrices(n["weights"], sizes)
        else:
            W = init_weights(sizes, n["init"], n.get("init_scale"), self.training["seed"])
        b = None
        if n["bias"]:
            b = self._biases(n["biases"], sizes) if "biases" in n else [np.zeros(k) for k in sizes[1:]]
        elif "biases" in n:
            raise self.err("network", "biases", "given, but bias = false; set bias = true to use them")
        return Network(sizes, W, n["hidden_activation"], n["output_activation"], b, n["train_bias"])

    def _matrices(self, W, sizes):
        want = ", ".join(f"{a}×{b}" for a, b in zip(sizes[:-1], sizes[1:]))
        if not isinstance(W, list) or len(W) != len(sizes) - 1:
            raise self.err(
                "network", "weights", f"expected {len(sizes) - 1} matrices ({want}) for sizes {sizes}"
            )
        out = []
        for l, (m, a, b) in enumerate(zip(W, sizes[:-1], sizes[1:])):
            ok = (
                isinstance(m, list)
                and len(m) == a
                and all(isinstance(r, list) and len(r) == b and all(_num(v) for v in r) for r in m)
            )
            if not ok:
                raise self.err(
                    "network",
                    "weights",
                    f"matrix {l} must be {a}×{b} numbers ({a} rows of {b}) for sizes {sizes}",
                )
            out.append(np.array(m, dtype=float))
        return out

    def _biases(self, B, sizes):
        if not isinstance(B, list) or len(B) != len(sizes) - 1:
            raise self.err("network", "biases", f"expected {len(sizes) - 1} vectors, of lengths {sizes[1:]}")
        out = []
        for l, (v, k) in enumerate(zip(B, sizes[1:])):
            if not (isinstance(v, list) and len(v) == k and all(_num(x) for x in v)):
                raise self.err("network", "biases", f"vector {l} must be {k} numbers")
            out.append(np.array(v, dtype=float))
        return out


def _first_not_01(v):
    return float(v[(v != 0) & (v != 1)][0])


def _where(src, section, key) -> str:
    sec = f"[{section}] " if section else ""
    return f"{src}: {sec}{key}: " if key else f"{src}: {sec}"


# ---- loading ---------------------------------------------------------------------------------
def builtin_names() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.toml"))


def builtin_list() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in scenario."""
    out = []
    for name in builtin_names():
        doc = tomllib.loads((scenarios_dir() / f"{name}.toml").read_text(encoding="utf-8"))
        out.append(
            (name, doc.get("description", "").strip().splitlines()[0] if doc.get("description") else "")
        )
    return out


def resolve(ref: str) -> Path:
    """A built-in name or a path → the TOML file's path."""
    p = Path(ref)
    if p.suffix == ".toml" or "/" in ref or files.exists(p):
        return p  # read through files, which names a missing file, a directory, a loop…
    b = scenarios_dir() / f"{ref}.toml"
    if b.is_file():
        return b
    raise ScenarioError(
        f"unknown scenario '{ref}'; built-in scenarios: {', '.join(builtin_names())} (or give a .toml path)"
    )


def load(ref: str) -> Scenario:
    path = resolve(ref)
    text = files.read_text(path, "scenario .toml file", error=ScenarioError)
    return from_text(text, path, name=path.stem)


def from_text(text: str, path: Path | None = None, name: str = "scenario") -> Scenario:
    src = path or name
    if not text.strip():
        raise ScenarioError(
            f"{src}: the file is empty; a scenario needs at least [network] sizes and a [data] source"
        )
    if "\x00" in text:
        raise ScenarioError(f"{src}: not a text file (it contains NUL bytes); expected TOML")
    doc = tomlio.loads(text, src, ScenarioError)
    sc = from_dict(doc, path, name)
    sc.text = text
    return sc


def from_dict(doc: dict, path: Path | None = None, name: str = "scenario") -> Scenario:
    """A Scenario from a parsed TOML document, checked against schema.py."""
    sections = schema.sections(doc, path or name)
    return Scenario(
        name=name,
        path=path,
        title=printable(doc.get("title", name)),
        description=printable(doc.get("description", ""), keep_newlines=True),
        network=sections["network"],
        training=sections["training"],
        data=sections["data"],
        doc=doc,
    )


def to_toml(doc: dict) -> str:
    """A scenario document as TOML, through the one TOML writer."""
    return tomlio.dumps(doc)
