"""Pacing: at most N messages per period to one conversation.

Slack allows about one message per second per channel (Teams' notifier
paces itself to 7/s and 60 per 30 s per conversation, see
adapters.teams.pacing). Sending faster only earns 429s, so the notifier
waits here first. Sliding windows, one lock per conversation
so concurrent senders queue in order; time and sleep are injectable so
tests need not wait. A send is counted from when it is started and again
from when it ended (``finished``): the chat API may see a request a little
after it was started, and spacing from the start alone would then earn the
occasional 429 when one request travels slower than the next.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    count: int
    per: float  # seconds


SLACK_RATES = (Rate(1, 1.0),)


class Pacer:
    def __init__(self, rates: Sequence[Rate], now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.rates = tuple(rates)
        self.now = now
        self.sleep = sleep
        self._sent: dict[Hashable, deque[float]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._longest = max((r.per for r in self.rates), default=0.0)

    def delay(self, key: Hashable) -> float:
        """Seconds until one more message to ``key`` fits every rate."""
        sent = self._sent.get(key, deque())
        now = self.now()
        wait = 0.0
        for rate in self.rates:
            recent = sorted(t for t in sent if t > now - rate.per)  # ``finished`` may move one later
            if len(recent) >= rate.count:
                wait = max(wait, recent[-rate.count] + rate.per - now)
        return wait

    async def wait(self, key: Hashable) -> float:
        """Wait for a free slot for ``key`` and take it; returns when it was taken (for ``finished``)."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            while (pause := self.delay(key)) > 0:
                await self.sleep(pause)
            sent = self._sent.setdefault(key, deque())
            now = self.now()
            sent.append(now)
            while sent and sent[0] <= now - self._longest:
                sent.popleft()
            return now

    def finished(self, key: Hashable, taken: float) -> None:
        """The send whose slot was taken at ``taken`` has been answered: count it from now."""
        sent = self._sent.get(key, ())
        for i in range(len(sent) - 1, -1, -1):
            if sent[i] == taken:
                sent[i] = self.now()  # type: ignore[index]
                return
