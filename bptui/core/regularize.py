"""Regularisation in an update: what a penalty takes off the weights (biases are never
regularised), and TF Playground's L1 rule that sets a weight crossing zero to 0 for good."""

from __future__ import annotations

import numpy as np


def penalty(w: np.ndarray, reg: str, eta: float, rate: float) -> np.ndarray | float:
    """What regularisation takes off a weight in one update: η·λ·sign(w) (L1) or η·λ·w (L2) —
    the descent step of λ|w| or λw²/2; 0 for reg "none"."""
    if reg == "l1":
        return eta * rate * np.sign(w)
    if reg == "l2":
        return eta * rate * w
    return 0.0


def l1_zero(W_old: list, dW: list, dead: list, c: float, rate: float) -> tuple[list, list]:
    """TF's L1 update (rate = η·λ, c = η/k): the gradient step w + c·ΔW, then
    w −= η·λ·sign(w_old) (sign 0 = +1); a weight that this carries across zero becomes exactly
    0 and its link dead; dead links are never updated again. Returns (W, dead)."""
    W, now_dead = [], []
    for w, d, gone in zip(W_old, dW, dead):
        g = w + c * d
        new = g - rate * np.where(w < 0, -1.0, 1.0)
        crossed = (g * new < 0) & ~gone
        W.append(np.where(gone | crossed, 0.0, new))
        now_dead.append(gone | crossed)
    return W, now_dead
