"""Working days: Monday to Friday, less bank holidays in England and Wales,
less the board's own closure days (BRIEF.md, "Working days").

Pure and deterministic: every deadline that says "working days" goes through
here, so paper deadlines and escalation ladders agree with each other.

Every list the bot shows asks "how many working days until this is due" for
each row, so the arithmetic is O(1) per call: each year is worked out once
into a table of cumulative working-day counts (a ``_Year``), shared by every
calendar with the same bank holidays and the same closure days in that year.
A calendar is built from the board's closure days as stored; changing them
builds a calendar with a different key, so stale tables are never consulted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=8)
def _bank_holidays(country: str, subdiv: str) -> holidays.HolidayBase:
    """One holidays table per country: building it is costly, and it fills in years as they are asked."""
    return holidays.country_holidays(country, subdiv=subdiv)


@dataclass(frozen=True)
class _Year:
    """One calendar year: ``upto[i]`` working days from 1 January to day-of-year ``i`` (0-based) inclusive,
    and ``days``, the year's working days in order (``days[k]`` is the year's (k+1)-th)."""

    first: dt.date
    upto: tuple[int, ...]
    days: tuple[dt.date, ...]

    @property
    def total(self) -> int:
        return len(self.days)

    def rank(self, day: dt.date) -> int:
        """Working days from 1 January to ``day`` inclusive."""
        return self.upto[(day - self.first).days]

    def working(self, day: dt.date) -> bool:
        i = (day - self.first).days
        return self.upto[i] > (self.upto[i - 1] if i else 0)


@lru_cache(maxsize=256)
def _year(year: int, country: str, subdiv: str, closures: frozenset[dt.date]) -> _Year:
    """The year's table; ``closures`` are the board's closure days in that year (part of the cache key)."""
    bank = _bank_holidays(country, subdiv)
    first = dt.date(year, 1, 1)
    upto: list[int] = []
    days: list[dt.date] = []
    day = first
    while day.year == year:
        if day.weekday() < 5 and day not in bank and day not in closures:
            days.append(day)
        upto.append(len(days))
        day += ONE_DAY
    return _Year(first, tuple(upto), tuple(days))


class WorkingCalendar:
    def __init__(self, closure_days: Iterable[dt.date] = (), country: str = "GB", subdiv: str = "ENG") -> None:
        self.closure_days = frozenset(closure_days)
        self.country = country
        self.subdiv = subdiv
        self._by_year: dict[int, frozenset[dt.date]] = {}
        for day in self.closure_days:
            self._by_year[day.year] = self._by_year.get(day.year, frozenset()) | {day}

    def _table(self, year: int) -> _Year:
        return _year(year, self.country, self.subdiv, self._by_year.get(year, frozenset()))

    def bank_holiday(self, day: dt.date) -> str | None:
        """The bank holiday's name, or None."""
        return _bank_holidays(self.country, self.subdiv).get(day)

    def closed_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day, or None if it is one."""
        if self.is_working_day(day):
            return None
        if day.weekday() >= 5:
            return day.strftime("%A")
        if name := self.bank_holiday(day):
            return f"{name} (bank holiday)"
        return "board closure day"

    def is_working_day(self, day: dt.date) -> bool:
        return self._table(day.year).working(day)

    def _rank(self, day: dt.date) -> tuple[int, int]:
        """(year, working days from 1 January of that year to ``day`` inclusive)."""
        return day.year, self._table(day.year).rank(day)

    def _nth(self, year: int, rank: int) -> dt.date:
        """The working day that is the ``rank``-th of ``year``; ranks past either end roll into other years."""
        while rank > (total := self._table(year).total):
            rank -= total
            year += 1
        while rank <= 0:
            year -= 1
            rank += self._table(year).total
        return self._table(year).days[rank - 1]

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``day`` (before, if n < 0).

        ``day`` itself need not be a working day; n == 0 returns it unchanged.
        """
        if n == 0:
            return day
        year, rank = self._rank(day)
        if n > 0:
            return self._nth(year, rank + n)
        return self._nth(year, rank - self.is_working_day(day) + n + 1)

    def working_days_before(self, day: dt.date, n: int) -> dt.date:
        return self.add_working_days(day, -n)

    def next_working_day(self, day: dt.date, include_today: bool = True) -> dt.date:
        if include_today and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days ``end`` is after ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = self._table(end.year).rank(end) - self._table(start.year).rank(start)
        for year in range(start.year, end.year):
            count += self._table(year).total
        return count
