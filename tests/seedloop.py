"""Seed 001's record loop, as printed: the reference the golden tests check bptui against and
the benchmarks time bptui against. Written once, here; benchmarks import it from tests/."""

import numpy as np


def seed_record_loop(features, targets, epochs=900, learnrate=0.005, n_hidden=2, history=False):
    """Seed 001's solution. Returns (weights_input_hidden, weights_hidden_output, losses):
    with history=True, losses holds the mean squared error over the whole set after every
    epoch (the seed printed it every 90 epochs); otherwise it is empty."""
    np.random.seed(21)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    n_records, n_features = features.shape
    wih = np.random.normal(scale=1 / n_features**0.5, size=(n_features, n_hidden))
    who = np.random.normal(scale=1 / n_features**0.5, size=n_hidden)
    losses = []
    for _ in range(epochs):
        dih = np.zeros(wih.shape)
        dho = np.zeros(who.shape)
        for x, y in zip(features, targets):
            ho = sigmoid(np.dot(x, wih))
            out = sigmoid(np.dot(ho, who))
            oet = (y - out) * out * (1 - out)
            het = np.dot(oet, who) * ho * (1 - ho)
            dho += oet * ho
            dih += het * x[:, None]
        wih += learnrate * dih / n_records
        who += learnrate * dho / n_records
        if history:
            out = sigmoid(np.dot(sigmoid(np.dot(features, wih)), who))
            losses.append(np.mean((out - targets) ** 2))
    return wih, who, losses
