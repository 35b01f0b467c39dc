"""The board's domain objects: plain dataclasses the core reasons about.

Storage maps these to SQLModel tables; the core never sees a session or a row.
Every entity has an integer ``id`` (None until stored) and a short public
reference made of a prefix and that id (``A12``, ``M4``), see ``Ref``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import Field, dataclass, field
from typing import Any, ClassVar

from bot.outbox_keys import MessageKind


class Role(enum.StrEnum):
    CHAIR = "chair"
    SECRETARIAT = "secretariat"
    MEMBER = "member"
    PARENT_REP = "parent-rep"
    OBSERVER = "observer"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class AgendaStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DEFERRED = "deferred"
    DECLINED = "declined"


class IssueStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"  # the raiser took it back; it stops escalating
    DECIDED = "decided"  # the HWB joint chairs' final decision (Kingston MoU §7); closed for good


OPEN_ISSUE = (IssueStatus.OPEN, IssueStatus.ACKNOWLEDGED)


class Prefix(enum.StrEnum):
    """Reference prefixes users see and type."""

    ACTION = "A"
    AGENDA = "G"
    MEETING = "M"
    ISSUE = "I"
    WORKSTREAM = "W"
    DEADLINE = "D"
    STANDING = "S"
    RISK = "R"
    MEASURE = "K"


class Stored:
    """Base of every entity dataclass: ``id`` is None until storage sets it.

    ``key`` is the id of an entity known to be stored (read from a repository,
    or returned by ``add``), typed as ``int``: code that passes ids on uses it
    instead of ``id``, so an unsaved entity fails here rather than reaching a
    query as None.
    """

    id: int | None
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # every subclass is a dataclass

    @property
    def key(self) -> int:
        if self.id is None:
            raise ValueError(f"this {type(self).__name__} is not stored yet")
        return self.id


@dataclass
class Organisation(Stored):
    name: str
    id: int | None = None


@dataclass
class Member(Stored):
    handle: str  # console/chat handle without "@", unique, lower case
    name: str
    initials: str
    role: Role = Role.MEMBER
    org_id: int | None = None
    email: str | None = None  # how a chat account is linked to this member the first time (bot.identity)
    deputy_id: int | None = None
    dm_opt_out: bool = False
    active: bool = True
    guest: bool = False  # not yet on the board: someone who sent a concern; `member add` makes them a member
    id: int | None = None


@dataclass
class MemberIdentity(Stored):
    """A member's account on one chat platform.

    ``platform`` is whatever key the adapter passes and ``external_id`` that
    platform's opaque id for the person; the core compares them, never reads
    them. An account belongs to one member; a member has at most one account
    per platform. ``email`` is the address the platform showed when it linked.
    """

    member_id: int
    platform: str
    external_id: str
    email: str | None = None
    linked_at: dt.datetime | None = None
    id: int | None = None


@dataclass
class Workstream(Stored):
    name: str
    lead_ids: list[int] = field(default_factory=list)
    closed: bool = False  # kept for its actions' history; no new actions join it
    id: int | None = None


@dataclass
class Meeting(Stored):
    starts_at: dt.datetime  # aware, UTC
    ends_at: dt.datetime | None = None
    place: str | None = None
    created_by: int | None = None
    cancelled: bool = False
    minutes_approved_at: dt.datetime | None = None  # approved minutes change only with an audit entry
    minutes_approved_by: int | None = None
    id: int | None = None


@dataclass
class Apology(Stored):
    meeting_id: int
    member_id: int
    deputy_id: int | None = None
    at: dt.datetime | None = None
    deputy_name: str | None = None  # a deputy who is not on the board ("Jane Roe, Kingfisher School")
    id: int | None = None


@dataclass
class Attendance(Stored):
    """Someone present at a meeting: a member, or a guest named as the minutes write it."""

    meeting_id: int
    member_id: int | None = None
    guest: str | None = None  # "Ann Lee, DfE"
    id: int | None = None


class MinuteKind(enum.StrEnum):
    DISCUSSION = "discussion"
    DECISION = "decision"


@dataclass
class MinuteEntry(Stored):
    """One paragraph of a meeting's minutes: the discussion of an item, or a decision."""

    meeting_id: int
    text: str
    author_id: int
    at: dt.datetime
    item_id: int | None = None
    kind: MinuteKind = MinuteKind.DISCUSSION
    id: int | None = None


