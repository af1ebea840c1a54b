"""Backprop against central finite differences, on random architectures."""

import zlib

import numpy as np
import pytest

from bptui.core import gradcheck, losses
from bptui.core.network import Network

ACTS = ["sigmoid", "tanh", "relu", "linear"]


@pytest.mark.parametrize("hidden", ACTS)
@pytest.mark.parametrize("loss_name", ["mse", "log"])
@pytest.mark.parametrize("bias", [False, True])
def test_backprop_equals_finite_differences(hidden, loss_name, bias):
    rs = np.random.RandomState(zlib.crc32(f"{hidden}-{loss_name}-{bias}".encode()))
    for _ in range(6):
        depth = rs.randint(1, 4)
        sizes = [int(rs.randint(1, 5)) for _ in range(depth + 1)] + [int(rs.randint(1, 3))]
        W = [rs.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        b = [rs.normal(size=n) for n in sizes[1:]] if bias else None
        output = "sigmoid" if loss_name == "log" else rs.choice(ACTS)
        net = Network(sizes, W, hidden, output, b)
        x = rs.normal(size=sizes[0])
        y = (rs.uniform(size=sizes[-1]) > 0.5).astype(float)
        # keep ReLU units away from their kink, where the derivative is undefined
        if "relu" in (hidden, output):
            t = net.forward(x)
            if any((np.abs(h) < 0.05).any() for h in t.h):
                continue
        checks = gradcheck.check(net, x, y, losses.get(loss_name))
        assert len(checks) == len(W) + (len(b) if bias else 0)
        for c in checks:
            assert c.ok and c.max_rel_error < 1e-6, (sizes, c.name, c.backprop, c.numeric)


def test_gradcheck_catches_a_wrong_gradient():
    net = Network([2, 3, 1], [np.ones((2, 3)) * 0.3, np.ones((3, 1)) * -0.2])
    c = gradcheck.check(net, [0.5, -1.0], [1.0], losses.get("mse"))
    c[0].backprop[0, 0] *= 1.01
    assert c[0].max_rel_error > 1e-3 and not c[0].ok and c[0].passes.sum() == c[0].passes.size - 1


def _scaled_first_step(steps):
    def wrong(self, t):
        dW, db = steps(self, t)
        return [dW[0] * 1.01] + dW[1:], db

    return wrong


def _sign_flipped(steps):
    def wrong(self, t):
        dW, db = steps(self, t)
        return [-d for d in dW], db

    return wrong


def _no_hidden_fprime(backward):
    def wrong(self, t, Y, loss):
        t = backward(self, t, Y, loss)
        t.delta[0] = t.delta[1] @ self.W[1].T  # δ^h without f'(h)
        return t

    return wrong


@pytest.mark.parametrize(
    "method, mutate",
    [("steps", _scaled_first_step), ("steps", _sign_flipped), ("backward", _no_hidden_fprime)],
    ids=["one-weight-1%-off", "sign-flipped", "no-hidden-fprime"],
)
def test_gradcheck_catches_a_wrong_backprop(monkeypatch, method, mutate):
    """The backprop is made wrong before check() runs, as a bug in network.py would be."""
    rs = np.random.RandomState(3)
    net = Network([2, 3, 1], [rs.normal(size=(2, 3)), rs.normal(size=(3, 1))], "tanh", "sigmoid")
    args = ([0.5, -1.0], [1.0], losses.get("mse"))
    assert max(c.max_rel_error for c in gradcheck.check(net, *args)) < 1e-6  # right as it is
    monkeypatch.setattr(Network, method, mutate(getattr(Network, method)))
    assert max(c.max_rel_error for c in gradcheck.check(net, *args)) > 1e-3


def test_softmax_cross_entropy_gradients():
    rs = np.random.RandomState(11)
    for bias in (False, True):
        for _ in range(6):
            sizes = [int(rs.randint(1, 5)), int(rs.randint(1, 6)), int(rs.randint(2, 5))]
            W = [rs.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
            b = [rs.normal(size=n) for n in sizes[1:]] if bias else None
            net = Network(sizes, W, rs.choice(["tanh", "sigmoid"]), "softmax", b)
            y = np.eye(sizes[-1])[rs.randint(sizes[-1])]
            for c in gradcheck.check(net, rs.normal(size=sizes[0]), y, losses.get("xent")):
                assert c.ok, (sizes, c.name)
