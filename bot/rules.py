"""The board's agreements as pure functions: paper deadlines, parent-friendly
meetings and the issue escalation ladder. Unit-tested by table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.calendar import WorkingCalendar
from bot.dates import add_months
from bot.model import Issue, RecurringDeadline, TermDates
from bot.settings import BoardSettings

LADDER_NAMES = {
    "chair": "the Chair of the board",
    "hwb": "the Joint Chairs of the Health and Wellbeing Board",
    "secretariat": "the secretariat",
}


@dataclass(frozen=True)
class AgendaCutoffs:
    submission: dt.date  # papers and items in by this date (Kent PACT MoU §2.1.2)
    circulation: dt.date  # agenda and papers go out on this date


def agenda_cutoffs(meeting_day: dt.date, calendar: WorkingCalendar, settings: BoardSettings) -> AgendaCutoffs:
    return AgendaCutoffs(
        submission=calendar.working_days_before(meeting_day, settings.submission_offset),
        circulation=calendar.working_days_before(meeting_day, settings.circulation_offset),
    )


def is_late(submitted_on: dt.date, cutoffs: AgendaCutoffs) -> bool:
    """Late if after the submission cut-off day (the whole cut-off day counts)."""
    return submitted_on > cutoffs.submission


def in_term(day: dt.date, terms: Sequence[TermDates]) -> bool:
    return any(t.starts <= day <= t.ends for t in terms)


def parent_friendly_warnings(
    start: dt.datetime,
    end: dt.datetime | None,
    terms: Sequence[TermDates],
    calendar: WorkingCalendar,
    settings: BoardSettings,
) -> list[str]:
    """Why a meeting may not suit parent carers (Kent PACT MoU §2.1.7–2.1.8).

    ``start``/``end`` are local times. Advice, not refusal: there are
    occasions when meetings must fall outside these guidelines.
    """
    warnings = []
    earliest, latest = (BoardSettings.clock_time(t) for t in settings.parent_hours)
    finish = end.time() if end else start.time()
    if start.time() < earliest or finish > latest:
        warnings.append(
            f"it is outside the parent-friendly hours of {settings.parent_hours[0]}–{settings.parent_hours[1]}"
        )
    if reason := calendar.closed_reason(start.date()):
        warnings.append(f"it falls on a non-working day ({reason})")
    if terms and not in_term(start.date(), terms):
        warnings.append("it is outside term time (school holidays)")
    return warnings


def next_escalation_at(issue: Issue, settings: BoardSettings) -> dt.datetime | None:
    """When the issue climbs to the next rung if still unresolved; None at the top.

    Level 0 is informal resolution (28 calendar days, Kingston MoU §7); level k
    is the k-th rung of ``settings.ladder``, each held for its own days.
    """
    since = issue.level_since or issue.raised_at
    if issue.level == 0:
        return since + dt.timedelta(days=settings.informal_days)
    if issue.level < len(settings.ladder):
        return since + dt.timedelta(days=int(settings.ladder[issue.level - 1][1]))
    return None


def ladder_step(level: int, settings: BoardSettings) -> str | None:
    """The ladder rung name for a level (1-based), e.g. "chair"; None for level 0."""
    return str(settings.ladder[level - 1][0]) if 1 <= level <= len(settings.ladder) else None


def ladder_label(level: int, settings: BoardSettings) -> str:
    step = ladder_step(level, settings)
    return "informal resolution" if step is None else LADDER_NAMES.get(step, step)


def occurrences(deadline: RecurringDeadline, start: dt.date, end: dt.date) -> list[dt.date]:
    """Due dates of a recurring deadline within [start, end]."""
    found, n = [], 0
    while (day := add_months(deadline.first_due, n * deadline.every_months)) <= end:
        if day >= start:
            found.append(day)
        n += 1
    return found
