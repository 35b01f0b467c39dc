"""``partnerbot pack``, ``partnerbot minutes`` and ``partnerbot import minutes``: the meeting's
documents from the terminal, and minutes written elsewhere read into the board."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from adapters.cli_groups import add_group
from adapters.config import Settings
from adapters.documents import FORMATS, render
from adapters.documents.attached import in_board
from adapters.logs import configure_logging
from bot.commands.common import load_meeting
from bot.context import Context
from bot.document import Document
from bot.errors import BotError
from bot.grammar import parse_ref
from bot.meeting_documents import build_minutes, build_pack
from bot.minutes_import import Plan, apply_plan, plan_import, read_minutes
from bot.model import Meeting, Prefix, Role
from bot.people import find_person
from bot.ports import FixedClock, SystemClock

T = TypeVar("T")
import_app = typer.Typer(help="Read board records written elsewhere.", no_args_is_help=True)

MeetingArg = Annotated[str, typer.Argument(help="The meeting, e.g. M4")]
FormatOption = Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}")]
OutOption = Annotated[Path | None, typer.Option("--out", help="File to write (default: <kind>-M4.<format>)")]
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: PARTNERBOT_DATABASE_URL)")]
NowOption = Annotated[str | None, typer.Option("--now", help="Pretend it is this time (ISO, board local time)")]


async def with_board(settings: Settings, now: dt.datetime | None, work: Callable[[Context], Awaitable[T]],
                     commit: bool = False) -> T:
    """Run ``work`` against the configured database as an operator (no member acting)."""
    from storage.database import Database

    db = Database(settings.database_url)
    try:
        return await in_board(db, FixedClock(now) if now else SystemClock(), work, commit)
    finally:
        await db.dispose()


async def _meeting(ctx: Context, token: str) -> Meeting:
    return await load_meeting(ctx, parse_ref(token, Prefix.MEETING, "a meeting", field="meeting"))


def _run(settings: Settings, now: str | None, work: Callable[[Context], Awaitable[T]], commit: bool = False) -> T:
    from adapters.cli import parse_now

    try:
        return asyncio.run(with_board(settings, parse_now(now, settings.timezone), work, commit))
    except BotError as error:
        typer.echo(error.message + (f"\n  {error.hint}" if error.hint else ""), err=True)
        raise typer.Exit(1) from None


def _write(settings: Settings, kind: str, meeting: str, fmt: str, out: Path | None, now: str | None,
           build: Callable[[Context, Meeting], Awaitable[Document]]) -> None:
    if fmt not in FORMATS:
        typer.echo(f"Unknown format “{fmt}”: use one of {', '.join(FORMATS)}.", err=True)
        raise typer.Exit(2)

    async def work(ctx: Context) -> Document:
        return await build(ctx, await _meeting(ctx, meeting))

    document = _run(settings, now, work)
    target = out or Path(f"{kind}-{meeting.upper()}.{fmt}")
    target.write_bytes(render(document, fmt))
    typer.echo(f"Wrote {document.title} to {target}.")


def _settings(db: str | None) -> Settings:
    settings = Settings()
    if db:
        settings.database_url = db
    configure_logging(settings, quiet=True)
    return settings


def pack(meeting: MeetingArg, fmt: FormatOption = "pdf", out: OutOption = None, db: DbOption = None,
         now: NowOption = None) -> None:
    """The meeting pack: agenda, apologies, previous minutes, action list, escalations (counts)."""
    _write(_settings(db), "pack", meeting, fmt, out, now, build_pack)


def minutes(meeting: MeetingArg, fmt: FormatOption = "pdf", out: OutOption = None, db: DbOption = None,
            now: NowOption = None) -> None:
    """The minutes: present, apologies, items with discussion and decisions, actions."""
    _write(_settings(db), "minutes", meeting, fmt, out, now, build_minutes)


def describe(plan: Plan, meeting: str) -> list[str]:
    """The dry run, line by line: who and what would be recorded, and what could not be read."""
    out = [f"Present at {meeting} ({len(plan.present)}):"]
    for line, member in plan.present:
        who = f"@{member.handle}" if member else "guest (not on the board)"
        out.append(f"  {line.initials:<4} {line.name}, {line.organisation or 'no organisation'} — {who}")
    out.append(f"Apologies ({len(plan.apologies)}):")
    for apology, member in plan.apologies:
        who = f"@{member.handle}" if member else "not on the board: not recorded"
        out.append(f"  {apology.name}, {apology.organisation or 'no organisation'} — {who}")
    out.append(f"Actions ({len(plan.actions)}), due {plan.due:%d/%m/%Y}:")
    for action, member in plan.actions:
        owner = f"@{member.handle}" if member else "no board member with these initials: not recorded"
        out.append(f"  line {action.line}: {action.owner} — {action.text} — {owner}")
    out.append(f"Lines I could not read ({len(plan.unread)}):")
    out.extend(f"  line {number}: {text[:100]}" for number, text in plan.unread)
    return out


@import_app.command("minutes")
def import_minutes(
    file: Annotated[Path, typer.Argument(help="Minutes as text (tab-separated tables, like the Kingston minutes)")],
    meeting: Annotated[str, typer.Option("--meeting", help="The meeting they are the minutes of, e.g. M4")],
    apply: Annotated[bool, typer.Option("--apply", help="Record it (without: show what would be recorded)")] = False,
    as_: Annotated[str | None, typer.Option("--as", help="Who records it (default: the secretariat)")] = None,
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """Read minutes written elsewhere: attendance, apologies and actions by owner initials."""
    settings = _settings(db)
    if not file.is_file():
        typer.echo(f"There is no file {file}.", err=True)
        raise typer.Exit(2)
    read = read_minutes(file.read_text(encoding="utf-8", errors="replace"))

    async def work(ctx: Context) -> tuple[Plan, dict[str, int] | None]:
        found = await _meeting(ctx, meeting)
        plan = await plan_import(ctx, found, read)
        if not apply:
            return plan, None
        actor = await find_person(ctx.uow, as_, "as") if as_ else next(
            iter(await ctx.uow.members.with_role(Role.SECRETARIAT)), None)
        if actor is None:
            raise BotError("Nobody is the secretariat, so nobody can record the import.", hint="Give `--as @handle`.")
        ctx.actor = actor
        return plan, await apply_plan(ctx, found, plan, actor)

    plan, counts = _run(settings, now, work, commit=apply)
    for line in describe(plan, meeting.upper()):
        typer.echo(line)
    if counts is None:
        typer.echo("Dry run: nothing was written. Add --apply to record it.")
    else:
        typer.echo("Recorded " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")


def register(app: typer.Typer) -> None:
    app.command("pack")(pack)
    app.command("minutes")(minutes)
    add_group(app, "import", import_app)
