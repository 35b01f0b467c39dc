"""Delivers due outbox rows: claim with a lease, send, mark sent.

Safe with several dispatchers (threads, processes, replicas) on one
database: a claim is committed before anything is sent, ``mark_sent`` only
succeeds while this dispatcher still holds the lease, and a dispatcher that
dies mid-batch leaves rows that another claims once the lease expires. So a
message is never lost, and is sent twice only if a dispatcher dies between
sending and recording it.

Rows go out one at a time by default (``parallel=1``), so a crash can leave
at most one message sent but unrecorded; ``parallel`` > 1 sends to several
recipients at once (rows for one recipient always go in order and the
notifier paces each conversation) at the price of that many possible
duplicates per crash. Throughput comes from running more dispatchers. A rate limit
(``DeliveryError.retry_after``) puts the row back until then and holds that
recipient's other rows too, so no request is made before Retry-After; a
permanent error or ``max_attempts`` failures dead-letters the row and tells
the secretariat. Scheduled kinds found outside working hours (after an
outage, say) wait for the next working morning.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.context import board_context
from bot.model import Member, OutboxMessage, Role
from bot.ports import Clock, DeliveryError, Notifier, UnitOfWorkFactory
from bot.reply import Heading, Note, Paragraph, Reply, outbox_payload, rich
from bot.text import plain_text
from jobs.timing import SCHEDULED_KINDS, SendWindow

log = logging.getLogger("partnerbot.jobs.dispatcher")


@dataclass
class DispatchReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    claimed: int = 0
    retried: int = 0
    deferred: int = 0
    dead: int = 0


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: base·2^attempts seconds, at most ``cap``."""

    base: float = 2.0
    cap: float = 900.0

    def delay(self, attempts: int, rng: random.Random) -> float:
        return min(self.cap, self.base * 2 ** min(attempts, 20)) * rng.uniform(0.5, 1.0)


@dataclass
class _Batch:
    now: dt.datetime
    members: dict[int, Member]
    window: SendWindow
    started: float
    report: DispatchReport


