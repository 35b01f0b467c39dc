"""The governance report to the Health and Wellbeing Board, built from board state.

``report_figures`` counts what happened in a period (actions opened, closed
and overdue per workstream, median working days to close, escalations by
rung, concerns, attendance per organisation); ``report_document`` lays the
figures out as a neutral Document with charts where people would rather look
than read. Concerns are confidential: the report holds counts only, never a
word of what anyone wrote.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import overload
from zoneinfo import ZoneInfo

from bot.calendar import WorkingCalendar
from bot.dates import add_months
from bot.document import Bullets, Chart, Document, Para, Section, Series, Table
from bot.measures import Rag
from bot.model import Action, ActionStatus, RiskScore, Role
from bot.outbox_keys import Key, MessageKind
from bot.ports import UnitOfWork
from bot.register_document import dashboard_section, register_view
from bot.rules import ladder_label, ladder_step
from bot.settings import BoardSettings
from bot.text import format_date

NO_WORKSTREAM = "No workstream"
NO_ORGANISATION = "No organisation"
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}
ACTION_RUNGS = {"escalate-lead": "workstream lead", "escalate-chair": "chair"}
RUNG_NAMES = {"chair": "chair", "hwb": "HWB joint chairs", "secretariat": "secretariat"}


@dataclass(frozen=True)
class ReportScope:
    uow: UnitOfWork
    settings: BoardSettings
    calendar: WorkingCalendar
    start: dt.date
    end: dt.date  # inclusive
    now: dt.datetime

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    @overload
    def day(self, at: dt.datetime) -> dt.date: ...
    @overload
    def day(self, at: dt.datetime | None) -> dt.date | None: ...

    def day(self, at: dt.datetime | None) -> dt.date | None:
        return at.astimezone(self.tz).date() if at else None

    def within(self, at: dt.datetime | None) -> bool:
        day = self.day(at)
        return day is not None and self.start <= day <= self.end

    @property
    def as_of(self) -> dt.date:
        """The day overdue is counted on: the period's end, or today if that is still to come."""
        return min(self.end, self.day(self.now))

    def instant(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), self.tz).astimezone(dt.UTC)


@dataclass(frozen=True)
class WorkstreamFigures:
    name: str
    opened: int
    closed: int
    overdue: int


@dataclass
class ReportFigures:
    start: dt.date
    end: dt.date
    as_of: dt.date
    workstreams: list[WorkstreamFigures] = field(default_factory=list)
    opened_by_month: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    median_days_to_close: float | None = None
    escalations: dict[str, int] = field(default_factory=dict)
    concerns_raised: int = 0
    concerns_acknowledged_in_time: int = 0
    concerns_resolved: dict[str, int] = field(default_factory=dict)
    meetings_held: int = 0
    attendance: list[tuple[str, int, int]] = field(default_factory=list)  # (organisation, attended, seats)

    def total(self, what: str) -> int:
        return sum(getattr(w, what) for w in self.workstreams)


