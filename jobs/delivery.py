"""The outbox as the dispatcher and the operator see it: the delivery port.

A command's unit of work only owes messages (bot.ports.OutboxWriter). Getting
them out is this port's: claim due rows with a lease, mark them sent, give
them back for later, dead-letter them, and the operator's retry and drop.

Every method is a transaction of its own, committed before it returns, and
never part of anyone else's: a claim must be durable before anything is sent
(a crash after it loses nothing: the lease expires and another dispatcher
takes the row), and a delivery's outcome must be durable whatever happens
next. No transaction (nor SQLite's write lock) is held while the dispatcher
talks to Slack or Teams. storage.outbox_delivery implements it.

Leases: ``claim_due`` hands a row to one ``owner`` until its lease runs out;
``mark_sent``, ``release`` and ``dead_letter`` only act while that owner
still holds the claim, so a dispatcher whose lease expired and was taken
over cannot overwrite the new owner's outcome.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from bot.model import OutboxMessage


class OutboxDelivery(Protocol):
    async def claim_due(self, now: dt.datetime, owner: str, lease: dt.timedelta, limit: int) -> list[OutboxMessage]:
        """Lease up to ``limit`` rows that are due (pending, or claimed with an
        expired lease) and whose next attempt time has come, oldest due first."""

    async def oldest_due(self, now: dt.datetime) -> dt.datetime | None:
        """When the longest-waiting deliverable row should have been sent; None if none is due."""

    async def mark_sent(self, row_id: int, owner: str, at: dt.datetime) -> bool:
        """Mark sent only if ``owner`` still holds the claim (however late)."""

    async def release(self, row_id: int, owner: str, next_attempt_at: dt.datetime, error: str,
                      attempted: bool = True) -> bool:
        """Give the row back for an attempt at ``next_attempt_at`` if still owned.
        Counts a failed attempt unless ``attempted`` is False: a row held back
        for a rate limit or working hours waits without moving towards the
        dead-letter limit, so nothing is dropped for being throttled."""

    async def dead_letter(self, row_id: int, owner: str, error: str) -> bool:
        """Count the failed attempt and give up on the row (audited), if still owned."""

    async def retry(self, row_id: int, at: dt.datetime) -> bool:
        """Operator: a dead or cancelled row becomes pending from ``at``, its attempts reset."""

    async def drop(self, row_id: int) -> bool:
        """Operator: cancel a row that has not been sent."""

    async def get(self, row_id: int) -> OutboxMessage | None: ...
    async def latest(self, status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
        """The newest ``limit`` rows, optionally of one status (``partnerbot outbox list``)."""
