"""Board documents into Slack: each attachment of a reply uploaded as a PDF with ``files_upload_v2``.

An upload that fails is logged and skipped: the message itself has already gone,
and retrying the whole delivery would post it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.reply import Attachment, Reply

log = logging.getLogger("partnerbot.slack.files")

Documents = Callable[[Attachment], Awaitable[bytes]]


async def upload_attachments(client: AsyncWebClient, channel: str, reply: Reply, documents: Documents | None) -> int:
    """Upload the reply's documents into ``channel``; returns how many went."""
    sent = 0
    for attachment in reply.attachments if documents is not None else ():
        try:
            content = await documents(attachment)
            await client.files_upload_v2(channel=channel, content=content, filename=f"{attachment.filename}.pdf",
                                         title=attachment.title)
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("document upload failed", extra={"kind": attachment.kind, "error": type(error).__name__})
            continue
        sent += 1
    return sent
