"""Members' chat accounts (bot.ports.IdentityRepository) in ``member_identities``.

Platforms and external ids are the opaque strings adapters pass; nothing
here knows one platform from another. Links and unlinks go through a Mapper,
so the audit trail shows when an account was linked to whom (and privacy
erasure scrubs those entries like any other).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from bot.model import Member, MemberIdentity
from bot.text import storable
from storage.mapping import Mapper
from storage.repositories import MEMBERS, UnitPart
from storage.tables import MemberIdentityRow

IDENTITIES = Mapper(MemberIdentity, MemberIdentityRow, ref=lambda id, values: f"account:{values.get('platform')}")
_c = IDENTITIES.table.c


class SqlIdentityRepository(UnitPart):
    async def member_for(self, platform: str, external_id: str) -> Member | None:
        owner = select(_c.member_id).where(_c.platform == platform, _c.external_id == external_id)
        return await MEMBERS.first(await self._conn(), MEMBERS.key.in_(owner))

    async def link(self, member_id: int, platform: str, external_id: str, email: str | None = None) -> bool:
        """Make the account the member's on that platform, replacing an earlier one of
        theirs; False, changing nothing, when the account is someone else's."""
        conn = await self._conn()
        external_id = storable(external_id)
        rows = await IDENTITIES.find(conn, _c.platform == platform,
                                     or_(_c.external_id == external_id, _c.member_id == member_id))
        if any(row.external_id == external_id for row in rows):
            return all(row.member_id == member_id for row in rows if row.external_id == external_id)
        await IDENTITIES.delete(conn, _c.platform == platform, _c.member_id == member_id)
        try:
            async with conn.begin_nested():  # another transaction may be linking the same account right now
                await IDENTITIES.insert(conn, MemberIdentity(member_id, platform, external_id,
                                                             email and storable(email), self._uow.clock.now()))
        except IntegrityError:
            owner = await self.member_for(platform, external_id)
            return owner is not None and owner.id == member_id
        return True

    async def external_ids(self, member_id: int) -> dict[str, str]:
        rows = await IDENTITIES.find(await self._conn(), _c.member_id == member_id, order_by=[_c.platform])
        return {row.platform: row.external_id for row in rows}

    async def addresses(self, platform: str, member_ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(member_ids))
        if not wanted:
            return {}
        rows = await IDENTITIES.find(await self._conn(), _c.platform == platform, _c.member_id.in_(wanted))
        return {row.member_id: row.external_id for row in rows}

    async def unlink(self, member_id: int) -> None:
        await IDENTITIES.delete(await self._conn(), _c.member_id == member_id)
