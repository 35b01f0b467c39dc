"""The ``partnerbot`` command: console, demo, database, server and operator tools."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from typing import Annotated

import typer

from adapters.config import Settings
from adapters.logs import configure_logging

app = typer.Typer(help="partnerbot: a partnership board's coordination bot for Slack, Teams and the terminal.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: PARTNERBOT_DATABASE_URL)")]
NowOption = Annotated[str | None, typer.Option("--now", help="Pretend it is this time (ISO, board local time)")]


def settings_for(db: str | None) -> Settings:
    settings = Settings()
    if db:
        settings.database_url = db
    return settings


def parse_now(now: str | None, timezone: str = "Europe/London") -> dt.datetime | None:
    """An ISO time typed by an operator; naive times are board local time."""
    if not now:
        return None
    from zoneinfo import ZoneInfo

    try:
        at = dt.datetime.fromisoformat(now)
    except ValueError:
        raise typer.BadParameter(f"{now!r} is not an ISO time; write it like 2026-12-01T09:00") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(timezone))
    return at.astimezone(dt.UTC)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the latest version."""
    from storage.migrate import upgrade

    settings = settings_for(db)
    configure_logging(settings, quiet=True)
    upgrade(settings.database_url)
    typer.echo(f"Database at {settings.database_url} is up to date.")


@app.command()
def console(
    db: DbOption = None,
    as_: Annotated[str, typer.Option("--as", help="Act as this @handle")] = "@chair",
    now: NowOption = None,
    json_: Annotated[bool, typer.Option("--json", help="One JSON object per message")] = False,
) -> None:
    """Work the board from the terminal: /board commands, DMs, :as, :now, :tick."""
    from adapters.console.repl import run_console

    settings = settings_for(db)
    configure_logging(settings, quiet=True)
    asyncio.run(run_console(settings, as_, parse_now(now, settings.timezone), json_))


@app.command()
def seed(db: DbOption = None, now: NowOption = None) -> None:
    """Seed the example board (BRIEF.md) into a database."""
    from adapters.console.demo import seed_database

    settings = settings_for(db)
    configure_logging(settings, quiet=True)
    if not asyncio.run(seed_database(settings, parse_now(now, settings.timezone))):
        typer.echo(f"{settings.database_url} already has a board; seed a new database instead.", err=True)
        raise typer.Exit(1)
    typer.echo("Seeded the example board.")


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Database URL for the demo")] = "sqlite:///./partnerbot-demo.db",
    interactive: Annotated[
        bool | None, typer.Option(help="Open the console afterwards (default: if a terminal)")] = None,
) -> None:
    """Seed a fresh example board, walk through each command family, then open the console."""
    from adapters.console.demo import run_demo

    settings = settings_for(db)
    configure_logging(settings, quiet=True)
    asyncio.run(run_demo(settings, sys.stdin.isatty() if interactive is None else interactive))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 3000,
    socket_mode: Annotated[bool, typer.Option("--socket-mode", help="Use Slack Socket Mode (no public URL)")] = False,
    no_jobs: Annotated[bool, typer.Option("--no-jobs", help="Do not run reminders in this process")] = False,
    dev: Annotated[bool, typer.Option("--dev", help="Teams without authentication (local testing only)")] = False,
    dev_public: Annotated[bool, typer.Option(
        "--dev-public", help="Let --dev listen on an interface other than 127.0.0.1/::1 (dangerous)")] = False,
    db: DbOption = None,
) -> None:
    """Run the Slack and Teams endpoints (and the reminder jobs unless --no-jobs)."""
    from adapters.web.run import dev_bind_refusal, run_server

    settings = settings_for(db)
    configure_logging(settings)
    if dev and (refusal := dev_bind_refusal(host, dev_public)):
        typer.echo(refusal, err=True)
        raise typer.Exit(2)
    raise typer.Exit(asyncio.run(run_server(settings, host, port, socket_mode=socket_mode, jobs=not no_jobs,
                                            dev=dev)))


def _register_optional() -> None:
    """Operator commands that live beside the code they drive."""
    from adapters.data_cli import register as register_data
    from adapters.documents_cli import register as register_documents
    from adapters.jobs_cli import register as register_jobs
    from adapters.privacy_cli import register as register_privacy
    from adapters.registers_cli import register as register_registers
    from adapters.teams.package import register as register_teams

    register_documents(app)
    register_jobs(app)
    register_data(app)
    register_privacy(app)
    register_teams(app)
    register_registers(app)


_register_optional()


def main() -> None:
    app()
