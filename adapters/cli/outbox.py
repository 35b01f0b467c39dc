"""``partnerbot outbox list|retry|drop``: the messages the bot owes, for an operator.

Message bodies are never printed by ``outbox list``: they may quote a
confidential issue.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import typer

from adapters.cli.options import DbOption, fail, quiet_settings
from adapters.config import Settings
from adapters.services import build_services
from bot.model import OutboxMessage, OutboxStatus

outbox_app = typer.Typer(help="Messages the bot owes: inspect, retry, drop.", no_args_is_help=True)
StatusOption = Annotated[str | None, typer.Option("--status", help="pending, claimed, sent, cancelled or dead")]
IdArgument = Annotated[int, typer.Argument(help="Outbox message id")]


def _row(msg: OutboxMessage) -> str:
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


def _operate(verb: str, id: int, db: str | None, done: str, refused: str) -> None:
    if not asyncio.run(_change(quiet_settings(db), id, verb)):
        fail(refused.format(id=id))
    typer.echo(done.format(id=id))


@outbox_app.command("list")
def list_rows(db: DbOption = None, status: StatusOption = None,
              limit: Annotated[int, typer.Option(help="How many rows, newest first")] = 50) -> None:
    """Show outbox rows (never their text: it may be confidential)."""
    if status is not None and status not in {s.value for s in OutboxStatus}:
        raise typer.BadParameter(f"{status!r} is not a status: use pending, claimed, sent, cancelled or dead.",
                                 param_hint="--status")
    asyncio.run(_list(quiet_settings(db), status, limit))


@outbox_app.command("retry")
def retry(id: IdArgument, db: DbOption = None) -> None:
    """Send a dead or cancelled message again."""
    _operate("retry", id, db, "Message {id} will be sent again.", "Message {id} is not dead or cancelled.")


@outbox_app.command("drop")
def drop(id: IdArgument, db: DbOption = None) -> None:
    """Cancel a message that has not been sent."""
    _operate("drop", id, db, "Message {id} dropped.", "Message {id} is already sent or cancelled (or missing).")
