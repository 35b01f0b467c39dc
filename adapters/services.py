"""Builds the running application from configuration: database, core app,
notifiers and the delivery dispatcher. Shared by console, serve and worker."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass

from adapters.config import Settings
from adapters.notify import RoutingNotifier
from bot.app import BotApp
from bot.commands import build_router
from bot.ports import Clock, SystemClock
from jobs.dispatcher import Dispatcher
from storage.database import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    bot: BotApp
    notifier: RoutingNotifier
    dispatcher: Dispatcher

    async def close(self) -> None:
        await self.db.dispose()


def worker_name(settings: Settings) -> str:
    return settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"


async def apply_board_defaults(services: Services) -> None:
    """A new board takes its timezone from PARTNERBOT_TIMEZONE; later changes
    are the board's own (stored settings win)."""
    async with services.db.uow() as uow:
        if "timezone" not in await uow.settings.all():
            await uow.settings.set("timezone", services.settings.timezone)
            await uow.commit()


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    db = Database(settings.database_url, clock)
    notifier = RoutingNotifier()
    dispatcher = Dispatcher(db.uow, notifier, clock, worker_name(settings), max_attempts=settings.max_attempts)

    async def deliver_notices() -> None:
        await dispatcher.run_once()

    bot = BotApp(build_router(), db.uow, clock, after_commit=deliver_notices)
    return Services(settings, db, clock, bot, notifier, dispatcher)


EVENT_MEMORY = dt.timedelta(days=3)  # Slack and Teams redeliver within minutes


async def forget_old_events(services: Services, every: float = 6 * 3600) -> None:
    """Keep the processed-event table small: ids older than a few days go."""
    while True:
        async with services.db.uow() as uow:
            dropped = await uow.platform.forget_events(services.clock.now() - EVENT_MEMORY)
            await uow.commit()
        logging.getLogger("partnerbot.events").info("forgot old event ids", extra={"count": dropped})
        await asyncio.sleep(every)
