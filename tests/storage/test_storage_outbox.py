"""Outbox semantics: dedupe, re-planning, leases, attempts and dead letters."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.model import OutboxStatus
from bot.ports import UnitOfWorkFactory

LEASE = dt.timedelta(minutes=5)
MINUTE = dt.timedelta(minutes=1)


async def add(uow_factory: UnitOfWorkFactory, *messages) -> list[int]:
    async with uow_factory() as uow:
        for msg in messages:
            assert await uow.outbox.add_if_absent(msg)
        await uow.commit()
    return [msg.id for msg in messages]


async def status(uow_factory: UnitOfWorkFactory, id: int) -> OutboxStatus:
    async with uow_factory() as uow:
        row = await uow.outbox.get(id)
        assert row is not None
        return row.status


async def claim(uow_factory: UnitOfWorkFactory, at: dt.datetime, owner: str, limit: int = 10) -> list[int]:
    async with uow_factory() as uow:
        return [msg.id for msg in await uow.outbox.claim_due(at, owner, LEASE, limit)]


async def test_a_dedupe_key_is_planned_once(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [first] = await add(uow_factory, message("reminder:A1:2026-03-02"))
    async with uow_factory() as uow:
        assert not await uow.outbox.add_if_absent(message("reminder:A1:2026-03-02", text="changed"))
        stored = await uow.outbox.by_key("reminder:A1:2026-03-02")
        assert stored is not None and stored.id == first and stored.text == "text of reminder:A1:2026-03-02"
        assert await uow.outbox.get(first) == stored
        assert await uow.outbox.by_key("missing") is None
        assert stored.status == OutboxStatus.PENDING and stored.payload == {"summary": "reminder:A1:2026-03-02"}


async def test_planning_joins_the_callers_transaction(uow_factory: UnitOfWorkFactory, message) -> None:
    async with uow_factory() as uow:
        assert await uow.outbox.add_if_absent(message("k"))
    async with uow_factory() as uow:
        assert await uow.outbox.by_key("k") is None


async def test_a_cancelled_row_is_revived_with_new_content(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [id] = await add(uow_factory, message("k", subject="action:7"))
    async with uow_factory() as uow:
        assert await uow.outbox.cancel_pending("action:7") == 1
        revived = message("k", subject="action:7", recipient="channel:#board", payload={"v": 2}, text="new",
                          due_at=now + MINUTE)
        assert await uow.outbox.add_if_absent(revived)
        assert revived.id == id
        stored = await uow.outbox.get(id)
        await uow.commit()
    assert stored is not None
    assert (stored.status, stored.recipient, stored.payload, stored.text, stored.due_at) == (
        OutboxStatus.PENDING, "channel:#board", {"v": 2}, "new", now + MINUTE
    )


@pytest.mark.parametrize("state", [OutboxStatus.CLAIMED, OutboxStatus.SENT, OutboxStatus.DEAD])
async def test_rows_in_other_states_are_left_alone(uow_factory: UnitOfWorkFactory, message, now, state) -> None:
    [id] = await add(uow_factory, message("k"))
    async with uow_factory() as uow:
        await uow.outbox.claim_due(now, "d1", LEASE, 10)
        if state == OutboxStatus.SENT:
            await uow.outbox.mark_sent(id, "d1", now)
        elif state == OutboxStatus.DEAD:
            await uow.outbox.release(id, "d1", now, "gone", dead=True)
        before = await uow.outbox.get(id)
        assert not await uow.outbox.add_if_absent(message("k", text="new"))
        assert await uow.outbox.get(id) == before
    assert before is not None and before.status == state


async def test_cancel_pending_keeps_what_is_still_planned(uow_factory: UnitOfWorkFactory, message, now) -> None:
    ids = await add(
        uow_factory,
        message("a:1", subject="action:1"),
        message("a:2", subject="action:1"),
        message("a:3", subject="action:1"),
        message("claimed", subject="action:1", due_at=now - MINUTE),
        message("other", subject="action:2"),
    )
    async with uow_factory() as uow:
        [claimed] = await uow.outbox.claim_due(now - MINUTE, "d1", LEASE, 10)
    assert claimed.id == ids[3]
    async with uow_factory() as uow:
        assert await uow.outbox.pending_keys("action:1") == ["a:1", "a:2", "a:3"]
        assert await uow.outbox.cancel_pending("action:1", keep=["a:2"]) == 2
        assert await uow.outbox.pending_keys("action:1") == ["a:2"]
        assert await uow.outbox.pending_keys("action:2") == ["other"]
        assert await uow.outbox.cancel_pending("action:1") == 1
        assert await uow.outbox.pending_keys("action:1") == []
        await uow.commit()
    assert await status(uow_factory, ids[3]) == OutboxStatus.CLAIMED


async def test_list_is_newest_first_by_status(uow_factory: UnitOfWorkFactory, message, now) -> None:
    ids = await add(uow_factory, *(message(f"k{i}") for i in range(4)))
    async with uow_factory() as uow:
        await uow.outbox.drop(ids[1])
        assert [m.id for m in await uow.outbox.list()] == ids[::-1]
        assert [m.id for m in await uow.outbox.list(limit=2)] == ids[:1:-1]
        assert [m.id for m in await uow.outbox.list("pending")] == [ids[3], ids[2], ids[0]]
        assert [m.id for m in await uow.outbox.list(OutboxStatus.CANCELLED)] == [ids[1]]


async def test_claim_takes_due_rows_oldest_first_and_commits(uow_factory: UnitOfWorkFactory, message, now) -> None:
    ids = await add(
        uow_factory,
        message("later", due_at=now - MINUTE),
        message("earlier", due_at=now - 2 * MINUTE),
        message("future", due_at=now + MINUTE),
        message("retry-later", due_at=now - 3 * MINUTE, next_attempt_at=now + MINUTE),
        message("retry-now", due_at=now - 3 * MINUTE, next_attempt_at=now),
    )
    async with uow_factory() as uow:
        claimed = await uow.outbox.claim_due(now, "d1", LEASE, limit=2)
        # The unit is left without committing: the claim is committed already.
    assert [m.dedupe_key for m in claimed] == ["retry-now", "earlier"]
    assert all(m.status == OutboxStatus.CLAIMED and m.lease_owner == "d1" and m.lease_until == now + LEASE
               for m in claimed)
    assert await claim(uow_factory, now, "d2") == [ids[0]]
    assert await claim(uow_factory, now, "d3") == []
    assert await claim(uow_factory, now + MINUTE, "d3") == [ids[3], ids[2]]


async def test_a_claim_commits_earlier_work_of_its_unit(uow_factory: UnitOfWorkFactory, message, now) -> None:
    """The documented rule: dispatcher methods commit the unit they run in."""
    async with uow_factory() as uow:
        await uow.outbox.add_if_absent(message("k"))
        assert len(await uow.outbox.claim_due(now, "d1", LEASE, 10)) == 1
    assert await claim(uow_factory, now, "d2") == []


async def test_concurrent_claims_never_share_a_row(uow_factory: UnitOfWorkFactory, message, now) -> None:
    ids = await add(uow_factory, *(message(f"k{i}") for i in range(40)))
    claims = await asyncio.gather(*(claim(uow_factory, now, f"d{i}", limit=3) for i in range(10)))
    claimed = [id for ids_of_one in claims for id in ids_of_one]
    assert len(claimed) == len(set(claimed)) == 30
    rest = await claim(uow_factory, now, "late", limit=100)
    assert sorted(claimed + rest) == ids


async def test_an_expired_lease_is_taken_over(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    assert await claim(uow_factory, now, "d1") == [id]
    assert await claim(uow_factory, now + LEASE, "d2") == []  # lease_until is not before now yet
    assert await claim(uow_factory, now + LEASE + MINUTE, "d2") == [id]
    async with uow_factory() as uow:
        assert not await uow.outbox.mark_sent(id, "d1", now + LEASE)  # the dead dispatcher woke up
        assert not await uow.outbox.release(id, "d1", now, "late")
        assert await uow.outbox.mark_sent(id, "d2", now + LEASE + MINUTE)
        assert not await uow.outbox.mark_sent(id, "d2", now + LEASE + MINUTE)
        sent = await uow.outbox.get(id)
    assert sent is not None
    assert (sent.status, sent.sent_at, sent.attempts) == (OutboxStatus.SENT, now + LEASE + MINUTE, 0)
    assert await claim(uow_factory, now + 9 * LEASE, "d3") == []


async def test_release_counts_attempts_and_waits(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    for attempt in (1, 2):
        assert await claim(uow_factory, now + (attempt - 1) * 10 * MINUTE, "d1") == [id]
        async with uow_factory() as uow:
            assert not await uow.outbox.release(id, "someone else", now, "no")
            assert await uow.outbox.release(id, "d1", now + attempt * 10 * MINUTE, f"rate limited {attempt}")
        assert await claim(uow_factory, now + attempt * 10 * MINUTE - MINUTE, "d2") == []
    async with uow_factory() as uow:
        row = await uow.outbox.get(id)
    assert row is not None
    assert (row.status, row.attempts, row.last_error, row.lease_owner, row.next_attempt_at) == (
        OutboxStatus.PENDING, 2, "rate limited 2", None, now + 20 * MINUTE
    )


async def test_a_row_held_back_without_trying_keeps_its_attempts(uow_factory: UnitOfWorkFactory, message,
                                                                   now) -> None:
    [id] = await add(uow_factory, message("k"))
    for round in range(3):
        await claim(uow_factory, now + round * 10 * MINUTE, "d1")
        async with uow_factory() as uow:
            assert await uow.outbox.release(id, "d1", now + (round + 1) * 10 * MINUTE, "Retry-After 600",
                                            attempted=False)
    async with uow_factory() as uow:
        row = await uow.outbox.get(id)
    assert row is not None
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 0, now + 30 * MINUTE)


async def test_dead_letters_wait_for_an_operator(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    await claim(uow_factory, now, "d1")
    async with uow_factory() as uow:
        assert await uow.outbox.release(id, "d1", now, "channel_not_found", dead=True)
    assert await status(uow_factory, id) == OutboxStatus.DEAD
    assert await claim(uow_factory, now + 99 * LEASE, "d2") == []
    async with uow_factory() as uow:
        assert await uow.outbox.retry(id, now + MINUTE)
        assert not await uow.outbox.retry(id, now + MINUTE)  # pending already
        row = await uow.outbox.get(id)
    assert row is not None
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 0, now + MINUTE)
    assert await claim(uow_factory, now, "d2") == []
    assert await claim(uow_factory, now + MINUTE, "d2") == [id]


async def test_drop_cancels_what_is_not_sent(uow_factory: UnitOfWorkFactory, message, now) -> None:
    pending, claimed, sent = await add(uow_factory, message("p", due_at=now + MINUTE), message("c"), message("s"))
    await claim(uow_factory, now, "d1")
    async with uow_factory() as uow:
        assert await uow.outbox.mark_sent(sent, "d1", now)
        assert await uow.outbox.drop(pending)
        assert await uow.outbox.drop(claimed)
        assert not await uow.outbox.drop(sent)
        assert not await uow.outbox.drop(pending)
        assert not await uow.outbox.mark_sent(claimed, "d1", now)  # dropped while being sent
        assert await uow.outbox.retry(pending, now)  # an operator changes their mind
    assert [await status(uow_factory, id) for id in (pending, claimed, sent)] == [
        OutboxStatus.PENDING, OutboxStatus.CANCELLED, OutboxStatus.SENT
    ]


async def test_operator_methods_commit_themselves(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [id] = await add(uow_factory, message("k"))
    async with uow_factory() as uow:
        assert await uow.outbox.drop(id)
        # leaving without commit() does not undo the drop
    assert await status(uow_factory, id) == OutboxStatus.CANCELLED
