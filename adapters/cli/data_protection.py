"""Operator commands for data protection: ``partnerbot audit verify|show`` and
``partnerbot privacy export|erase``.

``audit verify`` exits 1 and names the first entry that was altered, removed
or inserted. ``privacy erase`` asks for confirmation on a terminal; without
one, ``--yes`` is required. Every run is recorded in the audit trail as the
operator's (``command`` says which tool).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import typer

from adapters.cli.options import DbOption, YesOption, fail, quiet_settings
from adapters.config import Settings
from adapters.services import build_services
from bot.audit_text import describe
from bot.dates import parse_date
from bot.errors import BotError
from bot.model import AuditEntry
from bot.privacy import audit_lines, audit_target, entries_for, find_member, subject_access

T = TypeVar("T")
audit_app = typer.Typer(help="The audit trail: verify the hash chain, show entries in plain words.",
                        no_args_is_help=True)
privacy_app = typer.Typer(help="Data-subject rights: export and erase what is held about a person.",
                          no_args_is_help=True)
MemberArgument = Annotated[str, typer.Argument(help="@member")]


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work``; a refusal (no such member, a bad reference) is said on stderr, exit status 1."""
    try:
        return asyncio.run(work)
    except BotError as error:
        fail(error.message + (f" {error.hint}" if error.hint else ""))


async def _verify(settings: Settings) -> tuple[bool, str]:
    services = build_services(settings)
    try:
        async with services.db.uow() as uow:
            finding = await uow.audit.verify()
            people = {m.id: m for m in await uow.members.list_all() if m.id is not None}
    finally:
        await services.close()
    if finding.ok:
        return True, f"The audit trail is intact: {finding.checked} entries verified."
    what = f" ({describe(finding.entry, people, ZoneInfo(settings.timezone))})" if finding.entry else ""
    return False, (f"The audit trail is broken at entry {finding.seq}: it was {finding.problem}{what}. "
                   f"{finding.checked} entries before it verified.")


async def _show(settings: Settings, target: str, since: dt.date | None) -> list[str]:
    services = build_services(settings)
    tz = ZoneInfo(settings.timezone)
    try:
        async with services.db.uow() as uow:
            found = await audit_target(uow, target)
            start = dt.datetime.combine(since, dt.time(0), tzinfo=tz).astimezone(dt.UTC) if since else None
            return await audit_lines(uow, await entries_for(uow, found, start), tz)
    finally:
        await services.close()


async def _export(settings: Settings, who: str, out: Path) -> str:
    services = build_services(settings)
    try:
        async with services.db.uow() as uow:
            uow.act_as(None, "operator: privacy export")
            member = await find_member(uow, who)
            document = await subject_access(uow, member, services.clock.now())
            await uow.audit.add(AuditEntry(services.clock.now(), None, "privacy.export", f"@{member.handle}"))
            out.write_text(document, encoding="utf-8")
            out.chmod(0o600)
            await uow.commit()
        return f"Wrote everything held about @{member.handle} to {out}."
    finally:
        await services.close()


async def _erase(settings: Settings, who: str, dry_run: bool, confirm: Callable[[str, str], bool]) -> str:
    services = build_services(settings)
    try:
        async with services.db.uow() as uow:
            uow.act_as(None, "operator: privacy erase")
            member = await find_member(uow, who)
            if not member.active and member.name.startswith("former member"):
                return f"@{member.handle} was already erased."
            label = f"@{member.handle} ({member.name})"
            counts = await uow.privacy.erase(member)
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            if dry_run:
                return f"Dry run: erasing {label} would change {summary}. Nothing was changed."
            if not confirm(label, summary):
                return "Nothing was erased."
            await uow.commit()
        return f"Erased {label}: now known as former member {member.id}; changed {summary}."
    finally:
        await services.close()


@audit_app.command("verify")
def verify(db: DbOption = None) -> None:
    """Walk the hash chain; exit 1 naming the first entry altered, removed or inserted."""
    ok, message = _run(_verify(quiet_settings(db)))
    if not ok:
        fail(message)
    typer.echo(message)


@audit_app.command("show")
def show(target: Annotated[str, typer.Argument(help="A12, I7 or @member")],
         from_: Annotated[str | None, typer.Option("--from", help="Only entries from this date")] = None,
         db: DbOption = None) -> None:
    """The audit trail of an action, issue or person, in plain words."""
    settings = quiet_settings(db)
    since = None
    if from_:
        try:
            since = parse_date(from_, dt.datetime.now(ZoneInfo(settings.timezone)).date(), allow_past=True,
                               field="from")
        except BotError as error:
            raise typer.BadParameter(error.message, param_hint="--from") from None
    lines = _run(_show(settings, target, since))
    typer.echo("\n".join(lines) if lines else "Nothing recorded.")


@privacy_app.command("export")
def export(who: MemberArgument, out: Annotated[Path, typer.Option("--out", help="JSON file to write")],
           db: DbOption = None) -> None:
    """Everything held about a person, as JSON (a subject access request)."""
    settings = quiet_settings(db)
    typer.echo(_run(_export(settings, who, out)))


@privacy_app.command("erase")
def erase(who: MemberArgument,
          dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; change nothing")] = False,
          yes: YesOption = False, db: DbOption = None) -> None:
    """Pseudonymise a person everywhere and delete the words of their concerns and messages."""
    settings = quiet_settings(db)
    if not (yes or dry_run or sys.stdin.isatty()):
        fail("Erasure cannot be undone: add --yes to confirm (or --dry-run to see what would change).")

    def confirm(label: str, summary: str) -> bool:
        return yes or typer.confirm(f"Erase {label} for good? This changes {summary}.", default=False)

    typer.echo(_run(_erase(settings, who, dry_run, confirm)))
