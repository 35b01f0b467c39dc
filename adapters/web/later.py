"""Answers that could not be sent now go through the outbox, like reminders.

A command's change is committed before its answer is sent; if Slack or Teams
is slow, down or rate limiting, the answer must not be lost (the person would
type the command again and make a duplicate). ``Later.send`` records the
answer as an outbox row of kind ``reply`` and starts a delivery round in the
background, so the dispatcher retries it with backoff until it lands.
Invoke handlers use it for every send beyond the answer itself, so Teams
gets its invoke response at once whatever the connector does.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from adapters.services import Services
from bot.model import OutboxMessage
from bot.outbox_keys import MessageKind
from bot.reply import Reply, outbox_payload
from bot.text import plain_text

log = logging.getLogger("partnerbot.later")


class Later:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def send(self, recipient: str, reply: Reply, about: str = "", wait: float | None = None) -> None:
        """Owe ``recipient`` (``channel:slack:C1``, ``channel:teams:user:<aad>``, ``member:3``) this reply,
        not before ``wait`` seconds from now if the platform said so (Retry-After)."""
        now = self.services.clock.now()
        due = now + dt.timedelta(seconds=wait) if wait else now
        key = f"{MessageKind.REPLY}:{about or 'answer'}:{secrets.token_hex(6)}"
        async with self.services.db.uow() as uow:
            await uow.outbox.add_if_absent(OutboxMessage(
                dedupe_key=key, subject=key, recipient=recipient, payload=outbox_payload(reply),
                text=plain_text(reply), due_at=due, kind=MessageKind.REPLY, created_at=now))
            await uow.commit()
        log.info("answer queued in the outbox", extra={"recipient_kind": recipient.split(":")[0]})
        self.kick()

    def kick(self) -> None:
        """A delivery round now, without waiting for it (the jobs' dispatcher retries later ones)."""
        self.services.background.spawn(self.services.delivery.round_now())
