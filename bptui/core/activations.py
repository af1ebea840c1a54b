"""Activation functions f and their derivatives f'.

`df(h, a)` takes both the input h and the output a = f(h), so sigmoid and tanh can use the
cheap forms the seeds use: σ'(h) = a(1 − a), tanh'(h) = 1 − a².
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Activation:
    name: str
    symbol: str  # how formulas write f
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    df_text: str  # f'(h) written with a, for formulas


def _sigmoid(h):
    a = np.negative(h)  # 1 / (1 + e^(−h)), in one buffer
    np.exp(a, out=a)
    a += 1.0
    return np.reciprocal(a, out=a)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", "σ", _sigmoid, lambda h, a: a * (1.0 - a), "a(1 − a)"),
    "tanh": Activation("tanh", "tanh", np.tanh, lambda h, a: 1.0 - a * a, "1 − a²"),
    "relu": Activation(
        "relu", "relu", lambda h: np.maximum(h, 0.0), lambda h, a: (h > 0).astype(float), "[h > 0]"
    ),
    "linear": Activation("linear", "id", lambda h: h, lambda h, a: np.ones_like(h), "1"),
}


def get(name: str) -> Activation:
    return ACTIVATIONS[name]
