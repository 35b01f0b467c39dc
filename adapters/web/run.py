"""Runs ``partnerbot serve``: the aiohttp server, Slack Socket Mode if asked,
and the reminder jobs in the same process unless ``--no-jobs``."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from adapters.config import Settings
from adapters.services import build_services, forget_old_events
from adapters.startup import close_services, prepare_database, stop_on_signals
from adapters.teams.trust import is_loopback
from adapters.web.server import StartupRefused, build_web_app

log = logging.getLogger("partnerbot.serve")


def dev_bind_refusal(host: str, dev_public: bool) -> str | None:
    """``--dev`` accepts unsigned Teams activities: only from this machine unless the operator insists."""
    if is_loopback(host.strip("[]")):
        return None
    if not dev_public:
        return (f"Refusing to serve --dev on {host}: without authentication anyone who can reach it can act as "
                "any member. Use --host 127.0.0.1 (or ::1), or add --dev-public if this network is yours alone.")
    log.warning("--dev-public: serving WITHOUT Teams authentication on a non-loopback interface",
                extra={"host": host})
    return None

async def run_server(settings: Settings, host: str, port: int, *, socket_mode: bool, jobs: bool, dev: bool) -> int:
    """Serve until SIGINT/SIGTERM; returns the process exit code."""
    stop = stop_on_signals()
    services = build_services(settings)
    try:
        app = build_web_app(services, socket_mode=socket_mode, teams_dev=dev, jobs=jobs)
    except StartupRefused as refusal:
        log.error(str(refusal))
        await services.close()
        return 2
    # Listen only once the schema is there (a SQLite file is migrated first), so a
    # request never meets a missing table; until then start-up retries with backoff.
    if not await prepare_database(services, stop):
        await close_services(services)
        return 0
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("listening", extra={"host": host, "port": port, "jobs": jobs, "socket_mode": socket_mode})
    background: list[asyncio.Task] = []
    scheduler = None
    try:
        background.append(asyncio.create_task(forget_old_events(services)))
        if socket_mode:
            from adapters.slack.socket import run_socket_mode

            background.append(asyncio.create_task(run_socket_mode(services)))
        if jobs:
            from jobs.scheduler import start_scheduler

            scheduler = start_scheduler(services, services.health)
        await stop.wait()
    finally:
        if scheduler is not None:
            await scheduler.stop()  # lets a run in flight finish its transaction, for a few seconds
        for task in background:
            task.cancel()
        await runner.cleanup()
        await close_services(services)
    return 0
