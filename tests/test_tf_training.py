"""TF Playground's training rules against its own outputs (../shared/reference/tf-playground/
training.json: 36 cases run by TF's nn.ts, none / L2 / L1, batch sizes that leave a remainder,
every activation): weights, biases and dead links after 1, 2 and 20 epochs, to 1e-12."""

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from bptui.core.data import make
from bptui.core.network import Network
from bptui.core.trainer import Trainer

REF = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "tf-playground"


@cache
def cases() -> list:
    return json.loads((REF / "training.json").read_text())["cases"]


def tf_trainer(c, **rules) -> Trainer:
    """A trainer set up as TF: square error, biases, batches of batchSize, the records in
    the given order, the short last batch carried, L1 zeroing."""
    net = Network(c["sizes"], c["W"], c["hidden"], c["output"], c["b"])
    data = make(np.array(c["X"], dtype=float), np.array(c["Y"], dtype=float), ["x"] * c["sizes"][0])
    opts = {"last_batch": "carry", "l1": "zero", **rules}
    return Trainer(
        net, data, "square", c["lr"], "minibatch", c["batchSize"], reg=c["reg"], reg_rate=c["rate"], **opts
    )


@pytest.mark.parametrize("n", range(36))
def test_tf_training_case(n):
    c = cases()[n]
    tr = tf_trainer(c)
    done = 0
    for e in (1, 2, 20):
        tr.run(e - done)
        done = e
        want = c["after_epoch"][str(e)]
        for got, ref in zip(tr.net.W, want["W"]):
            np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)
        for got, ref in zip(tr.net.b, want["b"]):
            np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)
        assert sum(int(d.sum()) for d in tr.dead) == want["dead"]


def test_the_reference_covers_the_rules():
    cs = cases()
    assert {c["reg"] for c in cs} == {"none", "l1", "l2"}
    assert sum(len(c["X"]) % c["batchSize"] != 0 for c in cs) >= 10, "remainders"
    assert sum(c["after_epoch"]["20"]["dead"] for c in cs) > 0, "dead links"


def test_bptuis_own_rules_differ_where_tf_differs():
    """With bptui's rules (update the short last batch; L1 that shrinks across zero) the
    cases with a remainder or a dead link do not match TF."""
    for c in cases():
        short = len(c["X"]) % c["batchSize"] != 0
        tr = tf_trainer(c, last_batch="update") if short else tf_trainer(c, l1="shrink")
        if not short and not c["after_epoch"]["20"]["dead"]:
            continue
        tr.run(20)
        ref = c["after_epoch"]["20"]["W"]
        assert max(np.abs(w - np.array(r)).max() for w, r in zip(tr.net.W, ref)) > 1e-9


def test_l1_kills_the_issues_example():
    """1→1 net, w = 0.01, x = 0, η = 0.5, L1 rate 0.1: TF gives 0, 0, 0 (bptui's old rule
    −0.04, 0.01, −0.04), and the link is dead."""
    data = make(np.zeros((1, 1)), np.zeros((1, 1)), ["x"])
    for rule, want in (("zero", [0.0, 0.0, 0.0]), ("shrink", [-0.04, 0.01, -0.04])):
        net = Network([1, 1], [np.array([[0.01]])], "linear", "linear")
        tr = Trainer(net, data, "square", 0.5, "sgd", reg="l1", reg_rate=0.1, l1=rule)
        seen = []
        for _ in range(3):
            tr.step_epoch()
            seen.append(float(tr.net.W[0][0, 0]))
        np.testing.assert_allclose(seen, want, atol=1e-15)
        assert bool(tr.dead[0][0, 0]) == (rule == "zero")


def test_carry_with_7_records_and_batch_3():
    """TF: updates after records 3 and 6; record 7 waits and joins the next epoch's first
    batch (4 records)."""
    rs = np.random.RandomState(0)
    data = make(rs.normal(size=(7, 2)), rs.normal(size=(7, 1)), ["a", "b"])
    net = Network([2, 1], [rs.normal(size=(2, 1))], "tanh", "tanh", [np.zeros(1)])
    tr = Trainer(net, data, "square", 0.1, "minibatch", 3, last_batch="carry")
    tr.step_epoch()
    assert tr.epoch == 1 and tr.k == 1 and tr.i == 0, "record 7's derivatives carried"
    for _ in range(3):
        tr.step_record()
    assert tr.update_due() and tr.k == 4
    assert tr.step_update().k == 4


def test_shuffle_once_keeps_one_order_and_the_tf_scenarios_use_tfs_rules():
    from bptui.core import scenario

    tr = scenario.load("tf-xor").build()
    assert (tr.shuffle, tr.last_batch, tr.l1) == ("once", "carry", "zero")
    first = [tr.record_index(i) for i in range(tr.m)]
    assert first != list(range(tr.m))
    tr.run(3)
    assert [tr.record_index(i) for i in range(tr.m)] == first
    every = scenario.load("xor").build()
    order = [every.record_index(i) for i in range(every.m)]
    every.run(1)
    assert [every.record_index(i) for i in range(every.m)] != order, "bptui's xor reshuffles"
