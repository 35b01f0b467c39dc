"""Dates and times as board members type them, read the British way.

``12/3`` is 12 March; ``next Thursday``, ``in 2 weeks``, ``tomorrow``,
``end of month`` and ``2026-12-03`` all work. A date in the past, or one we
cannot read with confidence, is refused with what we understood and how to
write it, never guessed silently.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
from collections.abc import Callable

from bot.errors import BadArgument
from bot.text import format_date

AddWorkingDays = Callable[[dt.date, int], dt.date]

HOW_TO_WRITE = "Write dates like 12/3/2027, 2027-03-12, 12 March, next Thursday, in 2 weeks or end of month."
WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_WEEKDAY_ALIASES = {name[:3]: i for name, i in WEEKDAYS.items()} | {"tues": 1, "thur": 3, "thurs": 3}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RELATIVE = re.compile(r"^in\s+(\d{1,3}|a|an|one|two|three|four|five|six)\s+(working\s+days?|days?|weeks?|months?)$")
_WEEKDAY = re.compile(r"^(?:(this|next|on)\s+)?([a-z]+)$")
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _weekday(word: str) -> int | None:
    return WEEKDAYS.get(word, _WEEKDAY_ALIASES.get(word))


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clipped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = cal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def end_of_month(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, cal.monthrange(day.year, day.month)[1])


def _numeric(match: re.Match[str], today: dt.date) -> tuple[dt.date, bool]:
    day, month, year = int(match[1]), int(match[2]), match[3]
    if year is None:
        candidate = dt.date(today.year, month, day)
        return (candidate if candidate >= today else dt.date(today.year + 1, month, day)), True
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    return dt.date(full_year, month, day), False


def _relative(text: str, today: dt.date, add_working_days: AddWorkingDays | None) -> dt.date | None:
    if text == "today":
        return today
    if text == "tomorrow":
        return today + dt.timedelta(days=1)
    if text in ("end of month", "end of the month", "eom"):
        return end_of_month(today)
    if text in ("end of next month",):
        return end_of_month(add_months(today.replace(day=1), 1))
    if text in ("end of week", "end of the week", "friday this week"):
        return today + dt.timedelta(days=(4 - today.weekday()) % 7)
    if m := _RELATIVE.match(text):
        n = int(m[1]) if m[1].isdigit() else _WORDS[m[1]]
        unit = m[2]
        if unit.startswith("working"):
            if add_working_days is None:
                return None
            return add_working_days(today, n)
        if unit.startswith("day"):
            return today + dt.timedelta(days=n)
        if unit.startswith("week"):
            return today + dt.timedelta(weeks=n)
        return add_months(today, n)
    if (m := _WEEKDAY.match(text)) and (target := _weekday(m[2])) is not None:
        ahead = (target - today.weekday()) % 7 or (0 if m[1] == "this" else 7)  # "this Friday" on a Friday is today
        return today + dt.timedelta(days=ahead)
    return None


def parse_date(
    text: str,
    today: dt.date,
    *,
    allow_past: bool = False,
    field: str = "date",
    add_working_days: AddWorkingDays | None = None,
) -> dt.date:
    """Read a typed date relative to ``today`` (the board's local date).

    ``add_working_days(day, n)`` enables ``in 3 working days``.
    """
    raw = text.strip()
    cleaned = re.sub(r"\s+", " ", raw.lower().rstrip(".")).replace(",", "")
    if not cleaned:
        raise BadArgument(f"A {field} is missing.", hint=HOW_TO_WRITE, field=field)
    rolled = False
    result: dt.date | None
    try:
        if m := _ISO.match(cleaned):
            result = dt.date(int(m[1]), int(m[2]), int(m[3]))
        elif m := _NUMERIC.match(cleaned):
            result, rolled = _numeric(m, today)
        else:
            result = _relative(cleaned, today, add_working_days)
            if result is None:
                result = _natural(cleaned, today)
                rolled = not re.search(r"\b\d{4}\b", cleaned)
    except ValueError:
        raise BadArgument(f"“{raw}” is not a real date.", hint=HOW_TO_WRITE, field=field) from None
    if result is None:
        raise BadArgument(f"I couldn't read “{raw}” as a date.", hint=HOW_TO_WRITE, field=field)
    if result < today and not allow_past:
        raise BadArgument(
            f"“{raw}” is {format_date(result)}, which is in the past.",
            hint=f"Give a date from today ({format_date(today)}) on. {HOW_TO_WRITE}",
            field=field,
        )
    if rolled and result.year != today.year and (result - today).days > 300:
        raise BadArgument(
            f"“{raw}” has no year; I read it as {format_date(result)}, nearly a year away.",
            hint=f"If you meant that, write {result.day}/{result.month}/{result.year}.",
            field=field,
        )
    return result


def _natural(text: str, today: dt.date) -> dt.date | None:
    """Month names and the like ("12 March", "March 12 2027") via dateparser."""
    if not re.search(r"[a-z]", text) or re.fullmatch(r"\d+", text):
        return None
    import dateparser  # ~12 MB, so only once someone writes a date in words, not at start-up

    base = dt.datetime.combine(today, dt.time(12))
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "REQUIRE_PARTS": ["day"],
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    return parsed.date() if parsed else None


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str, field: str = "time") -> dt.time:
    """``10:00``, ``10am``, ``2pm``, ``14.30``, ``noon``."""
    cleaned = text.strip().lower()
    if cleaned in ("noon", "midday"):
        return dt.time(12)
    m = _TIME.match(cleaned)
    if m and (m[2] or m[3]):
        hour, minute, half = int(m[1]), int(m[2] or 0), m[3]
        valid = (1 <= hour <= 12 if half else hour < 24) and minute < 60  # "13pm" is not a time
        if valid:
            return dt.time(hour % 12 + (12 if half == "pm" else 0) if half else hour, minute)
    raise BadArgument(f"I couldn't read “{text}” as a time.", hint="Write times like 10:00, 14:30 or 2pm.", field=field)
