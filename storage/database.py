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
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.ports import Clock, SystemClock
from storage import sqlite
from storage.uow import SqlUnitOfWork
from storage.urls import async_url


class Database:
    def __init__(self, url: str, clock: Clock | None = None) -> None:
        self.url = async_url(url)
        self.clock: Clock = clock or SystemClock()  # dates the audit trail's entries
        # hide_parameters: a failing statement's values (an issue's words) never reach the logs.
        self.engine = create_async_engine(self.url, hide_parameters=True)
        self._lock: asyncio.Lock | None = None
        self._lock_holder: asyncio.Task[Any] | None = None
        if self.is_sqlite:
            sqlite.configure(self.engine.sync_engine)
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
