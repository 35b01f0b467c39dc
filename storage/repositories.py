"""The bot.ports repositories (except the outbox, see storage.outbox).

Each repository is a Mapper (storage.mapping) plus the few queries its
protocol names. All of them run in the unit of work's current transaction.
Lists come back in a stable order: by the natural time or date of the
entity where there is one, then by id.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import (
    OPEN_ISSUE,
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Apology,
    Attendance,
    AuditEntry,
    ClosureDay,
    FeedToken,
    HeldMessage,
    Issue,
    IssueEvent,
    Measure,
    MeasureValue,
    Meeting,
    Member,
    MinuteEntry,
    Organisation,
    Paper,
    RecurringDeadline,
    Risk,
    RiskEvent,
    RiskStatus,
    SharedFile,
    StandingItem,
    Stored,
    TermDates,
    Workstream,
)
from bot.ports import Clock
from bot.text import storable
from storage.audit import AUDIT, AuditTrail, Finding, read_head, verify
from storage.mapping import Link, Mapper, conflict_insert, table_of
from storage.tables import (
    ActionOwnerRow,
    ActionRow,
    ActionUpdateRow,
    AgendaItemRow,
    ApologyRow,
    AttendanceRow,
    BoardSettingRow,
    ClosureDayRow,
    FeedTokenRow,
    HeldMessageRow,
    IssueEventRow,
    IssueRow,
    MeasureRow,
    MeasureValueRow,
    MeetingRow,
    MemberRow,
    MinuteEntryRow,
    OrganisationRow,
    PaperRow,
    RecurringDeadlineRow,
    RiskActionRow,
    RiskEventRow,
    RiskRow,
    SharedFileRow,
    StandingItemRow,
    TermDatesRow,
    WorkstreamLeadRow,
    WorkstreamRow,
)

T = TypeVar("T", bound=Stored)

def refs(prefix: str, column: str = "id") -> Any:
    """How the trail names a row: by its own reference or its parent's (an update belongs to A12)."""
    return lambda id, values: f"{prefix}{id if column == 'id' else values.get(column)}"


MEMBERS = Mapper(Member, MemberRow, ref=lambda id, values: "@" + str(values.get("handle")))
ORGANISATIONS = Mapper(Organisation, OrganisationRow)
WORKSTREAMS = Mapper(Workstream, WorkstreamRow, {"lead_ids": Link.of(WorkstreamLeadRow, "workstream_id", "member_id")},
                     ref=refs("W"))
MEETINGS = Mapper(Meeting, MeetingRow, ref=refs("M"))
APOLOGIES = Mapper(Apology, ApologyRow, ref=refs("M", "meeting_id"))
AGENDA = Mapper(AgendaItem, AgendaItemRow, ref=refs("G"))
PAPERS = Mapper(Paper, PaperRow, ref=refs("G", "item_id"))
ACTIONS = Mapper(Action, ActionRow, {"owner_ids": Link.of(ActionOwnerRow, "action_id", "member_id")}, ref=refs("A"))
ACTION_UPDATES = Mapper(ActionUpdate, ActionUpdateRow, ref=refs("A", "action_id"))
# A concern's words, the secretariat's summary of it, what was decided and the notes on it are
# special category data: the trail says they changed, never what they say.
ISSUES = Mapper(Issue, IssueRow, ref=refs("I"), withheld={"text", "summary", "decision", "outcome"})
ISSUE_EVENTS = Mapper(IssueEvent, IssueEventRow, ref=refs("I", "issue_id"), withheld={"note"})
FILED = "filed"  # a held message its sender has decided about
# A message held for its sender to decide about is a parent's own words, like a concern.
HELD = Mapper(HeldMessage, HeldMessageRow, ref=lambda id, values: f"held message {id}", withheld={"text"})
DEADLINES = Mapper(RecurringDeadline, RecurringDeadlineRow, ref=refs("D"))
CLOSURE_DAYS = Mapper(ClosureDay, ClosureDayRow, ref=lambda id, values: f"closure {values.get('day')}")
TERMS = Mapper(TermDates, TermDatesRow, ref=lambda id, values: f"term {values.get('name')}")
ATTENDANCE = Mapper(Attendance, AttendanceRow, ref=refs("M", "meeting_id"))
MINUTES = Mapper(MinuteEntry, MinuteEntryRow, ref=refs("M", "meeting_id"))
STANDING = Mapper(StandingItem, StandingItemRow, ref=refs("S"))
RISKS = Mapper(Risk, RiskRow, {"action_ids": Link.of(RiskActionRow, "risk_id", "action_id")}, ref=refs("R"))
RISK_EVENTS = Mapper(RiskEvent, RiskEventRow, ref=refs("R", "risk_id"))
MEASURES = Mapper(Measure, MeasureRow, ref=refs("K"))
MEASURE_VALUES = Mapper(MeasureValue, MeasureValueRow, ref=refs("K", "measure_id"))
# A feed token or a shared file's link is a secret (only its hash is kept), and a shared file may be an export.
FEED_TOKENS = Mapper(FeedToken, FeedTokenRow, ref=lambda id, values: f"calendar feed {id}", withheld={"token_hash"})
SHARED_FILES = Mapper(SharedFile, SharedFileRow, ref=lambda id, values: f"file {values.get('filename')}",
                      withheld={"token_hash", "data"})


