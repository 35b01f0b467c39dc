"""The psycopg connection storage.database uses for PostgreSQL, one whose every round trip has a
deadline; in a module of its own so a SQLite deployment never imports psycopg."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from psycopg import waiting


class _AnsweringConnection(psycopg.AsyncConnection):
    """A psycopg connection whose every round trip has a deadline.

    psycopg funnels each exchange with the server (execute, commit,
    rollback) through ``wait``; past the deadline the connection is closed,
    so it is known broken, and the call fails with OperationalError. A
    cancelled call (a worker stopping) closes the connection too, at once:
    psycopg would otherwise ask the server to cancel the query over a new
    connection and wait up to 10 s for that, which a partition never answers.
    """

    answer_within: float | None = None

    async def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        try:
            return await waiting.wait_async(gen, self.pgconn.socket, interval=interval,
                                            timeout=timeout or self.answer_within)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(f"the database did not answer in {self.answer_within:g}s") from None
        except asyncio.CancelledError:
            self.pgconn.finish()
            raise


def answering_within(seconds: float) -> Any:
    async def connect(*args: Any, **kwargs: Any) -> _AnsweringConnection:
        conn = await _AnsweringConnection.connect(*args, **kwargs)
        conn.answer_within = seconds
        return conn

    return connect