@dataclass
class StandingItem(Stored):
    """An item every future meeting's agenda starts with (welcome, minutes and actions, AOB)."""

    title: str
    presenter_id: int | None = None
    duration: int | None = None  # minutes
    active: bool = True  # removed items are kept for the items already on agendas
    id: int | None = None


@dataclass
class AgendaItem(Stored):
    title: str
    proposer_id: int
    proposed_at: dt.datetime
    meeting_id: int | None = None
    status: AgendaStatus = AgendaStatus.PROPOSED
    spotlight: bool = False
    late: bool = False
    reason: str | None = None
    presenter_id: int | None = None
    duration: int | None = None  # minutes on the agenda
    position: int | None = None  # set by `agenda order`; None keeps the default order
    standing_id: int | None = None  # copied from a standing item
    id: int | None = None


@dataclass
class Paper(Stored):
    item_id: int
    link: str
    submitted_by: int
    submitted_at: dt.datetime
    late: bool = False
    id: int | None = None


@dataclass
class Action(Stored):
    text: str
    owner_ids: list[int]
    due: dt.date
    created_by: int
    created_at: dt.datetime
    workstream_id: int | None = None
    meeting_id: int | None = None
    status: ActionStatus = ActionStatus.OPEN
    last_update_at: dt.datetime | None = None  # last progress note or state change
    snoozed_until: dt.date | None = None
    done_at: dt.datetime | None = None
    id: int | None = None


@dataclass
class ActionUpdate(Stored):
    """One line of an action's history: a progress note or a state change."""

    action_id: int
    author_id: int
    at: dt.datetime
    kind: str  # "note", "done", "reopen", "due", "assign", "snooze", "created"
    note: str = ""
    id: int | None = None


@dataclass
class Issue(Stored):
    """A confidential concern, usually raised by a parent rep."""

    text: str
    raiser_id: int
    raised_at: dt.datetime
    status: IssueStatus = IssueStatus.OPEN
    assignee_id: int | None = None
    level: int = 0  # 0 informal, 1.. index into the escalation ladder
    level_since: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None  # withdrawn or decided
    summary: str | None = None  # the secretariat's case summary: what the HWB joint chairs read
    theme: str | None = None  # transport, school place, therapies...: for "you said, we did"
    outcome: str | None = None  # what may be shared without naming anyone
    decision: str | None = None  # the HWB joint chairs' final decision
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ISSUE


@dataclass
class IssueEvent(Stored):
    issue_id: int
    actor_id: int | None
    at: dt.datetime
    kind: str  # "raised", "ack", "assign", "update", "add", "resolve", "reopen", "escalate", "withdraw", ...
    note: str = ""
    id: int | None = None


@dataclass
class HeldMessage(Stored):
    """A direct message kept until its sender says what it is: a draft too short
    to act on, a question that may be a concern, or a follow-up when they have
    several open concerns. Nothing a parent typed is lost meanwhile."""

    member_id: int
    text: str
    at: dt.datetime
    kind: str  # "draft" | "question" | "which" | "reopen"; "filed" once decided (the text is then gone)
    issue_id: int | None = None  # for "reopen": the resolved concern it may reopen
    id: int | None = None


@dataclass
class RecurringDeadline(Stored):
    """A board deadline that comes round again (HWB report, MoU review)."""

    title: str
    first_due: dt.date
    every_months: int  # 6 = twice a year, 12 = yearly; 0 = removed (kept for the audit trail)
    owner_id: int | None = None
    created_by: int | None = None
    id: int | None = None


