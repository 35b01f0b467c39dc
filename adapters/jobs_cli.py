"""Operator commands for the reminder jobs: ``partnerbot worker``,
``partnerbot jobs run-once`` and ``partnerbot outbox list|retry|drop``.

The worker runs the scheduler without a web server (several may run
against one database). Message bodies are never printed by ``outbox list``:
they may quote a confidential issue.
"""

import asyncio
import datetime as dt
import logging
from typing import Annotated

import typer

from adapters.config import Settings
from adapters.logs import configure_logging
from adapters.services import Services, build_services, document_source, forget_old_events
from bot.model import OutboxStatus
from bot.ports import FixedClock

log = logging.getLogger("partnerbot.worker")


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


def _row(msg) -> str:
    due = msg.due_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    error = f"  last error: {msg.last_error}" if msg.last_error else ""
    return (f"{msg.id:>6}  {msg.status:<9} {msg.kind:<10} due {due}Z  tries {msg.attempts}  "
            f"to {msg.recipient}  {msg.dedupe_key}{error}")


async def _list(settings: Settings, status: str | None, limit: int) -> None:
    services = build_services(settings)
    try:
        rows = await services.dispatcher.outbox.latest(status, limit)
        for msg in rows:
            typer.echo(_row(msg))
        if not rows:
            typer.echo("The outbox is empty." if status is None else f"No {status} messages.")
    finally:
        await services.close()


async def _change(settings: Settings, id: int, verb: str) -> bool:
    services = build_services(settings)
    try:
        outbox = services.dispatcher.outbox
        if verb == "retry":
            return await outbox.retry(id, services.clock.now())
        return await outbox.drop(id)
    finally:
        await services.close()


def _operate(verb: str, id: int, settings: Settings, done: str, refused: str) -> None:
    configure_logging(settings, quiet=True)
    if not asyncio.run(_change(settings, id, verb)):
        typer.echo(refused.format(id=id), err=True)
        raise typer.Exit(1)
    typer.echo(done.format(id=id))


def register(app: typer.Typer) -> None:
    """Add ``worker``, ``jobs`` and ``outbox`` to the ``partnerbot`` command.

    Imports adapters.cli here, not at module level: adapters.cli calls this
    while it is still being imported.
    """
    from adapters.cli import DbOption, NowOption, parse_now, settings_for

    jobs_app = typer.Typer(help="Reminder and escalation jobs.", no_args_is_help=True)
    outbox_app = typer.Typer(help="Messages the bot owes: inspect, retry, drop.", no_args_is_help=True)
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(outbox_app, name="outbox")
    status_option = Annotated[str | None, typer.Option("--status", help="pending, claimed, sent, cancelled or dead")]
    id_argument = Annotated[int, typer.Argument(help="Outbox message id")]

    @app.command()
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
        settings = settings_for(db)
        configure_logging(settings, quiet=True)
        asyncio.run(_run_once(settings, parse_now(now, settings.timezone)))

    @outbox_app.command("list")
    def list_rows(db: DbOption = None, status: status_option = None,
                  limit: Annotated[int, typer.Option(help="How many rows, newest first")] = 50) -> None:
        """Show outbox rows (never their text: it may be confidential)."""
        if status is not None and status not in {s.value for s in OutboxStatus}:
            raise typer.BadParameter(f"{status!r} is not a status: use pending, claimed, sent, cancelled or dead.",
                                     param_hint="--status")
        settings = settings_for(db)
        configure_logging(settings, quiet=True)
        asyncio.run(_list(settings, status, limit))

    @outbox_app.command("retry")
    def retry(id: id_argument, db: DbOption = None) -> None:
        """Send a dead or cancelled message again."""
        _operate("retry", id, settings_for(db), "Message {id} will be sent again.",
                 "Message {id} is not dead or cancelled.")

    @outbox_app.command("drop")
    def drop(id: id_argument, db: DbOption = None) -> None:
        """Cancel a message that has not been sent."""
        _operate("drop", id, settings_for(db), "Message {id} dropped.",
                 "Message {id} is already sent or cancelled (or missing).")
