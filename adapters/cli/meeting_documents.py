"""``partnerbot pack``, ``partnerbot minutes`` and ``partnerbot import minutes``: the meeting's
documents from the terminal, and minutes written elsewhere read into the board."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from adapters.cli.options import DbOption, NowOption, fail, parse_now, quiet_settings
from adapters.config import Settings
from adapters.documents import FORMATS, render
from adapters.documents.attached import in_board
from adapters.services import open_database
from bot.commands.common import load_meeting
from bot.context import Context
from bot.document import Document
from bot.errors import BotError
from bot.grammar import parse_ref
from bot.meeting_documents import build_minutes, build_pack
from bot.member_lookup import find_person
from bot.minutes_import import Plan, apply_plan, plan_import, read_minutes
from bot.model import Meeting, Prefix, Role
from bot.ports import FixedClock, SystemClock

T = TypeVar("T")

MeetingArg = Annotated[str, typer.Argument(help="The meeting, e.g. M4")]
FormatOption = Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}")]
OutOption = Annotated[Path | None, typer.Option("--out", help="File to write (default: <kind>-M4.<format>)")]


async def with_board(settings: Settings, now: dt.datetime | None, work: Callable[[Context], Awaitable[T]],
                     commit: bool = False) -> T:
    """Run ``work`` against the configured database as an operator (no member acting)."""
    db = open_database(settings.database_url)
    try:
        return await in_board(db.uow, FixedClock(now) if now else SystemClock(), work, commit)
    finally:
        await db.dispose()


async def _meeting(ctx: Context, token: str) -> Meeting:
    return await load_meeting(ctx, parse_ref(token, Prefix.MEETING, "a meeting", field="meeting"))


def _run(settings: Settings, now: str | None, work: Callable[[Context], Awaitable[T]], commit: bool = False) -> T:
    try:
        return asyncio.run(with_board(settings, parse_now(now, settings.timezone), work, commit))
    except BotError as error:
        fail(error.message + (f"\n  {error.hint}" if error.hint else ""))


def _write(settings: Settings, kind: str, meeting: str, fmt: str, out: Path | None, now: str | None,
           build: Callable[[Context, Meeting], Awaitable[Document]]) -> None:
    if fmt not in FORMATS:
        fail(f"Unknown format “{fmt}”: use one of {', '.join(FORMATS)}.", 2)

    async def work(ctx: Context) -> Document:
        return await build(ctx, await _meeting(ctx, meeting))

    document = _run(settings, now, work)
    target = out or Path(f"{kind}-{meeting.upper()}.{fmt}")
    target.write_bytes(render(document, fmt))
    typer.echo(f"Wrote {document.title} to {target}.")


def pack(meeting: MeetingArg, fmt: FormatOption = "pdf", out: OutOption = None, db: DbOption = None,
         now: NowOption = None) -> None:
    """The meeting pack: agenda, apologies, previous minutes, action list, escalations (counts)."""
    _write(quiet_settings(db), "pack", meeting, fmt, out, now, build_pack)


def minutes(meeting: MeetingArg, fmt: FormatOption = "pdf", out: OutOption = None, db: DbOption = None,
            now: NowOption = None) -> None:
    """The minutes: present, apologies, items with discussion and decisions, actions."""
    _write(quiet_settings(db), "minutes", meeting, fmt, out, now, build_minutes)


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


def import_minutes(
    file: Annotated[Path, typer.Argument(help="Minutes as text (tab-separated tables, like the Kingston minutes)")],
    meeting: Annotated[str, typer.Option("--meeting", help="The meeting they are the minutes of, e.g. M4")],
    apply: Annotated[bool, typer.Option("--apply", help="Record it (without: show what would be recorded)")] = False,
    as_: Annotated[str | None, typer.Option("--as", help="Who records it (default: the secretariat)")] = None,
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """Read minutes written elsewhere: attendance, apologies and actions by owner initials."""
    settings = quiet_settings(db)
    if not file.is_file():
        fail(f"There is no file {file}.", 2)
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
