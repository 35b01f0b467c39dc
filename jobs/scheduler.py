"""APScheduler wakes the planner and the dispatcher; it holds no state.

The database is the source of truth: the jobs only say "look now". A
restart, a missed run or a double run (APScheduler's ambiguous-hour bug on
25 Oct) changes nothing, because every message is an outbox row with a
dedupe key that carries the local date. Each job coalesces missed runs and
never overlaps itself. Planning runs on the minute, so a 09:00 reminder goes
at 09:00:00 local, followed by a delivery pass. Retention runs daily at 03:15.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.ports import Clock, UnitOfWorkFactory
from jobs.dispatcher import Dispatcher
from jobs.planner import Planner
from jobs.retention import apply_retention

log = logging.getLogger("partnerbot.jobs.scheduler")
TIMEZONE = "Europe/London"


class _Database(Protocol):
    def uow(self): ...


class _Settings(Protocol):
    dispatch_interval_seconds: float
    plan_interval_seconds: float


class JobServices(Protocol):
    """What the scheduler needs of adapters.services.Services."""

    settings: _Settings
    db: _Database
    clock: Clock
    dispatcher: Dispatcher


class JobScheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose runs finish their transaction when stopped.

    ``shutdown()`` cancels running coroutine jobs, which could interrupt a
    database transaction half-way; each run here is shielded, and ``stop()``
    waits for the runs in flight before the caller closes the database.
    """

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self._in_flight: set[asyncio.Future[None]] = set()

    def shielded(self, work: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.ensure_future(work())
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
            await asyncio.shield(task)

        return run

    async def stop(self) -> None:
        """Stop waking the jobs and wait for the runs in flight."""
        if self.running:
            self.shutdown(wait=False)
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)


def _next_minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def start_scheduler(services: JobServices) -> JobScheduler:
    """Start planner and dispatcher jobs on the running event loop; the caller
    stops them with ``await scheduler.stop()`` before closing the database."""
    uow_factory: UnitOfWorkFactory = services.db.uow
    planner = Planner(uow_factory, services.clock)
    dispatcher = services.dispatcher

    async def plan_and_deliver() -> None:
        try:
            await planner.plan()
            await dispatcher.drain(rounds=20)
        except Exception:
            log.exception("planning run failed")

    async def retain() -> None:
        try:
            await apply_retention(uow_factory, services.clock)
        except Exception:
            log.exception("retention run failed")

    async def deliver() -> None:
        try:
            await dispatcher.run_once()
        except Exception:
            log.exception("delivery run failed")

    settings = services.settings
    now = dt.datetime.now(dt.UTC)
    scheduler = JobScheduler(timezone=TIMEZONE, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    every_minute = IntervalTrigger(seconds=settings.plan_interval_seconds, start_date=_next_minute(now),
                                   timezone=dt.UTC)
    scheduler.add_job(scheduler.shielded(plan_and_deliver), every_minute, id="plan", name="plan reminders",
                      next_run_time=now)
    scheduler.add_job(scheduler.shielded(deliver), IntervalTrigger(seconds=settings.dispatch_interval_seconds,
                                                                   timezone=dt.UTC),
                      id="deliver", name="deliver outbox")
    scheduler.add_job(scheduler.shielded(retain), CronTrigger(hour=3, minute=15, timezone=TIMEZONE), id="retention",
                      name="clear old message bodies and closed concerns")
    scheduler.start()
    log.info("jobs started", extra={"plan_every": settings.plan_interval_seconds,
                                    "deliver_every": settings.dispatch_interval_seconds})
    return scheduler
