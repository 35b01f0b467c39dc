"""Runs ``partnerbot serve``: the aiohttp server, Slack Socket Mode if asked,
and the reminder jobs in the same process unless ``--no-jobs``."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from adapters.config import Settings
from adapters.services import apply_board_defaults, build_services, forget_old_events
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
    from storage.migrate import upgrade

    services = build_services(settings)
    if services.db.is_sqlite:
        await asyncio.to_thread(upgrade, settings.database_url)
    await apply_board_defaults(services)
    try:
        app = build_web_app(services, socket_mode=socket_mode, teams_dev=dev)
    except StartupRefused as refusal:
        log.error(str(refusal))
        await services.close()
        return 2
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("listening", extra={"host": host, "port": port, "jobs": jobs, "socket_mode": socket_mode})
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    background: list[asyncio.Task] = [asyncio.create_task(forget_old_events(services))]
    scheduler = None
    if socket_mode:
        from adapters.slack.socket import run_socket_mode

        background.append(asyncio.create_task(run_socket_mode(services)))
    if jobs:
        from jobs.scheduler import start_scheduler

        scheduler = start_scheduler(services)
    try:
        await stop.wait()
    finally:
        if scheduler is not None:
            await scheduler.stop()  # lets a run in flight finish its transaction
        for task in background:
            task.cancel()
        await runner.cleanup()
        await services.close()
    return 0
