"""Activation functions f and their derivatives f'.

`df(h, a)` takes both the input h and the output a = f(h), so sigmoid and tanh can use the
cheap forms the seeds use: σ'(h) = a(1 − a), tanh'(h) = 1 − a².
`f(h, out=h)` computes in place. `mul_df(d, h, a, tmp)` multiplies δ by f'(h) in place, with
`tmp` (shaped like d) as scratch: the training loop's allocation-free form of δ · f'(h).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Activation:
    name: str
    symbol: str  # how formulas write f
    f: Callable[..., np.ndarray]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    df_text: str  # f'(h) written with a, for formulas
    mul_df: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]


# The training loop calls these every epoch on small arrays, where a NumPy call costs more
# than its arithmetic: constants are arrays (NumPy converts a Python float on every call), `out`
# is positional, and the ufuncs are names of this module (`np.exp` looks `exp` up each call).
ONE, ZERO = np.array(1.0), np.array(0.0)
add, exp, greater, maximum = np.add, np.exp, np.greater, np.maximum
multiply, negative, reciprocal, subtract, tanh = np.multiply, np.negative, np.reciprocal, np.subtract, np.tanh


def _sigmoid(h, out=None):
    a = negative(h, out)  # 1 / (1 + e^(−h)), in one buffer
    exp(a, a)
    add(a, ONE, a)
    return reciprocal(a, a)


def _tanh(h, out=None):
    return tanh(h, out)


def _relu(h, out=None):
    return maximum(h, ZERO, out=out)  # (positional `out` is deprecated for maximum)


def _linear(h, out=None):
    if out is None or out is h:
        return h
    out[...] = h
    return out


def _softmax(h, out=None):
    e = np.exp(h - h.max(axis=-1, keepdims=True))
    e /= e.sum(axis=-1, keepdims=True)
    if out is not None:
        out[...] = e
        return out
    return e


def _sigmoid_mul_df(d, h, a, tmp):
    multiply(d, a, d)  # (δ a)(1 − a), in the seeds' order
    subtract(ONE, a, tmp)
    multiply(d, tmp, d)


def _tanh_mul_df(d, h, a, tmp):
    multiply(a, a, tmp)
    subtract(ONE, tmp, tmp)
    multiply(d, tmp, d)


def _relu_mul_df(d, h, a, tmp):
    greater(h, ZERO, tmp)
    multiply(d, tmp, d)


def _linear_mul_df(d, h, a, tmp):
    pass


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", "σ", _sigmoid, lambda h, a: a * (1.0 - a), "a(1 − a)", _sigmoid_mul_df),
    "tanh": Activation("tanh", "tanh", _tanh, lambda h, a: 1.0 - a * a, "1 − a²", _tanh_mul_df),
    "relu": Activation("relu", "relu", _relu, lambda h, a: (h > 0).astype(float), "[h > 0]", _relu_mul_df),
    "linear": Activation("linear", "id", _linear, lambda h, a: np.ones_like(h), "1", _linear_mul_df),
    # output layer only, with log loss (δ^o = y − ŷ); df is the Jacobian's diagonal, for display
    "softmax": Activation(
        "softmax", "softmax", _softmax, lambda h, a: a * (1.0 - a), "a(1 − a)", _sigmoid_mul_df
    ),
}


def get(name: str) -> Activation:
    return ACTIVATIONS[name]
