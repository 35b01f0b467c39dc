"""/healthz says the process is up; /readyz says whether it can do its work:
the database answers and the jobs' last run reached it recently."""

from __future__ import annotations

import datetime as dt

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.config import Settings
from adapters.services import build_services
from adapters.web.health import mount_health
from bot.ports import FixedClock

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


async def probe(db_url: str, *, jobs: bool, ticked_ago: dt.timedelta | None = None):
    clock = FixedClock(NOW)
    services = build_services(Settings(database_url=db_url), clock)
    if ticked_ago is not None:
        clock.move_to(NOW - ticked_ago)
        services.health.succeeded()
        clock.move_to(NOW)
    app = web.Application()
    mount_health(app, services, jobs=jobs)
    async with TestClient(TestServer(app)) as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")
        answers = (alive.status, ready.status, await ready.json())
    await services.close()
    return answers


async def test_ready_once_the_jobs_have_reached_the_database(db_url):
    alive, ready, body = await probe(db_url, jobs=True, ticked_ago=dt.timedelta(seconds=5))
    assert (alive, ready) == (200, 200)
    assert body["database"] == "ok" and body["last_tick_age_s"] == 5.0 and body["ready"] is True


async def test_not_ready_before_any_job_run_or_after_a_stale_one(db_url):
    assert (await probe(db_url, jobs=True))[1] == 503
    alive, ready, body = await probe(db_url, jobs=True, ticked_ago=dt.timedelta(minutes=10))
    assert (alive, ready, body["database"]) == (200, 503, "ok")


async def test_a_web_only_process_is_ready_when_the_database_answers(db_url):
    assert (await probe(db_url, jobs=False))[:2] == (200, 200)


async def test_an_unreachable_database_is_not_ready_but_the_process_is_alive(tmp_path):
    alive, ready, body = await probe(f"sqlite:///{tmp_path}/missing/dir/board.db", jobs=False)
    assert (alive, ready, body["database"]) == (200, 503, "unreachable")
