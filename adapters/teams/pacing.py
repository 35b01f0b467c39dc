"""Pacing proactive sends to Teams' published bot limits.

Per conversation: 7 messages a second and 60 in 30 seconds; per tenant
50 requests a second (sliding windows from jobs.pacing). A send that fits
within a short wait waits; one that would wait longer hands the message back
to the outbox (DeliveryError with ``retry_after``) instead of holding a
dispatcher worker for half a minute.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot.ports import DeliveryError
from jobs.pacing import Pacer, Rate

CONVERSATION_RATES = (Rate(7, 1.0), Rate(60, 30.0))
TENANT_RATES = (Rate(50, 1.0),)


class TeamsPacer:
    def __init__(self, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, max_wait: float = 2.0) -> None:
        self.conversations = Pacer(CONVERSATION_RATES, now, sleep)
        self.tenants = Pacer(TENANT_RATES, now, sleep)
        self.max_wait = max_wait

    async def acquire(self, conversation: str, tenant: str | None, count: int = 1) -> list[tuple[Pacer, str, float]]:
        """Take room for ``count`` messages, or raise DeliveryError(retry_after=…); returns the
        slots taken, for ``finished``."""
        taken = []
        for _ in range(count):
            wait = max(self.conversations.delay(conversation), self.tenants.delay(tenant) if tenant else 0.0)
            if wait > self.max_wait:
                raise DeliveryError(f"Teams pacing: conversation busy for {wait:.1f}s", retry_after=wait)
            taken.append((self.conversations, conversation, await self.conversations.wait(conversation)))
            if tenant:
                taken.append((self.tenants, tenant, await self.tenants.wait(tenant)))
        return taken

    @staticmethod
    def finished(taken: list[tuple[Pacer, str, float]]) -> None:
        """The messages ``acquire`` made room for have been answered: count them from now (jobs.pacing)."""
        for pacer, key, at in taken:
            pacer.finished(key, at)
