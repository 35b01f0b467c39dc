"""Measures as the board reads them: reporting periods, RAG status and trend.

Pure functions, unit-tested by table. A measure reports every 1, 3, 6 or 12
months; its periods are calendar months, quarters ("2026-Q4"), halves
("2026-H2") or years. RAG: green when the target is met, amber when within
the board's amber band of it (10% of the target by default, a board setting),
red otherwise.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.dates import add_months
from bot.errors import BadArgument
from bot.model import Measure, MeasureValue

CADENCES = {1: "month", 3: "quarter", 6: "6 months", 12: "year"}
PERIOD_HINT = "Write the period like 2026-Q3 (a quarter), 2026-11 (a month), 2026-H2 (a half year) or a date."
_EVERY = {"month": 1, "monthly": 1, "every month": 1, "quarter": 3, "quarterly": 3, "every quarter": 3,
          "every 3 months": 3, "6 months": 6, "every 6 months": 6, "twice a year": 6, "half year": 6, "year": 12,
          "yearly": 12, "annually": 12, "every year": 12, "every 12 months": 12}
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*q([1-4])$")
_HALF = re.compile(r"^(\d{4})\s*-?\s*h([12])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, None: 3}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    months: int

    @property
    def end(self) -> dt.date:
        return add_months(self.start, self.months) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        year, month = self.start.year, self.start.month
        if self.months == 1:
            return f"{year}-{month:02d}"
        if self.months == 3:
            return f"{year}-Q{(month - 1) // 3 + 1}"
        if self.months == 6:
            return f"{year}-H{(month - 1) // 6 + 1}"
        return str(year)

    def previous(self) -> Period:
        return Period(add_months(self.start, -self.months), self.months)


def period_of(day: dt.date, months: int) -> Period:
    """The reporting period of ``months`` that contains ``day``."""
    first = (day.month - 1) // months * months + 1
    return Period(dt.date(day.year, first, 1), months)


def last_ended(months: int, today: dt.date) -> Period:
    """The latest period that has ended: the one whose value is owed next."""
    return period_of(today, months).previous()


def parse_every(text: str) -> int | None:
    """Months in "every quarter", "every 3 months", "monthly"…; None if unreadable."""
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    if m := re.fullmatch(r"(?:every )?(\d{1,2}) months?", cleaned):
        return int(m[1]) if 1 <= int(m[1]) <= 24 else None
    return _EVERY.get(cleaned)


def _typed(text: str) -> tuple[dt.date, int] | None:
    """The start and length of a period typed as a label."""
    cleaned = text.strip().lower()
    if m := _QUARTER.match(cleaned):
        return dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1), 3
    if m := _HALF.match(cleaned):
        return dt.date(int(m[1]), (int(m[2]) - 1) * 6 + 1, 1), 6
    if (m := _MONTH.match(cleaned)) and 1 <= int(m[2]) <= 12:
        return dt.date(int(m[1]), int(m[2]), 1), 1
    if m := _YEAR.match(cleaned):
        return dt.date(int(m[1]), 1, 1), 12
    return None


def parse_period(text: str, months: int, today: dt.date, read_date) -> Period:
    """The measure's period named by ``text``: a label of the measure's own
    cadence or a shorter one within it, or a date. ``read_date(text)`` reads dates."""
    typed = _typed(text)
    if typed is None:
        start, length = read_date(text), 1
    else:
        start, length = typed
    if length > months:
        raise BadArgument(f"“{text}” is longer than this measure's period (every {CADENCES.get(months, months)}).",
                          hint=PERIOD_HINT, field="period")
    period = period_of(start, months)
    if period.start > today:
        raise BadArgument(f"{period.label} hasn't started yet.", hint="Record values for periods under way or past.",
                          field="period")
    return period


def period_label(text: str, months: int) -> str | None:
    """The canonical label of a stored or typed period for a cadence, or None if unreadable."""
    typed = _typed(text)
    return period_of(typed[0], months).label if typed and typed[1] <= months else None


def rag(value: float, target: float, higher_is_better: bool, amber_percent: float) -> Rag:
    band = abs(target) * amber_percent / 100
    if higher_is_better:
        return Rag.GREEN if value >= target else Rag.AMBER if value >= target - band else Rag.RED
    return Rag.GREEN if value <= target else Rag.AMBER if value <= target + band else Rag.RED


def number(value: float, percent: bool = False) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return f"{text}%" if percent else text


@dataclass(frozen=True)
class Reading:
    """A measure with what its values say: the latest value per period, in period order."""

    measure: Measure
    by_period: tuple[tuple[str, MeasureValue], ...]
    status: Rag | None

    @property
    def latest(self) -> MeasureValue | None:
        return self.by_period[-1][1] if self.by_period else None

    def trend(self, last: int = 4) -> str:
        """The last few values, oldest first, with an arrow for the latest move."""
        values = [v.value for _, v in self.by_period[-last:]]
        if not values:
            return "no values yet"
        text = " → ".join(number(v, self.measure.percent) for v in values)
        if len(values) > 1:
            text += " ↑" if values[-1] > values[-2] else " ↓" if values[-1] < values[-2] else " ="
        return text


def read(measure: Measure, values: Iterable[MeasureValue], amber_percent: float) -> Reading:
    """The latest value of each period (values come oldest recorded first)."""
    latest: dict[str, MeasureValue] = {}
    for value in values:
        if value.measure_id == measure.id:
            latest[value.period] = value
    ordered = tuple(sorted(latest.items(), key=lambda kv: _sort_key(kv[0])))
    status = rag(ordered[-1][1].value, measure.target, measure.higher_is_better, amber_percent) if ordered else None
    return Reading(measure, ordered, status)


def _sort_key(label: str) -> tuple[dt.date, str]:
    typed = _typed(label)
    return (typed[0] if typed else dt.date.min, label)


def red_first(readings: Iterable[Reading]) -> list[Reading]:
    return sorted(readings, key=lambda r: (RAG_ORDER[r.status], r.measure.id or 0))
