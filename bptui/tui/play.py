"""Play: epochs at a chosen speed, in time-bounded slices, so a key is answered between them.

The rated speeds tick on a timer and train what the clock owes; max speed (and run to end)
chains one slice right after each paint. The cycle (a slice, then the screen) aims at FRAME:
a slice fills what the screen leaves of it, but is never shorter than what the screen took
(TRAIN_SHARE: so training keeps half the time however slow the screen) and never longer
than SLICE_MAX, so a pause lands within a slice and a paint. The player knows nothing of the
screen: it trains, then calls `on_frame`; when it stops by itself it calls `on_end` with the
reason: "target" (play reached its target epoch), "end" (run to end did) or "diverged".

While playing, the heap as it stood at the start (the app, its screens, the data: some 75,000
objects) is frozen out of Python's cyclic garbage collector (`gc.freeze`, undone at stop): a
full collection would scan them all, taking 50-150 ms in one frame; play's own garbage is still
collected as it comes.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

from textual.dom import DOMNode

from ..core.trainer import Trainer

SPEEDS = [("1 epoch/s", 1.0), ("10 epochs/s", 10.0), ("100 epochs/s", 100.0), ("max speed", None)]
DEFAULT_SPEED = 1  # 10 epochs/s: a pace a class can watch
TICK = 1 / 30  # rated speeds: the timer period
FRAME = 1 / 30  # max speed: the cycle (train, then paint) aims at this period
TRAIN_SHARE = 1.0  # a slice is at least this fraction of the time the screen took
SLICE_MIN, SLICE_MAX = 0.008, 0.03  # bounds of one training slice (a pause waits at most one)


class Player:
    """Plays `tr` on `node`'s timers. `target`: stop at this epoch (None: play on)."""

    def __init__(self, node: DOMNode, on_frame: Callable[[], None], on_end: Callable[[str], None]):
        self.node, self.on_frame, self.on_end = node, on_frame, on_end
        self.tr: Trainer | None = None
        self.speed = DEFAULT_SPEED
        self.playing = False
        self.target: int | None = None
        self.fast = False  # run to end: max speed whatever the chosen speed
        self._timer = None
        self._owed = 0.0
        self._last_tick = 0.0
        self._train_end = 0.0
        self._settle_s = 0.0
        self._chunk = 1
        self._run = object()  # this play's token: a tick of an earlier play stops at a yield
        self._frozen = False  # gc.freeze() is in force (until stop)

    @property
    def rate(self) -> float | None:
        """Epochs a second, or None for as fast as it goes."""
        return None if self.fast else SPEEDS[self.speed][1]

    @property
    def speed_label(self) -> str:
        return "max speed" if self.fast else SPEEDS[self.speed][0]

    def start(self, tr: Trainer, target: int | None = None, fast: bool = False) -> None:
        self.stop()
        self.tr, self.target, self.fast = tr, target, fast
        self.playing, self._run = True, object()
        self._owed, self._train_end, self._settle_s, self._chunk = 0.0, 0.0, 0.0, 1
        self._last_tick = time.monotonic()
        gc.freeze()
        self._frozen = True
        self._schedule()

    def stop(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        self.playing = False
        self.target, self.fast = None, False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def set_speed(self, i: int) -> None:
        was_max = self.rate is None
        self.speed = i % len(SPEEDS)
        if self.playing and was_max != (self.rate is None):
            self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.rate is None:
            self._after_paint()
        else:
            self._timer = self.node.set_interval(TICK, self._tick)

    def _after_paint(self) -> None:
        """The next slice right after the next paint. Through the app's queue, not the
        screen's own: a pump that posts to itself would chain slices without ever letting
        the app read a key."""
        self.node.app.call_after_refresh(self._tick)

    def _epochs_left(self, n: int) -> int:
        return n if self.target is None else min(n, self.target - self.tr.epoch)

    def _fast_slice(self) -> int:
        """Train for about one slice: chunks of epochs, growing while time is left; how many."""
        tr, start = self.tr, time.perf_counter()
        e0 = tr.epoch
        # ticks are chained right after each paint, so `ui` (end of the last slice to now)
        # is what the screen took; the slice fills the frame when the screen is quick
        ui = start - self._train_end if self._train_end else FRAME / 2
        want = max(SLICE_MIN, FRAME - ui, TRAIN_SHARE * ui)
        budget = max(SLICE_MIN / 2, min(SLICE_MAX, want) - self._settle_s)
        n = self._chunk
        while not tr.diverged and (n := self._epochs_left(n)) > 0:
            t = time.perf_counter()
            tr.run(n)
            left = budget - (time.perf_counter() - start)
            if left <= 0:
                break
            per = (time.perf_counter() - t) / n
            n = max(1, min(4 * n, int(left / per) if per > 0 else 4 * n))
        self._chunk = max(1, n // 2)
        s0 = time.perf_counter()
        tr.settle()  # the history's cost grows with the epochs: it belongs to the slice
        self._settle_s = time.perf_counter() - s0
        return tr.epoch - e0

    def _rated_slice(self, now: float) -> int:
        """Train the epochs the clock owes; how many."""
        rate = self.rate
        self._owed = min(self._owed + rate * (now - self._last_tick), rate)
        n = self._epochs_left(int(self._owed))
        self._owed -= max(0, n)
        if n > 0:
            self.tr.run(n)
        return n

    async def _tick(self) -> None:
        if not self.playing:
            return
        now = time.monotonic()
        fast = self.rate is None
        trained = self._fast_slice() if fast else self._rated_slice(now)
        self._last_tick = now
        self._train_end = time.perf_counter()
        if self.tr.diverged or (self.target is not None and self.tr.epoch >= self.target):
            reason = "diverged" if self.tr.diverged else "end" if self.fast else "target"
            self.stop()
            self.on_end(reason)
            return
        run = self._run
        await asyncio.sleep(0)  # a key that came during the slice is answered before the frame
        if not self.playing or run is not self._run or fast != (self.rate is None):
            return  # paused, started again or sped up or down (each with a chain of its own)
        if trained > 0 or fast:  # (a tick that trained nothing leaves the screen alone)
            self.on_frame()
        if fast and self.playing:
            self._after_paint()
