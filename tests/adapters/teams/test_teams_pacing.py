"""Pacing to Teams' limits: short waits are waited, long ones go back to the outbox."""

from __future__ import annotations

import pytest

from adapters.teams.pacing import TeamsPacer
from bot.ports import DeliveryError
from tests.fakes.time import FakeTime


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(1000.0)


async def test_seven_a_second_per_conversation_then_a_wait(clock):
    pacer = TeamsPacer(clock, clock.sleep)
    for _ in range(7):
        await pacer.acquire("conv", "t1")
    assert clock.slept == []
    await pacer.acquire("conv", "t1")
    assert clock.slept == [1.0]


async def test_other_conversations_are_not_held_up(clock):
    pacer = TeamsPacer(clock, clock.sleep)
    for _ in range(7):
        await pacer.acquire("conv", "t1")
    await pacer.acquire("other", "t1")
    assert clock.slept == []


async def test_sixty_in_thirty_seconds_hands_back_to_the_outbox(clock):
    pacer = TeamsPacer(clock, clock.sleep, max_wait=2.0)
    for _ in range(60):
        await pacer.acquire("conv", "t1")
    with pytest.raises(DeliveryError) as refused:
        await pacer.acquire("conv", "t1")
    assert not refused.value.permanent
    assert 20 < refused.value.retry_after <= 30
    clock.now += refused.value.retry_after
    await pacer.acquire("conv", "t1")


async def test_fifty_a_second_per_tenant(clock):
    pacer = TeamsPacer(clock, clock.sleep)
    for n in range(50):
        await pacer.acquire(f"conv{n}", "t1")
    await pacer.acquire("conv-new", "t2")  # another tenant is free
    assert clock.slept == []
    await pacer.acquire("conv-new", "t1")
    assert clock.slept == [1.0]


async def test_a_split_reply_counts_every_message(clock):
    pacer = TeamsPacer(clock, clock.sleep)
    await pacer.acquire("conv", "t1", count=6)
    await pacer.acquire("conv", "t1", count=2)
    assert clock.slept == [1.0]