def count(n: int, noun: str) -> str:
    """ "1 action", "3 actions", "0 escalations"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _open_on(action: Action, scope: ReportScope, day: dt.date) -> bool:
    created, done = scope.day(action.created_at), scope.day(action.done_at)
    return created <= day and not (action.status == ActionStatus.DONE and done is not None and done <= day)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


async def _action_figures(scope: ReportScope, figures: ReportFigures) -> None:
    actions = await scope.uow.actions.list_all()
    names = {w.id: w.name for w in await scope.uow.workstreams.list_all()}
    groups: dict[str, list[Action]] = {name: [] for name in names.values()}
    for action in actions:
        groups.setdefault(names.get(action.workstream_id, NO_WORKSTREAM), []).append(action)
    months = _months(scope.start, scope.end)
    closed_days = []
    for name, group in groups.items():
        opened = [a for a in group if scope.within(a.created_at)]
        closed = [a for a in group if a.status == ActionStatus.DONE and scope.within(a.done_at)]
        overdue = [a for a in group if _open_on(a, scope, scope.as_of) and a.due < scope.as_of]
        if name == NO_WORKSTREAM and not (opened or closed or overdue):
            continue
        figures.workstreams.append(WorkstreamFigures(name, len(opened), len(closed), len(overdue)))
        per_month = Counter(scope.day(a.created_at).replace(day=1) for a in opened)
        figures.opened_by_month[name] = [(f"{m:%b %Y}", per_month.get(m, 0)) for m in months]
        closed_days += [scope.calendar.working_days_between(scope.day(a.created_at), done)
                        for a in closed if (done := scope.day(a.done_at)) is not None]
    figures.median_days_to_close = statistics.median(closed_days) if closed_days else None


async def _escalation_figures(scope: ReportScope, figures: ReportFigures) -> None:
    """Escalations by rung: an overdue action to its workstream lead or the chair
    (once per action and due date, however many people were told), and each
    step of a concern up the ladder."""
    rows = await scope.uow.outbox.of_kind(MessageKind.ESCALATION, scope.instant(scope.start),
                                          scope.instant(scope.end + dt.timedelta(days=1)))
    seen: set[str] = set()
    counts: Counter[tuple[int, str]] = Counter()  # (place on the ladder, label): shown lowest rung first
    for row in rows:
        found = Key.action_event(row.dedupe_key)
        if found is not None and found[1] in ACTION_RUNGS and found[0] not in seen:
            reminder, rung = found
            seen.add(reminder)
            counts[(list(ACTION_RUNGS).index(rung), f"Action to {ACTION_RUNGS[rung]}")] += 1
    for issue in await scope.uow.issues.list_all():
        steps = [e for e in await scope.uow.issues.events(issue.key) if e.kind == "escalate"]
        for level, event in enumerate(steps, start=1):
            if scope.within(event.at):
                step = ladder_step(level, scope.settings) or "chair"
                counts[(len(ACTION_RUNGS) + level, f"Concern to {RUNG_NAMES.get(step, step)}")] += 1
    figures.escalations = {label: n for (_, label), n in sorted(counts.items())}


async def _concern_figures(scope: ReportScope, figures: ReportFigures) -> None:
    issues = await scope.uow.issues.list_all()
    raised = [i for i in issues if scope.within(i.raised_at)]
    figures.concerns_raised = len(raised)
    figures.concerns_acknowledged_in_time = sum(
        1 for i in raised if i.acknowledged_at is not None and scope.calendar.working_days_between(
            scope.day(i.raised_at), scope.day(i.acknowledged_at)) <= scope.settings.ack_working_days)
    resolved = Counter(
        "Informally" if i.level == 0 else f"By {ladder_label(i.level, scope.settings)}"
        for i in issues if i.resolved_at is not None and scope.within(i.resolved_at))
    figures.concerns_resolved = dict(resolved)


async def _attendance_figures(scope: ReportScope, figures: ReportFigures) -> None:
    """Seats per organisation at each meeting held, less apologies with no deputy."""
    meetings = [m for m in await scope.uow.meetings.list_all()
                if not m.cancelled and scope.within(m.starts_at) and m.starts_at <= scope.now]
    figures.meetings_held = len(meetings)
    orgs = {o.id: o.name for o in await scope.uow.organisations.list_all()}
    members = [m for m in await scope.uow.members.list_all() if m.active and m.role != Role.OBSERVER]
    org_of = {m.id: orgs.get(m.org_id, NO_ORGANISATION) for m in members}
    seats: Counter[str] = Counter()
    absent: Counter[str] = Counter()
    for meeting in meetings:
        seats.update(org_of.values())
        for apology in await scope.uow.apologies.for_meeting(meeting.key):
            if apology.member_id in org_of and apology.deputy_id is None:
                absent[org_of[apology.member_id]] += 1
    figures.attendance = [(org, seats[org] - absent[org], seats[org]) for org in sorted(seats)]


async def report_figures(scope: ReportScope) -> ReportFigures:
    figures = ReportFigures(scope.start, scope.end, scope.as_of)
    for part in (_action_figures, _escalation_figures, _concern_figures, _attendance_figures):
        await part(scope, figures)
    return figures


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The six months up to today: the board reports to the HWB twice a year."""
    return add_months(today, -6) + dt.timedelta(days=1), today


def actions_chart(figures: ReportFigures) -> Chart:
    """The one chart of the summary card: opened, closed and overdue per workstream."""
    return Chart("Actions per workstream", "bar", tuple(
        Series(label, tuple((w.name, float(getattr(w, key))) for w in figures.workstreams))
        for label, key in (("Opened", "opened"), ("Closed", "closed"), ("Overdue", "overdue"))), y_label="actions")


def _actions_section(figures: ReportFigures) -> Section:
    median = figures.median_days_to_close
    rows = tuple((w.name, str(w.opened), str(w.closed), str(w.overdue)) for w in figures.workstreams)
    rows += (("All workstreams", str(figures.total("opened")), str(figures.total("closed")),
              str(figures.total("overdue"))),)
    blocks: list = [
        Table(("Workstream", "Opened", "Closed", f"Overdue at {format_date(figures.as_of)}"), rows),
        Para(f"Median time to close: {_days(median)}." if median is not None
             else "No actions were closed in the period.", muted=median is None),
        actions_chart(figures),
    ]
    if len(_months(figures.start, figures.end)) > 1 and figures.total("opened"):
        blocks.append(Chart("Actions opened each month", "line", tuple(
            Series(name, tuple((label, float(n)) for label, n in points))
            for name, points in figures.opened_by_month.items() if any(n for _, n in points)), y_label="opened"))
    return Section("Actions", tuple(blocks))


def _days(value: float) -> str:
    shown = f"{value:g}" if value != int(value) else str(int(value))
    return f"{shown} working day{'s' if value != 1 else ''}"