class Dispatcher:
    def __init__(self, uow_factory: UnitOfWorkFactory, notifier: Notifier, clock: Clock, owner: str,
                 lease: dt.timedelta = dt.timedelta(seconds=120), batch: int = 50, max_attempts: int = 8,
                 backoff: Backoff = Backoff(), parallel: int = 1, rng: random.Random | None = None) -> None:
        self.uow_factory = uow_factory
        self.notifier = notifier
        self.clock = clock
        self.owner = owner
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.parallel = parallel
        self.rng = rng or random.Random()
        self._blocked: dict[str, dt.datetime] = {}  # recipient -> no request before this (Retry-After)

    async def run_once(self) -> DispatchReport:
        """Claim one batch of due rows and deliver it."""
        report = DispatchReport()
        now = self.clock.now()
        async with self.uow_factory() as uow:
            claimed = await uow.outbox.claim_due(now, self.owner, self.lease, self.batch)
        report.claimed = len(claimed)
        if not claimed:
            return report
        async with self.uow_factory() as uow:
            settings, calendar = await board_context(uow)
            members = {m.id: m for m in await uow.members.list() if m.id is not None}
        batch = _Batch(now, members, SendWindow.of(settings, calendar), time.monotonic(), report)
        groups: dict[str, list[OutboxMessage]] = {}
        for msg in claimed:
            groups.setdefault(msg.recipient, []).append(msg)
        gate = asyncio.Semaphore(self.parallel)

        async def run(group: list[OutboxMessage]) -> None:
            async with gate:
                await self._deliver_group(group, batch)

        await asyncio.gather(*(run(group) for group in groups.values()))
        return report

    async def drain(self, rounds: int = 1000) -> DispatchReport:
        """Deliver until nothing is due now (the console's ``:tick``, ``jobs run-once``)."""
        total = DispatchReport()
        for _ in range(rounds):
            report = await self.run_once()
            if not report.claimed:
                break
            total.sent += report.sent
            for name in ("claimed", "retried", "deferred", "dead"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
        return total

    async def _deliver_group(self, group: list[OutboxMessage], batch: _Batch) -> None:
        for index, msg in enumerate(group):
            if time.monotonic() - batch.started > self.lease.total_seconds() * 0.75:
                return  # our lease is running out: leave the rest for whoever claims them next
            hold = self._hold_until(msg, batch)
            if hold is not None:
                await self._put_back(group[index:], hold, "waiting", batch)
                return
            try:
                await self._send(msg, batch)
            except DeliveryError as error:
                if error.retry_after is not None:
                    until = self.clock.now() + dt.timedelta(seconds=error.retry_after)
                    self._blocked[msg.recipient] = until
                    await self._put_back(group[index:], until, f"rate limited: {error}", batch)
                    return
                await self._failed(msg, str(error), error.permanent, batch)
            except Exception as error:  # a bug or network failure in a notifier: retry later
                log.warning("notifier raised", extra={"outbox_id": msg.id, "error": type(error).__name__})
                await self._failed(msg, type(error).__name__, False, batch)

    def _hold_until(self, msg: OutboxMessage, batch: _Batch) -> dt.datetime | None:
        now = self.clock.now()
        blocked = self._blocked.get(msg.recipient)
        if blocked is not None and blocked > now:
            return blocked
        self._blocked.pop(msg.recipient, None)
        if msg.kind in SCHEDULED_KINDS and not batch.window.allows(now):
            return batch.window.next_allowed(now)
        return None

    async def _send(self, msg: OutboxMessage, batch: _Batch) -> None:
        kind, _, value = msg.recipient.partition(":")
        if kind == "channel":
            await self.notifier.send(msg, None, value)
        else:
            await self.notifier.send(msg, batch.members.get(int(value)), None)
        async with self.uow_factory() as uow:
            if await uow.outbox.mark_sent(msg.id, self.owner, self.clock.now()):
                batch.report.sent.append(msg)
            else:
                log.warning("sent after losing the lease", extra={"outbox_id": msg.id, "kind": msg.kind})

    async def _put_back(self, rows: Iterable[OutboxMessage], until: dt.datetime, why: str, batch: _Batch) -> None:
        """Give rows back untried until ``until`` (a rate limit or working hours)."""
        async with self.uow_factory() as uow:
            for msg in rows:
                if await uow.outbox.release(msg.id, self.owner, until, why[:500], attempted=False):
                    batch.report.deferred += 1

    async def _failed(self, msg: OutboxMessage, error: str, permanent: bool, batch: _Batch) -> None:
        dead = permanent or msg.attempts + 1 >= self.max_attempts
        wait = self.backoff.delay(msg.attempts, self.rng)
        async with self.uow_factory() as uow:
            released = await uow.outbox.release(msg.id, self.owner, self.clock.now() + dt.timedelta(seconds=wait),
                                                error[:500], dead=dead)
        log.warning("delivery failed", extra={"outbox_id": msg.id, "kind": msg.kind, "dead": dead})
        if not released:
            return
        if dead:
            batch.report.dead += 1
            await self._alert(msg, error, batch)
        else:
            batch.report.retried += 1

    async def _alert(self, msg: OutboxMessage, error: str, batch: _Batch) -> None:
        """Tell the secretariat a message was dead-lettered (never its content)."""
        if msg.kind == "alert":
            log.error("alert dead-lettered", extra={"outbox_id": msg.id})
            return
        kind, _, value = msg.recipient.partition(":")
        member = batch.members.get(int(value)) if kind == "member" else None
        to = f"@{member.handle}" if member else value
        reply = Reply(summary=f"A {msg.kind} to {to} could not be delivered", refs=[]).add(
            Heading(rich(f"A {msg.kind} to {to} could not be delivered")),
            Paragraph(rich(f"Outbox message {msg.id} failed {msg.attempts + 1} time(s); the last error was: {error}")),
            Note(rich(f"Fix the cause (is {to} connected?), then `partnerbot outbox retry {msg.id}`.")),
        )
        async with self.uow_factory() as uow:
            secretariat = [m for m in await uow.members.with_role(Role.SECRETARIAT.value) if m.active]
            settings, _ = await board_context(uow)
            targets = [f"member:{m.id}" for m in secretariat] or [f"channel:{settings.channel}"]
            for target in targets:
                await uow.outbox.add_if_absent(OutboxMessage(
                    dedupe_key=f"alert:dead:{msg.id}:{msg.attempts + 1}:{target}", subject=f"alert:{msg.id}",
                    recipient=target, payload=outbox_payload(reply), text=plain_text(reply), due_at=batch.now,
                    kind="alert", created_at=batch.now))
            await uow.commit()
