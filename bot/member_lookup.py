"""Finding people the way board members refer to them.

Minutes use initials (``AW``), chat uses mentions (``@owen`` in the console,
an account token ``@<platform>:<id>`` that a chat adapter wrote in place of
its own mention, see bot.identity) and people type names. All resolve to a
Member, or a plain "I don't know who that is".
"""

from __future__ import annotations

import re

from bot.errors import BadArgument, NotFound
from bot.grammar import unquote
from bot.identity import parse_token
from bot.model import Member
from bot.ports import UnitOfWork
from bot.reply import Mention

WHO_HINT = "Name people by @handle, initials (AW) or full name in quotes; `/board member list` shows everyone."


def mention(member: Member) -> Mention:
    return Mention(member.id, member.handle, member.name)


async def find_person(uow: UnitOfWork, token: str, field: str = "person") -> Member:
    raw = unquote(token.strip().rstrip(",."))
    if not raw:
        raise BadArgument("A person is missing.", hint=WHO_HINT, field=field)
    if account := parse_token(raw):
        member = await uow.identities.member_for(*account)
        if member is None:
            raise NotFound(f"{raw} isn't a member of this board yet.", hint=WHO_HINT, field=field)
        return member
    name = unquote(raw.lstrip("@"))
    member = await uow.members.by_handle(name.lower())
    if member is not None and member.active:
        return member
    matches = [m for m in await uow.members.by_initials(name.upper()) if m.active]
    if not matches:
        everyone = [m for m in await uow.members.list_all() if m.active]
        lowered = name.lower()
        matches = [m for m in everyone if m.name.lower() == lowered] or [
            m for m in everyone if m.name.lower().split()[0] == lowered
        ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(f"{m.name} (@{m.handle})" for m in matches)
        raise BadArgument(f"“{raw}” could be {names}.", hint="Use their @handle.", field=field)
    raise NotFound(f"I don't know anyone called “{raw}”.", hint=WHO_HINT, field=field)


_INITIALS = re.compile(r"^[A-Z]{2,4}$")


async def trailing_initials(uow: UnitOfWork, tokens: list[str]) -> int:
    """How many of the last tokens are board members' initials, as minutes write
    owners ("Book the room OP ML"). Only exact, known initials count, so an
    acronym such as SEND or EHCP at the end of a sentence stays text."""
    count = 0
    while count < len(tokens) - 1 and _INITIALS.match(token := tokens[-1 - count]):
        if len([m for m in await uow.members.by_initials(token) if m.active]) != 1:
            break
        count += 1
    return count


async def find_people(uow: UnitOfWork, tokens: list[str], field: str = "people") -> list[Member]:
    people: list[Member] = []
    for token in tokens:
        member = await find_person(uow, token, field)
        if member.id not in {p.id for p in people}:
            people.append(member)
    return people
