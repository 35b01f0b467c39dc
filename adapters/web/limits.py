"""Per-person command rate limit, so one flooder cannot slow the bot for everyone.

A token bucket per person (Slack or Teams user id): ``burst`` commands at
once, then ``per_second`` on average. Over the limit, the person is told to
slow down (at most once every ``warn_every`` seconds) and nothing runs; other
people's commands are not queued behind theirs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

SLOW_DOWN = "You're sending commands faster than I can answer them. Slow down, and try again in a few seconds."
MAX_PEOPLE = 10_000  # buckets kept; the full ones are forgotten first


@dataclass
class RateLimit:
    burst: float = 20.0
    per_second: float = 5.0
    warn_every: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, at)
    _warned: dict[str, float] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        """Take one command from ``key``'s bucket; False if it is empty."""
        now = self.clock()
        tokens, at = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.per_second)
        if len(self._buckets) >= MAX_PEOPLE and key not in self._buckets:
            self._forget_idle(now)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True

    def should_warn(self, key: str) -> bool:
        """Whether to tell ``key`` to slow down now (not on every refused command)."""
        now = self.clock()
        if now - self._warned.get(key, -self.warn_every) < self.warn_every:
            return False
        self._warned[key] = now
        return True

    def _forget_idle(self, now: float) -> None:
        full = [k for k, (tokens, at) in self._buckets.items()
                if tokens + (now - at) * self.per_second >= self.burst]
        for key in full or list(self._buckets)[: len(self._buckets) // 2]:
            self._buckets.pop(key, None)
            self._warned.pop(key, None)
