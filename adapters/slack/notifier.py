"""Delivers outbox messages (reminders, escalations, notices) to Slack.

Two Web API clients: the interactive one waits out a rate limit and retries
(someone is looking at the screen), the delivery one does not: on 429 it
raises DeliveryError(retry_after=…) at once, because the jobs outbox owns
reminder retries and must not have a worker asleep holding a lease. Error
bodies are read whatever their shape (a 502 from a proxy is HTML), and each
post carries a ``client_msg_id`` derived from the message, the same on every
retry, so a post that reached Slack before its answer was lost is recognised.
"""

from __future__ import annotations

import logging
import uuid
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.accounts import Accounts
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
# Slack's own "try later" answers, which arrive with HTTP 200 as often as 5xx.
UNAVAILABLE = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
UNAVAILABLE_WAIT = 30.0  # seconds, when Slack names no Retry-After


def web_client(settings: Settings, *, interactive: bool) -> AsyncWebClient:
    handlers = async_default_handlers()
    if interactive:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, retry_handlers=handlers)


def _retry_after(error: SlackApiError, default: float = 1.0) -> float:
    headers = {k.lower(): v for k, v in (error.response.headers or {}).items()}
    value = headers.get("retry-after", default)
    try:
        return max(0.0, float(value[0] if isinstance(value, list) else value))
    except (TypeError, ValueError):
        return default


def _error_code(error: SlackApiError) -> str:
    """Slack's error code, whatever the body was: JSON, text (a proxy's 502 page) or nothing."""
    data = error.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return code if isinstance(code, str) and code else f"HTTP {error.response.status_code}"


def delivery_error(error: SlackApiError) -> DeliveryError:
    """A throttled or unavailable Slack (429, 5xx) puts the message back until
    Retry-After without counting a failed attempt; anything else counts."""
    status, code = error.response.status_code, _error_code(error)
    if status == 429 or code == "ratelimited":
        return DeliveryError("Slack rate limit", retry_after=_retry_after(error))
    if status >= 500 or code in UNAVAILABLE:
        return DeliveryError(f"Slack unavailable: {code}", retry_after=_retry_after(error, UNAVAILABLE_WAIT))
    return DeliveryError(f"Slack refused: {code}", permanent=code in PERMANENT)


def idempotency_key(msg: OutboxMessage, part: int) -> str:
    """The same for every retry of one part of one message, so Slack can tell a retry from a new post."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"partnerbot:{msg.dedupe_key}:{part}"))


class SlackNotifier:
    """DMs a member (``conversations.open`` then ``chat.postMessage``) or posts to
    a channel given as an id (``C123``, from ``slack:C123``) or a ``#name``."""

    def __init__(self, client: AsyncWebClient, timezone: str = "Europe/London",
                 documents: Documents | None = None, accounts: Accounts | None = None) -> None:
        self.client = client
        self.tz = ZoneInfo(timezone)
        self.documents = documents  # builds attached documents (the pack at circulation)
        self.accounts = accounts  # members' Slack users; without them only channels can be posted to

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        reply = from_dict(msg.payload)
        if self.accounts is not None:
            reply = await self.accounts.addressed(reply)
        try:
            target = channel or await self._dm_channel(recipient)
            for part, message in enumerate(render_messages(reply, self.tz)):
                posted = await self.client.chat_postMessage(channel=target, blocks=message.blocks, text=message.text,
                                                            client_msg_id=idempotency_key(msg, part))
        except SlackApiError as error:
            raise delivery_error(error) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Slack unreachable: {type(error).__name__}") from None
        if reply.attachments:  # after the message, which answers with the channel's id the uploads need
            await upload(self.client, posted["channel"], reply.attachments, self.documents)

    async def _dm_channel(self, member: Member | None) -> str:
        user_id = await self.accounts.of(member) if self.accounts is not None else None
        if user_id is None:
            raise DeliveryError("member has no Slack user id", permanent=True)
        opened = await self.client.conversations_open(users=user_id)
        return opened["channel"]["id"]
