"""The outbox: messages the bot owes, recorded in the same transaction as the
change that caused them, and delivered afterwards by a dispatcher.

Transaction rule
----------------
*Planning* methods (``add_if_absent``, ``cancel_pending``) and the readers
join the caller's transaction, so a message exists exactly when the change
that caused it is committed.

*Dispatcher and operator* methods (``claim_due``, ``mark_sent``,
``release``, ``retry``, ``drop``) each commit the unit of work before they
return. A claim must be durable before anything is sent (a crash after it
loses nothing: the lease expires and another dispatcher takes the row), and
a delivery's outcome must be durable whatever the caller does next. Call
them on a unit of work of their own: anything done earlier in the same
transaction is committed with them. The unit stays usable and the next call
starts a new transaction, so a dispatcher may hold one unit for a whole
claim/send/mark cycle without keeping a transaction (or SQLite's write
lock) open while it talks to Slack or Teams.

Leases: ``claim_due`` hands a row to one ``owner`` until ``lease_until``;
``mark_sent`` and ``release`` only act while that owner still holds the
claim, so a dispatcher whose lease expired and was taken over cannot
overwrite the new owner's outcome.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from bot.model import OutboxMessage, OutboxStatus
from storage.mapping import Mapper, conflict_insert
from storage.repositories import UnitPart
from storage.tables import OutboxRow

OUTBOX = Mapper(OutboxMessage, OutboxRow, audited=False)  # delivery plumbing; dead letters are audited
c = OUTBOX.table.c

# What re-planning a cancelled message replaces, and the delivery state it resets.
_CONTENT = ("subject", "recipient", "payload", "text", "due_at", "kind")
_FRESH = {
    "status": OutboxStatus.PENDING,
    "attempts": 0,
    "next_attempt_at": None,
    "lease_owner": None,
    "lease_until": None,
    "last_error": None,
    "sent_at": None,
}


class SqlOutboxRepository(UnitPart):
    async def add_if_absent(self, msg: OutboxMessage) -> bool:
        """Insert ``msg`` unless its dedupe key exists; revive a cancelled row.

        One ``INSERT ... ON CONFLICT`` statement, so two processes planning
        the same message cannot both insert it. A row with the key that is
        cancelled becomes pending with ``msg``'s content; pending, claimed,
        sent and dead rows are left alone. True if a row became pending
        (``msg.id`` is then set).
        """
        conn = await self._conn()
        query = conflict_insert(conn, OUTBOX.table).values(OUTBOX.values(msg))
        query = query.on_conflict_do_update(
            index_elements=["dedupe_key"],
            set_={name: query.excluded[name] for name in _CONTENT} | _FRESH,
            where=c.status == OutboxStatus.CANCELLED,
        )
        new_id = (await conn.execute(query.returning(c.id))).scalar_one_or_none()
        if new_id is not None:
            msg.id = new_id
        return new_id is not None

    async def cancel_for_recipient(self, recipient: str, keep_subjects: Sequence[str] = ()) -> int:
        """Cancel every pending row to ``recipient`` (someone removed from the
        board) except those about the subjects in ``keep_subjects``."""
        conn = await self._conn()
        query = (
            update(OUTBOX.table)
            .where(c.recipient == recipient, c.status == OutboxStatus.PENDING, c.subject.not_in(keep_subjects))
            .values(status=OutboxStatus.CANCELLED)
        )
        return (await conn.execute(query)).rowcount

    async def cancel_pending(self, subject: str, keep: Sequence[str] = ()) -> int:
        """Cancel pending rows about ``subject`` except the dedupe keys in ``keep``.

        Claimed rows are being sent already and are left to finish.
        """
        conn = await self._conn()
        query = (
            update(OUTBOX.table)
            .where(c.subject == subject, c.status == OutboxStatus.PENDING, c.dedupe_key.not_in(keep))
            .values(status=OutboxStatus.CANCELLED)
        )
        return (await conn.execute(query)).rowcount

    async def pending_keys(self, subject: str) -> list[str]:
        conn = await self._conn()
        query = select(c.dedupe_key).where(c.subject == subject, c.status == OutboxStatus.PENDING).order_by(c.id)
        return list((await conn.execute(query)).scalars())

    async def get(self, id: int) -> OutboxMessage | None:
        return await OUTBOX.first(await self._conn(), c.id == id)

    async def by_key(self, key: str) -> OutboxMessage | None:
        return await OUTBOX.first(await self._conn(), c.dedupe_key == key)

    async def list(self, status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
        """The latest ``limit`` rows (optionally of one status), newest first."""
        where = () if status is None else (c.status == status,)
        return await OUTBOX.find(await self._conn(), *where, order_by=[c.id.desc()], limit=limit)

    # ``builtins.list`` from here on: in this class body ``list`` is the method above.
    async def of_kind(self, kind: str, start: dt.datetime, end: dt.datetime) -> builtins.list[OutboxMessage]:
        """Rows of ``kind`` created in [start, end) that were not cancelled: what the board owed."""
        return await OUTBOX.find(await self._conn(), c.kind == kind, c.created_at >= start, c.created_at < end,
                                 c.status != OutboxStatus.CANCELLED)

    async def claim_due(self, now: dt.datetime, owner: str, lease: dt.timedelta,
                        limit: int) -> builtins.list[OutboxMessage]:
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
        conn = await self._conn()
        claimed = await OUTBOX.build(conn, (await conn.execute(query)).all())
        await self._uow.commit()
        return sorted(claimed, key=lambda msg: (msg.due_at, msg.id))

    async def oldest_due(self, now: dt.datetime) -> dt.datetime | None:
        """When the longest-waiting deliverable row should have gone out (its
        due time, or its retry time if later); None if nothing is due."""
        query = select(func.min(func.coalesce(c.next_attempt_at, c.due_at))).where(_due(now))
        return (await (await self._conn()).execute(query)).scalar_one_or_none()

    async def mark_sent(self, id: int, owner: str, at: dt.datetime) -> bool:
        """Sent, if ``owner`` still holds the claim (``lease_owner`` then stays
        as the dispatcher that sent it). Commits."""
        return await self._update_and_commit(
            _held(id, owner), status=OutboxStatus.SENT, sent_at=at, lease_until=None
        )

    async def release(
        self, id: int, owner: str, next_attempt_at: dt.datetime, error: str, dead: bool = False,
        attempted: bool = True,
    ) -> bool:
        """Give the row back (or dead-letter it), if ``owner`` still holds the
        claim, counting a failed attempt unless ``attempted`` is False (a row
        held back for a rate limit or working hours was never tried). Commits."""
        return await self._update_and_commit(
            _held(id, owner),
            audit=("outbox.dead", f"outbox:{id}", error[:200]) if dead else None,
            status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
            attempts=c.attempts + (1 if attempted else 0),
            next_attempt_at=next_attempt_at,
            last_error=error,
            lease_owner=None,
            lease_until=None,
        )

    async def retry(self, id: int, at: dt.datetime) -> bool:
        """Operator: a dead or cancelled row becomes pending from ``at`` with its
        attempts reset (its last error stays for reference). Commits."""
        return await self._update_and_commit(
            and_(c.id == id, c.status.in_([OutboxStatus.DEAD, OutboxStatus.CANCELLED])),
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=at,
        )

    async def drop(self, id: int) -> bool:
        """Operator: cancel a row that is not sent (nor cancelled already). Commits.

        A claimed row's dispatcher then finds its mark_sent refused.
        """
        return await self._update_and_commit(
            and_(c.id == id, c.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.DEAD])),
            status=OutboxStatus.CANCELLED,
            lease_owner=None,
            lease_until=None,
        )

    async def _update_and_commit(self, where: ColumnElement[bool], audit: tuple[str, str, str] | None = None,
                                 **values: Any) -> bool:
        """Update one row and commit; ``audit`` (verb, ref, detail) is recorded if it changed."""
        conn = await self._conn()
        changed = (await conn.execute(update(OUTBOX.table).where(where).values(**values))).rowcount == 1
        if changed and audit:
            self._uow.trail.record(*audit)
        await self._uow.commit()
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


def _held(id: int, owner: str) -> ColumnElement[bool]:
    """Row ``id`` is claimed and ``owner`` holds the claim."""
    return and_(c.id == id, c.status == OutboxStatus.CLAIMED, c.lease_owner == owner)
