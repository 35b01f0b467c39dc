"""Delivers due outbox rows: claim with a lease, send, mark sent.

Safe with several dispatchers (threads, processes, replicas) on one
database: every read and write of delivery state goes through the
OutboxDelivery port (jobs.delivery), each in a transaction of its own; a
claim is committed before anything is sent, ``mark_sent`` only
succeeds while this dispatcher still holds the lease, and a dispatcher that
dies mid-batch leaves rows that another claims once the lease expires. So a
message is never lost, and is sent twice only if a dispatcher dies between
sending and recording it.

Once means once, also when the database goes away mid-batch:

* the first failed write halts every conversation: none starts another
  send until the database answers again (sends already on the wire
  finish), and ``run_once`` raises ``StorageUnavailable`` so the caller
  backs off;
* a message the chat API accepted but whose ``mark_sent`` failed is kept in
  memory and recorded first thing on the next run, before this dispatcher
  claims anything (``mark_sent`` checks the owner, not the lease's expiry,
  so a late record still lands unless another dispatcher took the row);
* a send starts only while the lease has room for the call's timeout plus
  the write that records it (rows whose lease has no room left are given
  back, due at once, and claimed afresh), and every call is cut off after
  ``call_timeout`` (shorter than the lease);
* rows a halted run left claimed are given back on the next run, so they
  go as soon as the database answers, not when their lease runs out.

Conversations are delivered in parallel, each conversation's rows strictly
in order; at most ``parallel`` sends are on the wire or waiting to be
recorded at once (the worker runs 8; a SIGKILL may then leave up to that
many sent but unrecorded, which the chat API's idempotency key lets it
recognise). A conversation waiting for its pacing (the notifier's
``wait_turn``: Slack's one message a second per channel) holds no send slot,
so fifty channels go at fifty messages a second, not eight. A run claims
rounds of ``batch`` rows until ``batch * parallel`` are held; rows claimed for
a conversation still busy with earlier rows are queued behind them. A
conversation may outlive the run that started it (a slow or hanging API), so
it holds up no other. After a failure or a rate limit the rest of that
conversation waits with the failed row: a Retry-After of up to
``wait_within`` seconds is waited out in the conversation, a longer one (or a
throttled/5xx answer, ``DeliveryError.retry_after``) puts the rows back until
then without counting an attempt and holds that recipient, so no request is
made before Retry-After; a permanent error or ``max_attempts``
failures dead-letters the row and tells the secretariat. Scheduled kinds
found outside working hours (after an outage, say) wait for the next working
morning. ``release_held()`` stops sending, waits briefly for the
conversations in flight and gives the unsent rows back, so a worker that is
asked to stop leaves nothing leased.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from bot.context import board_context
from bot.model import Member, OutboxMessage, Role
from bot.outbox_keys import SCHEDULED_KINDS, Key, MessageKind, Recipient, Subject
from bot.ports import Clock, DeliveryError, Notifier, UnitOfWorkFactory
from bot.reply import Heading, Note, Paragraph, Reply, outbox_payload, rich
from bot.text import plain_text
from jobs.delivery import OutboxDelivery
from jobs.timing import SendWindow

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


class StorageUnavailable(RuntimeError):
    """The database failed during a delivery run; the run stopped sending."""


@dataclass
class _Batch:
    now: dt.datetime
    members: dict[int, Member]
    window: SendWindow
    lease_ends: float  # monotonic time the claim runs out
    report: DispatchReport


class Dispatcher:
    """Delivers through ``outbox`` (claims and outcomes, each committed on its
    own); ``uow_factory`` is for reading the board (members, settings) and for
    owing the secretariat an alert."""

    def __init__(self, outbox: OutboxDelivery, uow_factory: UnitOfWorkFactory, notifier: Notifier, clock: Clock,
                 owner: str, lease: dt.timedelta = dt.timedelta(seconds=120), batch: int = 50, max_attempts: int = 8,
                 backoff: Backoff = Backoff(), parallel: int = 1, call_timeout: float = 15.0,
                 patience: float = 1.0, rng: random.Random | None = None,
                 wait_within: float = 5.0, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.outbox = outbox
        self.uow_factory = uow_factory
        self.notifier = notifier
        self.clock = clock
        self.owner = owner
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.parallel = parallel
        # A send and the write recording it must fit in the lease with room to spare.
        self.call_timeout = min(call_timeout, lease.total_seconds() / 4)
        self.patience = patience  # how long run_once waits for slow conversations before returning
        self.rng = rng or random.Random()
        self.wait_within = wait_within  # a Retry-After up to this long is waited out in the conversation
        self.monotonic = monotonic  # leases in memory and short waits: a benchmark passes scaled time
        self.sleep = sleep
        self._blocked: dict[str, dt.datetime] = {}  # recipient -> no request before this (Retry-After)
        self._unrecorded: dict[int, dt.datetime] = {}  # sent, but the database did not hear of it yet
        self._held: dict[int, OutboxMessage] = {}  # claimed by this dispatcher and not yet settled
        self._conversations: dict[str, asyncio.Task[None]] = {}  # recipient -> its rows being delivered
        self._queues: dict[str, deque[tuple[OutboxMessage, _Batch]]] = {}  # recipient -> rows still to send
        self._gate = asyncio.Semaphore(parallel)
        self._halted: BaseException | None = None  # the first failed write since the database last answered
        self._stopping = False
        self._running = asyncio.Lock()  # one claim at a time

    async def run_once(self) -> DispatchReport:
        """Claim one batch of due rows and start delivering it.

        Returns once the batch's conversations are done, or after
        ``patience`` seconds: a conversation whose chat API is slow (up to
        ``call_timeout`` a call) carries on by itself, its next rows waiting
        for it, and holds up no other conversation. ``drain`` waits for all.
        Raises StorageUnavailable if the database failed on the way; sends
        that reached the chat API by then are recorded on the next run.
        """
        async with self._running:
            report = DispatchReport()
            if self._stopping:
                return report
            await self._recover()
            started = await self._start_batch(report)
            if started:
                await asyncio.wait(started, timeout=self.patience)
        if self._halted is not None:
            raise StorageUnavailable(f"database failed during delivery: {type(self._halted).__name__}") \
                from self._halted
        return report

    async def _start_batch(self, report: DispatchReport) -> list[asyncio.Task[None]]:
        """Claim rounds of ``batch`` rows while full rounds come back and fewer than
        ``batch * parallel`` rows are held, so a run claims what the conversations can send
        before the next run, not one batch every ``dispatch_interval``."""
        started: list[asyncio.Task[None]] = []
        while True:
            claimed = await self._claim_round(report, started)
            if claimed < self.batch or len(self._held) >= self.batch * self.parallel or self._stopping:
                return started

    async def _claim_round(self, report: DispatchReport, started: list[asyncio.Task[None]]) -> int:
        now = self.clock.now()
        claimed = await self.outbox.claim_due(now, self.owner, self.lease, self.batch)
        lease_ends = self.monotonic() + self.lease.total_seconds()
        report.claimed += len(claimed)
        if not claimed:
            return 0
        self._held.update((msg.key, msg) for msg in claimed)
        async with self.uow_factory() as uow:
            settings, calendar = await board_context(uow)
            members = {m.id: m for m in await uow.members.list_all() if m.id is not None}
        batch = _Batch(now, members, SendWindow.of(settings, calendar), lease_ends, report)
        for msg in claimed:
            if msg.recipient in self._conversations:  # busy with earlier rows: these go after them
                self._queues[msg.recipient].append((msg, batch))
                continue
            self._queues[msg.recipient] = deque([(msg, batch)])
            task = asyncio.create_task(self._deliver_conversation(msg.recipient))
            self._conversations[msg.recipient] = task
            started.append(task)
        return len(claimed)

    async def _deliver_conversation(self, recipient: str) -> None:
        try:
            await self._deliver_queue(self._queues[recipient])
        finally:  # no await between the queue running dry and this: a later claim starts a new conversation
            self._conversations.pop(recipient, None)
            self._queues.pop(recipient, None)

    async def drain(self, rounds: int = 1000) -> DispatchReport:
        """Deliver until nothing is due now (the console's ``:tick``, ``jobs run-once``)."""
        reports = []
        for _ in range(rounds):
            report = await self.run_once()
            await self.settle()
            reports.append(report)
            if not report.claimed:
                break
        total = DispatchReport()
        for report in reports:
            total.sent += report.sent
            for name in ("claimed", "retried", "deferred", "dead"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
        return total

    async def settle(self, within: float | None = None) -> None:
        """Wait for the conversations in flight (at most ``within`` seconds, then cancel them)."""
        if not self._conversations:
            return
        pending = set(self._conversations.values())
        _, late = await asyncio.wait(pending, timeout=within)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=1.0)

    def stop(self) -> None:
        """Start no more sends (conversations in flight end at their next message)."""
        self._stopping = True

    async def release_held(self, grace: float = 3.0) -> int:
        """Stop, let the conversations in flight finish (for ``grace``
        seconds), then give back every row this dispatcher claimed but did
        not send, due now, so another worker takes them at once instead of
        after the lease. Returns how many rows went back."""
        self.stop()
        await self.settle(grace)
        async with self._running:
            await self._record_unrecorded()
            return await self._release(self._held.values(), "worker stopped")

    async def _recover(self) -> None:
        """Before claiming: record sends the database missed, and give back
        rows a halted run left claimed (ours to send now, not after their
        lease); then the database is trusted again."""
        await self._record_unrecorded()
        idle = [msg for msg in self._held.values() if msg.recipient not in self._conversations]
        if idle:
            await self._release(idle, "after a database failure")
        self._halted = None

    async def _release(self, rows: Iterable[OutboxMessage], why: str) -> int:
        released = 0
        for msg in list(rows):
            if await self.outbox.release(msg.key, self.owner, self.clock.now(), why, attempted=False):
                released += 1
            self._held.pop(msg.key, None)
        return released

    async def _record_unrecorded(self) -> None:
        """Record sends whose ``mark_sent`` failed, before claiming anything:
        otherwise this dispatcher could claim its own expired rows again and
        send them twice."""
        if not self._unrecorded:
            return
        for row_id, at in list(self._unrecorded.items()):
            if not await self.outbox.mark_sent(row_id, self.owner, at):
                log.warning("sent during an outage but another worker took the row", extra={"outbox_id": row_id})
            self._unrecorded.pop(row_id, None)
        log.info("recorded messages sent during a database outage")

    def _lease_has_room(self, batch: _Batch) -> bool:
        """No send the lease may not outlive (the call's timeout plus the write recording it)."""
        return batch.lease_ends - self.monotonic() > 2 * self.call_timeout

    async def _deliver_queue(self, queue: deque[tuple[OutboxMessage, _Batch]]) -> None:
        """One conversation's rows, in order, including rows claimed while it runs. A row that
        cannot go now puts back the rest of the queue with it; rows that arrive meanwhile meet
        the same hold (the recipient stays blocked), so none overtakes another."""
        while queue:
            msg, batch = queue[0]
            if self._halted is not None or self._stopping:
                return  # the rows stay claimed until released (next run, or release_held)
            if not self._lease_has_room(batch):  # claimed too long ago: claim them afresh, at once
                await self._write(self._put_back(self._take_all(queue), self.clock.now(), "lease ran out", batch))
                continue
            if (hold := self._hold_until(msg, batch)) is not None:
                await self._write(self._put_back(self._take_all(queue), hold, "waiting", batch))
                continue
            await self._wait_turn(msg, batch)
            async with self._gate:  # at most ``parallel`` sends on the wire or not yet recorded
                if self._halted is not None or self._stopping:  # while this conversation waited its turn
                    return
                wait = await self._attempt(queue, msg, batch)
            if wait is None:
                return  # the database failed: the rows stay claimed until released
            if wait:  # a short Retry-After, waited out holding the rows (and no send slot)
                await self.sleep(wait)

    async def _attempt(self, queue: deque[tuple[OutboxMessage, _Batch]], msg: OutboxMessage,
                       batch: _Batch) -> float | None:
        """Send ``msg`` (the head of ``queue``) and record the outcome. Returns how long the
        conversation should wait before its next row, or None if the database failed."""
        try:
            await asyncio.wait_for(self._send(msg, batch), self.call_timeout)
        except DeliveryError as error:
            if error.retry_after is None:
                return await self._written(self._failed(self._take_all(queue), str(error), error.permanent, batch))
            until = self.clock.now() + dt.timedelta(seconds=error.retry_after)
            self._blocked[msg.recipient] = until
            if error.retry_after <= self.wait_within:
                return error.retry_after + 0.01
            return await self._written(self._put_back(self._take_all(queue), until, f"waiting: {error}", batch))
        except TimeoutError:
            error_text = f"no answer in {self.call_timeout:g}s"
            return await self._written(self._failed(self._take_all(queue), error_text, False, batch))
        except Exception as error:  # a bug or network failure in a notifier: retry later
            log.warning("notifier raised", extra={"outbox_id": msg.id, "error": type(error).__name__})
            return await self._written(self._failed(self._take_all(queue), type(error).__name__, False, batch))
        queue.popleft()
        return await self._written(self._record_sent(msg, batch))

    async def _written(self, write: Awaitable[object]) -> float | None:
        return 0.0 if await self._write(write) else None

    @staticmethod
    def _take_all(queue: deque[tuple[OutboxMessage, _Batch]]) -> list[OutboxMessage]:
        rows = [msg for msg, _ in queue]
        queue.clear()
        return rows

    async def _wait_turn(self, msg: OutboxMessage, batch: _Batch) -> None:
        """Wait for the notifier's pacing (if it offers ``wait_turn``) before taking a send slot,
        so a conversation waiting for its next second holds up no other conversation."""
        wait_turn = getattr(self.notifier, "wait_turn", None)
        if wait_turn is not None:
            member, channel = self._addressee(msg, batch)
            await wait_turn(msg, member, channel)

    async def _write(self, write: Awaitable[object]) -> bool:
        """Run one outcome write; a failure halts every conversation at once."""
        try:
            await write
            return True
        except Exception as error:
            if self._halted is None:
                self._halted = error
                log.warning("database unavailable: no more sends until it answers",
                            extra={"error": type(error).__name__})
            return False

    def _hold_until(self, msg: OutboxMessage, batch: _Batch) -> dt.datetime | None:
        now = self.clock.now()
        blocked = self._blocked.get(msg.recipient)
        if blocked is not None and blocked > now:
            return blocked
        self._blocked.pop(msg.recipient, None)
        if msg.kind in SCHEDULED_KINDS and not batch.window.allows(now):
            return batch.window.next_allowed(now)
        return None

    @staticmethod
    def _addressee(msg: OutboxMessage, batch: _Batch) -> tuple[Member | None, str | None]:
        to = Recipient.parse(msg.recipient)
        return (None, to.value) if to.member_id is None else (batch.members.get(to.member_id), None)

    async def _send(self, msg: OutboxMessage, batch: _Batch) -> None:
        await self.notifier.send(msg, *self._addressee(msg, batch))

    async def _record_sent(self, msg: OutboxMessage, batch: _Batch) -> None:
        at = self.clock.now()
        self._held.pop(msg.key, None)
        try:
            recorded = await self.outbox.mark_sent(msg.key, self.owner, at)
        except BaseException:
            self._unrecorded[msg.key] = at  # sent all the same: record it before claiming again
            raise
        if recorded:
            batch.report.sent.append(msg)
        else:
            log.warning("sent after losing the lease", extra={"outbox_id": msg.id, "kind": msg.kind})

    async def _put_back(self, rows: Iterable[OutboxMessage], until: dt.datetime, why: str, batch: _Batch) -> None:
        """Give rows back untried until ``until`` (a rate limit, working hours,
        or an earlier row of the conversation that has to go first)."""
        for msg in rows:
            if await self.outbox.release(msg.key, self.owner, until, why[:500], attempted=False):
                batch.report.deferred += 1
            self._held.pop(msg.key, None)

    async def _failed(self, rows: list[OutboxMessage], error: str, permanent: bool, batch: _Batch) -> None:
        """Count a failed attempt on the first of ``rows`` (dead-letter at the limit); the
        conversation's later rows wait for the retry so they do not overtake it."""
        msg, after = rows[0], rows[1:]
        dead = permanent or msg.attempts + 1 >= self.max_attempts
        retry_at = self.clock.now() + dt.timedelta(seconds=self.backoff.delay(msg.attempts, self.rng))
        if not dead:  # rows of this conversation claimed later wait for the retry too
            self._blocked[msg.recipient] = retry_at
        if dead:
            released = await self.outbox.dead_letter(msg.key, self.owner, error[:500])
        else:
            released = await self.outbox.release(msg.key, self.owner, retry_at, error[:500])
        self._held.pop(msg.key, None)
        log.warning("delivery failed", extra={"outbox_id": msg.id, "kind": msg.kind, "dead": dead})
        if after:
            await self._put_back(after, batch.now if dead else retry_at, "after an earlier message", batch)
        if not released:
            return
        if dead:
            batch.report.dead += 1
            await self._alert(msg, error, batch)
        else:
            batch.report.retried += 1

    async def _alert(self, msg: OutboxMessage, error: str, batch: _Batch) -> None:
        """Tell the secretariat a message was dead-lettered (never its content)."""
        if msg.kind == MessageKind.ALERT:
            log.error("alert dead-lettered", extra={"outbox_id": msg.id})
            return
        recipient = Recipient.parse(msg.recipient)
        member = batch.members.get(recipient.member_id) if recipient.member_id is not None else None
        to = f"@{member.handle}" if member else recipient.value
        reply = Reply(summary=f"A {msg.kind} to {to} could not be delivered", refs=[]).add(
            Heading(rich(f"A {msg.kind} to {to} could not be delivered")),
            Paragraph(rich(f"Outbox message {msg.id} failed {msg.attempts + 1} time(s); the last error was: {error}")),
            Note(rich(f"Fix the cause (is {to} connected?), then `partnerbot outbox retry {msg.id}`.")),
        )
        async with self.uow_factory() as uow:
            secretariat = [m for m in await uow.members.with_role(Role.SECRETARIAT.value) if m.active]
            settings, _ = await board_context(uow)
            targets = [Recipient.member(m.id) for m in secretariat] or [Recipient.channel(settings.channel)]
            for target in targets:
                await uow.outbox.add_if_absent(OutboxMessage(
                    dedupe_key=Key.dead_letter_alert(msg.id, msg.attempts + 1, target), subject=Subject.alert(msg.id),
                    recipient=target, payload=outbox_payload(reply), text=plain_text(reply), due_at=batch.now,
                    kind=MessageKind.ALERT, created_at=batch.now))
            await uow.commit()
