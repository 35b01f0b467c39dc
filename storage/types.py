"""Column types that make every database hand back what the core expects.

SQLite has no timezone-aware timestamp and neither database should hold a
native enum, so the conversions live in the column types rather than in the
mapper or in each query: a datetime always comes back aware and in UTC, an
enum column comes back as the bot.model enum.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TypeVar

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant: aware on the way in, aware UTC on the way out.

    PostgreSQL stores ``timestamptz``. SQLite stores text without an offset,
    so values are converted to UTC first; that also keeps SQLite's text
    comparisons (``due_at <= :now``) correct. Naive datetimes are refused:
    they would silently mean local time on one database and UTC on the other.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage needs timezone-aware datetimes")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


E = TypeVar("E", bound=enum.Enum)


class EnumText(TypeDecorator[E]):
    """An enum stored as its value in a plain string column.

    Strings rather than native enum types so that adding a member to a
    bot.model enum needs no migration on PostgreSQL.
    """

    impl = String(20)
    cache_ok = True

    def __init__(self, enum_type: type[E]) -> None:
        super().__init__()
        self.enum_type = enum_type

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_type(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum_type(value)

