"""Fixtures shared by the whole suite: a fresh, migrated, empty database per test.

``db_url`` runs a test on SQLite (a file in tmp_path) and on PostgreSQL when
PARTNERBOT_TEST_POSTGRES_URL is set (e.g.
``postgresql://postgres@127.0.0.1:5432/test``), in a schema of its own with
a random name, so parallel runs never collide. Both are migrated with
storage.migrate.upgrade, as ``partnerbot db upgrade`` would (about 40 ms on
SQLite and 180 ms on PostgreSQL, so there is no template to keep in sync).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.ports import FixedClock, UnitOfWorkFactory
from storage.database import Database
from storage.migrate import upgrade

POSTGRES_URL_ENV = "PARTNERBOT_TEST_POSTGRES_URL"
AUDIT_TIME = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

if "FAKETIME" in os.environ:
    # Under libfaketime (`faketime -f @2026-12-25 12:00:00 pytest`, the any-hour check) every new
    # process would restart the fake clock at the given instant, so a server the suite starts
    # would run minutes behind the test that signs requests for it. One clock for the process tree:
    os.environ.setdefault("FAKETIME_DONT_RESET", "1")


NO_POSTGRES = pytest.mark.skipif(not os.environ.get(POSTGRES_URL_ENV),
                                 reason=f"PostgreSQL tests need {POSTGRES_URL_ENV}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, NO_POSTGRES])])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL (as a user would write it) of a fresh, migrated, empty database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'board.db'}"
        upgrade(url)
        yield url
    else:
        yield from _postgres_schema()


def _postgres_schema() -> Iterator[str]:
    base = os.environ[POSTGRES_URL_ENV]
    server = make_url(base).set(drivername="postgresql")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = server.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        url = server.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url, FixedClock(AUDIT_TIME))  # dates audit entries: never the wall clock
    yield database
    await database.dispose()


@pytest.fixture
def uow_factory(db: Database) -> UnitOfWorkFactory:
    return db.uow
