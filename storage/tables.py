"""The schema: one SQLModel table per bot.model entity, plus adapter support.

Table classes are named ``...Row`` so they never shadow the domain
dataclasses; storage.mapping checks at import time that every dataclass
field has a column here (or a join table), so a field added to bot.model
cannot silently go unstored. List fields (``Action.owner_ids``,
``Workstream.lead_ids``) live in join tables with a ``position`` column that
keeps the list's order. Migrations (storage/migrations) must match this
metadata; tests/storage checks that they do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, func
from sqlmodel import Field, SQLModel

from bot.model import (
    ActionStatus,
    AgendaStatus,
    IssueStatus,
    MinuteKind,
    OutboxStatus,
    RiskScore,
    RiskStatus,
    RiskStrategy,
    Role,
)
from storage.types import EnumText, UTCDateTime

# Deterministic constraint names, so later migrations (and SQLite batch
# mode) can refer to constraints by name on both databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def instant(**kwargs: Any) -> Any:
    """A timezone-aware datetime column (see storage.types.UTCDateTime)."""
    return Field(sa_type=UTCDateTime(), **kwargs)


def member_ref(**kwargs: Any) -> Any:
    """A column naming a member."""
    return Field(foreign_key="members.id", **kwargs)


class OrganisationRow(SQLModel, table=True):
    __tablename__ = "organisations"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class MemberRow(SQLModel, table=True):
    __tablename__ = "members"
    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(unique=True)
    name: str
    initials: str
    role: Role = Field(sa_type=EnumText(Role))
    org_id: int | None = Field(default=None, foreign_key="organisations.id")
    email: str | None = None  # indexed below, lower-cased
    deputy_id: int | None = member_ref(default=None)
    dm_opt_out: bool
    active: bool
    guest: bool = False


# Members are found by e-mail case-insensitively: Slack and Teams profiles do
# not keep the board's spelling.
Index("ix_members_email_lower", func.lower(MemberRow.__table__.c.email))  # type: ignore[attr-defined]


class MemberIdentityRow(SQLModel, table=True):
    """``bot.model.MemberIdentity``: a member's account on one chat platform.
    An account is one member's; a member has one account per platform."""

    __tablename__ = "member_identities"
    __table_args__ = (UniqueConstraint("platform", "external_id"), UniqueConstraint("member_id", "platform"))
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = member_ref()
    platform: str
    external_id: str
    email: str | None = None
    linked_at: dt.datetime | None = instant(default=None)


class WorkstreamRow(SQLModel, table=True):
    __tablename__ = "workstreams"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    closed: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class WorkstreamLeadRow(SQLModel, table=True):
    """``Workstream.lead_ids``."""

    __tablename__ = "workstream_leads"
    workstream_id: int = Field(foreign_key="workstreams.id", primary_key=True)
    member_id: int = member_ref(primary_key=True)
    position: int


class MeetingRow(SQLModel, table=True):
    __tablename__ = "meetings"
    id: int | None = Field(default=None, primary_key=True)
    starts_at: dt.datetime = instant(index=True)
    ends_at: dt.datetime | None = instant(default=None)
    place: str | None = None
    created_by: int | None = member_ref(default=None)
    cancelled: bool
    minutes_approved_at: dt.datetime | None = instant(default=None)
    minutes_approved_by: int | None = member_ref(default=None)


class ApologyRow(SQLModel, table=True):
    __tablename__ = "apologies"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    member_id: int = member_ref()
    deputy_id: int | None = member_ref(default=None)
    at: dt.datetime | None = instant(default=None)
    deputy_name: str | None = None


class AttendanceRow(SQLModel, table=True):
    __tablename__ = "attendance"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    member_id: int | None = member_ref(default=None)
    guest: str | None = None


class MinuteEntryRow(SQLModel, table=True):
    __tablename__ = "minute_entries"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="agenda_items.id")
    kind: MinuteKind = Field(sa_type=EnumText(MinuteKind))
    text: str
    author_id: int = member_ref()
    at: dt.datetime = instant()


class StandingItemRow(SQLModel, table=True):
    __tablename__ = "standing_items"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    presenter_id: int | None = member_ref(default=None)
    duration: int | None = None
    active: bool


