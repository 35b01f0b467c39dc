"""Working days (BRIEF.md): Mon–Fri minus England bank holidays minus the
board's closure days. Tables cover Easter 2026, the May and August bank
holidays, Christmas 2026 (substitute Boxing Day) and New Year 2027."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.calendar import WorkingCalendar

D = dt.date.fromisoformat
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2026-04-03", "Good Friday (bank holiday)"),
        ("2026-04-06", "Easter Monday (bank holiday)"),
        ("2026-05-04", "May Day (bank holiday)"),
        ("2026-05-25", "Spring Bank Holiday (bank holiday)"),
        ("2026-08-31", "Late Summer Bank Holiday (bank holiday)"),
        ("2026-12-25", "Christmas Day (bank holiday)"),
        ("2026-12-26", "Saturday"),
        ("2026-12-28", "Boxing Day (observed) (bank holiday)"),
        ("2027-01-01", "New Year's Day (bank holiday)"),
        ("2026-03-29", "Sunday"),  # the spring clock change
        ("2026-10-25", "Sunday"),  # the autumn clock change
    ],
)
def test_days_that_are_not_working_days_say_why(day: str, reason: str) -> None:
    assert CAL.closed_reason(D(day)) == reason
    assert not CAL.is_working_day(D(day))


@pytest.mark.parametrize("day", ["2026-04-02", "2026-04-07", "2026-12-24", "2026-12-29", "2026-12-31", "2027-01-04",
                                 "2026-03-30", "2026-10-26"])
def test_ordinary_weekdays_around_holidays_are_working_days(day: str) -> None:
    assert CAL.closed_reason(D(day)) is None
    assert CAL.is_working_day(D(day))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-04-02", 1, "2026-04-07"),  # Thursday before Easter -> Tuesday after
        ("2026-04-07", -1, "2026-04-02"),
        ("2026-04-09", -6, "2026-03-30"),  # a meeting after Easter: papers due across the long weekend
        ("2026-05-01", 1, "2026-05-05"),  # early May bank holiday
        ("2026-05-22", 1, "2026-05-26"),  # spring bank holiday
        ("2026-08-28", 1, "2026-09-01"),  # summer bank holiday
        ("2026-12-24", 1, "2026-12-29"),  # Christmas and substitute Boxing Day
        ("2026-12-31", 1, "2027-01-04"),  # New Year's Day
        ("2027-01-07", -5, "2026-12-30"),  # BRIEF.md's worked example
        ("2027-01-07", -6, "2026-12-29"),
        ("2026-11-02", 10, "2026-11-16"),
        ("2026-12-26", 0, "2026-12-26"),  # zero days: unchanged, even on a Saturday
        ("2026-12-26", 1, "2026-12-29"),  # from a weekend, the first working day counts as one
    ],
)
def test_n_working_days_after_and_before(start: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(D(start), n) == D(expected)


def test_working_days_before_is_add_with_negative_n() -> None:
    assert CAL.working_days_before(D("2027-01-07"), 5) == D("2026-12-30")


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-12-24", "2027-01-04", 4),  # 29, 30, 31 Dec and 4 Jan
        ("2027-01-04", "2026-12-24", -4),
        ("2026-04-02", "2026-04-07", 1),
        ("2026-11-02", "2026-11-02", 0),
        ("2026-11-02", "2026-11-09", 5),
    ],
)
def test_working_days_between(start: str, end: str, count: int) -> None:
    assert CAL.working_days_between(D(start), D(end)) == count


@pytest.mark.parametrize(
    ("day", "include_today", "expected"),
    [
        ("2026-12-25", True, "2026-12-29"),
        ("2026-12-24", True, "2026-12-24"),
        ("2026-12-24", False, "2026-12-29"),
        ("2026-04-03", True, "2026-04-07"),
    ],
)
def test_next_working_day(day: str, include_today: bool, expected: str) -> None:
    assert CAL.next_working_day(D(day), include_today=include_today) == D(expected)


def test_closure_days_are_skipped_and_named() -> None:
    cal = WorkingCalendar([D("2026-12-24"), D("2026-12-29")])
    assert cal.closed_reason(D("2026-12-24")) == "board closure day"
    assert cal.add_working_days(D("2026-12-23"), 1) == D("2026-12-30")
    # A meeting on 7 Jan 2027: six working days back now skips both closures.
    assert cal.working_days_before(D("2027-01-07"), 6) == D("2026-12-23")
    assert CAL.working_days_before(D("2027-01-07"), 6) == D("2026-12-29")


def test_a_bank_holiday_that_is_also_a_closure_day_is_named_as_the_bank_holiday() -> None:
    cal = WorkingCalendar([D("2026-12-25")])
    assert cal.closed_reason(D("2026-12-25")) == "Christmas Day (bank holiday)"


days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31))


@given(days, st.integers(min_value=-40, max_value=40).filter(bool))
def test_stepping_n_working_days_lands_on_a_working_day_n_away(day: dt.date, n: int) -> None:
    landed = CAL.add_working_days(day, n)
    assert CAL.is_working_day(landed)
    assert (landed > day) == (n > 0)
    if n > 0:  # working_days_between counts (start, end]
        assert CAL.working_days_between(day, landed) == n


class NaiveCalendar:
    """The day-by-day walk the precomputed tables replaced: the reference they must agree with."""

    def __init__(self, cal: WorkingCalendar) -> None:
        self.cal = cal

    def working(self, day: dt.date) -> bool:
        return day.weekday() < 5 and self.cal.bank_holiday(day) is None and day not in self.cal.closure_days

    def add(self, day: dt.date, n: int) -> dt.date:
        step = dt.timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            remaining -= self.working(day)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
        return sign * sum(self.working(lo + dt.timedelta(days=k)) for k in range(1, (hi - lo).days + 1))


closure_sets = st.frozensets(days, max_size=12)


@given(closure_sets, days, st.integers(min_value=-400, max_value=400))
def test_stepping_agrees_with_the_day_by_day_walk(closures: frozenset[dt.date], day: dt.date, n: int) -> None:
    cal = WorkingCalendar(closures)
    naive = NaiveCalendar(cal)
    assert cal.add_working_days(day, n) == naive.add(day, n)
    assert cal.is_working_day(day) == naive.working(day)


@given(closure_sets, days, days)
def test_counting_agrees_with_the_day_by_day_walk(closures: frozenset[dt.date], start: dt.date, end: dt.date) -> None:
    cal = WorkingCalendar(closures)
    assert cal.working_days_between(start, end) == NaiveCalendar(cal).between(start, end)


def test_a_new_closure_day_changes_the_count_though_the_year_was_worked_out_before() -> None:
    before = WorkingCalendar().working_days_between(D("2026-11-30"), D("2026-12-04"))
    after = WorkingCalendar([D("2026-12-02")]).working_days_between(D("2026-11-30"), D("2026-12-04"))
    assert (before, after) == (4, 3)
    assert WorkingCalendar().working_days_between(D("2026-11-30"), D("2026-12-04")) == 4
