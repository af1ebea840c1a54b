"""What a step of the trainer did (Step, for display) and what it changed (State, a snapshot:
restoring one undoes the step)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Trace


@dataclass
class Step:
    """What the last step did, for display. kind: record | update | epoch."""

    kind: str
    epoch: int  # the epoch the step belonged to (0-based)
    position: int = 0  # records of that epoch stepped after it
    record: int | None = None  # index of the record in the training set
    trace: Trace | None = None  # record: the forward and backward pass
    y: np.ndarray | None = None
    dW: list | None = None  # record: its own δ a; update: the step η ΔW / k applied
    db: list | None = None
    W_old: list | None = None  # update: the weights before it
    b_old: list | None = None
    k: int = 0  # update: records in the step
    records: int = 0  # epoch: records stepped
    updates: int = 0  # epoch: updates applied


@dataclass
class State:
    """Everything a step changes; restoring one undoes the step."""

    W: list
    b: list | None
    dW: list
    db: list | None
    k: int
    epoch: int
    i: int
    last: Step | None
    diverged: bool
    dead: list | None = None  # L1 "zero": the links that rule has killed
