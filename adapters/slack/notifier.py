"""Delivers outbox messages (reminders, escalations, notices) to Slack.

Two Web API clients: the interactive one waits out a rate limit and retries
(someone is looking at the screen), the delivery one does not: on 429 it
raises DeliveryError(retry_after=…) at once, because the jobs outbox owns
reminder retries and must not have a worker asleep holding a lease.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.config import Settings
from adapters.documents.attached import Documents
from adapters.slack.files import upload
from adapters.slack.render import render_messages
from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError
from bot.reply import from_dict

log = logging.getLogger("partnerbot.slack.notifier")

# Errors no retry can fix: the recipient or channel is gone, or the app is not allowed.
PERMANENT = {
    "channel_not_found", "not_in_channel", "is_archived", "user_not_found", "users_not_found",
    "user_disabled", "account_inactive", "cannot_dm_bot", "invalid_auth", "not_authed", "token_revoked",
    "missing_scope", "restricted_action", "msg_too_long", "invalid_blocks", "no_permission",
}


def web_client(settings: Settings, *, interactive: bool) -> AsyncWebClient:
    handlers = async_default_handlers()
    if interactive:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, retry_handlers=handlers)


def _retry_after(error: SlackApiError) -> float:
    headers = {k.lower(): v for k, v in (error.response.headers or {}).items()}
    value = headers.get("retry-after", "1")
    try:
        return float(value[0] if isinstance(value, list) else value)
    except ValueError:
        return 1.0


def delivery_error(error: SlackApiError) -> DeliveryError:
    code = error.response.get("error") or "unknown"
    if error.response.status_code == 429 or code == "ratelimited":
        return DeliveryError("Slack rate limit", retry_after=_retry_after(error))
    return DeliveryError(f"Slack refused: {code}", permanent=code in PERMANENT)


class SlackNotifier:
    """DMs a member (``conversations.open`` then ``chat.postMessage``) or posts to
    a channel given as an id (``C123``, from ``slack:C123``) or a ``#name``."""

    def __init__(self, client: AsyncWebClient, timezone: str = "Europe/London",
                 documents: Documents | None = None) -> None:
        self.client = client
        self.tz = ZoneInfo(timezone)
        self.documents = documents  # builds attached documents (the pack at circulation)

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        reply = from_dict(msg.payload)
        try:
            target = channel or await self._dm_channel(recipient)
            for message in render_messages(reply, self.tz):
                posted = await self.client.chat_postMessage(channel=target, blocks=message.blocks, text=message.text)
        except SlackApiError as error:
            raise delivery_error(error) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Slack unreachable: {type(error).__name__}") from None
        if reply.attachments:  # after the message, which answers with the channel's id the uploads need
            await upload(self.client, posted["channel"], reply.attachments, self.documents)

    async def _dm_channel(self, member: Member | None) -> str:
        if member is None or not member.slack_user_id:
            raise DeliveryError("member has no Slack user id", permanent=True)
        opened = await self.client.conversations_open(users=member.slack_user_id)
        return opened["channel"]["id"]
