"""The risk register and the dashboard as the board reads them in its papers.

One selection, two renderings: ``RegisterView`` picks what the meeting pack
shows (new risks, changed scores, reviews due, every high risk; every measure
red first) and both the chat pack (Reply items) and the document pack
(``bot.document.Section``s, with a trend chart per measure) are built from it,
so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.calendar import WorkingCalendar
from bot.document import Chart, Document, Para, Section, Series, Table
from bot.measures import Reading, number, read, red_first
from bot.model import Action, ActionStatus, Meeting, Member, Prefix, Risk, RiskEvent, RiskScore, RiskStatus
from bot.ports import UnitOfWork
from bot.risks import register_order, risk_flag
from bot.settings import BoardSettings
from bot.text import format_date
from bot.views import ref

RISK_COLUMNS = ("Ref", "Risk", "Score", "Owner", "Review", "Mitigating actions")
MEASURE_COLUMNS = ("Ref", "Measure", "Latest", "Target", "RAG", "Trend", "Owner")


@dataclass
class RegisterView:
    """Both registers at one moment, with what the pack needs to select from them."""

    risks: list[Risk]  # current (proposed and accepted), register order
    events: list[RiskEvent]  # since the previous meeting
    actions: dict[int, Action]
    people: dict[int, Member]
    readings: list[Reading]  # red first
    today: dt.date
    calendar: WorkingCalendar
    since: dt.datetime | None  # the previous meeting; None: there was none

    def new(self) -> list[Risk]:
        return [r for r in self.risks if self.since is None or r.created_at >= self.since]

    def rescored(self) -> list[Risk]:
        ids = {e.risk_id for e in self.events if e.kind == "score"}
        return [r for r in self.risks if r.id in ids]

    def due_for_review(self, by: dt.date) -> list[Risk]:
        return [r for r in self.risks if r.status == RiskStatus.ACCEPTED and r.review_due <= by]

    def high(self) -> list[Risk]:
        return [r for r in self.risks if r.score == RiskScore.HIGH]

    def pack_groups(self, review_by: dt.date) -> list[tuple[str, list[Risk], str]]:
        """(title, risks, what to say when empty) for the pack's risk section."""
        since = f"since {format_date(self.since.date())}" if self.since else "since the register began"
        return [(f"New risks {since}", self.new(), "No new risks."),
                (f"Scores changed {since}", self.rescored(), "No score has changed."),
                (f"Due for review by {format_date(review_by)}", self.due_for_review(review_by), "No reviews due."),
                ("All high risks", self.high(), "No high risks.")]

    def flag(self, risk: Risk) -> str:
        return risk_flag(risk, self.actions, self.today, self.calendar)

    def who(self, member_id: int | None) -> str:
        member = self.people.get(member_id) if member_id else None
        return member.name if member else "—"

    def mitigation(self, risk: Risk) -> str:
        parts = []
        for action_id in risk.action_ids:
            action = self.actions.get(action_id)
            state = "done" if action and action.status == ActionStatus.DONE else \
                "overdue" if action and action.due < self.today else "open"
            parts.append(f"{ref(Prefix.ACTION, action_id)} ({state})")
        return ", ".join(parts) or (risk.mitigation or "—")


async def register_view(uow: UnitOfWork, settings: BoardSettings, calendar: WorkingCalendar, today: dt.date,
                        since: dt.datetime | None) -> RegisterView:
    risks = register_order(await uow.risks.current())
    measures = await uow.measures.current()
    values = await uow.measures.values([m.key for m in measures])
    linked = {i for r in risks for i in r.action_ids}
    actions = {a.key: a for i in sorted(linked) if (a := await uow.actions.get(i))}
    people = {m.id: m for m in await uow.members.list_all() if m.id is not None}
    events = await uow.risks.events_since(since or dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    readings = red_first(read(m, values, settings.rag_amber_percent) for m in measures)
    return RegisterView(risks, events, actions, people, readings, today, calendar, since)


async def previous_meeting_start(uow: UnitOfWork, meeting: Meeting) -> dt.datetime | None:
    """When the board last met before ``meeting``: the pack reports what is new or rescored since."""
    earlier = await uow.meetings.between(meeting.starts_at - dt.timedelta(days=400), meeting.starts_at)
    return earlier[-1].starts_at if earlier else None


def _risk_row(view: RegisterView, risk: Risk) -> tuple[str, ...]:
    return (ref(Prefix.RISK, risk.id), risk.title, risk.score.value, view.who(risk.owner_id),
            format_date(risk.review_due), view.mitigation(risk))


def risk_table(view: RegisterView, risks: list[Risk], empty: str) -> Table:
    return Table(RISK_COLUMNS, tuple(_risk_row(view, r) for r in risks), tuple(view.flag(r) for r in risks), empty)


def risk_section(view: RegisterView, review_by: dt.date) -> Section:
    """The pack's risk section: new, changed score, due for review, all high."""
    return Section("Risks", subsections=tuple(Section(title, (risk_table(view, risks, empty),))
                                              for title, risks, empty in view.pack_groups(review_by)))


def register_section(view: RegisterView) -> Section:
    """The whole current register, highest score first."""
    return Section("Risk register", (risk_table(view, view.risks, "The register is empty."),))


def measure_row(view: RegisterView, reading: Reading) -> tuple[str, ...]:
    m = reading.measure
    latest = reading.by_period[-1] if reading.by_period else None
    return (ref(Prefix.MEASURE, m.id), m.name, f"{number(latest[1].value, m.percent)} ({latest[0]})" if latest
            else "no value yet", number(m.target, m.percent), reading.status.value if reading.status else "—",
            reading.trend(), view.who(m.owner_id))


def trend_chart(reading: Reading) -> Chart:
    m = reading.measure
    points = tuple((label, value.value) for label, value in reading.by_period)
    return Chart(f"{ref(Prefix.MEASURE, m.id)} {m.name}", "line", (Series(ref(Prefix.MEASURE, m.id), points),),
                 y_label="%" if m.percent else "", target=m.target)


def dashboard_section(view: RegisterView) -> Section:
    """Every measure with its RAG status, red first, and a trend chart for each one with values."""
    table = Table(MEASURE_COLUMNS, tuple(measure_row(view, r) for r in view.readings),
                  tuple(r.status.value if r.status else None for r in view.readings), "No measures yet.")
    charts = tuple(trend_chart(r) for r in view.readings if r.by_period)
    red = sum(1 for r in view.readings if r.status and r.status.value == "red")
    summary = Para(f"{red} of {len(view.readings)} measures are red." if view.readings else "No measures yet.",
                   muted=not red)
    return Section("Dashboard", (summary, table, *charts))


def register_document(view: RegisterView) -> Document:
    """``partnerbot risks``: the register and the dashboard as one paper."""
    return Document(kind="register", title="Risk register and dashboard",
                    subtitle=f"As at {format_date(view.today)}",
                    sections=(register_section(view), dashboard_section(view)),
                    footer="Scores: high, moderate, low. RAG: green meets the target; amber is within the board's "
                           "amber band of it; red is further off.")
