"""Pacing proactive sends to Teams' published bot limits.

Per conversation: 7 messages a second and 60 in 30 seconds; per tenant
50 requests a second. A send that fits within a short wait waits; one that
would wait longer hands the message back to the outbox (DeliveryError with
``retry_after``) instead of holding a dispatcher worker.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

from bot.ports import DeliveryError

CONVERSATION_LIMITS = ((7, 1.0), (60, 30.0))
TENANT_LIMITS = ((50, 1.0),)


class Pacer:
    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, max_wait: float = 2.0) -> None:
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self._sent: dict[str, deque[float]] = defaultdict(deque)
        self._lock = asyncio.Lock()

    def _wait(self, key: str, limits: tuple[tuple[int, float], ...], count: int, now: float) -> float:
        """Seconds until ``count`` more sends fit every window of ``key``."""
        sent = self._sent[key]
        longest = max(window for _, window in limits)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        wait = 0.0
        for limit, window in limits:
            recent = [t for t in sent if t > now - window]
            excess = len(recent) + count - limit
            if excess > 0:
                wait = max(wait, recent[min(excess, len(recent)) - 1] + window - now)
        return wait

    def delay(self, conversation: str, tenant: str | None, count: int = 1) -> float:
        now = self.clock()
        wait = self._wait(f"c:{conversation}", CONVERSATION_LIMITS, count, now)
        if tenant:
            wait = max(wait, self._wait(f"t:{tenant}", TENANT_LIMITS, count, now))
        return wait

    async def acquire(self, conversation: str, tenant: str | None, count: int = 1) -> None:
        """Wait for room for ``count`` messages, or raise DeliveryError(retry_after=…)."""
        while True:
            async with self._lock:
                wait = self.delay(conversation, tenant, count)
                if wait <= 0:
                    now = self.clock()
                    for key in (f"c:{conversation}", f"t:{tenant}" if tenant else None):
                        if key:
                            self._sent[key].extend([now] * count)
                    return
            if wait > self.max_wait:
                raise DeliveryError(f"Teams pacing: conversation busy for {wait:.1f}s", retry_after=wait)
            await self.sleep(wait)
