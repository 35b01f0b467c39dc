"""Dates and times as board members type them, read the British way.

"Today" is Monday 2 November 2026 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.calendar import WorkingCalendar
from bot.dates import HOW_TO_WRITE, add_months, end_of_month, parse_date, parse_time
from bot.errors import BadArgument

D = dt.date.fromisoformat
TODAY = D("2026-11-02")  # a Monday
CAL = WorkingCalendar()


def read(text: str, today: dt.date = TODAY, **kw) -> dt.date:
    return parse_date(text, today, add_working_days=CAL.add_working_days, **kw)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/3", "2027-03-12"),  # 12 March, the next one to come
        ("3/4", "2027-04-03"),  # 3 April, not 4 March
        ("13/12", "2026-12-13"),  # still ahead this year
        ("2/11", "2026-11-02"),  # today
        ("12/3/2027", "2027-03-12"),
        ("3/4/27", "2027-04-03"),
        ("12.3.2027", "2027-03-12"),
        ("2026-12-03", "2026-12-03"),
        ("12 March 2027", "2027-03-12"),
        ("12 March", "2027-03-12"),
        ("3 December", "2026-12-03"),
        ("next Thursday", "2026-11-05"),
        ("Thursday", "2026-11-05"),
        ("thurs", "2026-11-05"),
        ("next Monday", "2026-11-09"),  # never today
        ("in 2 weeks", "2026-11-16"),
        ("in a month", "2026-12-02"),
        ("in 10 days", "2026-11-12"),
        ("in 3 working days", "2026-11-05"),
        ("tomorrow", "2026-11-03"),
        ("today", "2026-11-02"),
        ("end of month", "2026-11-30"),
        ("End of the month.", "2026-11-30"),
        ("end of next month", "2026-12-31"),
    ],
)
def test_dates_people_type(typed: str, expected: str) -> None:
    assert read(typed) == D(expected)


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("in 3 working days", "2026-12-23", "2026-12-30"),  # 24, 29, 30 Dec: Christmas and Boxing Day skipped
        ("in 1 working day", "2026-04-02", "2026-04-07"),  # over Easter
        ("in 2 working days", "2026-12-31", "2027-01-05"),  # over New Year's Day
        ("next Thursday", "2026-11-05", "2026-11-12"),  # on a Thursday: a week on
        ("end of month", "2027-02-10", "2027-02-28"),
        ("12/3", "2027-03-12", "2027-03-12"),  # today, so not next year
    ],
)
def test_dates_relative_to_other_days(typed: str, today: str, expected: str) -> None:
    assert read(typed, D(today)) == D(expected)


@pytest.mark.parametrize("typed", ["31/2", "29/2/2027", "31/11", "12/13", "2026-02-30"])
def test_impossible_dates_are_refused_with_how_to_write_them(typed: str) -> None:
    with pytest.raises(BadArgument) as refused:
        read(typed)
    assert refused.value.message == f"“{typed}” is not a real date."
    assert refused.value.hint == HOW_TO_WRITE


@pytest.mark.parametrize(("typed", "understood"), [("1/1/2026", "Thu 1 Jan 2026"), ("3/4/2026", "Fri 3 Apr 2026"),
                                                    ("2026-11-01", "Sun 1 Nov 2026"), ("yesterday", "Sun 1 Nov 2026")])
def test_past_dates_are_refused_showing_the_date_understood(typed: str, understood: str) -> None:
    with pytest.raises(BadArgument) as refused:
        read(typed, field="due")
    assert refused.value.message == f"“{typed}” is {understood}, which is in the past."
    assert "from today (Mon 2 Nov 2026)" in refused.value.hint
    assert HOW_TO_WRITE in refused.value.hint
    assert refused.value.field == "due"


def test_past_dates_are_accepted_where_asked_for() -> None:
    assert read("1/1/2026", allow_past=True) == D("2026-01-01")


def test_a_yearless_date_just_gone_is_refused_rather_than_read_as_next_year() -> None:
    with pytest.raises(BadArgument) as refused:
        read("1/11")
    assert refused.value.message == "“1/11” has no year; I read it as Mon 1 Nov 2027, nearly a year away."
    assert refused.value.hint == "If you meant that, write 1/11/2027."


def test_a_yearless_month_name_just_gone_is_refused_too() -> None:
    with pytest.raises(BadArgument):
        read("1 November")


@pytest.mark.parametrize("typed", ["soonish", "the 32nd", "12/3/0", "1/1/10000", "next blursday", "???"])
def test_unreadable_dates_are_refused_with_how_to_write_them(typed: str) -> None:
    with pytest.raises(BadArgument) as refused:
        read(typed)
    assert refused.value.message == f"I couldn't read “{typed}” as a date."
    assert refused.value.hint == HOW_TO_WRITE


def test_an_empty_date_is_missing() -> None:
    with pytest.raises(BadArgument) as refused:
        read("  ", field="until")
    assert refused.value.message.endswith("is missing.")
    assert refused.value.hint == HOW_TO_WRITE
    assert refused.value.field == "until"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("10:00", dt.time(10)), ("9:30", dt.time(9, 30)), ("14.30", dt.time(14, 30)), ("10am", dt.time(10)),
     ("2pm", dt.time(14)), ("2:15 pm", dt.time(14, 15)), ("12pm", dt.time(12)), ("12am", dt.time(0)),
     ("noon", dt.time(12)), ("Midday", dt.time(12))],
)
def test_times(typed: str, expected: dt.time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "10:75", "10", "ten", "", "half past"])
def test_unreadable_times_are_refused_with_examples(typed: str) -> None:
    with pytest.raises(BadArgument) as refused:
        parse_time(typed, field="until")
    assert refused.value.hint == "Write times like 10:00, 14:30 or 2pm."
    assert refused.value.field == "until"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [("2027-01-31", 1, "2027-02-28"), ("2028-01-31", 1, "2028-02-29"), ("2027-03-31", 6, "2027-09-30"),
     ("2026-11-15", 2, "2027-01-15"), ("2027-03-31", -1, "2027-02-28")],
)
def test_add_months_clips_to_the_end_of_the_month(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


def test_end_of_month() -> None:
    assert end_of_month(D("2028-02-03")) == D("2028-02-29")
