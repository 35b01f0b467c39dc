"""Files a reply carries (an export, a report, a chart, the meeting pack) as Slack file uploads
with ``files_upload_v2``; a board document is built as a PDF when it goes (``as_file``).

An upload that fails is logged and skipped: the message itself has already gone,
and retrying the whole delivery would post it twice.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.documents.attached import Documents, as_file
from bot.errors import BotError
from bot.reply import Attached, Attachment

log = logging.getLogger("partnerbot.slack.files")


async def upload(client: AsyncWebClient, channel_id: str, attachments: list[Attached],
                 documents: Documents | None = None) -> int:
    """Upload each attachment to ``channel_id``; returns how many went. Without ``documents``
    a board document cannot be built, so only the files go."""
    sent = 0
    for attached in attachments:
        try:
            if isinstance(attached, Attachment):
                file = attached
            elif documents is not None:
                file = await as_file(attached, documents)
            else:
                continue
            await client.files_upload_v2(channel=channel_id, filename=file.filename, content=file.data,
                                         title=file.label, request_file_info=False)
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, TimeoutError, BotError) as error:
            log.warning("file upload failed", extra={"error": type(error).__name__})
            continue
        sent += 1
    return sent
