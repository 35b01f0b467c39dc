"""Files a reply carries (an export, a report, a chart) as Slack file uploads.

Slack has no private file in a channel, so a file someone asked for goes to
their direct message with the bot; a file on a post goes to that channel.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.reply import Attachment


async def upload(client: AsyncWebClient, channel_id: str, attachments: list[Attachment]) -> None:
    """Upload each attachment to ``channel_id`` (raises SlackApiError as the client does)."""
    for attachment in attachments:
        await client.files_upload_v2(channel=channel_id, filename=attachment.filename, content=attachment.data,
                                     title=attachment.filename, request_file_info=False)
