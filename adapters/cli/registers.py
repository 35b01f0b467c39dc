"""Operator commands for the risk register and the dashboard:
``partnerbot export risks|measures``, ``partnerbot import risks|measures FILE``
and ``partnerbot risks --format html|pdf|md --out FILE`` (the register as a paper)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from adapters.cli.options import DbOption, NowOption, fail, parse_now, quiet_settings
from adapters.services import open_database

OutOption = Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output)")]
FileArgument = Annotated[Path, typer.Argument(help="The CSV file", exists=True, dir_okay=False, readable=True)]


async def _with_board(db: str | None, now: str | None, work):
    """Run ``work(uow, settings, calendar, now, today)`` in one transaction, committing if it returns."""
    from bot.context import board_context

    settings = quiet_settings(db)
    database = open_database(settings.database_url)
    try:
        async with database.uow() as uow:
            board, calendar = await board_context(uow)
            at = parse_now(now, board.timezone) or dt.datetime.now(dt.UTC)
            from zoneinfo import ZoneInfo

            result = await work(uow, board, calendar, at, at.astimezone(ZoneInfo(board.timezone)).date())
            await uow.commit()
            return result
    finally:
        await database.dispose()


def _write(data: str | bytes, out: Path | None) -> None:
    if out is None:
        typer.echo(data if isinstance(data, str) else data.decode(), nl=False)
        return
    out.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    typer.echo(f"Wrote {out}.", err=True)


def export_risks(out: OutOption = None, db: DbOption = None) -> None:
    """The current risk register, highest score first."""
    from bot.register_csv import export_risks as export

    _write(asyncio.run(_with_board(db, None, lambda uow, *_: export(uow))), out)


def export_measures(out: OutOption = None, db: DbOption = None) -> None:
    """Every measure with its target and latest value."""
    from bot.register_csv import export_measures as export

    _write(asyncio.run(_with_board(db, None, lambda uow, board, *_: export(uow, board.rag_amber_percent))), out)


def _import(kind: str, file: Path, db: str | None, now: str | None) -> None:
    from bot import register_csv
    from bot.csv_rows import ImportRefused

    run = getattr(register_csv, f"import_{kind}")
    text = file.read_text(encoding="utf-8-sig")
    try:
        result = asyncio.run(_with_board(db, now, lambda uow, board, calendar, at, today: run(uow, text, at, today)))
    except ImportRefused as refused:
        fail(f"{refused.message}\n{refused.hint}")
    typer.echo(result.summary(kind))


def import_risks(file: FileArgument, db: DbOption = None, now: NowOption = None) -> None:
    """Risks from CSV: a row with a ref updates that risk, one without adds a new one."""
    _import("risks", file, db, now)


def import_measures(file: FileArgument, db: DbOption = None, now: NowOption = None) -> None:
    """Measures from CSV, with each row's latest value if it has one."""
    _import("measures", file, db, now)


def risks_document(
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or md")] = "html",
    out: Annotated[Path, typer.Option("--out", help="File to write")] = Path("risks.html"),
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """The risk register and the dashboard (with a trend chart per measure) as a document."""
    from adapters.documents import FORMATS, render
    from bot.register_document import register_document, register_view

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")

    async def build(uow, board, calendar, at, today):
        return register_document(await register_view(uow, board, calendar, today, None))

    _write(render(asyncio.run(_with_board(db, now, build)), fmt), out)
