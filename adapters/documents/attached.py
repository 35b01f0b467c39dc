"""A reply's attached documents, built from the board and typeset when an adapter sends them.

Also the operator's way into the core for documents: ``in_board`` runs a function
with a Context that has no member acting (the CLI and the web route use it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from adapters.documents import render
from bot.app import board_context
from bot.context import Command, Context, Identity
from bot.meeting_documents import build_attached
from bot.ports import Clock
from bot.reply import Attachment

if TYPE_CHECKING:
    from storage.database import Database

T = TypeVar("T")


async def in_board(db: Database, clock: Clock, work: Callable[[Context], Awaitable[T]], commit: bool = False) -> T:
    """Run ``work`` in one unit of work as an operator (no member acting)."""
    async with db.uow() as uow:
        board, calendar = await board_context(uow)
        ctx = Context(Command(Identity("operator", "operator"), ""), uow, clock, board, calendar, actor=None)
        result = await work(ctx)
        if commit:
            await uow.commit()
        return result


async def attachment_file(db: Database, clock: Clock, attachment: Attachment, fmt: str = "pdf") -> bytes:
    """The attached document as it reads now, in ``fmt``."""

    async def build(ctx: Context) -> bytes:
        return render(await build_attached(ctx, attachment), fmt)

    return await in_board(db, clock, build)
