"""Who someone is on a chat platform: written once, for every platform.

An adapter says who is talking with an ``Identity``: a platform key of its
choosing and that platform's opaque id for the person, with the e-mail the
platform shows when it will say. The console is the one platform the core
knows by name, because its ids are board handles. Every other account is
linked to a board member the first time it is seen with that member's
e-mail address, whether the person writes to the bot or is mentioned in
someone else's command; after that the account alone identifies them.

Text reaches the core in neutral tokens an adapter writes in place of its
platform's own syntax: ``@<platform>:<id>`` for a mentioned account
(``token``) and ``#<platform>:<id>`` for a channel (``channel_token``). A
``Mention`` in a reply carries the member id only; the adapter about to
render it asks ``addressed`` for each mentioned member's account there.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace

from bot.context import Identity
from bot.model import Member
from bot.ports import UnitOfWork
from bot.reply import Mention, Reply, Span, map_spans, mentioned

CONSOLE = "console"
_PLATFORM = r"[a-z][a-z0-9_-]*"
_MENTION = re.compile(rf"^@({_PLATFORM}):(\S+)$")
_CHANNEL = re.compile(rf"^#({_PLATFORM}):(\S+)$")


def token(platform: str, external_id: str) -> str:
    """How an adapter writes a mentioned account into command text."""
    return f"@{platform}:{external_id}"


def parse_token(text: str) -> tuple[str, str] | None:
    """(platform, external id) when ``text`` is a mention token, else None."""
    found = _MENTION.match(text)
    return (found[1], found[2]) if found else None


def channel_token(platform: str, channel_id: str) -> str:
    """How an adapter writes a channel named in command text."""
    return f"#{platform}:{channel_id}"


def parse_channel(text: str) -> tuple[str, str] | None:
    """(platform, channel id) when ``text`` is a channel token, else None."""
    found = _CHANNEL.match(text)
    return (found[1], found[2]) if found else None


async def known(uow: UnitOfWork, who: Identity) -> Member | None:
    """The member (active or not) behind an identity, as already linked."""
    if who.platform == CONSOLE:
        return await uow.members.by_handle(who.user_id.lstrip("@").lower())
    return await uow.identities.member_for(who.platform, who.user_id)


async def resolve(uow: UnitOfWork, who: Identity) -> Member | None:
    """The active member behind an identity, linking the account by e-mail the first time."""
    member = await known(uow, who)
    if member is None and who.platform != CONSOLE:
        member = await _link_by_email(uow, who.platform, who.user_id, who.email)
    return member if member is not None and member.active else None


async def link_accounts(uow: UnitOfWork, platform: str, external_ids: Iterable[str],
                        email_of: Callable[[str], Awaitable[str | None]]) -> int:
    """Link each account not known yet to the active member with the e-mail the
    platform gives for it (``email_of``, asked only for unknown accounts): people
    mentioned before they ever wrote to the bot, a member just added. How many were linked."""
    linked = 0
    for external_id in dict.fromkeys(external_ids):
        if await uow.identities.member_for(platform, external_id) is None:
            linked += await _link_by_email(uow, platform, external_id, await email_of(external_id)) is not None
    return linked


async def _link_by_email(uow: UnitOfWork, platform: str, external_id: str, email: str | None) -> Member | None:
    member = await uow.members.by_email(email) if email else None
    if member is None or member.id is None or not member.active:
        return None
    return member if await uow.identities.link(member.id, platform, external_id, email) else None


async def addressed(uow: UnitOfWork, reply: Reply, platform: str) -> Reply:
    """``reply`` with every mentioned member's account on ``platform``, for its renderer."""
    ids = mentioned(reply)
    if not ids:
        return reply
    accounts = await uow.identities.addresses(platform, ids)

    def address(span: Span) -> Span:
        if isinstance(span, Mention) and span.member_id in accounts:
            return replace(span, address=accounts[span.member_id])
        return span

    return map_spans(reply, address)
