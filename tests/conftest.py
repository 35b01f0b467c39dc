"""Fixtures shared by the whole suite: a fresh, migrated, empty database per test.

``db_url`` runs a test on SQLite (a file in tmp_path) and on PostgreSQL when
PARTNERBOT_TEST_POSTGRES_URL is set (e.g.
``postgresql://postgres@127.0.0.1:5432/test``), in a schema of its own with
a random name, so parallel runs never collide.

Migrating every test's database from scratch cost 0.2 to 0.6 s a test (a
third of the suite's time), so each test process migrates once, with the real
migrations as ``partnerbot db upgrade`` runs them, and every test gets a copy:
on SQLite a copy of the migrated file, on PostgreSQL the statements the
migration ran, recorded and replayed into the new schema. Nothing is kept in
sync by hand, and ``fresh_db_url`` (the schema tests) still migrates an empty
database for real.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

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


DATABASES = ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, NO_POSTGRES])]
Statement = tuple[str, Any, bool]  # (SQL, parameters, executemany) as SQLAlchemy sent it


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for this test process."""
    path = tmp_path_factory.mktemp("template") / "board.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migration() -> list[Statement]:
    """What migrating an empty PostgreSQL schema runs, recorded once for this test process."""
    recorded: list[Statement] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        recorded.append((statement, parameters, many))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        for _ in _postgres_schema(upgrade):
            pass
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return recorded


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL (as a user would write it) of a fresh, migrated, empty database."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "board.db")
        yield f"sqlite:///{tmp_path / 'board.db'}"
    else:
        yield from _postgres_schema(_replay(request.getfixturevalue("postgres_migration")))


@pytest.fixture(params=DATABASES)
def fresh_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Like ``db_url``, but migrated from empty by the real migrations (the schema tests)."""
    if request.param == "sqlite":
        upgrade(url := f"sqlite:///{tmp_path / 'board.db'}")
        yield url
    else:
        yield from _postgres_schema(upgrade)


def _replay(statements: list[Statement]) -> Any:
    def migrate(url: str) -> None:
        with psycopg.connect(_libpq(url)) as conn, conn.cursor() as cursor:  # one transaction
            for statement, parameters, many in statements:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters)

    return migrate


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_schema(migrate: Any) -> Iterator[str]:
    base = os.environ[POSTGRES_URL_ENV]
    server = make_url(base).set(drivername="postgresql")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = server.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        url = server.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        migrate(url)
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
