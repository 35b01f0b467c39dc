"""Adapter support: processed platform events and conversation references."""

from __future__ import annotations

import asyncio

from bot.ports import FixedClock, UnitOfWorkFactory
from storage.database import Database


async def test_an_event_is_new_only_once(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.platform.remember_event("slack", "Ev1")
        assert not await uow.platform.remember_event("slack", "Ev1")
        assert await uow.platform.remember_event("teams", "Ev1")
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.platform.remember_event("slack", "Ev1")


async def test_an_event_of_rolled_back_work_is_forgotten(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.platform.remember_event("slack", "Ev1")
    async with uow_factory() as uow:
        assert await uow.platform.remember_event("slack", "Ev1")


async def test_concurrent_deliveries_of_one_event_run_once(uow_factory: UnitOfWorkFactory) -> None:
    async def deliver() -> bool:
        async with uow_factory() as uow:
            first = await uow.platform.remember_event("slack", "Ev-retried")
            await asyncio.sleep(0.01)  # the "handling", while the others arrive
            await uow.commit()
            return first

    assert sorted(await asyncio.gather(*(deliver() for _ in range(20)))) == [False] * 19 + [True]


async def test_conversation_references(uow_factory: UnitOfWorkFactory) -> None:
    ref = {"conversation": {"id": "a:1"}, "serviceUrl": "https://smba.example/"}
    async with uow_factory() as uow:
        assert await uow.platform.get_ref("teams", "aad-cat") is None
        await uow.platform.save_ref("teams", "aad-cat", {"old": True})
        await uow.platform.save_ref("teams", "aad-cat", ref)
        await uow.platform.save_ref("teams", "aad-ann", {"conversation": {"id": "a:2"}})
        await uow.platform.save_ref("slack", "aad-cat", {"channel": "D1"})
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.platform.get_ref("teams", "aad-cat") == ref
        assert await uow.platform.list_refs("teams") == [("aad-ann", {"conversation": {"id": "a:2"}}), ("aad-cat", ref)]
        assert await uow.platform.list_refs("console") == []


async def test_old_event_ids_can_be_forgotten(db_url: str) -> None:
    import datetime as dt

    now = dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC)
    db = Database(db_url, clock=FixedClock(now))
    uow_factory = db.uow
    async with uow_factory() as uow:
        assert await uow.platform.remember_event("slack", "Ev1")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.platform.forget_events(now - dt.timedelta(days=1)) == 0
        assert not await uow.platform.remember_event("slack", "Ev1")  # still remembered
        assert await uow.platform.forget_events(now + dt.timedelta(minutes=1)) == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.platform.remember_event("slack", "Ev1")
    await db.dispose()
