"""``partnerbot console``, ``seed`` and ``demo``: the board in a terminal, no chat platform needed."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from adapters.cli.options import DbOption, JsonOption, NowOption, fail, parse_now, quiet_settings


def console(
    db: DbOption = None,
    as_: Annotated[str, typer.Option("--as", help="Act as this @handle")] = "@chair",
    now: NowOption = None,
    json_: JsonOption = False,
) -> None:
    """Work the board from the terminal: /board commands, DMs, :as, :now, :tick."""
    from adapters.console.repl import run_console

    settings = quiet_settings(db)
    asyncio.run(run_console(settings, as_, parse_now(now, settings.timezone), json_))


def seed(db: DbOption = None, now: NowOption = None) -> None:
    """Seed the example board (BRIEF.md) into a database."""
    from adapters.console.demo import seed_database

    settings = quiet_settings(db)
    if not asyncio.run(seed_database(settings, parse_now(now, settings.timezone))):
        fail(f"{settings.database_url} already has a board; seed a new database instead.")
    typer.echo("Seeded the example board.")


def demo(
    db: Annotated[str, typer.Option("--db", help="Database URL for the demo")] = "sqlite:///./partnerbot-demo.db",
    interactive: Annotated[
        bool | None, typer.Option(help="Open the console afterwards (default: if a terminal)")] = None,
) -> None:
    """Seed a fresh example board, walk through each command family, then open the console."""
    from adapters.console.demo import run_demo

    settings = quiet_settings(db)
    asyncio.run(run_demo(settings, sys.stdin.isatty() if interactive is None else interactive))
