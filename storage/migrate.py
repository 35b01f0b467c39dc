"""Create or update the schema: ``partnerbot db upgrade`` calls ``upgrade``.

Alembic is driven from code, so it needs no alembic.ini in the working
directory. It is synchronous, so it runs on the sync driver for the same
database (storage.urls.sync_url); a PostgreSQL ``search_path`` given in the
URL (``?options=-csearch_path%3Dschema``) applies to its connection, so the
tables and alembic's version table land in that schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, pool

from storage import sqlite
from storage.urls import sync_url

MIGRATIONS = Path(__file__).with_name("migrations")


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision``, in one transaction."""
    engine = sync_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def sync_engine(url: str) -> Engine:
    """A throwaway engine for migrations, with the same SQLite settings as the bot's."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    if engine.dialect.name == "sqlite":
        sqlite.configure(engine)  # WAL is a property of the file: set it once here
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration; migrations/env.py uses ``connection`` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
