"""Migrations, URLs and connection settings."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.database import Database
from storage.mapping import Mapper
from storage.migrate import alembic_config, sync_engine, upgrade
from storage.tables import OrganisationRow
from storage.urls import async_url, sync_url


def test_migrations_build_exactly_the_models_schema(fresh_db_url: str) -> None:
    assert_models_schema(fresh_db_url)


def test_every_tests_copy_of_the_migrated_schema_is_the_models_schema(db_url: str) -> None:
    assert_models_schema(db_url)


def assert_models_schema(db_url: str) -> None:
    upgrade(db_url)  # a second upgrade is a no-op
    engine = sync_engine(db_url)
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            # SQLite cannot reflect the lower(email) index, so alembic skips it (checked below).
            warnings.filterwarnings("ignore", message=".*expression-based index")
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
            if conn.dialect.name == "sqlite":
                indexes = {row[1] for row in conn.execute(text("PRAGMA index_list(members)"))}
                assert "ix_members_email_lower" in indexes
    finally:
        engine.dispose()


async def test_sqlite_connections_are_set_up_for_concurrency(sqlite_db: Database) -> None:
    db = sqlite_db
    async with db.engine.connect() as conn:
        pragma = {name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30_000}


@pytest.mark.parametrize(
    ("url", "running", "migrating"),
    [
        ("sqlite:///./board.db", "sqlite+aiosqlite:///./board.db", "sqlite:///./board.db"),
        ("sqlite:////srv/board.db", "sqlite+aiosqlite:////srv/board.db", "sqlite:////srv/board.db"),
        ("postgresql://bot@db:5432/board", "postgresql+psycopg://bot@db:5432/board", "postgresql+psycopg://bot@db:5432/board"),
        ("postgres://bot@db/board", "postgresql+psycopg://bot@db/board", "postgresql+psycopg://bot@db/board"),
        (
            "postgresql://bot@db/board?options=-csearch_path%3Dpb",
            "postgresql+psycopg://bot@db/board?options=-csearch_path%3Dpb",
            "postgresql+psycopg://bot@db/board?options=-csearch_path%3Dpb",
        ),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_urls_get_the_right_driver(url: str, running: str, migrating: str) -> None:
    assert async_url(url).render_as_string(hide_password=False) == running
    assert sync_url(url).render_as_string(hide_password=False) == migrating


def test_search_path_reaches_the_driver() -> None:
    assert async_url("postgresql://h/db?options=-csearch_path%3Dpb").query == {"options": "-csearch_path=pb"}


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        Database("mysql://h/db")


def test_a_mapper_refuses_a_table_that_misses_a_field() -> None:
    """A field added to bot.model without a column fails at import, not silently."""

    @dataclass
    class Organisation:
        name: str
        email: str
        id: int | None = None

    with pytest.raises(TypeError, match=r"unstored \['email'\]"):
        Mapper(Organisation, OrganisationRow)
