"""What the Slack and Teams adapters keep between requests.

* Event ids already processed: both platforms redeliver an event when the
  bot is slow to answer, and a redelivered command must not run twice.
* Conversation references: what an adapter needs to message someone later
  (a Teams conversation reference, a Slack DM channel id), by a key of the
  adapter's choosing.

Like the repositories, these join the unit of work's transaction: an event
is remembered only if the work it caused commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.text import storable
from storage.mapping import conflict_insert, table_of
from storage.repositories import UnitPart
from storage.tables import ConversationRefRow, ProcessedEventRow

_events = table_of(ProcessedEventRow)
_refs = table_of(ConversationRefRow)


class PlatformStore(UnitPart):
    async def remember_event(self, platform: str, event_id: str) -> bool:
        """Record an event id; True only the first time it is seen.

        ``INSERT ... ON CONFLICT DO NOTHING``: of concurrent deliveries
        exactly one gets True (on PostgreSQL the others wait for its
        transaction, then see the row).
        """
        conn = await self._conn()
        query = (
            conflict_insert(conn, _events)
            .values(platform=platform, event_id=storable(event_id), seen_at=self._uow.clock.now())
            .on_conflict_do_nothing(index_elements=["platform", "event_id"])
            .returning(_events.c.id)
        )
        return (await conn.execute(query)).scalar_one_or_none() is not None

    async def forget_events(self, before: dt.datetime) -> int:
        """Drop event ids seen before ``before``. Platforms redeliver within
        minutes, so a few days of memory is plenty; without this the table
        would grow with every message ever received."""
        conn = await self._conn()
        return (await conn.execute(_events.delete().where(_events.c.seen_at < before))).rowcount

    async def save_ref(self, platform: str, key: str, data: dict) -> None:
        """Store (or replace) the reference ``key`` of ``platform``."""
        conn = await self._conn()
        query = conflict_insert(conn, _refs).values(
            platform=platform, key=storable(key), data=storable(data), updated_at=self._uow.clock.now()
        )
        await conn.execute(
            query.on_conflict_do_update(
                index_elements=["platform", "key"],
                set_={"data": query.excluded.data, "updated_at": query.excluded.updated_at},
            )
        )

    async def get_ref(self, platform: str, key: str) -> dict | None:
        conn = await self._conn()
        query = select(_refs.c.data).where(_refs.c.platform == platform, _refs.c.key == key)
        return (await conn.execute(query)).scalar_one_or_none()

    async def list_refs(self, platform: str) -> list[tuple[str, dict]]:
        """All references of ``platform``, by key."""
        conn = await self._conn()
        query = select(_refs.c.key, _refs.c.data).where(_refs.c.platform == platform).order_by(_refs.c.key)
        return [(key, data) for key, data in await conn.execute(query)]
