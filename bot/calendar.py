"""Working days: Monday to Friday, less bank holidays in England and Wales,
less the board's own closure days (BRIEF.md, "Working days").

Pure and deterministic: every deadline that says "working days" goes through
here, so paper deadlines and escalation ladders agree with each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property

import holidays

ONE_DAY = dt.timedelta(days=1)


class WorkingCalendar:
    def __init__(self, closure_days: Iterable[dt.date] = (), country: str = "GB", subdiv: str = "ENG") -> None:
        self.closure_days = frozenset(closure_days)
        self.country = country
        self.subdiv = subdiv

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays(self.country, subdiv=self.subdiv)

    def bank_holiday(self, day: dt.date) -> str | None:
        """The bank holiday's name, or None."""
        return self._bank_holidays.get(day)

    def closed_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day, or None if it is one."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        if name := self.bank_holiday(day):
            return f"{name} (bank holiday)"
        if day in self.closure_days:
            return "board closure day"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.closed_reason(day) is None

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``day`` (before, if n < 0).

        ``day`` itself need not be a working day; n == 0 returns it unchanged.
        """
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_before(self, day: dt.date, n: int) -> dt.date:
        return self.add_working_days(day, -n)

    def next_working_day(self, day: dt.date, include_today: bool = True) -> dt.date:
        if include_today and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days ``end`` is after ``start``."""
        if end <= start:
            return -self.working_days_between(end, start) if end < start else 0
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count
