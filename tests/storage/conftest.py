"""Fixtures for the storage tests: a fixed instant, a few members, outbox rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.model import Member, OutboxMessage, Role
from bot.ports import UnitOfWorkFactory
from storage.database import Database
from storage.migrate import upgrade
from storage.outbox_delivery import SqlOutboxDelivery

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database, for what only SQLite does (its write lock)."""
    url = f"sqlite:///{tmp_path / 'only.db'}"
    upgrade(url)
    database = Database(url)
    yield database
    await database.dispose()


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
async def people(uow_factory: UnitOfWorkFactory) -> list[Member]:
    """Three committed members: a chair, a member and a parent rep."""
    members = [
        Member(handle="ann", name="Ann Abbot", initials="AA", role=Role.CHAIR, email="Ann.Abbot@example.org"),
        Member(handle="bob", name="Bob Brown", initials="BB"),
        Member(handle="cat", name="Cat Cole", initials="CC", role=Role.PARENT_REP),
    ]
    async with uow_factory() as uow:
        for member in members:
            await uow.members.add(member)
        await uow.identities.link(members[1].id, "slack", "U0BOB")
        await uow.identities.link(members[2].id, "teams", "aad-cat")
        await uow.commit()
    return members


MessageFactory = Callable[..., OutboxMessage]


@pytest.fixture
def message(now: dt.datetime) -> MessageFactory:
    """Builds an outbox message; keyword arguments override the defaults."""

    def build(key: str, **fields: object) -> OutboxMessage:
        defaults: dict[str, object] = {
            "subject": "action:1",
            "recipient": "member:1",
            "payload": {"summary": key},
            "text": f"text of {key}",
            "due_at": now,
            "created_at": now,
        }
        return OutboxMessage(dedupe_key=key, **(defaults | fields))  # type: ignore[arg-type]

    return build


@pytest.fixture
def delivery(uow_factory: UnitOfWorkFactory) -> SqlOutboxDelivery:
    """The outbox's delivery side (claims, leases, dead letters) over the test's database."""
    return SqlOutboxDelivery(uow_factory)
