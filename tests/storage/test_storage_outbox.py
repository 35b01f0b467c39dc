"""Owing messages: dedupe, re-planning and cancelling, all in the caller's transaction."""

from __future__ import annotations

import pytest

from bot.model import OutboxStatus
from bot.ports import UnitOfWorkFactory
from tests.storage.outbox_support import LEASE, MINUTE, add


async def test_a_dedupe_key_is_planned_once(uow_factory: UnitOfWorkFactory, delivery, message, now) -> None:
    [first] = await add(uow_factory, message("reminder:A1:2026-03-02"))
    async with uow_factory() as uow:
        assert not await uow.outbox.add_if_absent(message("reminder:A1:2026-03-02", text="changed"))
        stored = await uow.outbox.by_key("reminder:A1:2026-03-02")
        assert await uow.outbox.by_key("missing") is None
    assert stored is not None and stored.id == first and stored.text == "text of reminder:A1:2026-03-02"
    assert await delivery.get(first) == stored
    assert stored.status == OutboxStatus.PENDING and stored.payload == {"summary": "reminder:A1:2026-03-02"}


async def test_planning_joins_the_callers_transaction(uow_factory: UnitOfWorkFactory, delivery, message,
                                                      now) -> None:
    async with uow_factory() as uow:
        assert await uow.outbox.add_if_absent(message("k"))
    async with uow_factory() as uow:
        assert await uow.outbox.by_key("k") is None
    assert await delivery.claim_due(now, "d1", LEASE, 10) == []  # nothing owed, nothing to deliver


async def test_a_cancelled_row_is_revived_with_new_content(uow_factory: UnitOfWorkFactory, message, now) -> None:
    [id] = await add(uow_factory, message("k", subject="action:7"))
    async with uow_factory() as uow:
        assert await uow.outbox.cancel_pending("action:7") == 1
        revived = message("k", subject="action:7", recipient="channel:#board", payload={"v": 2}, text="new",
                          due_at=now + MINUTE)
        assert await uow.outbox.add_if_absent(revived)
        assert revived.id == id
        stored = await uow.outbox.by_key("k")
        await uow.commit()
    assert stored is not None
    assert (stored.status, stored.recipient, stored.payload, stored.text, stored.due_at) == (
        OutboxStatus.PENDING, "channel:#board", {"v": 2}, "new", now + MINUTE
    )


@pytest.mark.parametrize("state", [OutboxStatus.CLAIMED, OutboxStatus.SENT, OutboxStatus.DEAD])
async def test_rows_in_other_states_are_left_alone(uow_factory: UnitOfWorkFactory, delivery, message, now,
                                                   state) -> None:
    [id] = await add(uow_factory, message("k"))
    await delivery.claim_due(now, "d1", LEASE, 10)
    if state == OutboxStatus.SENT:
        await delivery.mark_sent(id, "d1", now)
    elif state == OutboxStatus.DEAD:
        await delivery.dead_letter(id, "d1", "gone")
    before = await delivery.get(id)
    async with uow_factory() as uow:
        assert not await uow.outbox.add_if_absent(message("k", text="new"))
        await uow.commit()
    assert await delivery.get(id) == before
    assert before is not None and before.status == state


async def test_cancel_pending_keeps_what_is_still_planned(uow_factory: UnitOfWorkFactory, delivery, message,
                                                          now) -> None:
    ids = await add(
        uow_factory,
        message("a:1", subject="action:1"),
        message("a:2", subject="action:1"),
        message("a:3", subject="action:1"),
        message("claimed", subject="action:1", due_at=now - MINUTE),
        message("other", subject="action:2"),
    )
    [claimed] = await delivery.claim_due(now - MINUTE, "d1", LEASE, 10)
    assert claimed.id == ids[3]
    async with uow_factory() as uow:
        assert await uow.outbox.pending_keys("action:1") == ["a:1", "a:2", "a:3"]
        assert await uow.outbox.cancel_pending("action:1", keep=["a:2"]) == 2
        assert await uow.outbox.pending_keys("action:1") == ["a:2"]
        assert await uow.outbox.pending_keys("action:2") == ["other"]
        assert await uow.outbox.cancel_pending("action:1") == 1
        assert await uow.outbox.pending_keys("action:1") == []
        await uow.commit()
    assert (await delivery.get(ids[3])).status == OutboxStatus.CLAIMED


async def test_cancel_for_recipient_keeps_the_subjects_asked_for(uow_factory: UnitOfWorkFactory, message) -> None:
    await add(uow_factory, message("a", recipient="member:2", subject="action:1"),
              message("b", recipient="member:2", subject="issue:4"), message("c", recipient="member:3"))
    async with uow_factory() as uow:
        assert await uow.outbox.cancel_for_recipient("member:2", keep_subjects=["issue:4"]) == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert [(await uow.outbox.by_key(k)).status for k in "abc"] == [
            OutboxStatus.CANCELLED, OutboxStatus.PENDING, OutboxStatus.PENDING]
