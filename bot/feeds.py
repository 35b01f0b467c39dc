"""Calendar feeds: the board's dates as events a calendar can subscribe to.

The board feed has meetings (cancelled ones stay, marked cancelled, so a
subscriber's calendar drops them), paper cut-offs, circulation dates and
recurring deadlines; a member's feed adds what they own: open actions, their
risks' review dates and the days their measures' values are due. Every event's UID
is derived from what it is about (``meeting-4``, ``action-12``), so a moved
meeting or a new due date replaces the old event instead of adding one.

A member's feed is reached by a private link whose token is random and only
stored hashed: ``new_token`` makes one, ``member_for_token`` checks one, and
a removed member's link stops working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.calendar import WorkingCalendar
from bot.measures import last_ended, period_of
from bot.model import ActionStatus, FeedToken, Member, Prefix
from bot.ports import UnitOfWork
from bot.rules import agenda_cutoffs, occurrences
from bot.settings import BoardSettings
from bot.views import ref

PAST_DAYS = 366  # how far back a feed reaches (last year's meetings stay visible)
AHEAD_DAYS = 731  # and forward (two years of recurring deadlines)


@dataclass(frozen=True)
class FeedEvent:
    """One calendar event. ``start`` is a date (all day) or an aware datetime."""

    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    location: str = ""
    description: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class FeedScope:
    """What every source needs: the board's rules and the window to cover."""

    uow: UnitOfWork
    settings: BoardSettings
    calendar: WorkingCalendar
    today: dt.date

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=PAST_DAYS)

    @property
    def end(self) -> dt.date:
        return self.today + dt.timedelta(days=AHEAD_DAYS)


BoardSource = Callable[[FeedScope], Awaitable[list[FeedEvent]]]
MemberSource = Callable[[FeedScope, Member], Awaitable[list[FeedEvent]]]


async def meetings(scope: FeedScope) -> list[FeedEvent]:
    events = []
    for meeting in await scope.uow.meetings.list_all():
        m = ref(Prefix.MEETING, meeting.id)
        day = meeting.starts_at.date()
        if not scope.start <= day <= scope.end:
            continue
        events.append(FeedEvent(f"meeting-{meeting.id}", f"Board meeting {m}", meeting.starts_at,
                                meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2),
                                location=meeting.place or "", cancelled=meeting.cancelled,
                                description="Cancelled." if meeting.cancelled else "Partnership board meeting."))
        cutoffs = agenda_cutoffs(meeting.starts_at.astimezone(_tz(scope)).date(), scope.calendar, scope.settings)
        events.append(FeedEvent(f"papers-{meeting.id}", f"Papers due for {m}", cutoffs.submission,
                                cancelled=meeting.cancelled,
                                description=f"Papers for the board meeting {m} are due today."))
        events.append(FeedEvent(f"circulation-{meeting.id}", f"Papers circulated for {m}", cutoffs.circulation,
                                cancelled=meeting.cancelled,
                                description=f"The pack for {m} goes to members today."))
    return events


def _tz(scope: FeedScope) -> ZoneInfo:
    return ZoneInfo(scope.settings.timezone)


async def deadlines(scope: FeedScope) -> list[FeedEvent]:
    events = []
    for deadline in await scope.uow.deadlines.list_all():
        if deadline.every_months <= 0:
            continue
        for day in occurrences(deadline, scope.start, scope.end):
            events.append(FeedEvent(f"deadline-{deadline.id}-{day:%Y%m%d}", deadline.title, day,
                                    description=f"Recurring board deadline {ref(Prefix.DEADLINE, deadline.id)}."))
    return events


async def owned_actions(scope: FeedScope, member: Member) -> list[FeedEvent]:
    return [FeedEvent(f"action-{a.id}", f"{ref(Prefix.ACTION, a.id)} due: {a.text}", a.due,
                      description="Your board action. Mark it done with /board action done "
                                  f"{ref(Prefix.ACTION, a.id)}.")
            for a in await scope.uow.actions.owned_by(member.key) if a.status == ActionStatus.OPEN]


async def owned_risk_reviews(scope: FeedScope, member: Member) -> list[FeedEvent]:
    return [FeedEvent(f"risk-review-{r.id}", f"{ref(Prefix.RISK, r.id)} review due: {r.title}", r.review_due,
                      description=f"Your risk is due for review. Record it with /board risk review "
                                  f"{ref(Prefix.RISK, r.id)} <note>.")
            for r in await scope.uow.risks.current() if r.owner_id == member.id]


async def owned_measures_due(scope: FeedScope, member: Member) -> list[FeedEvent]:
    """The last period's value if it is still owed, and the current period's, on the day each is due."""
    events = []
    mine = [m for m in await scope.uow.measures.current() if m.owner_id == member.id]
    recorded = {(v.measure_id, v.period) for v in await scope.uow.measures.values([m.key for m in mine])}
    for measure in mine:
        k = ref(Prefix.MEASURE, measure.id)
        for period in (last_ended(measure.every_months, scope.today), period_of(scope.today, measure.every_months)):
            if (measure.id, period.label) in recorded:
                continue
            due = scope.calendar.add_working_days(period.end, scope.settings.measure_due_working_days)
            events.append(FeedEvent(f"measure-{measure.id}-{period.label}",
                                    f"{k} value due for {period.label}: {measure.name}", due,
                                    description=f"Record it with /board measure record {k} <value> "
                                                f"for {period.label}."))
    return events


# Everything in the board feed, and what a member's feed adds: one function each, returning FeedEvents.
BOARD_SOURCES: tuple[BoardSource, ...] = (meetings, deadlines)
MEMBER_SOURCES: tuple[MemberSource, ...] = (owned_actions, owned_risk_reviews, owned_measures_due)


async def board_events(scope: FeedScope) -> list[FeedEvent]:
    return [event for source in BOARD_SOURCES for event in await source(scope)]


async def member_events(scope: FeedScope, member: Member) -> list[FeedEvent]:
    return await board_events(scope) + [event for source in MEMBER_SOURCES for event in await source(scope, member)]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def new_token(uow: UnitOfWork, member: Member, now: dt.datetime) -> str:
    """A fresh private token for ``member``; any older link stops working."""
    token = secrets.token_urlsafe(24)
    await uow.feeds.replace(FeedToken(member.key, token_hash(token), now))
    return token


async def member_for_token(uow: UnitOfWork, token: str) -> Member | None:
    """The active member a feed token belongs to, or None (unknown, replaced, removed)."""
    if not token or len(token) > 100:
        return None
    found = await uow.feeds.by_hash(token_hash(token))
    member = await uow.members.get(found.member_id) if found else None
    return member if member is not None and member.active else None
