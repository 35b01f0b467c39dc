"""``GET /documents/<token>``: a board document as HTML, behind an unguessable link that expires.

Teams has no file upload for bots in channels, so a Teams card links here instead.
The token names the document (``pack`` of ``M4``) and when the link expires, signed
with HMAC-SHA256: nobody can forge or extend one, and the document is built from the
board as it stands when the link is opened. Set ``PARTNERBOT_DOCUMENT_LINK_SECRET``
when several replicas serve links; without it each process signs with its own
random secret and links die with it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets

from aiohttp import web

from adapters.config import Settings
from adapters.documents import MEDIA_TYPES
from adapters.documents.attached import attachment_file
from adapters.services import Services
from bot.errors import BotError
from bot.ports import Clock
from bot.reply import DocumentRef

log = logging.getLogger("partnerbot.web.documents")
PATH = "/documents/{token}"
_PROCESS_SECRET = secrets.token_bytes(32)


class DocumentLinks:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.base = (settings.public_url or "").rstrip("/")
        secret = settings.document_link_secret
        self.secret = secret.encode() if secret else _PROCESS_SECRET
        self.ttl = dt.timedelta(days=settings.document_link_days)
        self.clock = clock

    def _sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def token(self, attachment: DocumentRef) -> str:
        expires = int((self.clock.now() + self.ttl).timestamp())
        body = base64.urlsafe_b64encode(json.dumps(
            {"k": attachment.kind, "r": attachment.ref, "t": attachment.title, "e": expires,
             "n": secrets.token_hex(8)}, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{body}.{self._sign(body.encode())}"

    def url(self, attachment: DocumentRef) -> str | None:
        """The link, or None when ``PARTNERBOT_PUBLIC_URL`` is not set (nobody could open it)."""
        return f"{self.base}/documents/{self.token(attachment)}" if self.base else None

    def open(self, token: str) -> tuple[DocumentRef | None, bool]:
        """(attachment, expired): None for a token this server did not sign."""
        body, _, signature = token.partition(".")
        if not hmac.compare_digest(signature, self._sign(body.encode())):
            return None, False
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        return DocumentRef(data["k"], data["r"], data["t"]), self.clock.now().timestamp() > data["e"]


LINKS = web.AppKey("document_links", DocumentLinks)
SERVICES_KEY = web.AppKey("document_services", Services)


async def document(request: web.Request) -> web.Response:
    attachment, expired = request.app[LINKS].open(request.match_info["token"])
    private = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
    if attachment is None:
        return web.Response(status=404, text="No such document.", headers=private)
    if expired:
        return web.Response(status=410, text="This link has expired: ask the bot for the document again.",
                            headers=private)
    services = request.app[SERVICES_KEY]
    try:
        html = await attachment_file(services.db.uow, services.clock, attachment, "html")
    except BotError as error:
        return web.Response(status=404, text=error.message, headers=private)
    log.info("document served", extra={"kind": attachment.kind})
    return web.Response(body=html, headers={**private, "Content-Type": MEDIA_TYPES["html"]})


def mount(app: web.Application, services: Services) -> DocumentLinks:
    links = DocumentLinks(services.settings, services.clock)
    app[LINKS] = links
    app[SERVICES_KEY] = services
    app.router.add_get(PATH, document)
    return links
