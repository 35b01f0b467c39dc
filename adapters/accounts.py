"""Members' accounts on one chat platform, for that platform's adapter.

A thin door onto the core's identity port (bot.identity, ``uow.identities``):
each call is its own short unit of work. Adapters use it to reach a member
(their account id), to give the mentions in a reply their accounts before
rendering, and to link accounts the platform shows with an e-mail address.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable

from bot import identity
from bot.model import Member
from bot.outcome import Outcome
from bot.ports import UnitOfWorkFactory
from bot.reply import Reply


async def every_account(uow_factory: UnitOfWorkFactory, member: Member) -> dict[str, str]:
    """platform -> the member's account there, for routing a message to them."""
    if member.id is None:
        return {}
    async with uow_factory() as uow:
        return await uow.identities.external_ids(member.id)


class Accounts:
    def __init__(self, uow_factory: UnitOfWorkFactory, platform: str) -> None:
        self.uow_factory = uow_factory
        self.platform = platform

    async def of(self, member: Member | None) -> str | None:
        """The member's account on this platform, if they have one."""
        if member is None or member.id is None:
            return None
        async with self.uow_factory() as uow:
            return (await uow.identities.external_ids(member.id)).get(self.platform)

    async def of_members(self, member_ids: Iterable[int]) -> dict[int, str]:
        """member id -> account on this platform, for those members that have one."""
        async with self.uow_factory() as uow:
            return await uow.identities.addresses(self.platform, member_ids)

    async def member(self, external_id: str) -> Member | None:
        """The member (active or not) whose account this is."""
        async with self.uow_factory() as uow:
            return await uow.identities.member_for(self.platform, external_id)

    async def addressed(self, reply: Reply) -> Reply:
        """``reply`` with its mentions' accounts here, ready to render."""
        async with self.uow_factory() as uow:
            return await identity.addressed(uow, reply, self.platform)

    async def addressed_outcome(self, outcome: Outcome) -> Outcome:
        """``outcome`` with its reply addressed here (what every adapter renders)."""
        return dataclasses.replace(outcome, reply=await self.addressed(outcome.reply))

    async def link(self, external_ids: Iterable[str], email_of: Callable[[str], Awaitable[str | None]]) -> None:
        """Link the accounts not known yet to the members with the e-mail the platform gives for them."""
        async with self.uow_factory() as uow:
            if await identity.link_accounts(uow, self.platform, external_ids, email_of):
                await uow.commit()
