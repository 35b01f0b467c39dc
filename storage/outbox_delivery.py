"""The delivery port (jobs.delivery.OutboxDelivery) over the outbox table.

Each method runs in a unit of work of its own and commits it before
returning; none joins a caller's transaction. A dispatcher therefore holds
no transaction (nor SQLite's write lock) while it talks to a chat API, and
what it learnt is durable whatever it does next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import OutboxMessage, OutboxStatus
from storage.outbox import OUTBOX, c
from storage.uow import SqlUnitOfWork


class SqlOutboxDelivery:
    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork]) -> None:
        self._uow_factory = uow_factory

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[tuple[SqlUnitOfWork, AsyncConnection]]:
        """A unit of work of this call's own, committed if the call succeeds."""
        async with self._uow_factory() as uow:
            yield uow, await uow.connection()
            await uow.commit()

    async def claim_due(self, now: dt.datetime, owner: str, lease: dt.timedelta, limit: int) -> list[OutboxMessage]:
        """Lease up to ``limit`` due rows to ``owner`` and commit, oldest due first.

        Due: pending with ``due_at`` and ``next_attempt_at`` (if any) passed,
        or claimed with an expired lease (its dispatcher died). One UPDATE
        picks and claims the rows. On PostgreSQL the inner SELECT locks them
        FOR UPDATE SKIP LOCKED, so concurrent dispatchers take different rows
        without waiting; on SQLite the transaction holds the write lock from
        BEGIN IMMEDIATE, so claims simply run one after another.
        """
        chosen = select(c.id).where(_due(now)).order_by(c.due_at, c.id).limit(limit).with_for_update(skip_locked=True)
        query = (
            update(OUTBOX.table)
            .where(c.id.in_(chosen))
            .values(status=OutboxStatus.CLAIMED, lease_owner=owner, lease_until=now + lease)
            .returning(*OUTBOX.table.c)
        )
        async with self._transaction() as (_, conn):
            claimed = await OUTBOX.build(conn, (await conn.execute(query)).all())
        return sorted(claimed, key=lambda msg: (msg.due_at, msg.id))

    async def oldest_due(self, now: dt.datetime) -> dt.datetime | None:
        """When the longest-waiting deliverable row should have gone out (its
        due time, or its retry time if later); None if nothing is due."""
        query = select(func.min(func.coalesce(c.next_attempt_at, c.due_at))).where(_due(now))
        async with self._transaction() as (_, conn):
            return (await conn.execute(query)).scalar_one_or_none()

    async def mark_sent(self, row_id: int, owner: str, at: dt.datetime) -> bool:
        """Sent, if ``owner`` still holds the claim (``lease_owner`` then stays
        as the dispatcher that sent it)."""
        return await self._update(_held(row_id, owner), status=OutboxStatus.SENT, sent_at=at, lease_until=None)

    async def release(self, row_id: int, owner: str, next_attempt_at: dt.datetime, error: str,
                      attempted: bool = True) -> bool:
        """Give the row back for ``next_attempt_at``, if ``owner`` still holds the
        claim, counting a failed attempt unless ``attempted`` is False (a row
        held back for a rate limit or working hours was never tried)."""
        return await self._update(
            _held(row_id, owner),
            status=OutboxStatus.PENDING,
            attempts=c.attempts + (1 if attempted else 0),
            next_attempt_at=next_attempt_at,
            last_error=error,
            lease_owner=None,
            lease_until=None,
        )

    async def dead_letter(self, row_id: int, owner: str, error: str) -> bool:
        """The last attempt failed: the row is dead (and the audit trail says so), if still owned."""
        return await self._update(
            _held(row_id, owner),
            audit=("outbox.dead", f"outbox:{row_id}", error[:200]),
            status=OutboxStatus.DEAD,
            attempts=c.attempts + 1,
            last_error=error,
            lease_owner=None,
            lease_until=None,
        )

    async def retry(self, row_id: int, at: dt.datetime) -> bool:
        """Operator: a dead or cancelled row becomes pending from ``at`` with its
        attempts reset (its last error stays for reference)."""
        return await self._update(
            and_(c.id == row_id, c.status.in_([OutboxStatus.DEAD, OutboxStatus.CANCELLED])),
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=at,
        )

    async def drop(self, row_id: int) -> bool:
        """Operator: cancel a row that is not sent (nor cancelled already).

        A claimed row's dispatcher then finds its mark_sent refused.
        """
        return await self._update(
            and_(c.id == row_id, c.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.DEAD])),
            status=OutboxStatus.CANCELLED,
            lease_owner=None,
            lease_until=None,
        )

    async def get(self, row_id: int) -> OutboxMessage | None:
        async with self._transaction() as (_, conn):
            return await OUTBOX.first(conn, c.id == row_id)

    async def latest(self, status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
        """The latest ``limit`` rows (optionally of one status), newest first."""
        where = () if status is None else (c.status == status,)
        async with self._transaction() as (_, conn):
            return await OUTBOX.find(conn, *where, order_by=[c.id.desc()], limit=limit)

    async def _update(self, where: ColumnElement[bool], audit: tuple[str, str, str] | None = None,
                      **values: Any) -> bool:
        """Update one row and commit; ``audit`` (verb, ref, detail) is recorded if it changed."""
        async with self._transaction() as (uow, conn):
            changed = (await conn.execute(update(OUTBOX.table).where(where).values(**values))).rowcount == 1
            if changed and audit:
                uow.trail.record(*audit)
        return changed


def _due(now: dt.datetime) -> ColumnElement[bool]:
    """Deliverable now: pending and its time has come, or claimed by a
    dispatcher whose lease expired."""
    return or_(
        and_(
            c.status == OutboxStatus.PENDING,
            c.due_at <= now,
            or_(c.next_attempt_at.is_(None), c.next_attempt_at <= now),
        ),
        and_(c.status == OutboxStatus.CLAIMED, c.lease_until < now),
    )


def _held(row_id: int, owner: str) -> ColumnElement[bool]:
    """Row ``row_id`` is claimed and ``owner`` holds the claim."""
    return and_(c.id == row_id, c.status == OutboxStatus.CLAIMED, c.lease_owner == owner)
