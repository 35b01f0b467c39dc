"""Builds the running application from configuration: database, core app,
notifiers and the delivery dispatcher. Shared by console, serve, worker and
the operator commands.

The one adapter module that imports ``storage`` (an import-linter contract
holds it): the rest of adapters reach the database through ``Services``, the
core's ports (``UnitOfWorkFactory``) or the functions here."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

from adapters.accounts import every_account
from adapters.background import Background
from adapters.config import Settings
from adapters.documents import render
from adapters.notify import RoutingNotifier
from bot.app import BotApp
from bot.commands import build_router
from bot.document import Chart, Document
from bot.ports import Clock, SystemClock, Typesetter
from bot.reply import DocumentRef
from jobs.delivery_loop import DeliveryLoop
from jobs.dispatcher import Dispatcher
from jobs.health import JobHealth
from storage.database import Database
from storage.outbox_delivery import SqlOutboxDelivery


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    bot: BotApp
    notifier: RoutingNotifier
    dispatcher: Dispatcher
    delivery: DeliveryLoop  # woken after a commit that owes messages; serve runs it
    health: JobHealth  # the jobs' last run and lateness, for /readyz
    background: Background = field(default_factory=Background)  # answers and rounds nobody awaits

    @property
    def typesetter(self) -> Typesetter | None:
        return self.bot.typesetter

    async def close(self) -> None:
        await self.background.close()  # before the database goes: they may still be using it
        await self.db.dispose()


def document_source(services: Services) -> Callable[[DocumentRef], Awaitable[bytes]]:
    """How adapters get an attached document: built from the board now, as a PDF."""
    from adapters.documents.attached import attachment_file

    async def pdf(document: DocumentRef) -> bytes:
        return await attachment_file(services.db.uow, services.clock, document)

    return pdf


class Typesetting:
    """The core's Typesetter port over adapters/documents (matplotlib, WeasyPrint)."""

    def render(self, document: Document, fmt: str) -> bytes:
        return render(document, fmt)

    def chart(self, chart: Chart) -> bytes:
        from adapters.documents.charts import chart_png

        return chart_png(chart)


def open_database(url: str, clock: Clock | None = None) -> Database:
    """The database at ``url``, for operator tools that need no bot; ``dispose()`` it when done."""
    return Database(url, clock)


def upgrade_schema(database_url: str) -> None:
    """Create or migrate the schema to the latest version (blocking: run it in a thread from async code)."""
    from storage.migrate import upgrade  # alembic: only the processes that migrate load it

    upgrade(database_url)


async def upgrade_sqlite(services: Services) -> None:
    """A SQLite file is brought up to date by whoever opens it; PostgreSQL by ``partnerbot db upgrade``."""
    if services.db.is_sqlite:
        await asyncio.to_thread(upgrade_schema, services.settings.database_url)


def worker_name(settings: Settings) -> str:
    return settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"


async def apply_board_defaults(services: Services) -> None:
    """A new board takes its timezone from PARTNERBOT_TIMEZONE; later changes
    are the board's own (stored settings win)."""
    async with services.db.uow() as uow:
        stored = await uow.settings.stored()
        if "timezone" not in stored:
            await uow.settings.store("timezone", services.settings.timezone)
        if services.settings.public_url and stored.get("public_url") != services.settings.public_url:
            # Where the server is reached is the process's to say: calendar links use it.
            await uow.settings.store("public_url", services.settings.public_url)
        await uow.commit()


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    db = Database(settings.database_url, clock)
    notifier = RoutingNotifier(accounts_of=partial(every_account, db.uow))
    dispatcher = Dispatcher(SqlOutboxDelivery(db.uow), db.uow, notifier, clock, worker_name(settings),
                            max_attempts=settings.max_attempts, parallel=settings.delivery_parallel,
                            call_timeout=settings.delivery_call_timeout_seconds)
    delivery = DeliveryLoop(dispatcher)
    bot = BotApp(build_router(), db.uow, clock, wake_delivery=delivery.wake, typesetter=Typesetting())
    return Services(settings, db, clock, bot, notifier, dispatcher, delivery, JobHealth(clock))


EVENT_MEMORY = dt.timedelta(days=3)  # Slack and Teams redeliver within minutes


async def forget_old_events(services: Services, every: float = 6 * 3600) -> None:
    """Keep the processed-event table small: ids older than a few days go."""
    events = logging.getLogger("partnerbot.events")
    while True:
        try:
            async with services.db.uow() as uow:
                dropped = await uow.platform.forget_events(services.clock.now() - EVENT_MEMORY)
                await uow.commit()
            events.info("forgot old event ids", extra={"count": dropped})
        except Exception as error:  # the database is away: try again next time
            events.warning("could not forget old event ids", extra={"error": type(error).__name__})
        await asyncio.sleep(every)
