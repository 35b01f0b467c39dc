"""The database handle the application holds for its lifetime.

``Database(url)`` accepts the URLs users write (see storage.urls) and hands
out units of work: ``db.uow`` is the core's UnitOfWorkFactory.

On SQLite only one transaction can write at a time. Every transaction
starts with ``BEGIN IMMEDIATE`` (see storage.sqlite) and, within this
process, first takes an asyncio lock, so concurrent commands queue instead
of failing with "database is locked"; other processes are held off by
busy_timeout. The lock is held from a unit of work's first query to its
commit or rollback, not for the whole ``async with`` block, so a dispatcher
that commits before a slow send does not block commands meanwhile.
PostgreSQL uses an ordinary connection pool and needs none of this.

A database that goes away must make calls fail, never hang: a worker stuck
on a dead connection delivers nothing and cannot even stop. Every
PostgreSQL connection therefore has (see ``Limits``) a connect timeout, a
server-side statement and idle-in-transaction timeout, TCP keepalives and a
TCP user timeout, and a client-side deadline on every round trip: a
connection whose peer accepts bytes but never answers (a silent partition
behind a proxy or load balancer, where keepalives are answered) is closed
after ``Limits.answer`` seconds and the call raises OperationalError.
SQLAlchemy then drops the connection from the pool and the next unit of
work connects afresh.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.ports import Clock, SystemClock
from storage import sqlite
from storage.uow import SqlUnitOfWork
from storage.urls import async_url


@dataclass(frozen=True)
class Limits:
    """How long PostgreSQL calls may take before they fail (seconds)."""

    connect: int = 5  # libpq connect_timeout (2 at least)
    statement: float = 30.0  # server-side statement_timeout
    idle_in_transaction: float = 60.0  # the server ends a transaction left open this long
    answer: float = 40.0  # client-side: no reply at all in this long and the connection is closed
    keepalive_idle: int = 10  # TCP keepalives: first probe after this many idle seconds,
    keepalive_interval: int = 5  # then one every this many,
    keepalive_count: int = 3  # and the connection is dead after this many unanswered
    pool_wait: float = 10.0  # waiting for a free pooled connection
    sqlite_busy: float = sqlite.BUSY_TIMEOUT_MS / 1000  # SQLite: waiting for another process's write lock

    def connect_args(self, url: URL) -> dict[str, Any]:
        """psycopg connection parameters; a URL's own ``options`` (search_path) are kept."""
        from storage.pg_connection import answering_within  # psycopg (~9 MB) only for PostgreSQL

        options = " ".join(filter(None, [
            str(url.query.get("options", "")),
            f"-c statement_timeout={int(self.statement * 1000)}",
            f"-c idle_in_transaction_session_timeout={int(self.idle_in_transaction * 1000)}",
        ]))
        return {
            "connect_timeout": max(2, self.connect), "options": options, "keepalives": 1,
            "keepalives_idle": self.keepalive_idle, "keepalives_interval": self.keepalive_interval,
            "keepalives_count": self.keepalive_count,
            "tcp_user_timeout": (self.keepalive_idle + self.keepalive_interval * self.keepalive_count) * 1000,
            "async_creator_fn": answering_within(self.answer),
        }


class Database:
    def __init__(self, url: str, clock: Clock | None = None, limits: Limits = Limits()) -> None:
        self.url = async_url(url)
        # The time stamps storage writes itself (when an event id was seen, the audit trail's
        # entries) come from the application's clock, so a test's fake clock and the jobs agree.
        self.clock: Clock = clock or SystemClock()
        self.limits = limits
        options: dict[str, Any] = {}
        if not self.is_sqlite:
            options = {"connect_args": limits.connect_args(self.url), "pool_timeout": limits.pool_wait}
        # hide_parameters: a failing statement's values (an issue's words) never reach the logs.
        self.engine = create_async_engine(self.url, hide_parameters=True, **options)
        self._lock: asyncio.Lock | None = None
        self._lock_holder: asyncio.Task[Any] | None = None
        if self.is_sqlite:
            sqlite.configure(self.engine.sync_engine, int(limits.sqlite_busy * 1000))
            self._lock = asyncio.Lock()

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work (use as ``async with db.uow() as uow:``)."""
        return SqlUnitOfWork(self)

    async def dispose(self) -> None:
        """Close pooled connections (at shutdown, or before a process forks)."""
        await self.engine.dispose()

    async def begin(self) -> AsyncConnection:
        """A connection with a transaction open; give it back with ``end``."""
        await self._acquire()
        try:
            conn = await self.engine.connect()
            try:
                await conn.begin()
            except BaseException:
                await conn.close()
                raise
        except BaseException:
            self._release()
            raise
        return conn

    async def end(self, conn: AsyncConnection, commit: bool) -> None:
        """Commit (or roll back) and return the connection to the pool."""
        try:
            if commit:
                await conn.commit()
        finally:
            try:
                await conn.close()  # rolls back whatever was not committed
            finally:
                self._release()

    async def _acquire(self) -> None:
        if self._lock is None:
            return
        task = asyncio.current_task()
        if self._lock.locked() and self._lock_holder is task:
            # The lock is not re-entrant and SQLite's write lock is per
            # connection: a second transaction here would wait for itself.
            raise RuntimeError(
                "this task already has a transaction open on this SQLite database; "
                "commit or roll back that unit of work before using another"
            )
        await self._lock.acquire()
        self._lock_holder = task

    def _release(self) -> None:
        if self._lock is not None:
            self._lock_holder = None
            self._lock.release()
