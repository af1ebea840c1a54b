"""The chain rule's sum over paths against backprop's δ form and the finite difference."""

import itertools
import zlib

import numpy as np
import pytest

from bptui.core import chainrule, losses
from bptui.core import scenario as scen
from bptui.core.network import Network

ACTS = ["sigmoid", "tanh", "relu", "linear"]
# every (output activation, loss) pair a scenario allows
OUTPUTS = [(f, "mse") for f in ACTS] + [("sigmoid", "log"), ("softmax", "xent")]


def random_net(rs, hidden, output, bias):
    depth = rs.randint(1, 4)
    sizes = [int(rs.randint(1, 4)) for _ in range(depth + 1)]
    sizes.append(int(rs.randint(2, 4)) if output == "softmax" else int(rs.randint(1, 3)))
    W = [rs.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    b = [rs.normal(size=n) for n in sizes[1:]] if bias else None
    return Network(sizes, W, hidden, output, b)


def away_from_kinks(net, x) -> bool:
    return all((np.abs(h) > 0.05).all() for h in net.forward(x).h)


@pytest.mark.parametrize("hidden", ACTS)
@pytest.mark.parametrize(("output", "loss_name"), OUTPUTS)
def test_three_routes_agree_on_random_nets(hidden, output, loss_name):
    rs = np.random.RandomState(zlib.crc32(f"{hidden}-{output}-{loss_name}".encode()))
    loss = losses.get(loss_name)
    checked = 0
    while checked < 4:
        net = random_net(rs, hidden, output, bias=bool(rs.randint(2)))
        x = rs.normal(size=net.sizes[0])
        if output == "softmax":
            y = np.eye(net.sizes[-1])[rs.randint(net.sizes[-1])]
        else:
            y = (rs.uniform(size=net.sizes[-1]) > 0.5).astype(float)
        if "relu" in (hidden, output) and not away_from_kinks(net, x):
            continue  # the derivative is undefined at ReLU's kink
        checked += 1
        keys = [("W", l, i, j) for l, W in enumerate(net.W) for i, j in np.ndindex(W.shape)]
        keys += [("b", l, -1, j) for l in range(net.L) for j in range(net.sizes[l + 1])] if net.b else []
        for key in keys:
            c = chainrule.chain_rule(net, x, y, loss, *key, keep=10**6)
            assert c.n_paths == chainrule.n_paths(net, key[1]) == len(c.paths)
            # the listed paths' products are the products of their factors, and sum to the total
            for p in c.paths:
                assert np.isclose(np.prod([f.value for f in p.factors]), p.value, rtol=1e-12, atol=1e-300)
            assert np.isclose(sum(p.value for p in c.paths), c.total, rtol=1e-12, atol=1e-15)
            assert c.rel_error(c.delta_form) < 1e-9, (net.sizes, key, c.total, c.delta_form)
            if abs(c.total) > 1e-9:
                assert c.rel_error(c.numeric) < 1e-6, (net.sizes, key, c.total, c.numeric)
            else:
                assert abs(c.numeric) < 1e-9


def test_paths_of_a_deeper_net_are_every_unit_choice():
    net = Network([2, 3, 2, 1], [np.full((2, 3), 0.3), np.full((3, 2), -0.2), np.full((2, 1), 0.5)])
    c = chainrule.chain_rule(net, [0.5, -1.0], [1.0], losses.get("mse"), "W", 0, 1, 2)
    assert c.n_paths == 2
    assert sorted(p.units for p in c.paths) == [(2, 0, 0), (2, 1, 0)]
    kinds = [f.kind for f in c.paths[0].factors]
    assert kinds == ["loss", "slope", "weight", "slope", "weight", "slope", "input"]
    c = chainrule.chain_rule(net, [0.5, -1.0], [1.0], losses.get("mse"), "W", 1, 0, 0)
    assert c.n_paths == 1


def test_softmax_paths_go_through_every_output():
    net = Network([2, 2, 3], [np.eye(2) * 0.5, np.arange(6.0).reshape(2, 3) / 10], "tanh", "softmax")
    c = chainrule.chain_rule(net, [1.0, 2.0], [0, 1, 0], losses.get("xent"), "W", 0, 0, 1, keep=100)
    assert c.n_paths == 9
    assert {p.units for p in c.paths} == {(1, k, o) for k, o in itertools.product(range(3), range(3))}
    assert c.rel_error(c.delta_form) < 1e-12


def test_worked_example_numbers():
    tr = scen.load("worked-example").build()
    c = chainrule.chain_rule(tr.net, tr.data.X[0], tr.data.y[0], tr.loss, "W", 0, 0, 0)
    # seed 004: δ^h = 0.00305 and x₁ = 0.1, so ∂E/∂w₁ = −0.000305
    assert [round(f.value, 4) for f in c.paths[0].factors] == [-0.4876, 0.2498, 0.1, 0.25, 0.1]
    assert round(c.total, 7) == -0.0003046
    assert c.delta == pytest.approx(0.0030455, abs=1e-7)


def test_a_wrong_factor_would_show():
    """The check is not vacuous: a slope off by 1 % breaks the agreement with δ·a."""
    net = Network([2, 2, 1], [np.full((2, 2), 0.4), np.full((2, 1), -0.3)])
    c = chainrule.chain_rule(net, [0.5, 0.2], [1.0], losses.get("mse"), "W", 0, 0, 0)
    assert c.rel_error(c.delta_form * 1.01) > 1e-3
