"""TeamsNotifier: the outbox's way into Teams (bot.ports.Notifier).

A member is reached in their personal chat with the bot (opened on demand
when the app is installed for them), a channel by its stored conversation
reference. Sends are paced (pacing.TeamsPacer); rate limits and outages become
DeliveryError so the outbox retries later and nothing is lost. Each activity
carries an id derived from the message (the same on every retry).
"""

from __future__ import annotations

import uuid

from adapters.teams.cards import CardRenderer
from adapters.teams.conversations import base_conversation_id
from adapters.teams.messenger import Messenger, card_activity
from adapters.teams.pacing import TeamsPacer
from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError
from bot.reply import from_dict


def activity_id(msg: OutboxMessage, part: int) -> str:
    """The same id on every retry of one part of one message, so a retry of a
    post whose answer was lost can be recognised as the same activity."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"partnerbot:{msg.dedupe_key}:{part}"))


class TeamsNotifier:
    def __init__(self, messenger: Messenger, pacer: TeamsPacer | None = None,
                 renderer: CardRenderer | None = None) -> None:
        self.messenger = messenger
        self.pacer = pacer or TeamsPacer()
        self.renderer = renderer or CardRenderer()

    async def _conversation(self, recipient: Member | None, channel: str | None) -> dict:
        if channel is not None:
            data = await self.messenger.store.get(base_conversation_id(channel))
            if data is None:
                raise DeliveryError(f"the bot has no Teams conversation {channel}; add it to that channel",
                                    permanent=True)
            return data
        if recipient is None or not recipient.teams_aad_id:
            raise DeliveryError("recipient has no Teams account", permanent=True)
        data = await self.messenger.personal(recipient.teams_aad_id)
        if data is None:
            raise DeliveryError(f"@{recipient.handle} has no chat with the bot in Teams yet; they can open one "
                                "by messaging it", permanent=True)
        return data

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        data = await self._conversation(recipient, channel)
        reply = from_dict(msg.payload)
        activities = [card_activity(card, reply.summary) for card in self.renderer.render(reply)]
        for part, activity in enumerate(activities):
            activity.id = activity_id(msg, part)
        await self.pacer.acquire(data["conversation"]["id"], data.get("tenantId"), len(activities))
        await self.messenger.send(data, activities)
