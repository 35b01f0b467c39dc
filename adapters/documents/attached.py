"""A reply's attached documents, built from the board and typeset when an adapter sends them
(``as_file``: every adapter's one way from an attachment to the bytes it sends).

Also the operator's way into the core for documents: ``in_board`` runs a function
with a Context that has no member acting (the CLI and the web route use it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.documents import MEDIA_TYPES, render
from bot.context import Command, Context, Identity, board_context
from bot.meeting_documents import build_attached
from bot.ports import Clock, UnitOfWorkFactory
from bot.reply import Attached, Attachment, DocumentRef

T = TypeVar("T")


async def in_board(uows: UnitOfWorkFactory, clock: Clock, work: Callable[[Context], Awaitable[T]],
                   commit: bool = False) -> T:
    """Run ``work`` in one unit of work as an operator (no member acting)."""
    async with uows() as uow:
        board, calendar = await board_context(uow)
        ctx = Context(Command(Identity("operator", "operator"), ""), uow, clock, board, calendar, actor=None)
        result = await work(ctx)
        if commit:
            await uow.commit()
        return result


async def attachment_file(uows: UnitOfWorkFactory, clock: Clock, attachment: DocumentRef,
                          fmt: str = "pdf") -> bytes:
    """The attached document as it reads now, in ``fmt``."""

    async def build(ctx: Context) -> bytes:
        return render(await build_attached(ctx, attachment), fmt)

    return await in_board(uows, clock, build)


Documents = Callable[[DocumentRef], Awaitable[bytes]]  # a document as PDF (adapters.services.document_source)


async def as_file(attached: Attached, documents: Documents) -> Attachment:
    """What an adapter sends for one attachment: a file as it is, a document built now as a PDF."""
    if isinstance(attached, Attachment):
        return attached
    return Attachment(f"{attached.filename}.pdf", MEDIA_TYPES["pdf"], await documents(attached), attached.title)
