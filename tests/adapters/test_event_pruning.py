"""The server and the worker forget processed event ids after a few days."""

import asyncio
import datetime as dt

from adapters.config import Settings
from adapters.services import EVENT_MEMORY, build_services, forget_old_events
from bot.ports import FixedClock


async def test_old_event_ids_are_forgotten_and_recent_ones_kept(db_url: str) -> None:
    now = dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC)
    services = build_services(Settings(database_url=db_url), FixedClock(now))
    async with services.db.uow() as uow:
        await uow.platform.remember_event("slack", "Ev-old")
        await uow.commit()
    services.clock.move_to(now + EVENT_MEMORY + dt.timedelta(hours=1))
    pruning = asyncio.create_task(forget_old_events(services, every=3600))
    try:
        for _ in range(100):
            async with services.db.uow() as uow:
                if await uow.platform.remember_event("slack", "Ev-old"):  # forgotten: new again
                    break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the old event id was never forgotten")
        async with services.db.uow() as uow:
            await uow.platform.remember_event("slack", "Ev-new")
            await uow.commit()
    finally:
        pruning.cancel()
    async with services.db.uow() as uow:
        assert not await uow.platform.remember_event("slack", "Ev-new")  # a recent one is still known
    await services.close()