class RiskScore(enum.StrEnum):
    """In register order: the board looks at high risks first."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


class RiskStrategy(enum.StrEnum):
    MITIGATE = "mitigate"
    ACCEPT = "accept"
    TRANSFER = "transfer"
    AVOID = "avoid"


class RiskStatus(enum.StrEnum):
    PROPOSED = "proposed"  # any member may propose; the chair, secretariat or workstream lead accepts
    ACCEPTED = "accepted"
    CLOSED = "closed"


@dataclass
class Risk(Stored):
    """An entry in the board's (or a workstream's) risk register."""

    title: str
    impact: str
    strategy: RiskStrategy
    score: RiskScore
    owner_id: int
    created_at: dt.datetime
    review_due: dt.date  # the next review; ``risk review`` moves it on by review_months
    review_months: int = 3
    workstream_id: int | None = None  # None: a board-level risk
    created_by: int | None = None  # None when imported by an operator
    status: RiskStatus = RiskStatus.PROPOSED
    mitigation: str = ""
    accepted_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    action_ids: list[int] = field(default_factory=list)  # mitigating actions
    id: int | None = None


@dataclass
class RiskEvent(Stored):
    """One line of a risk's history; ``kind`` "score" notes carry "old → new"."""

    risk_id: int
    actor_id: int | None
    at: dt.datetime
    kind: str  # "proposed", "accepted", "score", "mitigation", "owner", "review", "closed", "action", "imported"
    note: str = ""
    id: int | None = None


@dataclass
class Measure(Stored):
    """A dashboard measure with a target, reported every ``every_months`` (1, 3 or 6)."""

    name: str
    target: float
    owner_id: int
    created_at: dt.datetime
    every_months: int = 3
    percent: bool = False  # shown as "95%"
    higher_is_better: bool = True
    workstream_id: int | None = None
    baseline: float | None = None
    created_by: int | None = None
    active: bool = True
    id: int | None = None


@dataclass
class MeasureValue(Stored):
    """A value for one period ("2026-Q4", "2026-11", "2026-H2"). A period
    recorded again keeps the earlier value in history; the latest counts."""

    measure_id: int
    period: str
    value: float
    recorded_at: dt.datetime
    recorded_by: int | None = None
    note: str = ""
    id: int | None = None


@dataclass
class FeedToken(Stored):
    """A member's private calendar feed link. Only a hash of the token is kept,
    so the link cannot be read back from the database."""

    member_id: int
    token_hash: str
    created_at: dt.datetime
    id: int | None = None


@dataclass
class SharedFile(Stored):
    """A file the bot sent, kept for a while behind an unguessable link, for
    platforms where a bot cannot simply attach one (Teams). Only the link
    token's hash is kept."""

    token_hash: str
    filename: str
    media_type: str
    data: bytes
    created_at: dt.datetime
    expires_at: dt.datetime
    id: int | None = None


@dataclass
class ClosureDay(Stored):
    day: dt.date
    reason: str = ""
    id: int | None = None


@dataclass
class TermDates(Stored):
    name: str
    starts: dt.date
    ends: dt.date
    id: int | None = None


@dataclass
class AuditEntry(Stored):
    """Who did what to which reference, as one link of a hash chain.

    Never holds message bodies or a concern's words. ``verb`` is "create",
    "change", "delete", "view" or an event name ("erase", "outbox.dead").
    ``changes`` maps each field to ``[before, after]``; confidential fields
    show only that they changed. ``command`` is what caused it (a /board
    command, ``jobs`` or an operator tool). The chain: ``digest`` is the hash
    of the entry's canonical content, ``hash`` links it to ``prev_hash``.
    """

    at: dt.datetime
    actor_id: int | None
    verb: str
    ref: str = ""
    detail: str = ""
    command: str | None = None
    entity: str | None = None  # the table changed, e.g. "actions"
    entity_id: int | None = None
    changes: dict = field(default_factory=dict)
    seq: int | None = None  # position in the chain, 1..n, set when appended
    prev_hash: str | None = None
    digest: str | None = None
    hash: str | None = None
    id: int | None = None


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
    DEAD = "dead"


@dataclass
class OutboxMessage(Stored):
    """A message the bot owes someone, recorded before it is sent.

    ``dedupe_key`` is unique: planning the same step twice inserts nothing.
    ``subject`` groups rows about one thing (``action:12``) so that a change
    to it cancels what is still pending. ``recipient`` is ``member:<id>`` or
    ``channel:<name>``; bot.outbox_keys spells subjects, recipients and kinds. ``payload`` is a serialised Reply (see
    bot.reply).
    """

    dedupe_key: str
    subject: str
    recipient: str
    payload: dict
    text: str
    due_at: dt.datetime  # aware UTC: not before
    kind: str = MessageKind.NOTICE  # a bot.outbox_keys.MessageKind (stored as its value)
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    lease_owner: str | None = None
    lease_until: dt.datetime | None = None
    last_error: str | None = None
    created_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    id: int | None = None
