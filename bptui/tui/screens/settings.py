"""The settings screen: TF Playground's knobs. The option lists and limits are core's
(core/settings.py); the screen dismisses with the edits to the scenario (a dict of
section → {key: value}) or None when cancelled. The first field has the focus, Enter in a
text field applies, and Apply/Cancel stay in view below the scrolling fields."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from ...core import patterns
from ...core import settings as S
from ...core.scenario import Scenario
from ...teach.notation import eta_text
from ..widgets.painted import Painted

FEATURE_IDS = {"x1": "x1", "x2": "x2", "x1^2": "x1sq", "x2^2": "x2sq", "x1*x2": "x1x2"}
FEATURE_IDS |= {"sin(x1)": "sinx1", "sin(x2)": "sinx2"}
UPDATE_LABELS = {
    "batch": "batch: every epoch",
    "sgd": "sgd: every record",
    "minibatch": "minibatch: every batch",
}


def _row(label: str, widget) -> Horizontal:
    return Horizontal(Static(label, classes="set-label"), widget, classes="set-row")


def _select(wid: str, options, value, label=str) -> Select:
    return Select([(label(o), o) for o in options], value=value, allow_blank=False, id=wid)


def _section(title: str) -> Static:
    return Static(Text(title, style="bold"), classes="set-section")


class SettingsScreen(ModalScreen[dict | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel"), Binding("ctrl+s", "apply", "apply")]

    def __init__(self, sc: Scenario, eta: float):
        super().__init__()
        self.sc, self.eta = sc, eta
        self.pattern = "pattern" in sc.data

    def compose(self) -> ComposeResult:
        with Vertical(id="settings-box"):
            yield Static(Text(f"Settings · {self.sc.title}", style="bold"))
            with VerticalScroll(id="settings-fields"):
                yield from self._network_fields()
                yield from self._training_fields()
                if self.pattern:
                    yield from self._data_fields()
            yield Painted(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")
                hint = "enter applies · escape cancels · η and regularisation keep the weights"
                yield Painted(lambda pal: Text(hint, style=pal.dim), id="settings-hint")

    def _network_fields(self) -> ComposeResult:
        n = self.sc.network
        yield _section("Network (a change builds it again from the scenario's seed: the same start)")
        hidden = ", ".join(str(k) for k in n["sizes"][1:-1])
        units = S.LIMITS["units"]
        hint = f"e.g. 4, 4: up to {S.LIMITS['hidden_layers'].hi} layers of {units.lo}–{units.hi} units"
        yield _row("units per hidden layer", Input(hidden, placeholder=hint, id="hidden"))
        yield _row("hidden activation", _select("activation", S.HIDDEN_ACTIVATIONS, n["hidden_activation"]))

    def _training_fields(self) -> ComposeResult:
        t = self.sc.training
        yield _section("Training")
        yield _row("loss", _select("loss", S.losses_for(self.sc.network["output_activation"]), t["loss"]))
        etas = S.with_current(S.ETAS, self.eta)
        yield _row("learning rate η", _select("eta", etas, self.eta, eta_text))
        yield _row(
            "update after", _select("update", S.UPDATES, t["update"], lambda m: UPDATE_LABELS.get(m, m))
        )
        yield _row("batch size (minibatch)", Input(str(t["batch_size"]), id="batch"))
        yield _row("regularisation", _select("reg", S.REGULARIZATIONS, t["regularization"]))
        rates = S.with_current(S.REG_RATES, t["regularization_rate"])
        yield _row(
            "regularisation rate", _select("reg-rate", rates, t["regularization_rate"], lambda r: f"{r:g}")
        )

    def _data_fields(self) -> ComposeResult:
        d = self.sc.data
        yield _section("Data")
        yield _row("pattern", _select("pattern", patterns.names(), d["pattern"]))
        yield _row("noise %", Input(str(round(100 * d["noise"])), id="noise"))
        yield _row("samples", Input(str(d["samples"]), id="samples"))
        yield _row("train %", Input(str(round(100 * (1 - d["test_fraction"]))), id="train"))
        yield _row("", Checkbox("draw new data (next data seed)", id="regenerate"))
        yield _section("Input features")
        feats = d.get("features", ["x1", "x2"])
        with Horizontal(id="features"):
            for f in S.INPUT_FEATURES:
                yield Checkbox(f, value=f in feats, id="f-" + FEATURE_IDS[f])

    def on_mount(self) -> None:
        self.query_one("#hidden", Input).focus()  # the first field

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.action_apply()

    def action_apply(self) -> None:
        try:
            self.dismiss(self.edits())
        except ValueError as exc:
            said = str(exc)  # exc is gone after the except block; the paint runs again on a theme switch
            self.query_one("#settings-error", Painted).repaint(lambda pal: Text(said, style=pal.bad))

    def _int(self, wid: str, limit: str) -> int:
        return S.LIMITS[limit].parse(self.query_one(f"#{wid}", Input).value)

    def edits(self) -> dict:
        """The changes, by section; raises ValueError with a one-line reason."""
        q = self.query_one
        net = {
            "hidden": S.parse_hidden(q("#hidden", Input).value),
            "hidden_activation": q("#activation", Select).value,
        }
        tr = {
            "loss": q("#loss", Select).value,
            "learning_rate": float(q("#eta", Select).value),
            "update": q("#update", Select).value,
            "batch_size": self._int("batch", "batch_size"),
            "regularization": q("#reg", Select).value,
            "regularization_rate": float(q("#reg-rate", Select).value),
        }
        out = {"network": net, "training": tr, "data": {}}
        if self.pattern:
            feats = [f for f in S.INPUT_FEATURES if q("#f-" + FEATURE_IDS[f], Checkbox).value]
            if not feats:
                raise ValueError("input features: choose at least one")
            out["data"] = {
                "pattern": q("#pattern", Select).value,
                "noise": self._int("noise", "noise") / 100,
                "samples": self._int("samples", "samples"),
                "test_fraction": round(1 - self._int("train", "train_percent") / 100, 4),
                "features": feats,
                "regenerate": q("#regenerate", Checkbox).value,
            }
        return out
