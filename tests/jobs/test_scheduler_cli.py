"""The scheduler only wakes the jobs (a restart sends nothing twice), and the
operator commands: ``jobs run-once`` and ``outbox list|retry|drop``."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

from jobs_support import Recorder, add_action, local, seed
from typer.testing import CliRunner

from adapters.cli import app
from bot.ports import FixedClock
from jobs.dispatcher import Dispatcher
from jobs.scheduler import start_scheduler
from storage.outbox_delivery import SqlOutboxDelivery


async def run_scheduler_until(services, recorder: Recorder, count: int, patience: float = 10.0) -> None:
    """Run the scheduler until ``count`` messages were sent and then three more delivery runs
    have happened (which must send nothing more): counted runs, not a guess at how long is enough."""
    runs = 0
    run_once = services.dispatcher.run_once

    async def counted_run_once(*args, **kwargs):
        nonlocal runs
        try:
            return await run_once(*args, **kwargs)
        finally:
            runs += 1

    services.dispatcher.run_once = counted_run_once
    scheduler = start_scheduler(services)
    try:
        assert str(scheduler.timezone) == "Europe/London"
        assert all(job.coalesce and job.max_instances == 1 for job in scheduler.get_jobs())
        async with asyncio.timeout(patience):
            while len(recorder.got) < count:
                await asyncio.sleep(0.05)
            settled = runs + 3
            while runs < settled:
                await asyncio.sleep(0.05)
    finally:
        await scheduler.stop()


async def test_scheduled_jobs_deliver_once_across_a_restart(db, uow_factory):
    people = await seed(uow_factory)
    clock = FixedClock(local("2026-11-23T10:00"))
    await add_action(uow_factory, people.owen, dt.date(2026, 12, 4), clock.now(), people.ws)
    clock.move_to(local("2026-12-10T10:30"))
    recorder = Recorder(clock)
    settings = SimpleNamespace(plan_interval_seconds=0.1, dispatch_interval_seconds=0.1)
    for _ in range(2):  # a restart: a new scheduler and dispatcher on the same database
        services = SimpleNamespace(settings=settings, db=db, clock=clock,
                                   dispatcher=Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, recorder,
                                                         clock, "worker"))
        await run_scheduler_until(services, recorder, 2)
    assert sorted(d.to for d in recorder.got) == ["@lead", "@owen"]


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


async def test_run_once_plans_and_the_outbox_can_be_listed_dropped_and_retried(db_url, uow_factory):
    people = await seed(uow_factory)
    await add_action(uow_factory, people.owen, dt.date(2026, 12, 4), local("2026-11-23T10:00"), people.ws)
    result = await asyncio.to_thread(cli, "jobs", "run-once", "--db", db_url, "--now", "2026-12-10T10:30")
    assert result.exit_code == 0, result.output
    assert "Planned 2 new message(s)" in result.output and "No chat platform" in result.output
    listing = (await asyncio.to_thread(cli, "outbox", "list", "--db", db_url)).output
    assert "action:1:escalate-lead" in listing and "Publish" not in listing  # keys, never text
    async with uow_factory() as uow:
        row = await uow.outbox.by_key("action:1:escalate-lead:2026-12-04:m3")
    dropped = await asyncio.to_thread(cli, "outbox", "drop", str(row.id), "--db", db_url)
    again = await asyncio.to_thread(cli, "outbox", "drop", str(row.id), "--db", db_url)
    assert dropped.exit_code == 0 and again.exit_code == 1
    assert "cancelled" in (await asyncio.to_thread(cli, "outbox", "list", "--status", "cancelled", "--db",
                                                   db_url)).output
    retried = await asyncio.to_thread(cli, "outbox", "retry", str(row.id), "--db", db_url)
    assert retried.exit_code == 0
    assert (await SqlOutboxDelivery(uow_factory).get(row.id)).status == "pending"
