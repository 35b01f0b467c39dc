"""Units of work: transactions, rollback on exit, and what the database enforces."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from bot.model import Action, AuditEntry, Meeting, Member, Organisation
from bot.ports import UnitOfWorkFactory
from storage.database import Database


async def test_exit_without_commit_rolls_back(uow_factory: UnitOfWorkFactory, message, now: dt.datetime) -> None:
    async with uow_factory() as uow:
        await uow.members.add(Member(handle="ann", name="Ann", initials="AA"))
        await uow.outbox.add_if_absent(message("k1"))
        await uow.settings.store("channel", "#x")
        await uow.audit.add(AuditEntry(now, None, "member.add"))
    async with uow_factory() as uow:
        assert await uow.members.count() == 0
        assert await uow.outbox.by_key("k1") is None
        assert await uow.settings.stored() == {}
        assert await uow.audit.recent() == []


async def test_an_exception_rolls_back(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with uow_factory() as uow:
            await uow.organisations.add(Organisation(name="Kent"))
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.organisations.list_all() == []


async def test_rollback_discards_and_the_unit_goes_on(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.organisations.add(Organisation(name="discarded"))
        await uow.rollback()
        await uow.organisations.add(Organisation(name="kept"))
        await uow.commit()
        await uow.organisations.add(Organisation(name="after commit, not committed"))
    async with uow_factory() as uow:
        assert [org.name for org in await uow.organisations.list_all()] == ["kept"]


async def test_a_unit_must_be_entered(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError, match="async with"):
        await uow_factory().members.count()


async def test_foreign_keys_are_enforced(uow_factory: UnitOfWorkFactory, now: dt.datetime) -> None:
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.actions.add(Action("orphan", [41], dt.date(2026, 4, 1), created_by=42, created_at=now))


async def test_unique_handles(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.members.add(Member(handle="ann", name="Ann", initials="AA"))
        with pytest.raises(IntegrityError):
            await uow.members.add(Member(handle="ann", name="Another Ann", initials="AA"))


async def test_naive_datetimes_are_refused(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.meetings.add(Meeting(dt.datetime(2026, 1, 1, 9, 0)))


async def test_sqlite_refuses_a_nested_transaction_in_one_task(sqlite_db: Database) -> None:
    """It would wait for itself forever; PostgreSQL has no such limit."""
    db = sqlite_db
    async with db.uow() as outer, db.uow() as inner:
        await outer.members.count()
        with pytest.raises(RuntimeError, match="already has a transaction"):
            await inner.members.count()
        await outer.commit()
        assert await inner.members.count() == 0  # fine once the first has ended


async def test_sqlite_transactions_in_other_tasks_wait_their_turn(sqlite_db: Database) -> None:
    db = sqlite_db
    order: list[str] = []

    async def second() -> None:
        async with db.uow() as uow:
            await uow.organisations.add(Organisation(name="second"))
            order.append("second")
            await uow.commit()

    async with db.uow() as uow:
        await uow.organisations.add(Organisation(name="first"))
        task = asyncio.create_task(second())
        await asyncio.sleep(0.05)
        order.append("first")
        await uow.commit()
    await task
    assert order == ["first", "second"]
