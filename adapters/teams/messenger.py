"""Sending to a stored conversation, outside the turn that stored it.

Used for reminders and escalations (the notifier) and for private answers
to commands typed in a channel. Connector failures become DeliveryError:
429 with its Retry-After, 403/404 (bot removed, chat gone) as permanent.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import ClientError
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, Attachment, ChannelAccount, ConversationParameters
from msrest.exceptions import HttpOperationError

from adapters.teams.cards import CARD_CONTENT_TYPE
from adapters.teams.conversations import ConversationStore, reference_data, to_reference, user_key
from adapters.teams.trust import ServiceUrlPolicy
from bot.ports import DeliveryError

log = logging.getLogger("partnerbot.teams")
_PERMANENT = {400, 401, 403, 404}
CHANNEL_ID = "msteams"
SUMMARY_LIMIT = 200
SEND_TIMEOUT = 10.0  # seconds: a connector that hangs is an outage, the outbox retries later


def card_activity(card: dict, summary: str = "") -> Activity:
    """A message holding one card; the summary (notification text) is kept short so a card
    that fits cards.MAX_CARD_CHARS keeps the whole activity under Teams' 28 KB."""
    summary = summary if len(summary) <= SUMMARY_LIMIT else summary[: SUMMARY_LIMIT - 1] + "…"
    return Activity(type="message", summary=summary or None,
                    attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)])


UNAVAILABLE_WAIT = 30.0  # seconds, when a 5xx names no Retry-After


def _retry_after(response: object, default: float) -> float:
    headers = getattr(response, "headers", None) or {}
    try:
        found = {str(k).lower(): v for k, v in dict(headers).items()}.get("retry-after", default)
        return max(float(found), 0.0)
    except (TypeError, ValueError):
        return default


def delivery_error(error: Exception) -> DeliveryError:
    """What the outbox should do after a failed send: a throttled (429) or
    unavailable (5xx) connector puts the message back until Retry-After
    without counting an attempt; 400/401/403/404 are permanent; anything else
    (a reset connection) is a failed attempt, retried with backoff."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if status == 429:
        return DeliveryError("Teams is rate limiting the bot (429)", retry_after=_retry_after(response, 1.0))
    if isinstance(status, int) and status >= 500:
        return DeliveryError(f"Teams connector unavailable ({status})",
                             retry_after=_retry_after(response, UNAVAILABLE_WAIT))
    if status in _PERMANENT:
        return DeliveryError(f"Teams refused the message ({status})", permanent=True)
    return DeliveryError(f"Teams connector failed: {status or type(error).__name__}")


class Messenger:
    def __init__(self, adapter: BotAdapter, app_id: str, store: ConversationStore,
                 policy: ServiceUrlPolicy | None = None) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.store = store
        self.policy = policy  # None: every stored service URL is trusted (botbuilder's test adapter)

    def _check(self, service_url: str | None) -> None:
        """A reference stored before the service URL was checked is never followed blindly."""
        if self.policy is not None and not self.policy.allows(service_url):
            raise DeliveryError("the stored Teams conversation names a serviceUrl that is not an allowed host",
                                permanent=True)

    async def send(self, data: dict, activities: list[Activity]) -> None:
        """Post activities to a stored conversation; raises DeliveryError."""
        self._check(data.get("serviceUrl"))

        async def new_posts(_: TurnContext, outgoing: list[Activity], next_send):  # noqa: ANN001
            # botbuilder would send these as replies to the continuation's made-up activity id;
            # in a channel that is not a new post.
            for activity in outgoing:
                activity.reply_to_id = None
            return await next_send()

        async def post(turn_context: TurnContext) -> None:
            turn_context.on_send_activities(new_posts)
            await turn_context.send_activities(activities)

        try:
            await asyncio.wait_for(self.adapter.continue_conversation(to_reference(data), post, self.app_id),
                                   SEND_TIMEOUT)
        except (HttpOperationError, ClientError, OSError) as error:  # OSError includes TimeoutError
            raise delivery_error(error) from error

    async def personal(self, aad_object_id: str, *, tenant: str | None = None, service_url: str | None = None,
                       bot: ChannelAccount | None = None) -> dict | None:
        """The personal chat with a user: stored, or opened now (None if Teams won't)."""
        key = user_key(aad_object_id)
        if (data := await self.store.get(key)) is not None:
            return data
        if not (tenant and service_url and bot):
            tenant, service_url, bot = await self._any_conversation()
        if not (tenant and service_url and bot) or (self.policy and not self.policy.allows(service_url)):
            return None
        params = ConversationParameters(is_group=False, bot=bot, members=[ChannelAccount(id=aad_object_id)],
                                        tenant_id=tenant, channel_data={"tenant": {"id": tenant}})
        opened: dict = {}

        async def keep(turn_context: TurnContext) -> None:
            activity = turn_context.activity
            activity.conversation.conversation_type = "personal"
            activity.conversation.tenant_id = tenant
            opened.update(reference_data(activity))

        try:
            await self.adapter.create_conversation(self.app_id, keep, conversation_parameters=params,
                                                   channel_id=CHANNEL_ID, service_url=service_url)
        except Exception as error:  # the user may not have the app; the caller says so
            log.info("teams could not open a personal chat", extra={"error": type(error).__name__})
            return None
        await self.store.save(key, opened)
        return opened

    async def _any_conversation(self) -> tuple[str | None, str | None, ChannelAccount | None]:
        """Tenant, service URL and bot account of any conversation the bot is in."""
        async with self.store.uow_factory() as uow:
            refs = await uow.platform.list_refs("teams")
        for _, data in refs:
            if data.get("tenantId") and data.get("serviceUrl") and data.get("bot"):
                return data["tenantId"], data["serviceUrl"], ChannelAccount().deserialize(data["bot"])
        return None, None, None
