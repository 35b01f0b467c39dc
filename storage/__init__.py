"""Persistence for partnerbot: SQLModel tables, the bot.ports repositories,
the outbox, and migrations, on SQLite or PostgreSQL.

Adapters reach it only through adapters.services (``Database``, the schema
upgrade); the jobs through the core's ports. Everything else is reached
through ``db.uow()``.
"""

from storage.database import Database

__all__ = ["Database"]
