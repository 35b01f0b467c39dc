"""What the forms' menus offer: the one read behind every platform's pickers.

Slack's external selects and Teams' choice sets (and its typeahead) ask the
core, not storage, so both offer the same people, workstreams and meetings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.model import Meeting, Member, Workstream
from bot.ports import UnitOfWork

MEETINGS_FROM = dt.timedelta(days=1)  # a meeting just held still takes actions and minutes
MEETINGS_TO = dt.timedelta(days=400)


@dataclass(frozen=True)
class Choices:
    members: tuple[Member, ...] = ()  # active members, as stored
    workstreams: tuple[Workstream, ...] = ()
    meetings: tuple[Meeting, ...] = ()  # from yesterday on, soonest first


def matching(query: str, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (value, label) options whose value or label holds ``query``, ignoring case: a typeahead."""
    wanted = query.strip().lower()
    return [(value, label) for value, label in options if wanted in f"{value} {label}".lower()]


async def board_choices(uow: UnitOfWork, now: dt.datetime) -> Choices:
    members = tuple(m for m in await uow.members.list_all() if m.active)
    meetings = await uow.meetings.between(now - MEETINGS_FROM, now + MEETINGS_TO)
    return Choices(members, tuple(await uow.workstreams.list_all()), tuple(meetings))
