"""Losses: the value bptui reports and the output error term δ^o.

Y and Yhat are (m, k) arrays. `value` is what the history and the seeds print: mse is the mean
of (y − ŷ)² over records and outputs; log is the mean over records of the summed cross-entropy.

`delta` is the seeds' output error term. For mse it is (y − ŷ)·f'(h), the negative gradient of
E = ½ Σ_k (y_k − ŷ_k)²; for log loss with a sigmoid output it is y − ŷ, the negative gradient
of the cross-entropy. `record(y, trace)` is that per-record objective E, which the gradient
check differentiates numerically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

EPS = 1e-16  # seed 003 clips ŷ to [eps, 1 − eps] before the log


def _mse_value(Y, Yhat):
    E = (Y - Yhat).ravel()
    return float(E @ E) / E.size


def _log_value(Y, Yhat):
    P = np.clip(Yhat, EPS, 1 - EPS)
    return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / len(Y))


def _mse_values(Y, Yhat, scratch=False):
    E = np.subtract(Yhat, Y, Yhat if scratch else None)
    return np.einsum("...ij,...ij->...", E, E) / (E.shape[-2] * E.shape[-1])


def _log_values(Y, Yhat, scratch=False):
    P = np.clip(Yhat, EPS, 1 - EPS)
    if np.all((Y == 0) | (Y == 1)):  # 0/1 targets: one log of the probability of the truth
        return -np.log(np.where(Y == 1, P, 1 - P)).sum(axis=(-2, -1)) / Y.shape[-2]
    return -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=(-2, -1)) / Y.shape[-2]


def _mse_record(y, trace):
    return 0.5 * float(np.sum((y - trace.yhat) ** 2))


def _log_record(y, trace):
    # from the output's input z, ŷ = σ(z): −y log ŷ − (1 − y) log(1 − ŷ) = log(1 + eᶻ) − y z,
    # exact even where ŷ rounds to 1
    z = trace.h[-1]
    return float(np.sum(np.logaddexp(0.0, z) - y * z))


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    record: Callable[[np.ndarray, object], float]  # (y, Trace) → E
    uses_fprime: bool  # δ^o includes f'(h) of the output layer
    # value over a stack (E, m, k); values(Y, Yhat, scratch=True) may overwrite Yhat
    values: Callable[..., np.ndarray]
    dyhat: Callable[[np.ndarray, np.ndarray], np.ndarray]  # ∂E/∂ŷ of `record`, for the chain rule
    dyhat_text: str  # that derivative written out


def _xent_value(Y, Yhat):
    return float(-np.sum(Y * np.log(np.clip(Yhat, EPS, 1.0))) / len(Y))


def _xent_values(Y, Yhat, scratch=False):
    return -np.sum(Y * np.log(np.clip(Yhat, EPS, 1.0)), axis=(-2, -1)) / Y.shape[-2]


def _xent_record(y, trace):
    # −Σ y log softmax(z) = logsumexp(z)·Σy − y·z, exact for large |z|
    z = trace.h[-1]
    m = z.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
    return float(np.sum(lse * y.sum(axis=-1, keepdims=True)) - np.sum(y * z))


def _mse_dyhat(y, yhat):
    return yhat - y


def _log_dyhat(y, yhat):
    return (yhat - y) / (yhat * (1.0 - yhat))


def _xent_dyhat(y, yhat):
    return -y / yhat


def _square_value(Y, Yhat):
    return 0.5 * _mse_value(Y, Yhat) * Y.shape[-1]


def _square_values(Y, Yhat, scratch=False):
    return 0.5 * _mse_values(Y, Yhat, scratch) * Y.shape[-1]


LOSSES = {
    "mse": Loss("mse", _mse_value, _mse_record, True, _mse_values, _mse_dyhat, "ŷ − y"),
    # TF Playground's Errors.SQUARE: E = ½ Σ (ŷ − y)², reported as its mean over records (TF's
    # loss); the same δ^o as mse, whose reported value is twice this for one output
    "square": Loss("square", _square_value, _mse_record, True, _square_values, _mse_dyhat, "ŷ − y"),
    "log": Loss("log", _log_value, _log_record, False, _log_values, _log_dyhat, "(ŷ − y)/(ŷ(1 − ŷ))"),
    # log loss over a softmax output: categorical cross-entropy, δ^o = y − ŷ as well
    "xent": Loss("log", _xent_value, _xent_record, False, _xent_values, _xent_dyhat, "−y/ŷ"),
}


def get(name: str) -> Loss:
    return LOSSES[name]


def delta(loss: Loss, Y, Yhat, fprime) -> np.ndarray:
    """δ^o, shape (m, k). `fprime` is f'(h) of the output layer (ignored for log loss)."""
    err = Y - Yhat
    return err * fprime if loss.uses_fprime else err
