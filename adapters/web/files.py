"""Files and documents the bot sends, behind a link ``partnerbot serve`` answers: for Teams,
where a bot cannot simply attach a file to a message.

``share_files`` keeps a reply's files for ``KEEP_DAYS`` under random tokens
(only their hashes are stored) and gives the reply an "Open …" button per file
instead; ``GET /files/<token>/<name>`` serves one until it expires. A board
document is not stored: its button opens a signed ``/documents/<token>`` link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import secrets
from urllib.parse import quote

from aiohttp import web

from adapters.services import Services
from adapters.web.app_keys import SERVICES
from adapters.web.documents import DocumentLinks
from bot.model import SharedFile
from bot.reply import Attachment, Button, Buttons, DocumentRef, Note, Reply, rich

KEEP_DAYS = 30
log = logging.getLogger("partnerbot.web.files")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def file_path(token: str, filename: str) -> str:
    return f"/files/{token}/{quote(filename)}"


async def share_files(services: Services, reply: Reply) -> Reply:
    """``reply`` with its attachments replaced by links to them (unchanged if it has none):
    a file is kept here and served from ``/files/…``; a board document gets a signed link to
    ``/documents/…`` (adapters.web.documents), which builds it as it stands when opened."""
    if not reply.attachments:
        return reply
    base = (services.settings.public_url or "").rstrip("/")
    files = [a for a in reply.attachments if isinstance(a, Attachment)]
    documents = [a for a in reply.attachments if isinstance(a, DocumentRef)]
    links = await _keep(services, files, base)
    blocks = [*reply.blocks]
    if base:
        opened = DocumentLinks(services.settings, services.clock)
        buttons = [Button(f"Open {name}", url=url) for name, url in links] + [
            Button(f"Open the {d.title[0].lower()}{d.title[1:]}", url=opened.url(d) or "") for d in documents]
        blocks.append(Buttons(tuple(buttons)))
    elif links:  # a card can only open absolute links: say where the files are
        blocks.append(Note(rich("Files on the partnerbot server: ", ", ".join(url for _, url in links),
                                " (the administrator sets PARTNERBOT_PUBLIC_URL for links).")))
    if links:
        blocks.append(Note(rich(f"File links work for {KEEP_DAYS} days.")))
    if documents and base:
        blocks.append(Note(rich(f"Document links work for {services.settings.document_link_days} days.")))
    return dataclasses.replace(reply, blocks=blocks, attachments=[])


async def _keep(services: Services, files: list[Attachment], base: str) -> list[tuple[str, str]]:
    """Store ``files`` for KEEP_DAYS under new tokens: (filename, url) of each."""
    if not files:
        return []
    now = services.clock.now()
    links = []
    async with services.db.uow() as uow:
        for attachment in files:
            token = secrets.token_urlsafe(24)
            await uow.files.add(SharedFile(_hash(token), attachment.filename, attachment.media_type, attachment.data,
                                           now, now + dt.timedelta(days=KEEP_DAYS)))
            links.append((attachment.filename, base + file_path(token, attachment.filename)))
        await uow.commit()
    return links


async def serve_file(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.uow() as uow:
        found = await uow.files.by_hash(_hash(request.match_info["token"]))
    if found is None or found.expires_at <= services.clock.now():
        log.info("shared file refused")  # never log the token
        raise web.HTTPNotFound(text="This link has expired or never existed. Ask the bot again.")
    return web.Response(body=found.data, headers={
        "Content-Type": found.media_type, "Cache-Control": "private, no-store",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}"})
