"""Alembic environment: runs migrations on a connection storage.migrate
provides, or, from the alembic command line, on ``-x url=...``."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (defines the tables on SQLModel.metadata)
from storage.migrate import sync_engine


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write storage's column types as the plain types they store, so that
    migrations never import application code that may change after them."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_item=render_item,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("partnerbot migrations run online only (no --sql)")
given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = sync_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.begin() as connection:
        run(connection)
