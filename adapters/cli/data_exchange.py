"""Board data in and out from the command line: ``partnerbot export|import actions``, ``import members``,
``calendar export`` and ``report``.

Each runs the same core command a chat user would (``export actions``,
``import actions``, ``report`` …) as the board's chair or secretariat (or
``--as @handle``), so the rules, checks and messages are the chat's; the
file a command answers with is written to ``--out``. A refusal is printed to
stderr and the exit status is 1.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer

from adapters.cli.options import DbOption, NowOption, fail, parse_now, quiet_settings
from adapters.config import Settings
from adapters.services import Services, apply_board_defaults, build_services, upgrade_sqlite
from bot.context import Command, Identity
from bot.model import Role
from bot.ports import FixedClock
from bot.reply import Attachment, Reply
from bot.text import plain_text

AsOption = Annotated[str | None, typer.Option("--as", help="Act as this @handle (default: the chair)")]
calendar_app = typer.Typer(help="iCalendar feeds of the board's dates.", no_args_is_help=True)


class CommandRefused(Exception):
    pass


async def _operator(services: Services, as_: str | None) -> str:
    """Who the command line acts as: ``--as``, else the chair, else the secretariat."""
    if as_:
        return as_.lstrip("@").lower()
    async with services.db.uow() as uow:
        for role in (Role.CHAIR, Role.SECRETARIAT):
            if people := await uow.members.with_role(role):
                return people[0].handle
    raise CommandRefused("This board has no chair or secretariat yet: add one with `partnerbot console` "
                         "(`/board member add @you \"Your Name\" initials YN org \"Org\" role chair`).")


async def _run(settings: Settings, text: str, values: dict[str, Any], as_: str | None, now: str | None) -> Reply:
    at = parse_now(now, settings.timezone)
    services = build_services(settings, FixedClock(at) if at else None)
    try:
        await upgrade_sqlite(services)
        await apply_board_defaults(services)
        handle = await _operator(services, as_)
        command = Command(Identity("console", handle), text, where="#cli", values=values)
        return (await services.bot.handle(command)).reply
    finally:
        await services.close()


def run_command(db: str | None, text: str, values: dict[str, Any] | None = None, *, as_: str | None = None,
                now: str | None = None, out: Path | None = None) -> Reply:
    """Run one core command; print its answer; write its attachment to ``out``."""
    settings = quiet_settings(db)
    try:
        reply = asyncio.run(_run(settings, text, values or {}, as_, now))
    except CommandRefused as error:
        fail(str(error))
    if reply.error:
        fail(plain_text(reply))
    # The commands run here attach files; meeting documents (a DocumentRef) come from `partnerbot documents`.
    files = [a for a in reply.attachments if isinstance(a, Attachment)]
    if out is not None and files:
        out.write_bytes(files[0].data)
        typer.echo(f"Wrote {out} ({len(files[0].data):,} bytes).")
    else:
        typer.echo(plain_text(reply))
    return reply


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        fail(f"Can't read {path}: {error.strerror}.")


def export_actions(
    out: Annotated[Path, typer.Option("--out", help="File to write")],
    status: Annotated[str, typer.Option("--status", help="open, done or all")] = "all",
    format_: Annotated[str, typer.Option("--format", help="csv")] = "csv",
    db: DbOption = None, as_: AsOption = None, now: NowOption = None,
) -> None:
    """The action log as a CSV spreadsheet."""
    if format_ != "csv":
        raise typer.BadParameter("the action log exports as csv", param_hint="--format")
    run_command(db, "export actions", {"status": status}, as_=as_, now=now, out=out)


def _import(what: str, file: Path, dry_run: bool, db: str | None, as_: str | None, now: str | None) -> None:
    run_command(db, f"import {what}", {"file": _read(file), "dry_run": dry_run}, as_=as_, now=now)


FileArg = Annotated[Path, typer.Argument(help="CSV file (header row, then one row per line)")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and show what would change; write nothing")]


def import_actions(file: FileArg, dry_run: DryRun = False, db: DbOption = None, as_: AsOption = None,
                   now: NowOption = None) -> None:
    """An action log: Ref, Action, Owner (initials), Due (dd/mm/yyyy), Status, Workstream, Meeting, Notes."""
    _import("actions", file, dry_run, db, as_, now)


def import_members(file: FileArg, dry_run: DryRun = False, db: DbOption = None, as_: AsOption = None,
                   now: NowOption = None) -> None:
    """A membership list: Name, Initials, Organisation, Role, Email, Handle."""
    _import("members", file, dry_run, db, as_, now)


@calendar_app.command("export")
def calendar_export(
    member: Annotated[str | None, typer.Argument(help="@handle or initials: that member's feed (default: the board's)")]
    = None,
    out: Annotated[Path, typer.Option("--out", help="File to write (.ics)")] = Path("board-calendar.ics"),
    db: DbOption = None, as_: AsOption = None, now: NowOption = None,
) -> None:
    """The board's calendar, or a member's, as an iCalendar file."""
    run_command(db, f"calendar export {member or ''}".strip(), as_=as_, now=now, out=out)


def report(
    out: Annotated[Path, typer.Option("--out", help="File to write")],
    from_: Annotated[str | None, typer.Option("--from", help="First day (default: six months ago)")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: today)")] = None,
    format_: Annotated[str, typer.Option("--format", help="html, pdf or md")] = "html",
    db: DbOption = None, as_: AsOption = None, now: NowOption = None,
) -> None:
    """The governance report to the Health and Wellbeing Board, with charts."""
    values = {"format": format_, **({"from": from_} if from_ else {}), **({"to": to} if to else {})}
    run_command(db, "report", values, as_=as_, now=now, out=out)