class AgendaItemRow(SQLModel, table=True):
    __tablename__ = "agenda_items"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    proposer_id: int = member_ref(index=True)
    proposed_at: dt.datetime = instant()
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id", index=True)
    status: AgendaStatus = Field(sa_type=EnumText(AgendaStatus))
    spotlight: bool
    late: bool
    reason: str | None = None
    presenter_id: int | None = member_ref(default=None)
    duration: int | None = None
    position: int | None = None
    standing_id: int | None = Field(default=None, foreign_key="standing_items.id")


class PaperRow(SQLModel, table=True):
    __tablename__ = "papers"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_items.id", index=True)
    link: str
    submitted_by: int = member_ref()
    submitted_at: dt.datetime = instant()
    late: bool


class ActionRow(SQLModel, table=True):
    __tablename__ = "actions"
    # Open actions by due date: the reminder jobs' main query; and one workstream's (`action list ws W2`).
    __table_args__ = (Index("ix_actions_status_due", "status", "due"),
                      Index("ix_actions_workstream_status_due", "workstream_id", "status", "due"))
    id: int | None = Field(default=None, primary_key=True)
    text: str
    due: dt.date
    created_by: int = member_ref()
    created_at: dt.datetime = instant()
    workstream_id: int | None = Field(default=None, foreign_key="workstreams.id")
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id")
    status: ActionStatus = Field(sa_type=EnumText(ActionStatus))
    last_update_at: dt.datetime | None = instant(default=None)
    snoozed_until: dt.date | None = None
    done_at: dt.datetime | None = instant(default=None)


class ActionOwnerRow(SQLModel, table=True):
    """``Action.owner_ids``; indexed by member for "my actions"."""

    __tablename__ = "action_owners"
    action_id: int = Field(foreign_key="actions.id", primary_key=True)
    member_id: int = member_ref(primary_key=True, index=True)
    position: int


class ActionUpdateRow(SQLModel, table=True):
    __tablename__ = "action_updates"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actions.id", index=True)
    author_id: int = member_ref()
    at: dt.datetime = instant()
    kind: str
    note: str


class IssueRow(SQLModel, table=True):
    __tablename__ = "issues"
    # Unresolved issues oldest first (issue list, home, deadlines, the escalation job).
    __table_args__ = (Index("ix_issues_status_raised_at", "status", "raised_at"),)
    id: int | None = Field(default=None, primary_key=True)
    text: str
    raiser_id: int = member_ref()
    raised_at: dt.datetime = instant()
    status: IssueStatus = Field(sa_type=EnumText(IssueStatus), index=True)
    assignee_id: int | None = member_ref(default=None)
    level: int
    level_since: dt.datetime | None = instant(default=None)
    acknowledged_at: dt.datetime | None = instant(default=None)
    resolved_at: dt.datetime | None = instant(default=None)
    closed_at: dt.datetime | None = instant(default=None)
    summary: str | None = None
    theme: str | None = None
    outcome: str | None = None
    decision: str | None = None


class IssueEventRow(SQLModel, table=True):
    __tablename__ = "issue_events"
    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issues.id", index=True)
    actor_id: int | None = member_ref(default=None)
    at: dt.datetime = instant()
    kind: str
    note: str


class HeldMessageRow(SQLModel, table=True):
    __tablename__ = "held_messages"
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = member_ref(index=True)
    text: str
    at: dt.datetime = instant()
    kind: str
    issue_id: int | None = Field(default=None, foreign_key="issues.id")


class RecurringDeadlineRow(SQLModel, table=True):
    __tablename__ = "recurring_deadlines"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    first_due: dt.date
    every_months: int
    owner_id: int | None = member_ref(default=None)
    created_by: int | None = member_ref(default=None)


class RiskRow(SQLModel, table=True):
    __tablename__ = "risks"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    impact: str
    strategy: RiskStrategy = Field(sa_type=EnumText(RiskStrategy))
    score: RiskScore = Field(sa_type=EnumText(RiskScore))
    owner_id: int = member_ref(index=True)
    created_at: dt.datetime = instant()
    review_due: dt.date
    review_months: int
    workstream_id: int | None = Field(default=None, foreign_key="workstreams.id")
    created_by: int | None = member_ref(default=None)
    status: RiskStatus = Field(sa_type=EnumText(RiskStatus), index=True)
    mitigation: str
    accepted_at: dt.datetime | None = instant(default=None)
    closed_at: dt.datetime | None = instant(default=None)


