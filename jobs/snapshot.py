"""What the planner knows at one instant: the board's rules, its people, the
send window, and the Step type every rule produces.

Loaded once per planning run from small tables (settings, members,
workstreams), so each rule stays a pure function of state and ``now``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.app import board_context
from bot.calendar import WorkingCalendar
from bot.model import Member, Role, Workstream
from bot.outbox_keys import MessageKind, Recipient
from bot.ports import UnitOfWork
from bot.reply import Reply
from bot.settings import BoardSettings
from jobs.timing import SendWindow


@dataclass(frozen=True)
class Step:
    """One message a rule says is owed now.

    ``key`` is the outbox dedupe key: the same step planned again inserts
    nothing. ``subject`` groups rows a change should cancel (``action:12``).
    """

    key: str
    subject: str
    recipient: str  # "member:<id>" or "channel:<name>"
    reply: Reply
    kind: MessageKind = MessageKind.REMINDER


Emit = Callable[[Step], Awaitable[bool]]


def to_member(member: Member) -> str:
    return Recipient.member(member.id)


@dataclass
class Board:
    now: dt.datetime
    settings: BoardSettings
    calendar: WorkingCalendar
    window: SendWindow
    people: dict[int, Member]
    workstreams: dict[int, Workstream]

    @property
    def today(self) -> dt.date:
        return self.window.today(self.now)

    @property
    def channel(self) -> str:
        return Recipient.channel(self.settings.channel)

    def reached(self, at: dt.datetime) -> bool:
        return at <= self.now

    def active(self, ids: list[int]) -> list[Member]:
        return [self.people[i] for i in ids if i in self.people and self.people[i].active]

    def with_role(self, role: Role) -> list[Member]:
        return [m for m in self.people.values() if m.role == role and m.active]

    def by_handle(self, handle: str) -> Member | None:
        wanted = handle.lstrip("@").lower()
        return next((m for m in self.people.values() if m.handle == wanted and m.active), None)

    @staticmethod
    def wants_reminders(member: Member) -> bool:
        """Reminder DMs respect the member's opt-out; escalations do not."""
        return member.active and not member.dm_opt_out


async def load_board(uow: UnitOfWork, now: dt.datetime) -> Board:
    settings, calendar = await board_context(uow)
    people = {m.id: m for m in await uow.members.list_all() if m.id is not None}
    workstreams = {w.id: w for w in await uow.workstreams.list_all() if w.id is not None}
    return Board(now, settings, calendar, SendWindow.of(settings, calendar), people, workstreams)
