"""Persistence for partnerbot: SQLModel tables, the bot.ports repositories,
the outbox, and migrations, on SQLite or PostgreSQL.

Adapters and jobs need ``Database`` (and ``storage.migrate.upgrade`` to
create or update the schema); everything else is reached through
``db.uow()``.
"""

from storage.database import Database

__all__ = ["Database"]
