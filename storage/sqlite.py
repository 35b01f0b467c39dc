"""SQLite settings that let several writers share one file without errors.

* WAL: readers never block the writer and the writer never blocks readers.
* busy_timeout: a writer waits up to 30 s for another process's transaction
  instead of failing at once with "database is locked".
* foreign_keys: SQLite ignores REFERENCES unless asked, PostgreSQL never does.
* ``BEGIN IMMEDIATE``: every transaction takes the write lock when it starts.
  A deferred transaction that reads and then writes cannot wait for the lock
  (SQLite fails it with SQLITE_BUSY at once, since waiting could deadlock),
  so taking it up front is what makes busy_timeout effective. This is
  SQLAlchemy's documented recipe: the driver's own BEGIN is switched off
  (isolation_level None) and the "begin" event emits ours.

Within one process storage.database also serialises transactions with an
asyncio lock, so coroutines queue in memory rather than in busy_timeout.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event

BUSY_TIMEOUT_MS = 30_000
_BROKEN = ("readonly database", "disk I/O error", "unable to open database")


def configure(engine: Engine, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Apply the settings above to every connection ``engine`` makes.

    For an AsyncEngine pass its ``sync_engine``.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def on_error(context: Any) -> None:
        # A connection opened while the file could not be written (disk
        # read-only, file immutable) is read-only for good: drop it, so the
        # next unit of work reconnects and writes again once the file can be.
        if any(sign in str(context.original_exception) for sign in _BROKEN):
            context.is_disconnect = True

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
