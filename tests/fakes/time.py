"""Clocks for tests: none of them reads the wall clock.

``FakeTime`` is a monotonic clock and sleep that don't really wait, for pacing tests;
``SteadyClock`` runs at real speed from a chosen board time, for crash tests.
"""

from __future__ import annotations

import datetime as dt
import time


class FakeTime:
    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class SteadyClock:
    """The core's Clock for tests that need real elapsed time (leases expiring, processes
    racing) but must not depend on the hour the machine is at: it reads
    ``anchor + (monotonic() - origin)``.

    ``origin`` is a ``time.monotonic()`` reading. On Linux the monotonic clock is one for
    every process, so a test passes ``anchor`` and ``origin`` to the worker processes it
    starts and they all share one steady board time, e.g. a Wednesday at 10:00, whether
    the suite runs on a Sunday night or over Christmas.
    """

    def __init__(self, anchor: dt.datetime, origin: float | None = None) -> None:
        self.anchor = anchor
        self.origin = time.monotonic() if origin is None else origin

    def now(self) -> dt.datetime:
        return self.anchor + dt.timedelta(seconds=time.monotonic() - self.origin)

    def args(self) -> list[str]:
        """How to hand this clock to a worker process: ``SteadyClock.from_args(*args)``."""
        return [self.anchor.isoformat(), repr(self.origin)]

    @classmethod
    def from_args(cls, anchor: str, origin: str) -> SteadyClock:
        return cls(dt.datetime.fromisoformat(anchor), float(origin))


# A working-hours instant away from bank holidays and clock changes: Wednesday 13 January 2027, 10:00.
WORKING_MORNING = dt.datetime(2027, 1, 13, 10, 0, tzinfo=dt.UTC)
