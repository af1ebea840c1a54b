"""The loss landscape of two weights: the training loss over a grid of their values, every
other weight and bias held at its current value, and the path training took through them.

A weight is named by a key (kind, l, i, j): ("W", l, i, j) is W[l][i, j], ("b", l, −1, j)
is b[l][j]. The grid's loss is the history's train loss (`loss.values` over the whole
training set), so at the current weights it is the number the loss plot shows.

Shapes: u (nu,) values of the first weight (x axis), v (nv,) of the second (y axis),
Z (nv, nu) the loss at (u[c], v[r]) in Z[r, c]; path (p, 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .trainer import Trainer

CHUNK = 4 * 2**20  # floats per stacked forward pass


@dataclass
class Landscape:
    keys: tuple  # the two weights' keys
    u: np.ndarray
    v: np.ndarray
    Z: np.ndarray
    now: tuple[float, float]  # the two weights' current values
    loss_now: float  # the loss at the current weights
    path: np.ndarray  # their values along training, oldest first, ending at `now`


def value(tr: Trainer, key, W=None, b=None) -> float:
    kind, l, i, j = key
    W, b = (tr.net.W, tr.net.b) if W is None else (W, b)
    return float(W[l][i, j] if kind == "W" else b[l][j])


def moved(tr: Trainer, keys: list) -> list:
    """The keys ordered by how far their weight moved since the oldest step kept, most first;
    a tie (before any step, nothing has moved) by the steepness of the train loss along the
    weight at the current weights, |∂loss/∂w| over the whole training set, steepest first;
    then as given. So the landscape opens on weights whose loss changes: the worked example
    before a step on W and w₂, not on w₁ and w₂, whose landscape is flat."""
    snaps = tr.snapshots()
    grad = gradient(tr)
    far = {k: abs(value(tr, k) - value(tr, k, snaps[0].W, snaps[0].b)) if snaps else 0.0 for k in keys}
    return sorted(keys, key=lambda k: (-far[k], -abs(value(tr, k, *grad))))


def gradient(tr: Trainer):
    """(ΣδaᵀW per layer, Σδ per layer) over the whole training set at the current weights: the
    train loss's gradient up to its sign and scale (δ = −∂E/∂(unit input))."""
    t = tr.net.backward(tr.net.forward(tr.data.X), tr.data.y, tr.loss)
    return tr.net.steps(t)


def path(tr: Trainer, keys) -> np.ndarray:
    """The two weights at each step kept for step-back, then now; repeats dropped."""
    pts = [(value(tr, keys[0], s.W, s.b), value(tr, keys[1], s.W, s.b)) for s in tr.snapshots()]
    pts.append((value(tr, keys[0]), value(tr, keys[1])))
    P = np.array(pts, dtype=float)
    keep = np.ones(len(P), bool)
    keep[1:] = np.any(P[1:] != P[:-1], axis=1)
    return P[keep]


def window(tr: Trainer, keys, P: np.ndarray | None = None) -> tuple[float, float, float, float]:
    """(centre u, half-width u, centre v, half-width v): centred on now, the path filling
    two thirds of each axis, and at least 0.25 + a quarter of the weight either side."""
    P = path(tr, keys) if P is None else P
    now = P[-1]
    span = np.maximum(1.5 * np.abs(P - now).max(axis=0), 0.25 + 0.25 * np.abs(now))
    return float(now[0]), float(span[0]), float(now[1]), float(span[1])


def axis(centre: float, half: float, n: int) -> np.ndarray:
    """n values (n odd) from centre − half to centre + half; the middle one is centre exactly."""
    n = n | 1
    return centre + half * np.linspace(-1.0, 1.0, n)


def landscape(tr: Trainer, keys, nu: int = 41, nv: int = 41, win=None) -> Landscape:
    """The train loss over an nu × nv grid of the two weights (`win` as from `window`)."""
    if keys[0] == keys[1]:
        raise ValueError("pick two different weights")
    P = path(tr, keys)
    cu, su, cv, sv = window(tr, keys, P) if win is None else win
    u, v = axis(cu, su, nu), axis(cv, sv, nv)
    U, V = np.meshgrid(u, v)
    Z = losses_at(tr, keys, np.column_stack([U.ravel(), V.ravel()])).reshape(len(v), len(u))
    now = (value(tr, keys[0]), value(tr, keys[1]))
    loss_now = float(losses_at(tr, keys, np.array([now]))[0])
    return Landscape(tuple(keys), u, v, Z, now, loss_now, P)


def losses_at(tr: Trainer, keys, vals: np.ndarray) -> np.ndarray:
    """The train loss with the two weights set to each row of vals (E, 2), the rest as now:
    one forward pass over the stacked networks (layers before the first changed one once)."""
    net, X = tr.net, tr.data.X
    first = min(k[1] for k in keys)
    A0 = X
    with np.errstate(all="ignore"):
        for l in range(first):
            A0 = net.acts[l].f(A0 @ net.W[l] + (net.b[l] if net.b is not None else 0.0))
        per = max(1, CHUNK // (len(X) * max(net.sizes)))
        out = [_stacked(tr, keys, vals[s : s + per], A0, first) for s in range(0, len(vals), per)]
    return np.concatenate(out) if out else np.empty(0)


def _stacked(tr: Trainer, keys, vals: np.ndarray, A0: np.ndarray, first: int) -> np.ndarray:
    """Layer by layer from A0 (m, n): h = a·W + b at the current weights; a changed weight
    adds (its value − now)·a_i to column j (a bias: to every record's h_j). In a hidden layer
    whose changed weights reach only some units, A stays shared (1, m, n) and D (E, m, |J|)
    holds those units' change at each grid point, which the next layer adds as D·W[J]."""
    net, E = tr.net, len(vals)
    A, D, cols = A0[None], None, []
    for l in range(first, net.L):
        f = net.acts[l]
        mine = [(c, k) for c, k in enumerate(keys) if k[1] == l]
        if D is not None and mine:  # this layer's weights read every a: spell A out
            A = np.repeat(A, E, axis=0)
            A[..., cols] += D
            D = None
        H = (A.reshape(-1, A.shape[-1]) @ net.W[l]).reshape(*A.shape[:-1], -1)
        if net.b is not None:
            H += net.b[l]
        if D is not None:
            H = H + D @ net.W[l][cols, :]
            D = None
        if not mine:
            A = f.f(H)
            continue
        cols = sorted({k[3] for _, k in mine})
        part = H.shape[0] == 1 and l < net.L - 1 and f.name != "softmax" and len(cols) < H.shape[-1]
        Hc = np.repeat(H[..., cols] if part else H, E, axis=0) if H.shape[0] == 1 else H
        for c, (kind, _, i, j) in mine:
            d = vals[:, c] - value(tr, keys[c])
            Hc[..., cols.index(j) if part else j] += d[:, None] * (A[..., i] if kind == "W" else 1.0)
        if part:
            A = f.f(H)
            D = f.f(Hc) - A[..., cols]
        else:
            A = f.f(Hc)
    return tr.loss.values(tr.data.y, np.broadcast_to(A, (E, *A.shape[1:])))
