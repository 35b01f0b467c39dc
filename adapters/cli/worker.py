"""``partnerbot worker`` and ``partnerbot jobs run-once``: the reminder jobs without a web server.

The worker runs the scheduler alone (several may run against one database);
``run-once`` applies retention, plans and delivers once, then exits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Annotated

import typer

from adapters.cli.options import DbOption, NowOption, parse_now, quiet_settings, settings_for
from adapters.config import Settings
from adapters.logs import configure_logging
from adapters.services import Services, build_services, document_source, forget_old_events
from bot.ports import FixedClock

log = logging.getLogger("partnerbot.worker")
jobs_app = typer.Typer(help="Reminder and escalation jobs.", no_args_is_help=True)


def connect_platforms(services: Services) -> list[str]:
    """Register delivery to the configured chat platforms (no web endpoints)."""
    settings = services.settings
    connected = []
    if settings.slack_bot_token:
        from adapters.slack.notifier import SlackNotifier, web_client

        services.notifier.register("slack", SlackNotifier(web_client(settings, interactive=False),
                                                          settings.timezone, document_source(services)))
        connected.append("slack")
    if settings.teams_app_id:
        from adapters.teams.endpoint import build_runtime

        services.notifier.register("teams", build_runtime(services).notifier)
        connected.append("teams")
    return connected


async def _worker(settings: Settings, health_port: int | None) -> int:
    from adapters.startup import close_services, prepare_database, stop_on_signals
    from adapters.web.health import start_health_server
    from jobs.scheduler import start_scheduler

    stop = stop_on_signals()
    services = build_services(settings)
    health = await start_health_server(services, "0.0.0.0", health_port) if health_port else None
    scheduler = None
    pruning = None
    try:
        if not await prepare_database(services, stop):
            return 0
        platforms = connect_platforms(services)
        if not platforms:
            log.warning("no chat platform configured: messages will wait in the outbox")
        scheduler = start_scheduler(services, services.health) if platforms else None
        pruning = asyncio.create_task(forget_old_events(services))
        log.info("worker started", extra={"platforms": platforms, "worker": services.dispatcher.owner})
        await stop.wait()
    finally:
        if pruning is not None:
            pruning.cancel()
        if scheduler is not None:
            await scheduler.stop()
        if health is not None:
            await health.cleanup()
        await close_services(services)
    log.info("worker stopped", extra={"worker": services.dispatcher.owner})
    return 0


async def _run_once(settings: Settings, now: dt.datetime | None) -> None:
    from jobs.planner import Planner
    from jobs.retention import apply_retention

    services = build_services(settings, FixedClock(now) if now else None)
    try:
        cleared = await apply_retention(services.db.uow, services.clock)
        typer.echo("Retention: cleared " + ", ".join(f"{n} {what}" for what, n in cleared.items()) + ".")
        planned = await Planner(services.db.uow, services.clock, services.typesetter).plan()
        typer.echo(f"Planned {len(planned.queued)} new message(s).")
        if not connect_platforms(services):
            typer.echo("No chat platform is configured, so nothing was sent; `partnerbot outbox list` shows "
                       "what waits.")
            return
        report = await services.dispatcher.drain()
        typer.echo(f"Sent {len(report.sent)}; {report.retried} to retry, {report.deferred} waiting, "
                   f"{report.dead} dead-lettered.")
        for msg in report.sent:
            typer.echo(f"  sent {msg.id} {msg.kind} to {msg.recipient} ({msg.dedupe_key})")
    finally:
        await services.close()


def worker(db: DbOption = None, health_port: Annotated[int | None, typer.Option(
        "--health-port", help="Serve /healthz and /readyz on this port (default: PARTNERBOT_HEALTH_PORT)")] = None,
) -> None:
    """Run the reminder jobs alone (no web server); any number may run at once."""
    settings = settings_for(db)
    configure_logging(settings)
    raise typer.Exit(asyncio.run(_worker(settings, health_port or settings.health_port)))


@jobs_app.command("run-once")
def run_once(db: DbOption = None, now: NowOption = None) -> None:
    """Apply retention, plan reminders and deliver what is due, once, then exit."""
    settings = quiet_settings(db)
    asyncio.run(_run_once(settings, parse_now(now, settings.timezone)))
