"""The board's agreements as pure functions: paper deadlines (Kent PACT MoU
§2.1.2), parent-friendly meetings (§2.1.7) and the issue ladder (Kingston MoU §7)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.calendar import WorkingCalendar
from bot.model import Issue, TermDates
from bot.rules import (
    AgendaCutoffs,
    agenda_cutoffs,
    in_term,
    is_late,
    ladder_label,
    ladder_step,
    next_escalation_at,
    parent_friendly_warnings,
)
from bot.settings import BoardSettings

D = dt.date.fromisoformat
LONDON = ZoneInfo("Europe/London")
CAL = WorkingCalendar()
DEFAULTS = BoardSettings()
AUTUMN = [TermDates("Autumn 2026", D("2026-09-02"), D("2026-12-18")), TermDates("Spring 2027", D("2027-01-04"),
                                                                                D("2027-03-26"))]


@pytest.mark.parametrize(
    ("meeting", "submission", "circulation"),
    [
        ("2027-01-07", "2026-12-29", "2026-12-30"),  # over Christmas, Boxing Day (observed) and New Year
        ("2026-04-09", "2026-03-30", "2026-03-31"),  # over Easter
        ("2026-05-28", "2026-05-19", "2026-05-20"),  # over the spring bank holiday
        ("2026-11-19", "2026-11-11", "2026-11-12"),  # an ordinary fortnight
    ],
)
def test_agenda_cutoffs_count_working_days(meeting: str, submission: str, circulation: str) -> None:
    assert agenda_cutoffs(D(meeting), CAL, DEFAULTS) == AgendaCutoffs(D(submission), D(circulation))


def test_agenda_cutoffs_follow_the_boards_offsets_and_closure_days() -> None:
    settings = BoardSettings(submission_offset=10, circulation_offset=3)
    assert agenda_cutoffs(D("2027-01-07"), CAL, settings) == AgendaCutoffs(D("2026-12-21"), D("2027-01-04"))
    closed = WorkingCalendar([D("2026-12-29")])
    assert agenda_cutoffs(D("2027-01-07"), closed, DEFAULTS) == AgendaCutoffs(D("2026-12-24"), D("2026-12-30"))


@pytest.mark.parametrize(("submitted", "late"), [("2026-12-28", False), ("2026-12-29", False),
                                                 ("2026-12-30", True), ("2027-01-06", True)])
def test_items_after_the_submission_cutoff_day_are_late(submitted: str, late: bool) -> None:
    cutoffs = agenda_cutoffs(D("2027-01-07"), CAL, DEFAULTS)
    assert is_late(D(submitted), cutoffs) is late


def local(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(D(day), dt.time(hour, minute), tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "end", "terms", "warnings"),
    [
        (local("2026-11-19", 10), local("2026-11-19", 14), AUTUMN, []),
        (local("2026-11-19", 11), None, AUTUMN, []),
        (local("2026-11-19", 9, 30), local("2026-11-19", 12), AUTUMN, ["hours"]),
        (local("2026-11-19", 12), local("2026-11-19", 14, 30), AUTUMN, ["hours"]),
        (local("2026-11-19", 18), None, AUTUMN, ["hours"]),
        (local("2026-12-22", 10), local("2026-12-22", 12), AUTUMN, ["term"]),  # Christmas holidays
        (local("2026-12-28", 10), None, AUTUMN, ["non-working", "term"]),  # Boxing Day (observed)
        (local("2026-12-22", 10), None, [], []),  # no term dates known: no term warning
        (local("2027-01-09", 19), None, AUTUMN, ["hours", "non-working"]),  # a Saturday evening, in term
    ],
)
def test_parent_friendly_warnings(start, end, terms, warnings) -> None:
    said = parent_friendly_warnings(start, end, terms, CAL, DEFAULTS)
    kinds = {"hours": "outside the parent-friendly hours of 10:00–14:00", "term": "outside term time",
             "non-working": "non-working day"}
    assert [k for k, phrase in kinds.items() if any(phrase in s for s in said)] == sorted(
        warnings, key=list(kinds).index)
    assert len(said) == len(warnings)


def test_parent_friendly_hours_are_board_settings() -> None:
    settings = BoardSettings(parent_hours=["09:30", "15:00"])
    assert parent_friendly_warnings(local("2026-11-19", 9, 30), local("2026-11-19", 15), AUTUMN, CAL, settings) == []


def test_in_term_includes_first_and_last_days() -> None:
    assert in_term(D("2026-09-02"), AUTUMN) and in_term(D("2026-12-18"), AUTUMN)
    assert not in_term(D("2026-12-19"), AUTUMN) and not in_term(D("2027-01-03"), AUTUMN)


RAISED = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)


def issue(level: int = 0, since: dt.datetime | None = None) -> Issue:
    return Issue(text="x", raiser_id=1, raised_at=RAISED, level=level, level_since=since)


def test_issue_ladder_informal_then_chair_then_hwb() -> None:
    assert next_escalation_at(issue(), DEFAULTS) == RAISED + dt.timedelta(days=28)
    at_chair = RAISED + dt.timedelta(days=28)
    assert next_escalation_at(issue(1, at_chair), DEFAULTS) == at_chair + dt.timedelta(days=28)
    assert next_escalation_at(issue(2, at_chair + dt.timedelta(days=28)), DEFAULTS) is None  # HWB is final


def test_issue_ladder_is_configurable() -> None:
    settings = BoardSettings(informal_days=14, ladder=[["chair", 10], ["hwb", 20]])
    assert next_escalation_at(issue(), settings) == RAISED + dt.timedelta(days=14)
    assert next_escalation_at(issue(1, RAISED), settings) == RAISED + dt.timedelta(days=10)


@pytest.mark.parametrize(("level", "step", "label"), [
    (0, None, "informal resolution"),
    (1, "chair", "the Chair of the board"),
    (2, "hwb", "the Joint Chairs of the Health and Wellbeing Board"),
])
def test_ladder_names(level: int, step: str | None, label: str) -> None:
    assert ladder_step(level, DEFAULTS) == step
    assert ladder_label(level, DEFAULTS) == label
