"""The small interfaces through which time, persistence and delivery reach the core.

The core depends only on these protocols; storage/, jobs/ and adapters/
provide the implementations, and tests provide fakes (a clock they move by
hand, an in-memory notifier).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from bot.document import Chart, Document
from bot.model import (
    Action,
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
    OutboxMessage,
    Paper,
    RecurringDeadline,
    Risk,
    RiskEvent,
    SharedFile,
    StandingItem,
    TermDates,
    Workstream,
)

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Current instant, timezone-aware (UTC)."""


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock tests and the console move by hand."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def move_to(self, at: dt.datetime) -> None:
        self.at = at


class Repository(Protocol[T]):
    async def get(self, row_id: int) -> T | None: ...
    async def add(self, obj: T) -> T:
        """Insert; returns the object with its new id set."""

    async def save(self, obj: T) -> None:
        """Update an existing object (by id)."""

    async def list_all(self) -> list[T]: ...


class MemberRepository(Repository[Member], Protocol):
    async def by_handle(self, handle: str) -> Member | None: ...
    async def by_initials(self, initials: str) -> list[Member]: ...
    async def by_email(self, email: str) -> Member | None: ...
    async def with_role(self, role: str) -> list[Member]:
        """Active members holding ``role``."""
    async def count(self) -> int: ...
    async def many(self, ids: Sequence[int]) -> list[Member]:
        """The members with these ids (any that exist), in one query."""


class IdentityRepository(Protocol):
    """Members' chat accounts (bot.model.MemberIdentity), keyed by (platform, external id).

    Platforms and ids are opaque strings: whatever an adapter passes.
    """

    async def member_for(self, platform: str, external_id: str) -> Member | None:
        """The member (active or not) this account belongs to."""

    async def link(self, member_id: int, platform: str, external_id: str, email: str | None = None) -> bool:
        """Make the account the member's on that platform (replacing an earlier one of theirs);
        False, changing nothing, when it already belongs to someone else."""

    async def external_ids(self, member_id: int) -> dict[str, str]:
        """platform -> the member's account there."""

    async def addresses(self, platform: str, member_ids: Iterable[int]) -> dict[int, str]:
        """member id -> account on ``platform``, for those members that have one."""

    async def unlink(self, member_id: int) -> None:
        """Forget every account of the member (their accounts may then be linked to someone new)."""


class OrganisationRepository(Repository[Organisation], Protocol):
    async def by_name(self, name: str) -> Organisation | None: ...


class WorkstreamRepository(Repository[Workstream], Protocol):
    async def by_name(self, name: str) -> Workstream | None: ...


