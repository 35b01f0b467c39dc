"""One planning-and-delivery pass at a given clock: the console's ``:tick``,
``partnerbot jobs run-once`` and the tests' way of moving time."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import OutboxMessage
from bot.ports import Clock, Notifier, Typesetter, UnitOfWorkFactory
from jobs.delivery import OutboxDelivery
from jobs.dispatcher import Dispatcher
from jobs.planner import Planner


@dataclass
class TickReport:
    planned: list[str] = field(default_factory=list)  # dedupe keys the planner queued
    sent: list[OutboxMessage] = field(default_factory=list)  # delivered, in order
    retried: int = 0
    deferred: int = 0  # waiting for working hours or a rate limit
    dead: int = 0


async def tick(uow_factory: UnitOfWorkFactory, outbox: OutboxDelivery, clock: Clock, notifier: Notifier, owner: str,
               typesetter: Typesetter | None = None) -> TickReport:
    """Plan at ``clock.now()``, then deliver everything due by then."""
    planned = await Planner(uow_factory, clock, typesetter).plan()
    delivered = await Dispatcher(outbox, uow_factory, notifier, clock, owner).drain()
    return TickReport(planned.queued, delivered.sent, delivered.retried, delivered.deferred, delivered.dead)