class Unit(Protocol):
    """What the parts need of the unit of work they work in (storage.uow.SqlUnitOfWork,
    which is built from them: declared here so they do not import it back)."""

    trail: AuditTrail
    audit: SqlAuditRepository

    @property
    def clock(self) -> Clock: ...

    async def connection(self) -> AsyncConnection: ...
    async def commit(self) -> None: ...


class UnitPart:
    """Base for anything that works inside a unit of work's transaction."""

    def __init__(self, uow: Unit) -> None:
        self._uow = uow

    async def _conn(self) -> AsyncConnection:
        return await self._uow.connection()


class SqlRepository(UnitPart, Generic[T]):
    """get/add/save/list for one entity; subclasses add their queries."""

    mapper: Mapper[T]

    @property
    def c(self) -> Any:
        """The table's columns, for queries."""
        return self.mapper.table.c

    async def get(self, row_id: int) -> T | None:
        return await self._first(self.mapper.key == row_id)

    async def add(self, obj: T) -> T:
        """Insert ``obj`` and set its id (on the same object, which is returned)."""
        obj.id = await self.mapper.insert(await self._conn(), obj)
        return obj

    async def save(self, obj: T) -> None:
        await self.mapper.update(await self._conn(), obj)

    async def add_keeping_id(self, obj: T) -> T:
        """Insert ``obj`` under the id it carries (imports keep their references)."""
        await self.mapper.insert(await self._conn(), obj, keep_id=True)
        return obj

    async def list_all(self) -> list[T]:
        return await self._find()

    async def remove(self, obj: T) -> None:
        """Delete the row (for records that are simply taken back, such as apologies)."""
        await self.mapper.delete(await self._conn(), self.mapper.key == obj.key)

    async def _find(self, *where: ColumnElement[bool],
                    order_by: Sequence[ColumnElement[Any]] = ()) -> builtins.list[T]:
        # ``builtins``: in this class body ``list`` is the method above.
        return await self.mapper.find(await self._conn(), *where, order_by=order_by)

    async def _first(self, *where: ColumnElement[bool], order_by: Sequence[ColumnElement[Any]] = ()) -> T | None:
        return await self.mapper.first(await self._conn(), *where, order_by=order_by)


class SqlMemberRepository(SqlRepository[Member]):
    mapper = MEMBERS

    async def by_handle(self, handle: str) -> Member | None:
        return await self._first(self.c.handle == handle)

    async def by_initials(self, initials: str) -> list[Member]:
        """Case-insensitive: people type initials in either case."""
        return await self._find(func.upper(self.c.initials) == initials.upper())

    async def by_email(self, email: str) -> Member | None:
        """Case-insensitive: Slack and Teams profiles do not keep the board's spelling."""
        return await self._first(func.lower(self.c.email) == email.lower())

    async def with_role(self, role: str) -> list[Member]:
        return await self._find(self.c.role == role, self.c.active.is_(True))

    async def many(self, ids: Sequence[int]) -> list[Member]:
        return await self._find(self.c.id.in_(ids)) if ids else []

    async def count(self) -> int:
        conn = await self._conn()
        return (await conn.execute(select(func.count()).select_from(self.mapper.table))).scalar_one()


class _ByName(SqlRepository[T]):
    async def by_name(self, name: str) -> T | None:
        """Case-insensitive, as people type names."""
        return await self._first(func.lower(self.c.name) == name.lower())


