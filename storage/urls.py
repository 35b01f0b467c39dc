"""Database URLs as users write them, and as each driver needs them.

Users configure ``sqlite:///./board.db`` or ``postgresql://user@host/db``
(optionally ``?options=-csearch_path%3Dschema``). The running bot needs the
asyncio drivers; migrations run through alembic, which is synchronous.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

_ASYNC = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def _with_driver(url: str | URL, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = "postgresql" if parsed.get_backend_name() in ("postgres", "postgresql") else parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database URL {parsed!r}: use sqlite:/// or postgresql://")
    return parsed.set(drivername=drivers[backend])


def async_url(url: str | URL) -> URL:
    """The URL with the asyncio driver the bot runs on (aiosqlite, psycopg)."""
    return _with_driver(url, _ASYNC)


def sync_url(url: str | URL) -> URL:
    """The URL with a synchronous driver, for alembic (pysqlite, psycopg)."""
    return _with_driver(url, _SYNC)
