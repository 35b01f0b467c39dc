"""The outbox's planning side: messages the bot owes, recorded in the same
transaction as the change that caused them.

``SqlOutboxWriter`` is the core's OutboxWriter (bot.ports): every method joins
the caller's transaction, so a message exists exactly when the change that
caused it is committed, and none of them commits. Delivery (claims, leases,
outcomes, the operator's retry and drop) is storage.outbox_delivery's, in
transactions of its own. The table's mapper and the due/held conditions they
share are here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update

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


class SqlOutboxWriter(UnitPart):
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

    async def by_key(self, key: str) -> OutboxMessage | None:
        return await OUTBOX.first(await self._conn(), c.dedupe_key == key)

    async def of_kind(self, kind: str, start: dt.datetime, end: dt.datetime) -> list[OutboxMessage]:
        """Rows of ``kind`` created in [start, end) that were not cancelled: what the board owed."""
        return await OUTBOX.find(await self._conn(), c.kind == kind, c.created_at >= start, c.created_at < end,
                                 c.status != OutboxStatus.CANCELLED)