def _escalations_section(figures: ReportFigures) -> Section:
    if not figures.escalations:
        return Section("Escalations", (Para("Nothing was escalated in the period.", muted=True),))
    return Section("Escalations", (
        Table(("Escalated to", "Times"), tuple((rung, str(n)) for rung, n in figures.escalations.items())),
        Chart("Escalations by rung", "bar", (Series("Escalations", tuple(
            (rung, float(n)) for rung, n in figures.escalations.items())),), y_label="escalations"),
    ))


def _concerns_section(figures: ReportFigures, settings: BoardSettings) -> Section:
    rows = [("Raised", str(figures.concerns_raised)),
            (f"Acknowledged within {settings.ack_working_days} working days",
             str(figures.concerns_acknowledged_in_time))]
    rows += [(f"Resolved {stage[0].lower()}{stage[1:]}", str(n))
             for stage, n in sorted(figures.concerns_resolved.items())]
    if not figures.concerns_resolved:
        rows.append(("Resolved", "0"))
    return Section("Concerns from families", (
        Para("Counts only: concerns are confidential, so this report never says what they were about or who raised "
             "them.", muted=True),
        Table(("Concerns", "Number"), tuple(rows)),
    ))


def _attendance_section(figures: ReportFigures) -> Section:
    if not figures.attendance:
        return Section("Meetings and attendance", (Para("No board meetings were held in the period.", muted=True),))
    rows = tuple((org, f"{attended} of {seats}", f"{round(100 * attended / seats)}%" if seats else "–")
                 for org, attended, seats in figures.attendance)
    return Section("Meetings and attendance", (
        Para(f"{figures.meetings_held} board meeting{'s' if figures.meetings_held != 1 else ''} held. Attendance "
             "counts each member's seat at each meeting; a member who sent a deputy counts as present."),
        Table(("Organisation", "Seats filled", "Attendance"), rows),
        Chart("Attendance by organisation (%)", "bar", (Series("Attendance", tuple(
            (org, round(100 * attended / seats, 1) if seats else 0.0)
            for org, attended, seats in figures.attendance)),), y_label="%"),
    ))


def _summary(figures: ReportFigures) -> Section:
    median = figures.median_days_to_close
    return Section("Summary", (Bullets((
        f"{count(figures.total('opened'), 'action')} agreed and {figures.total('closed')} completed; "
        f"{figures.total('overdue')} overdue at {format_date(figures.as_of)}.",
        f"Median time to complete an action: {_days(median)}." if median is not None else "No action was completed.",
        f"{count(sum(figures.escalations.values()), 'escalation')}.",
        f"{count(figures.concerns_raised, 'concern')} raised by families, {figures.concerns_acknowledged_in_time} "
        "acknowledged in time.",
        f"{count(figures.meetings_held, 'board meeting')} held.",
    )),))


SCORES = (RiskScore.HIGH, RiskScore.MODERATE, RiskScore.LOW)
RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN)


async def risks_by_score(scope: ReportScope) -> Section | None:
    risks = await scope.uow.risks.current()
    if not risks:
        return None
    counts = Counter(r.score for r in risks)
    rows = tuple((score.value, str(counts.get(score, 0))) for score in SCORES)
    chart = Chart("Open risks by score", "bar", (Series("risks", tuple((s.value, float(counts.get(s, 0)))
                                                                       for s in SCORES)),), y_label="risks")
    high = counts.get(RiskScore.HIGH, 0)
    return Section("Risks by score", (Para(f"{len(risks)} risks on the register, {high} of them high."),
                                      Table(("Score", "Risks"), rows), chart))


async def measures_by_rag(scope: ReportScope) -> Section | None:
    measures = await scope.uow.measures.current()
    if not measures:
        return None
    view = await register_view(scope.uow, scope.settings, scope.calendar, scope.as_of, None)
    counts = Counter(r.status for r in view.readings if r.status is not None)
    unrecorded = sum(1 for r in view.readings if r.status is None)
    rows = tuple((rag.value, str(counts.get(rag, 0))) for rag in RAGS) + ((("no value yet", str(unrecorded)),)
                                                                         if unrecorded else ())
    dashboard = dashboard_section(view)
    return Section("Measures by RAG", (Table(("Status", "Measures"), rows),), subsections=(dashboard,))


# Further sections built from board state, shown only when the board keeps what they report on:
# async (scope) -> Section | None.
SectionSource = Callable[[ReportScope], Awaitable[Section | None]]
EXTRA_SECTIONS: tuple[SectionSource, ...] = (risks_by_score, measures_by_rag)


async def report_document(scope: ReportScope) -> tuple[Document, ReportFigures]:
    figures = await report_figures(scope)
    sections = [_summary(figures), _actions_section(figures), _escalations_section(figures),
                _concerns_section(figures, scope.settings), _attendance_section(figures)]
    for source in EXTRA_SECTIONS:
        if (section := await source(scope)) is not None:
            sections.append(section)
    document = Document(
        "report", "Partnership board report",
        subtitle=f"To the Health and Wellbeing Board · {format_date(scope.start)} to {format_date(scope.end)}",
        sections=tuple(sections),
        footer=f"Prepared by partnerbot from the board's records on {format_date(scope.day(scope.now))}.",
    )
    return document, figures
