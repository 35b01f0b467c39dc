"""What the ``partnerbot`` commands share: their common options, the settings
they build from them, and how a command refuses.

Every module of adapters.cli imports this one and none imports the package
(adapters.cli assembles them), so the CLI has no import cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer

from adapters.config import Settings
from adapters.logs import configure_logging

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: PARTNERBOT_DATABASE_URL)")]
NowOption = Annotated[str | None, typer.Option("--now", help="Pretend it is this time (ISO, board local time)")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per message")]
YesOption = Annotated[bool, typer.Option("--yes", help="Do not ask (needed without a terminal)")]


def settings_for(db: str | None) -> Settings:
    """The process settings (environment, ``.env``), with ``--db`` if given."""
    settings = Settings()
    if db:
        settings.database_url = db
    return settings


def quiet_settings(db: str | None) -> Settings:
    """Settings for a one-shot operator command: only warnings are logged, so its own output reads clearly."""
    settings = settings_for(db)
    configure_logging(settings, quiet=True)
    return settings


def parse_now(now: str | None, timezone: str = "Europe/London") -> dt.datetime | None:
    """An ISO time typed by an operator; naive times are board local time."""
    if not now:
        return None
    try:
        at = dt.datetime.fromisoformat(now)
    except ValueError:
        raise typer.BadParameter(f"{now!r} is not an ISO time; write it like 2026-12-01T09:00") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(timezone))
    return at.astimezone(dt.UTC)


def fail(message: str, code: int = 1) -> NoReturn:
    """Say why on stderr and exit with ``code``."""
    typer.echo(message, err=True)
    raise typer.Exit(code)
