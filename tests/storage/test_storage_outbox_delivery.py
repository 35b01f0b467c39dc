"""Delivering owed messages: leases, attempts, dead letters and the operator's
retry and drop, each in a transaction of its own."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.model import OutboxStatus
from bot.ports import UnitOfWorkFactory
from storage.outbox_delivery import SqlOutboxDelivery
from tests.storage.outbox_support import LEASE, MINUTE, add


async def status(delivery: SqlOutboxDelivery, id: int) -> OutboxStatus:
    row = await delivery.get(id)
    assert row is not None
    return row.status


async def claim(delivery: SqlOutboxDelivery, at: dt.datetime, owner: str, limit: int = 10) -> list[int]:
    return [msg.id for msg in await delivery.claim_due(at, owner, LEASE, limit)]


async def test_latest_is_newest_first_by_status(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    ids = await add(uow_factory, *(message(f"k{i}") for i in range(4)))
    await delivery.drop(ids[1])
    assert [m.id for m in await delivery.latest()] == ids[::-1]
    assert [m.id for m in await delivery.latest(limit=2)] == ids[:1:-1]
    assert [m.id for m in await delivery.latest("pending")] == [ids[3], ids[2], ids[0]]
    assert [m.id for m in await delivery.latest(OutboxStatus.CANCELLED)] == [ids[1]]


async def test_claim_takes_due_rows_oldest_first_and_commits(uow_factory: UnitOfWorkFactory, delivery, message,
                                                             now) -> None:
    ids = await add(
        uow_factory,
        message("later", due_at=now - MINUTE),
        message("earlier", due_at=now - 2 * MINUTE),
        message("future", due_at=now + MINUTE),
        message("retry-later", due_at=now - 3 * MINUTE, next_attempt_at=now + MINUTE),
        message("retry-now", due_at=now - 3 * MINUTE, next_attempt_at=now),
    )
    claimed = await delivery.claim_due(now, "d1", LEASE, limit=2)
    assert [m.dedupe_key for m in claimed] == ["retry-now", "earlier"]
    assert all(m.status == OutboxStatus.CLAIMED and m.lease_owner == "d1" and m.lease_until == now + LEASE
               for m in claimed)
    assert await claim(SqlOutboxDelivery(uow_factory), now, "d2") == [ids[0]]  # another dispatcher sees the claim
    assert await claim(delivery, now, "d3") == []
    assert await claim(delivery, now + MINUTE, "d3") == [ids[3], ids[2]]


async def test_delivery_never_commits_a_units_uncommitted_planning(uow_factory: UnitOfWorkFactory, delivery,
                                                                   message, now) -> None:
    """Delivery runs in transactions of its own: a unit of work that owes a
    message and then fails owes nothing, whatever the dispatcher did meanwhile."""
    [id] = await add(uow_factory, message("committed"))
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.outbox.add_if_absent(message("rolled back"))
            raise RuntimeError("the command failed")
    assert await claim(delivery, now, "d1") == [id]
    assert await delivery.mark_sent(id, "d1", now)
    async with uow_factory() as uow:
        assert await uow.outbox.by_key("rolled back") is None


async def test_concurrent_claims_never_share_a_row(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    ids = await add(uow_factory, *(message(f"k{i}") for i in range(40)))
    claims = await asyncio.gather(*(claim(delivery, now, f"d{i}", limit=3) for i in range(10)))
    claimed = [id for ids_of_one in claims for id in ids_of_one]
    assert len(claimed) == len(set(claimed)) == 30
    rest = await claim(delivery, now, "late", limit=100)
    assert sorted(claimed + rest) == ids


async def test_an_expired_lease_is_taken_over(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    assert await claim(delivery, now, "d1") == [id]
    assert await claim(delivery, now + LEASE, "d2") == []  # lease_until is not before now yet
    assert await claim(delivery, now + LEASE + MINUTE, "d2") == [id]
    assert not await delivery.mark_sent(id, "d1", now + LEASE)  # the dead dispatcher woke up
    assert not await delivery.release(id, "d1", now, "late")
    assert not await delivery.dead_letter(id, "d1", "late")
    assert await delivery.mark_sent(id, "d2", now + LEASE + MINUTE)
    assert not await delivery.mark_sent(id, "d2", now + LEASE + MINUTE)
    sent = await delivery.get(id)
    assert sent is not None
    assert (sent.status, sent.sent_at, sent.attempts) == (OutboxStatus.SENT, now + LEASE + MINUTE, 0)
    assert await claim(delivery, now + 9 * LEASE, "d3") == []


async def test_release_counts_attempts_and_waits(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    for attempt in (1, 2):
        assert await claim(delivery, now + (attempt - 1) * 10 * MINUTE, "d1") == [id]
        assert not await delivery.release(id, "someone else", now, "no")
        assert await delivery.release(id, "d1", now + attempt * 10 * MINUTE, f"rate limited {attempt}")
        assert await claim(delivery, now + attempt * 10 * MINUTE - MINUTE, "d2") == []
    row = await delivery.get(id)
    assert row is not None
    assert (row.status, row.attempts, row.last_error, row.lease_owner, row.next_attempt_at) == (
        OutboxStatus.PENDING, 2, "rate limited 2", None, now + 20 * MINUTE
    )


async def test_a_row_held_back_without_trying_keeps_its_attempts(uow_factory: UnitOfWorkFactory, delivery, message,
                                                                   now) -> None:
    [id] = await add(uow_factory, message("k"))
    for round in range(3):
        await claim(delivery, now + round * 10 * MINUTE, "d1")
        assert await delivery.release(id, "d1", now + (round + 1) * 10 * MINUTE, "Retry-After 600", attempted=False)
    row = await delivery.get(id)
    assert row is not None
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 0, now + 30 * MINUTE)


async def test_dead_letters_wait_for_an_operator(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    await claim(delivery, now, "d1")
    assert await delivery.dead_letter(id, "d1", "channel_not_found")
    dead = await delivery.get(id)
    assert (dead.status, dead.attempts, dead.last_error) == (OutboxStatus.DEAD, 1, "channel_not_found")
    async with uow_factory() as uow:
        assert [e.ref for e in await uow.audit.recent() if e.verb == "outbox.dead"] == [f"outbox:{id}"]
    assert await claim(delivery, now + 99 * LEASE, "d2") == []
    assert await delivery.retry(id, now + MINUTE)
    assert not await delivery.retry(id, now + MINUTE)  # pending already
    row = await delivery.get(id)
    assert row is not None
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 0, now + MINUTE)
    assert await claim(delivery, now, "d2") == []
    assert await claim(delivery, now + MINUTE, "d2") == [id]


async def test_drop_cancels_what_is_not_sent(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    pending, claimed, sent = await add(uow_factory, message("p", due_at=now + MINUTE), message("c"), message("s"))
    await claim(delivery, now, "d1")
    assert await delivery.mark_sent(sent, "d1", now)
    assert await delivery.drop(pending)
    assert await delivery.drop(claimed)
    assert not await delivery.drop(sent)
    assert not await delivery.drop(pending)
    assert not await delivery.mark_sent(claimed, "d1", now)  # dropped while being sent
    assert await delivery.retry(pending, now)  # an operator changes their mind
    assert [await status(delivery, id) for id in (pending, claimed, sent)] == [
        OutboxStatus.PENDING, OutboxStatus.CANCELLED, OutboxStatus.SENT
    ]


async def test_the_oldest_due_row_says_how_late_delivery_is(uow_factory: UnitOfWorkFactory, delivery, message,
                                                             now) -> None:
    assert await delivery.oldest_due(now) is None
    await add(uow_factory, message("soon", due_at=now + MINUTE), message("late", due_at=now - 3 * MINUTE),
              message("retried", due_at=now - 9 * MINUTE, next_attempt_at=now - 2 * MINUTE))
    assert await delivery.oldest_due(now) == now - 3 * MINUTE
