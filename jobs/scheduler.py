"""APScheduler wakes the planner and the dispatcher; it holds no state.

The database is the source of truth: the jobs only say "look now". A
restart, a missed run or a double run (APScheduler's ambiguous-hour bug on
25 Oct) changes nothing, because every message is an outbox row with a
dedupe key that carries the local date. Each job coalesces missed runs and
never overlaps itself. Planning runs on the minute, so a 09:00 reminder goes
at 09:00:00 local, followed by a delivery pass. Retention runs daily at 03:15.

A run that fails (the database is away) is reported to JobHealth, which
logs it and skips runs while backing off; the jobs never stop trying.
``stop()`` is bounded: it lets runs in flight finish for a few seconds,
then cancels them, and gives back the rows this worker leased but did not
send, so SIGTERM ends a worker promptly even while the database hangs.
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

from bot.ports import Clock, Typesetter, UnitOfWork, UnitOfWorkFactory
from jobs.dispatcher import Dispatcher
from jobs.health import JobHealth
from jobs.planner import Planner
from jobs.retention import apply_retention

log = logging.getLogger("partnerbot.jobs.scheduler")
TIMEZONE = "Europe/London"


class _Database(Protocol):
    def uow(self) -> UnitOfWork: ...


class _Settings(Protocol):
    dispatch_interval_seconds: float
    plan_interval_seconds: float


class JobServices(Protocol):
    """What the scheduler needs of adapters.services.Services (read-only, so
    that Services may hold its own, richer types)."""

    @property
    def settings(self) -> _Settings: ...
    @property
    def db(self) -> _Database: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def dispatcher(self) -> Dispatcher: ...


class JobScheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose runs finish their transaction when stopped.

    ``shutdown()`` cancels running coroutine jobs, which could interrupt a
    database transaction half-way; each run here is shielded, and ``stop()``
    waits for the runs in flight before the caller closes the database.
    """

    def __init__(self, dispatcher: Dispatcher, **options: object) -> None:
        super().__init__(**options)
        self.dispatcher = dispatcher
        self._in_flight: set[asyncio.Future[None]] = set()

    def shielded(self, work: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.ensure_future(work())
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
            await asyncio.shield(task)

        return run

    async def stop(self, grace: float = 2.0, release_within: float = 4.0) -> None:
        """Stop waking the jobs, let the runs in flight finish for ``grace``
        seconds (then cancel them) and give back unsent leased rows."""
        if self.running:
            self.shutdown(wait=False)
        self.dispatcher.stop()
        if self._in_flight:  # runs return within the dispatcher's patience; conversations are waited for below
            _, late = await asyncio.wait(set(self._in_flight), timeout=grace)
            for task in late:
                task.cancel()
            if late:
                log.warning("cancelled job runs that did not finish in time", extra={"runs": len(late)})
                await asyncio.wait(late, timeout=1.0)
        try:
            async with asyncio.timeout(release_within):
                released = await self.dispatcher.release_held(grace=release_within / 2)
            log.info("gave back leased messages", extra={"count": released})
        except Exception as error:  # the database is away: the leases simply expire
            log.warning("could not give back leased messages", extra={"error": type(error).__name__})


def _next_minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def start_scheduler(services: JobServices, health: JobHealth | None = None) -> JobScheduler:
    """Start planner and dispatcher jobs on the running event loop; the caller
    stops them with ``await scheduler.stop()`` before closing the database."""
    uow_factory: UnitOfWorkFactory = services.db.uow
    typesetter: Typesetter | None = getattr(services, "typesetter", None)  # optional: the HWB card's chart
    planner = Planner(uow_factory, services.clock, typesetter)
    dispatcher = services.dispatcher
    health = health or JobHealth(services.clock)

    def guarded(job: str, work: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if not health.may_run():
                return
            try:
                await work()
            except Exception as error:
                health.failed(job, error)
            else:
                health.succeeded()

        return run

    async def plan_and_deliver() -> None:
        await planner.plan()
        await dispatcher.drain(rounds=20)
        await health.measure_lateness(dispatcher.outbox)

    async def retain() -> None:
        await apply_retention(uow_factory, services.clock)

    async def deliver() -> None:
        await dispatcher.run_once()
        await health.measure_lateness(dispatcher.outbox)

    settings = services.settings
    now = dt.datetime.now(dt.UTC)
    scheduler = JobScheduler(dispatcher, timezone=TIMEZONE, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    every_minute = IntervalTrigger(seconds=settings.plan_interval_seconds, start_date=_next_minute(now),
                                   timezone=dt.UTC)
    scheduler.add_job(scheduler.shielded(guarded("plan", plan_and_deliver)), every_minute, id="plan",
                      name="plan reminders", next_run_time=now)
    scheduler.add_job(scheduler.shielded(guarded("deliver", deliver)),
                      IntervalTrigger(seconds=settings.dispatch_interval_seconds, timezone=dt.UTC),
                      id="deliver", name="deliver outbox")
    scheduler.add_job(scheduler.shielded(guarded("retention", retain)),
                      CronTrigger(hour=3, minute=15, timezone=TIMEZONE), id="retention",
                      name="clear old message bodies and closed concerns")
    scheduler.start()
    log.info("jobs started", extra={"plan_every": settings.plan_interval_seconds,
                                    "deliver_every": settings.dispatch_interval_seconds})
    return scheduler