class MeetingRepository(Repository[Meeting], Protocol):
    async def between(self, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
        """Meetings (not cancelled) starting in [start, end), by start time."""

    async def next_after(self, at: dt.datetime) -> Meeting | None: ...


class ApologyRepository(Repository[Apology], Protocol):
    async def for_meeting(self, meeting_id: int) -> list[Apology]: ...
    async def remove(self, obj: Apology) -> None: ...


class AttendanceRepository(Repository[Attendance], Protocol):
    async def for_meeting(self, meeting_id: int) -> list[Attendance]: ...
    async def remove(self, obj: Attendance) -> None: ...


class MinutesRepository(Repository[MinuteEntry], Protocol):
    async def for_meeting(self, meeting_id: int) -> list[MinuteEntry]:
        """The meeting's minutes in the order they were written."""


class StandingItemRepository(Repository[StandingItem], Protocol):
    async def active(self) -> list[StandingItem]: ...


class AgendaRepository(Repository[AgendaItem], Protocol):
    async def for_meeting(self, meeting_id: int | None) -> list[AgendaItem]:
        """Items of a meeting; None gives the forward plan (no meeting yet)."""

    async def by_proposer(self, member_id: int) -> list[AgendaItem]: ...


class PaperRepository(Repository[Paper], Protocol):
    async def for_items(self, item_ids: Sequence[int]) -> list[Paper]: ...


class ActionRepository(Repository[Action], Protocol):
    async def still_open(self, *, due_from: dt.date | None = None, due_to: dt.date | None = None,
                   workstream_id: int | None = None) -> list[Action]:
        """Open actions, by due date, optionally due in [due_from, due_to] or in one workstream.
        Indexed: cost follows the actions asked for, not the board or its history."""

    async def owned_by(self, member_id: int, include_done: bool = False,
                       due_to: dt.date | None = None) -> list[Action]: ...
    async def updates(self, action_id: int) -> list[ActionUpdate]: ...
    async def add_update(self, update: ActionUpdate) -> ActionUpdate: ...
    async def add_keeping_id(self, action: Action) -> Action:
        """Insert under ``action.id`` (an imported action log keeps its refs)."""


class IssueRepository(Repository[Issue], Protocol):
    async def unresolved(self) -> list[Issue]:
        """Open and acknowledged issues (not resolved, withdrawn or decided)."""

    async def raised_by(self, member_id: int) -> list[Issue]: ...
    async def assigned_to(self, member_id: int) -> list[Issue]: ...
    async def events(self, issue_id: int) -> list[IssueEvent]: ...
    async def add_event(self, event: IssueEvent) -> IssueEvent: ...
    async def save_event(self, event: IssueEvent) -> None: ...


class HeldMessageRepository(Repository[HeldMessage], Protocol):
    async def for_member(self, member_id: int) -> list[HeldMessage]:
        """Messages still waiting for their sender, oldest first."""

    async def forget(self, held_id: int) -> None:
        """The sender has decided: forget the text (``get`` then gives kind "filed")."""


class DeadlineRepository(Repository[RecurringDeadline], Protocol):
    pass


class RiskRepository(Repository[Risk], Protocol):
    async def current(self) -> list[Risk]:
        """Proposed and accepted risks (not closed), oldest first."""

    async def mitigated_by(self, action_id: int) -> list[Risk]: ...
    async def events(self, risk_id: int) -> list[RiskEvent]: ...
    async def events_since(self, at: dt.datetime) -> list[RiskEvent]: ...
    async def add_event(self, event: RiskEvent) -> RiskEvent: ...


class MeasureRepository(Repository[Measure], Protocol):
    async def current(self) -> list[Measure]:
        """Measures still on the dashboard."""

    async def values(self, measure_ids: Sequence[int]) -> list[MeasureValue]:
        """Their values, oldest recorded first."""

    async def add_value(self, value: MeasureValue) -> MeasureValue: ...
class FeedTokenRepository(Protocol):
    async def for_member(self, member_id: int) -> FeedToken | None: ...
    async def by_hash(self, token_hash: str) -> FeedToken | None: ...
    async def replace(self, token: FeedToken) -> FeedToken:
        """Store ``token`` as the member's only one (an older link stops working)."""

    async def forget(self, member_id: int) -> None:
        """The member has no link any more (they left the board)."""


class SharedFileRepository(Protocol):
    async def add(self, file: SharedFile) -> SharedFile: ...
    async def by_hash(self, token_hash: str) -> SharedFile | None: ...


class CalendarRepository(Protocol):
    async def closure_days(self) -> list[ClosureDay]: ...
    async def add_closure_day(self, day: ClosureDay) -> ClosureDay: ...
    async def remove_closure_day(self, day: dt.date) -> bool: ...
    async def terms(self) -> list[TermDates]: ...
    async def add_term(self, term: TermDates) -> TermDates: ...
    async def remove_term(self, name: str) -> bool: ...


class SettingsRepository(Protocol):
    """Board settings as JSON-able values by key (see bot.settings.BoardSettings)."""

    async def stored(self) -> dict[str, object]: ...
    async def store(self, key: str, value: object) -> None: ...


class AuditFinding(Protocol):
    """What ``audit verify`` found: ``problem`` is "altered", "removed" or "inserted", None if intact."""

    # Read-only properties, so that a frozen dataclass satisfies the protocol.
    @property
    def checked(self) -> int: ...
    @property
    def seq(self) -> int | None: ...
    @property
    def problem(self) -> str | None: ...
    @property
    def entry(self) -> AuditEntry | None: ...
    @property
    def ok(self) -> bool: ...


class AuditRepository(Protocol):
    """The hash-chained trail. Row changes are recorded by storage itself
    (field by field, with the unit of work's actor and command); ``add`` is
    for events that change no row, such as a view of a confidential issue."""

    async def add(self, entry: AuditEntry) -> None: ...
    async def recent(self, limit: int = 50) -> list[AuditEntry]: ...
    async def find(self, refs: Sequence[str] = (), member_id: int | None = None,
                   since: dt.datetime | None = None, limit: int = 500) -> list[AuditEntry]:
        """Entries about any of ``refs``, or by or about ``member_id``, oldest first."""

    async def verify(self) -> AuditFinding: ...


class OutboxWriter(Protocol):
    """What a unit of work may do to the outbox: owe messages and take back
    pending ones, in its own transaction, so a message exists exactly when the
    change that caused it is committed. Delivering them (claiming, leasing,
    marking sent, retrying) is jobs.delivery's, in transactions of its own.
    Subjects, recipients and kinds are spelt by bot.outbox_keys."""

    async def add_if_absent(self, msg: OutboxMessage) -> bool:
        """Insert unless the dedupe key exists. A cancelled row with the key is
        made pending again with the new content (re-planning after a change).
        Returns True if a row became pending."""

    async def cancel_pending(self, subject: str, keep: Sequence[str] = ()) -> int:
        """Cancel pending rows about ``subject`` except the dedupe keys in keep."""

    async def cancel_for_recipient(self, recipient: str, keep_subjects: Sequence[str] = ()) -> int:
        """Cancel pending rows to ``recipient`` except those about ``keep_subjects``."""

    async def pending_keys(self, subject: str) -> list[str]: ...
    async def by_key(self, key: str) -> OutboxMessage | None:
        """The row with this dedupe key, whatever its state (planning asks "was this ever owed?")."""

    async def of_kind(self, kind: str, start: dt.datetime, end: dt.datetime) -> list[OutboxMessage]:
        """Rows of ``kind`` created in [start, end), except cancelled ones (for the governance report)."""


class PrivacyRepository(Protocol):
    """Data-subject rights and retention (UK GDPR arts. 15, 17 and 5(1)(e))."""

    async def export(self, member_id: int) -> dict:
        """Everything held about a member, JSON-able, by table."""

    async def erase(self, member: Member) -> dict[str, int]:
        """Pseudonymise the member everywhere; what changed, counted by kind."""

    async def apply_retention(self, now: dt.datetime, message_days: int, concern_months: int) -> dict[str, int]:
        """Clear old message bodies and closed concerns' words; what went, counted."""


class UnitOfWork(Protocol):
    """One transaction. ``async with uow:`` begins; commit() or the exit rolls back.

    The repositories are read-only properties: the core never rebinds them, and a
    read-only member lets an implementation hold its own repository classes
    (a plain attribute in a protocol would have to match the port type exactly).
    """

    @property
    def members(self) -> MemberRepository: ...
    @property
    def identities(self) -> IdentityRepository: ...
    @property
    def organisations(self) -> OrganisationRepository: ...
    @property
    def workstreams(self) -> WorkstreamRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def apologies(self) -> ApologyRepository: ...
    @property
    def agenda(self) -> AgendaRepository: ...
    @property
    def papers(self) -> PaperRepository: ...
    @property
    def attendance(self) -> AttendanceRepository: ...
    @property
    def minutes(self) -> MinutesRepository: ...
    @property
    def standing(self) -> StandingItemRepository: ...
    @property
    def actions(self) -> ActionRepository: ...
    @property
    def issues(self) -> IssueRepository: ...
    @property
    def held(self) -> HeldMessageRepository: ...
    @property
    def deadlines(self) -> DeadlineRepository: ...
    @property
    def risks(self) -> RiskRepository: ...
    @property
    def measures(self) -> MeasureRepository: ...
    @property
    def calendar(self) -> CalendarRepository: ...
    @property
    def feeds(self) -> FeedTokenRepository: ...
    @property
    def files(self) -> SharedFileRepository: ...
    @property
    def settings(self) -> SettingsRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def outbox(self) -> OutboxWriter: ...
    @property
    def privacy(self) -> PrivacyRepository: ...

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(self, *exc: object) -> None: ...
    def act_as(self, actor_id: int | None, command: str | None) -> None:
        """Whom the audit trail credits with the changes that follow, and for what command."""

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Typesetter(Protocol):
    """Typesetting for documents the core builds; adapters/documents provides it."""

    def render(self, document: Document, fmt: str) -> bytes:
        """The document as a file: fmt is "html", "pdf" or "md"."""

    def chart(self, chart: Chart) -> bytes:
        """One chart as a PNG (a summary card's picture)."""


class DeliveryError(Exception):
    """A notifier could not deliver; the outbox decides what happens next."""

    def __init__(self, message: str, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Notifier(Protocol):
    """Delivers one outbox message to its recipient on some platform.

    Raises DeliveryError(retry_after=...) on rate limits (the row waits),
    DeliveryError(permanent=True) when retrying cannot help.
    """

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None: ...
