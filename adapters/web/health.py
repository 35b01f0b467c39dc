"""``/healthz`` and ``/readyz`` for ``partnerbot serve`` and ``partnerbot worker``.

``/healthz`` answers 200 while the process runs (a liveness probe: restart
me if this fails). ``/readyz`` answers 200 only when the database answers
within two seconds and, where this process runs the jobs, the last job run
reached the database recently; otherwise 503. Its body says why, with the
age of the oldest due message, and never any message content.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from aiohttp import web

from adapters.services import Services

log = logging.getLogger("partnerbot.health")
HEALTH = web.AppKey("health_services", Services)
JOBS = web.AppKey("health_jobs", bool)
DATABASE_PATIENCE = 2.0  # seconds /readyz waits for the database
STALE_AFTER = dt.timedelta(minutes=2)  # a jobs process whose last good run is older is not ready


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def _database_answers(services: Services) -> bool:
    try:
        async with asyncio.timeout(DATABASE_PATIENCE):
            async with services.db.uow() as uow:
                await uow.members.count()
        return True
    except Exception as error:
        log.info("readiness: database unreachable", extra={"error": type(error).__name__})
        return False


async def readyz(request: web.Request) -> web.Response:
    services, jobs = request.app[HEALTH], request.app[JOBS]
    health, now = services.health, services.clock.now()
    body: dict[str, object] = {"database": "ok" if await _database_answers(services) else "unreachable"}
    ready = body["database"] == "ok"
    if jobs:
        last = health.last_success
        body["last_tick"] = last.isoformat() if last else None
        body["last_tick_age_s"] = None if last is None else round((now - last).total_seconds(), 1)
        age = health.oldest_due_age
        body["oldest_due_age_s"] = None if age is None else round(age.total_seconds(), 1)
        body["failed_runs"] = health.failures
        ready = ready and last is not None and now - last <= STALE_AFTER
    body["ready"] = ready
    return web.json_response(body, status=200 if ready else 503)


def mount_health(app: web.Application, services: Services, *, jobs: bool) -> None:
    app[HEALTH] = services
    app[JOBS] = jobs
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)


async def start_health_server(services: Services, host: str, port: int) -> web.AppRunner:
    """The worker's own small server (it has no other web endpoints)."""
    app = web.Application()
    mount_health(app, services, jobs=True)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("health endpoints listening", extra={"host": host, "port": port})
    return runner