class SqlOrganisationRepository(_ByName[Organisation]):
    mapper = ORGANISATIONS


class SqlWorkstreamRepository(_ByName[Workstream]):
    mapper = WORKSTREAMS


class SqlMeetingRepository(SqlRepository[Meeting]):
    mapper = MEETINGS

    async def between(self, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
        """Meetings (not cancelled) starting in [start, end), by start time."""
        return await self._find(
            self.c.starts_at >= start, self.c.starts_at < end, ~self.c.cancelled, order_by=[self.c.starts_at]
        )

    async def next_after(self, at: dt.datetime) -> Meeting | None:
        """The first meeting (not cancelled) starting strictly after ``at``."""
        return await self._first(self.c.starts_at > at, ~self.c.cancelled, order_by=[self.c.starts_at])


class SqlApologyRepository(SqlRepository[Apology]):
    mapper = APOLOGIES

    async def for_meeting(self, meeting_id: int) -> list[Apology]:
        return await self._find(self.c.meeting_id == meeting_id)


class SqlAttendanceRepository(SqlRepository[Attendance]):
    mapper = ATTENDANCE

    async def for_meeting(self, meeting_id: int) -> list[Attendance]:
        return await self._find(self.c.meeting_id == meeting_id)


class SqlMinutesRepository(SqlRepository[MinuteEntry]):
    mapper = MINUTES

    async def for_meeting(self, meeting_id: int) -> list[MinuteEntry]:
        """The meeting's minutes in the order they were written."""
        return await self._find(self.c.meeting_id == meeting_id, order_by=[self.c.at])


class SqlStandingItemRepository(SqlRepository[StandingItem]):
    mapper = STANDING

    async def active(self) -> list[StandingItem]:
        return await self._find(self.c.active.is_(True))


class SqlAgendaRepository(SqlRepository[AgendaItem]):
    mapper = AGENDA

    async def for_meeting(self, meeting_id: int | None) -> list[AgendaItem]:
        """Items of a meeting, or with None the forward plan; by proposal time."""
        where = self.c.meeting_id.is_(None) if meeting_id is None else self.c.meeting_id == meeting_id
        return await self._find(where, order_by=[self.c.proposed_at])

    async def by_proposer(self, member_id: int) -> list[AgendaItem]:
        return await self._find(self.c.proposer_id == member_id, order_by=[self.c.proposed_at])


class SqlPaperRepository(SqlRepository[Paper]):
    mapper = PAPERS

    async def for_items(self, item_ids: Sequence[int]) -> list[Paper]:
        return await self._find(self.c.item_id.in_(item_ids), order_by=[self.c.submitted_at]) if item_ids else []


class SqlActionRepository(SqlRepository[Action]):
    mapper = ACTIONS

    async def still_open(self, *, due_from: dt.date | None = None, due_to: dt.date | None = None,
                   workstream_id: int | None = None) -> list[Action]:
        """Open actions by due date, filtered in SQL (the status+due and workstream+status+due indexes)."""
        where = [self.c.status == ActionStatus.OPEN, *self._due_within(due_from, due_to)]
        if workstream_id is not None:
            where.append(self.c.workstream_id == workstream_id)
        return await self._find(*where, order_by=[self.c.due])

    async def owned_by(self, member_id: int, include_done: bool = False,
                       due_to: dt.date | None = None) -> list[Action]:
        """Actions ``member_id`` owns (alone or jointly), by due date: found through the owner index,
        so the cost follows that person's actions, not the board's."""
        owners = table_of(ActionOwnerRow).c
        conn = await self._conn()
        ids = (await conn.execute(select(owners.action_id).where(owners.member_id == member_id))).scalars().all()
        if not ids:
            return []
        # By primary key, sorted here: asked to order by due date, SQLite walks every open action by the
        # status+due index instead of looking up this person's few.
        where = [self.c.id.in_(ids), *self._due_within(None, due_to)]
        if not include_done:
            where.append(self.c.status == ActionStatus.OPEN)
        return sorted(await self._find(*where), key=lambda a: (a.due, a.id))

    def _due_within(self, due_from: dt.date | None, due_to: dt.date | None) -> list[ColumnElement[bool]]:
        return ([self.c.due >= due_from] if due_from else []) + ([self.c.due <= due_to] if due_to else [])

    async def updates(self, action_id: int) -> list[ActionUpdate]:
        """The action's history, oldest first."""
        updates = ACTION_UPDATES.table.c
        return await ACTION_UPDATES.find(await self._conn(), updates.action_id == action_id, order_by=[updates.at])

    async def add_update(self, update: ActionUpdate) -> ActionUpdate:
        update.id = await ACTION_UPDATES.insert(await self._conn(), update)
        return update


class SqlIssueRepository(SqlRepository[Issue]):
    mapper = ISSUES

    async def unresolved(self) -> list[Issue]:
        """Open and acknowledged issues, oldest first."""
        return await self._find(self.c.status.in_(OPEN_ISSUE), order_by=[self.c.raised_at])

    async def raised_by(self, member_id: int) -> list[Issue]:
        """Everything one person raised, oldest first."""
        return await self._find(self.c.raiser_id == member_id, order_by=[self.c.raised_at])

    async def assigned_to(self, member_id: int) -> list[Issue]:
        return await self._find(self.c.assignee_id == member_id)

    async def events(self, issue_id: int) -> list[IssueEvent]:
        """The issue's history, oldest first."""
        events = ISSUE_EVENTS.table.c
        return await ISSUE_EVENTS.find(await self._conn(), events.issue_id == issue_id, order_by=[events.at])

    async def add_event(self, event: IssueEvent) -> IssueEvent:
        event.id = await ISSUE_EVENTS.insert(await self._conn(), event)
        return event

    async def save_event(self, event: IssueEvent) -> None:
        await ISSUE_EVENTS.update(await self._conn(), event)


class SqlHeldMessageRepository(SqlRepository[HeldMessage]):
    """Direct messages waiting for their sender to say what they are."""

    mapper = HELD

    async def for_member(self, member_id: int) -> list[HeldMessage]:
        return await self._find(self.c.member_id == member_id, self.c.kind != FILED, order_by=[self.c.at])

    async def forget(self, held_id: int) -> None:
        """Forget the text but keep the row, so its number (on an old button) is never reused."""
        held = await self.get(held_id)
        if held is not None:
            held.kind, held.text = FILED, ""
            await self.mapper.update(await self._conn(), held)


class SqlDeadlineRepository(SqlRepository[RecurringDeadline]):
    mapper = DEADLINES


class SqlRiskRepository(SqlRepository[Risk]):
    mapper = RISKS

    async def current(self) -> list[Risk]:
        """Proposed and accepted risks (not closed), oldest first."""
        return await self._find(self.c.status != RiskStatus.CLOSED, order_by=[self.c.created_at])

    async def mitigated_by(self, action_id: int) -> list[Risk]:
        links = table_of(RiskActionRow).c
        return await self._find(self.c.id.in_(select(links.risk_id).where(links.action_id == action_id)))

    async def events(self, risk_id: int) -> list[RiskEvent]:
        """The risk's history, oldest first."""
        events = RISK_EVENTS.table.c
        return await RISK_EVENTS.find(await self._conn(), events.risk_id == risk_id, order_by=[events.at])

    async def events_since(self, at: dt.datetime) -> list[RiskEvent]:
        events = RISK_EVENTS.table.c
        return await RISK_EVENTS.find(await self._conn(), events.at >= at, order_by=[events.at])

    async def add_event(self, event: RiskEvent) -> RiskEvent:
        event.id = await RISK_EVENTS.insert(await self._conn(), event)
        return event


class SqlMeasureRepository(SqlRepository[Measure]):
    mapper = MEASURES

    async def current(self) -> list[Measure]:
        return await self._find(self.c.active.is_(True))

    async def values(self, measure_ids: Sequence[int]) -> list[MeasureValue]:
        """Values of these measures, oldest recorded first (a period's last one counts)."""
        values = MEASURE_VALUES.table.c
        return await MEASURE_VALUES.find(await self._conn(), values.measure_id.in_(measure_ids),
                                         order_by=[values.recorded_at])

    async def add_value(self, value: MeasureValue) -> MeasureValue:
        value.id = await MEASURE_VALUES.insert(await self._conn(), value)
        return value


class SqlFeedTokenRepository(SqlRepository[FeedToken]):
    mapper = FEED_TOKENS

    async def for_member(self, member_id: int) -> FeedToken | None:
        return await self._first(self.c.member_id == member_id)

    async def by_hash(self, token_hash: str) -> FeedToken | None:
        return await self._first(self.c.token_hash == token_hash)

    async def replace(self, token: FeedToken) -> FeedToken:
        await self.forget(token.member_id)
        return await self.add(token)

    async def forget(self, member_id: int) -> None:
        await self.mapper.delete(await self._conn(), self.c.member_id == member_id)


class SqlSharedFileRepository(SqlRepository[SharedFile]):
    mapper = SHARED_FILES

    async def by_hash(self, token_hash: str) -> SharedFile | None:
        return await self._first(self.c.token_hash == token_hash)


class SqlCalendarRepository(UnitPart):
    """Closure days and term dates. Adding a day or term that exists updates it."""

    async def closure_days(self) -> list[ClosureDay]:
        return await CLOSURE_DAYS.find(await self._conn(), order_by=[CLOSURE_DAYS.table.c.day])

    async def add_closure_day(self, day: ClosureDay) -> ClosureDay:
        day.id = await CLOSURE_DAYS.upsert(await self._conn(), day, on="day")
        return day

    async def remove_closure_day(self, day: dt.date) -> bool:
        return await self._delete(CLOSURE_DAYS, CLOSURE_DAYS.table.c.day == day)

    async def terms(self) -> list[TermDates]:
        return await TERMS.find(await self._conn(), order_by=[TERMS.table.c.starts])

    async def add_term(self, term: TermDates) -> TermDates:
        term.id = await TERMS.upsert(await self._conn(), term, on="name")
        return term

    async def remove_term(self, name: str) -> bool:
        return await self._delete(TERMS, TERMS.table.c.name == name)

    async def _delete(self, mapper: Mapper[Any], where: ColumnElement[bool]) -> bool:
        return await mapper.delete(await self._conn(), where) > 0


class SqlSettingsRepository(UnitPart):
    """Board settings: one JSON value per key."""

    table = table_of(BoardSettingRow)

    async def stored(self) -> dict[str, object]:
        conn = await self._conn()
        return dict((await conn.execute(select(self.table.c.key, self.table.c.value))).all())

    async def store(self, key: str, value: object) -> None:
        conn = await self._conn()
        value = storable(value)
        before = (await conn.execute(select(self.table.c.value).where(self.table.c.key == key))).first()
        if before is None or before.value != value:
            self._uow.trail.record("change", f"setting {key}", entity=self.table.name,
                                   changes={key: [before.value if before else None, value]})
        query = conflict_insert(conn, self.table).values(key=key, value=value)
        await conn.execute(query.on_conflict_do_update(index_elements=["key"], set_={"value": query.excluded.value}))


class SqlAuditRepository(UnitPart):
    """The trail (storage.audit): appends go through the unit of work's AuditTrail, at commit."""

    async def add(self, entry: AuditEntry) -> None:
        """Record an event that is not a row change (an escalation, a view, an erasure)."""
        self._uow.trail.record(entry.verb, entry.ref, entry.detail, entity=entry.entity, entity_id=entry.entity_id,
                               changes=entry.changes, actor_id=entry.actor_id, at=entry.at)

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        """The latest ``limit`` entries, newest first."""
        return await AUDIT.find(await self._conn(), order_by=[AUDIT.table.c.seq.desc()], limit=limit)

    async def find(self, refs: Sequence[str] = (), member_id: int | None = None,
                   since: dt.datetime | None = None, limit: int = 500) -> list[AuditEntry]:
        """Entries about any of ``refs``, or by or about ``member_id``, oldest first."""
        c = AUDIT.table.c
        about: list[ColumnElement[bool]] = [c.ref.in_(list(refs))] if refs else []
        if member_id is not None:
            about += [c.actor_id == member_id, and_(c.entity == "members", c.entity_id == member_id)]
        where = [or_(*about)] if about else []
        if since is not None:
            where.append(c.at >= since)
        found = await AUDIT.find(await self._conn(), *where, order_by=[c.seq.desc()], limit=limit)
        return found[::-1]

    async def chain(self) -> list[AuditEntry]:
        """Every entry in chain order."""
        return await AUDIT.find(await self._conn(), order_by=[AUDIT.table.c.seq])

    async def verify(self) -> Finding:
        conn = await self._conn()
        return verify(await self.chain(), await read_head(conn))
