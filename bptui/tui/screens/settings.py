"""The settings screen: TF Playground's knobs. Dismisses with the edits to the scenario
(a dict of section → {key: value}) or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from ...core import patterns
from ...core.data import FEATURES
from ...core.scenario import Scenario
from ...core.settings import ETAS, REG_RATES, losses_for
from ..style import palette

ACTS = ["sigmoid", "tanh", "relu", "linear"]
FEATURE_IDS = {
    "x1": "x1",
    "x2": "x2",
    "x1^2": "x1sq",
    "x2^2": "x2sq",
    "x1*x2": "x1x2",
    "sin(x1)": "sinx1",
    "sin(x2)": "sinx2",
}


def _row(label: str, widget) -> Horizontal:
    return Horizontal(Static(label, classes="set-label"), widget, classes="set-row")


class SettingsScreen(ModalScreen[dict | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, sc: Scenario, eta: float):
        super().__init__()
        self.sc, self.eta = sc, eta
        self.pattern = "pattern" in sc.data

    def compose(self) -> ComposeResult:
        sc, d, n, t = self.sc, self.sc.data, self.sc.network, self.sc.training
        etas = sorted({*ETAS, self.eta})
        with VerticalScroll(id="settings-box"):
            yield Static(Text(f"Settings · {sc.title}", style="bold"))
            yield Static(
                Text(
                    "η and regularisation keep the weights; the rest builds the network again from the "
                    "scenario's seed (the same seed, so the same start).",
                    style=palette(self.app).dim,
                )  # fmt: skip
            )
            if self.pattern:
                yield Static(Text("Data", style="bold"))
                yield _row(
                    "pattern",
                    Select(
                        [(p, p) for p in patterns.names()],
                        value=d["pattern"],
                        allow_blank=False,
                        id="pattern",
                    ),
                )
                yield _row("noise %", Input(str(round(100 * d["noise"])), id="noise"))
                yield _row("samples", Input(str(d["samples"]), id="samples"))
                yield _row("train %", Input(str(round(100 * (1 - d["test_fraction"]))), id="train"))
                yield _row("", Checkbox("draw new data (next data seed)", id="regenerate"))
                yield Static(Text("Input features", style="bold"))
                feats = d.get("features", ["x1", "x2"])
                with Horizontal(id="features"):
                    for f in FEATURES:
                        yield Checkbox(f, value=f in feats, id="f-" + FEATURE_IDS[f])
            yield Static(Text("Network", style="bold"))
            hidden = ", ".join(str(k) for k in n["sizes"][1:-1])
            yield _row(
                "hidden layers", Input(hidden, placeholder="e.g. 4, 2 (0–6 layers of 1–16)", id="hidden")
            )
            yield _row(
                "activation",
                Select(
                    [(a, a) for a in ACTS], value=n["hidden_activation"], allow_blank=False, id="activation"
                ),
            )
            yield Static(Text("Training", style="bold"))
            out = n["output_activation"]
            losses = [(x, x) for x in losses_for(out)]
            yield _row("loss", Select(losses, value=t["loss"], allow_blank=False, id="loss"))
            yield _row(
                "learning rate",
                Select([(f"{e:g}", e) for e in etas], value=self.eta, allow_blank=False, id="eta"),
            )
            yield _row(
                "update",
                Select(
                    [(m, m) for m in ("batch", "sgd", "minibatch")],
                    value=t["update"],
                    allow_blank=False,
                    id="update",
                ),
            )
            yield _row("batch size", Input(str(t["batch_size"]), id="batch"))
            yield _row(
                "regularisation",
                Select(
                    [(r, r) for r in ("none", "l1", "l2")],
                    value=t["regularization"],
                    allow_blank=False,
                    id="reg",
                ),
            )
            rr = sorted({*REG_RATES, t["regularization_rate"]})
            yield _row(
                "rate",
                Select(
                    [(f"{r:g}", r) for r in rr],
                    value=t["regularization_rate"],
                    allow_blank=False,
                    id="reg-rate",
                ),
            )
            yield Static("", id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        try:
            self.dismiss(self.edits())
        except ValueError as exc:
            self.query_one("#settings-error", Static).update(Text(str(exc), style=palette(self.app).bad))

    def _int(self, wid: str, lo: int, hi: int, what: str) -> int:
        raw = self.query_one(f"#{wid}", Input).value.strip()
        try:
            v = int(raw)
        except ValueError:
            raise ValueError(f"{what}: '{raw}' is not a whole number") from None
        if not lo <= v <= hi:
            raise ValueError(f"{what}: {v} is outside {lo}–{hi}")
        return v

    def edits(self) -> dict:
        """The changes, by section; raises ValueError with a one-line reason."""
        q = self.query_one
        raw = q("#hidden", Input).value.replace(" ", "")
        try:
            hidden = [int(x) for x in raw.split(",")] if raw else []
        except ValueError:
            raise ValueError(f"hidden layers: '{raw}' is not a list like 4, 2") from None
        if len(hidden) > 6 or any(not 1 <= k <= 16 for k in hidden):
            raise ValueError("hidden layers: 0 to 6 layers of 1 to 16 units")
        net = {"hidden": hidden, "hidden_activation": q("#activation", Select).value}
        tr = {
            "loss": q("#loss", Select).value,
            "learning_rate": float(q("#eta", Select).value),
            "update": q("#update", Select).value,
            "batch_size": self._int("batch", 1, 100_000, "batch size"),
            "regularization": q("#reg", Select).value,
            "regularization_rate": float(q("#reg-rate", Select).value),
        }
        out = {"network": net, "training": tr, "data": {}}
        if self.pattern:
            feats = [f for f in FEATURES if q("#f-" + FEATURE_IDS[f], Checkbox).value]
            if not feats:
                raise ValueError("input features: choose at least one")
            out["data"] = {
                "pattern": q("#pattern", Select).value,
                "noise": self._int("noise", 0, 50, "noise %") / 100,
                "samples": self._int("samples", 10, 100_000, "samples"),
                "test_fraction": round(1 - self._int("train", 10, 90, "train %") / 100, 4),
                "features": feats,
                "regenerate": q("#regenerate", Checkbox).value,
            }
        return out
