"""TeamsNotifier: the outbox's way into Teams (bot.ports.Notifier).

A member is reached in their personal chat with the bot (opened on demand
when the app is installed for them), a channel by its stored conversation
reference; ``teams:user:<aadObjectId>`` names a personal chat and
``teams:<channel>;messageid=<id>`` a thread (answers retried from the outbox). Sends are paced
(pacing.TeamsPacer); rate limits and outages become DeliveryError so the outbox retries later and
nothing is lost. Each activity carries an id derived from the message (the same on every retry).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from adapters.accounts import Accounts
from adapters.teams.cards import CardRenderer
from adapters.teams.conversations import base_conversation_id, user_key
from adapters.teams.messenger import Messenger, card_activity
from adapters.teams.pacing import TeamsPacer
from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError
from bot.reply import Reply, from_dict

USER_PREFIX = user_key("")


def activity_id(msg: OutboxMessage, part: int) -> str:
    """The same id on every retry of one part of one message, so a retry of a
    post whose answer was lost can be recognised as the same activity."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"partnerbot:{msg.dedupe_key}:{part}"))


class TeamsNotifier:
    def __init__(self, messenger: Messenger, pacer: TeamsPacer | None = None,
                 renderer: CardRenderer | None = None,
                 share: Callable[[Reply], Awaitable[Reply]] | None = None, accounts: Accounts | None = None) -> None:
        """``share`` turns a reply's files into links (adapters.web.files); without it files are dropped.
        ``accounts`` are members' Teams accounts; without them only channels can be reached."""
        self.messenger = messenger
        self.accounts = accounts
        self.pacer = pacer or TeamsPacer()
        self.renderer = renderer or CardRenderer()
        self.share = share

    async def _conversation(self, recipient: Member | None, channel: str | None) -> dict:
        if channel is not None:
            data = await self.messenger.store.get(base_conversation_id(channel))
            if data is None and channel.startswith(USER_PREFIX):  # an answer owed in someone's personal chat
                data = await self.messenger.personal(channel.removeprefix(USER_PREFIX))
            if data is None:
                raise DeliveryError(f"the bot has no Teams conversation {channel}; add it to that channel",
                                    permanent=True)
            if channel != base_conversation_id(channel):  # an answer in a channel thread stays in the thread
                data = {**data, "conversation": {**data["conversation"], "id": channel}}
            return data
        aad_object_id = await self.accounts.of(recipient) if self.accounts is not None else None
        if recipient is None or aad_object_id is None:
            raise DeliveryError("recipient has no Teams account", permanent=True)
        data = await self.messenger.personal(aad_object_id)
        if data is None:
            raise DeliveryError(f"@{recipient.handle} has no chat with the bot in Teams yet; they can open one "
                                "by messaging it", permanent=True)
        return data

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        data = await self._conversation(recipient, channel)
        reply = from_dict(msg.payload)
        if self.accounts is not None:
            reply = await self.accounts.addressed(reply)
        if self.share is not None:
            reply = await self.share(reply)
        activities = [card_activity(card, reply.summary) for card in self.renderer.render(reply)]
        for part, activity in enumerate(activities):
            activity.id = activity_id(msg, part)
        taken = await self.pacer.acquire(data["conversation"]["id"], data.get("tenantId"), len(activities))
        try:
            await self.messenger.send(data, activities)
        finally:
            self.pacer.finished(taken)
