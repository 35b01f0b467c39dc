"""Send times in board-local time: clock changes, quiet hours, closed days."""

from __future__ import annotations

import datetime as dt

import pytest
from jobs_support import local

from bot.calendar import WorkingCalendar
from bot.settings import BoardSettings
from jobs.timing import SendWindow

WINDOW = SendWindow.of(BoardSettings(), WorkingCalendar([dt.date(2026, 12, 29)]))


@pytest.mark.parametrize("day, utc_hour", [
    (dt.date(2026, 3, 27), 9),  # Friday before the March change: GMT
    (dt.date(2026, 3, 30), 8),  # Monday after: BST, 09:00 local is 08:00 UTC
    (dt.date(2026, 10, 23), 8),  # Friday before the October change: BST
    (dt.date(2026, 10, 26), 9),  # Monday after: GMT again
])
def test_nine_oclock_local_on_both_sides_of_each_clock_change(day, utc_hour):
    slot = WINDOW.slot(day)
    assert slot.hour == utc_hour and WINDOW.local(slot).time() == dt.time(9, 0)


@pytest.mark.parametrize("day, sent_on", [
    (dt.date(2026, 3, 29), dt.date(2026, 3, 30)),  # Sunday of the change
    (dt.date(2026, 4, 3), dt.date(2026, 4, 7)),  # Good Friday -> Tuesday after Easter Monday
    (dt.date(2026, 12, 25), dt.date(2026, 12, 30)),  # Christmas, Boxing Day substitute, a closure day
])
def test_a_step_due_on_a_closed_day_goes_the_next_working_morning(day, sent_on):
    assert WINDOW.slot(day) == WINDOW.at(sent_on)


@pytest.mark.parametrize("now, allowed, goes_at", [
    ("2026-12-07T07:59", False, "2026-12-07T09:00"),
    ("2026-12-07T08:00", True, "2026-12-07T08:00"),
    ("2026-12-07T17:59", True, "2026-12-07T17:59"),
    ("2026-12-07T18:00", False, "2026-12-08T09:00"),
    ("2026-12-11T19:00", False, "2026-12-14T09:00"),  # Friday evening -> Monday
    ("2026-12-24T18:30", False, "2026-12-30T09:00"),  # Christmas Eve -> after Christmas and the closure day
    ("2026-10-25T01:30", False, "2026-10-26T09:00"),  # the ambiguous hour, on a Sunday
])
def test_quiet_hours_and_closed_days_move_sends_to_the_next_working_morning(now, allowed, goes_at):
    assert WINDOW.allows(local(now)) is allowed
    assert WINDOW.next_allowed(local(now)) == local(goes_at)


def test_boards_that_send_on_closed_days_still_keep_quiet_hours():
    window = SendWindow.of(BoardSettings(send_on_closed_days=True), WorkingCalendar())
    assert window.allows(local("2026-12-25T10:00"))
    assert window.next_allowed(local("2026-12-25T19:00")) == local("2026-12-26T09:00")
