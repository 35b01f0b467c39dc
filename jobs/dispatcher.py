"""Delivers due outbox rows: claim with a lease, send, mark sent.

Minimal first version (the jobs issue extends it with backoff, pacing,
Retry-After and dead-lettering alerts).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from bot.model import Member, OutboxMessage
from bot.ports import Clock, DeliveryError, Notifier, UnitOfWorkFactory

log = logging.getLogger("partnerbot.jobs.dispatcher")


@dataclass
class DispatchReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    retried: int = 0
    dead: int = 0


class Dispatcher:
    def __init__(self, uow_factory: UnitOfWorkFactory, notifier: Notifier, clock: Clock, owner: str,
                 lease: dt.timedelta = dt.timedelta(seconds=120), batch: int = 50, max_attempts: int = 8) -> None:
        self.uow_factory = uow_factory
        self.notifier = notifier
        self.clock = clock
        self.owner = owner
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts

    async def run_once(self) -> DispatchReport:
        report = DispatchReport()
        async with self.uow_factory() as uow:
            claimed = await uow.outbox.claim_due(self.clock.now(), self.owner, self.lease, self.batch)
        for msg in claimed:
            await self._deliver(msg, report)
        return report

    async def _recipient(self, msg: OutboxMessage) -> tuple[Member | None, str | None]:
        kind, _, value = msg.recipient.partition(":")
        if kind == "channel":
            return None, value
        async with self.uow_factory() as uow:
            return await uow.members.get(int(value)), None

    async def _deliver(self, msg: OutboxMessage, report: DispatchReport) -> None:
        member, channel = await self._recipient(msg)
        try:
            await self.notifier.send(msg, member, channel)
        except DeliveryError as error:
            dead = error.permanent or msg.attempts + 1 >= self.max_attempts
            wait = error.retry_after if error.retry_after is not None else 2 ** min(msg.attempts, 10)
            async with self.uow_factory() as uow:
                await uow.outbox.release(msg.id, self.owner, self.clock.now() + dt.timedelta(seconds=wait),
                                         str(error)[:500], dead=dead)
            report.dead += dead
            report.retried += not dead
            log.warning("delivery failed", extra={"outbox_id": msg.id, "dead": dead, "kind": msg.kind})
            return
        async with self.uow_factory() as uow:
            if await uow.outbox.mark_sent(msg.id, self.owner, self.clock.now()):
                report.sent.append(msg)