class RiskActionRow(SQLModel, table=True):
    """``Risk.action_ids``: the actions that mitigate a risk."""

    __tablename__ = "risk_actions"
    risk_id: int = Field(foreign_key="risks.id", primary_key=True)
    action_id: int = Field(foreign_key="actions.id", primary_key=True, index=True)
    position: int


class RiskEventRow(SQLModel, table=True):
    __tablename__ = "risk_events"
    id: int | None = Field(default=None, primary_key=True)
    risk_id: int = Field(foreign_key="risks.id", index=True)
    actor_id: int | None = member_ref(default=None)
    at: dt.datetime = instant(index=True)
    kind: str
    note: str


class MeasureRow(SQLModel, table=True):
    __tablename__ = "measures"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    target: float
    owner_id: int = member_ref(index=True)
    created_at: dt.datetime = instant()
    every_months: int
    percent: bool
    higher_is_better: bool
    workstream_id: int | None = Field(default=None, foreign_key="workstreams.id")
    baseline: float | None = None
    created_by: int | None = member_ref(default=None)
    active: bool


class MeasureValueRow(SQLModel, table=True):
    __tablename__ = "measure_values"
    __table_args__ = (Index("ix_measure_values_measure_id_period", "measure_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="measures.id")
    period: str
    value: float
    recorded_at: dt.datetime = instant()
    recorded_by: int | None = member_ref(default=None)
    note: str
class FeedTokenRow(SQLModel, table=True):
    __tablename__ = "feed_tokens"
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = member_ref(unique=True)
    token_hash: str = Field(unique=True)
    created_at: dt.datetime = instant()


class SharedFileRow(SQLModel, table=True):
    __tablename__ = "shared_files"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    filename: str
    media_type: str
    data: bytes = Field(sa_type=LargeBinary())
    created_at: dt.datetime = instant()
    expires_at: dt.datetime = instant()


class ClosureDayRow(SQLModel, table=True):
    __tablename__ = "closure_days"
    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(unique=True)
    reason: str


class TermDatesRow(SQLModel, table=True):
    __tablename__ = "term_dates"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    starts: dt.date
    ends: dt.date


class BoardSettingRow(SQLModel, table=True):
    __tablename__ = "board_settings"
    key: str = Field(primary_key=True)
    value: Any = Field(sa_column=Column(JSON, nullable=True))


class AuditRow(SQLModel, table=True):
    """The audit trail, hash-chained in ``seq`` order (storage.audit)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = instant()
    actor_id: int | None = member_ref(default=None, index=True)
    verb: str
    ref: str = Field(index=True)
    detail: str
    command: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    changes: dict = Field(sa_type=JSON)
    seq: int = Field(unique=True)
    prev_hash: str
    digest: str
    hash: str


class TrailHeadRow(SQLModel, table=True):
    """The chain head: one row, locked by every append so concurrent writers
    take turns, and the last link's hash so a removed tail is noticed."""

    __tablename__ = "trail_head"
    id: int = Field(primary_key=True)
    seq: int
    hash: str


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        # Claiming: pending rows by due time, and claimed rows (status prefix).
        Index("ix_outbox_status_due_at", "status", "due_at"),
        # Re-planning: cancel what is still pending about one subject.
        Index("ix_outbox_subject_status", "subject", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True)
    subject: str
    recipient: str
    payload: dict = Field(sa_type=JSON)
    text: str
    due_at: dt.datetime = instant()
    kind: str
    status: OutboxStatus = Field(sa_type=EnumText(OutboxStatus))
    attempts: int
    next_attempt_at: dt.datetime | None = instant(default=None)
    lease_owner: str | None = None
    lease_until: dt.datetime | None = instant(default=None)
    last_error: str | None = None
    created_at: dt.datetime | None = instant(default=None)
    sent_at: dt.datetime | None = instant(default=None)


class ProcessedEventRow(SQLModel, table=True):
    """Platform event ids already handled: Slack and Teams redeliver on timeouts."""

    __tablename__ = "processed_events"
    # The pruning job deletes by age.
    __table_args__ = (UniqueConstraint("platform", "event_id"), Index("ix_processed_events_seen_at", "seen_at"))
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    event_id: str
    seen_at: dt.datetime = instant()


class ConversationRefRow(SQLModel, table=True):
    """What an adapter needs to message someone later (e.g. a Teams conversation reference)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    key: str
    data: dict = Field(sa_type=JSON)
    updated_at: dt.datetime = instant()
