"""Crash and fault tests: dispatchers SIGKILLed while delivering to a local
fake chat API lose nothing and duplicate at most once per kill; a flaky,
rate-limiting API loses nothing and is never called before its Retry-After.

The short versions run in ``make test`` on SQLite and PostgreSQL; the long
crash runs (5,000 reminders, 4 dispatchers, a kill every 0.5 s, 20 seeds)
are marked soak (``make soak``).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from fake_chat import FakeChat, HttpNotifier

from bot.model import Member, OutboxMessage, OutboxStatus
from jobs.dispatcher import Backoff, Dispatcher
from storage.outbox_delivery import SqlOutboxDelivery
from tests.fakes.time import WORKING_MORNING, SteadyClock

WORKER = Path(__file__).with_name("dispatch_worker.py")
CONVERSATIONS = 50
LEASE_SECONDS = 2.0


async def queue_reminders(uow_factory, count: int, clock: SteadyClock) -> None:
    """``count`` notices due now, on a board clock in working hours (notices wait for working
    hours, so on the machine's own clock they would sit until morning when the suite runs at night)."""
    now = clock.now()
    async with uow_factory() as uow:
        member = await uow.members.add(Member("owen", "Owen Pike", "OP"))
        for n in range(count):
            # Every tenth is a DM, the rest posts spread over many conversations.
            to = f"member:{member.id}" if n % 10 == 0 else f"channel:#c{n % CONVERSATIONS}"
            await uow.outbox.add_if_absent(OutboxMessage(f"reminder:{n}", f"test:{n}", to, {"blocks": []},
                                                         f"reminder {n}", now, kind="notice", created_at=now))
        await uow.commit()


async def unfinished(uow_factory) -> bool:
    """Is any row still pending, claimed or (a failure) dead?"""
    outbox = SqlOutboxDelivery(uow_factory)
    for status in (OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.DEAD):
        if await outbox.latest(status, limit=1):
            return True
    return False


async def spawn(db_url: str, api: str, name: str, clock: SteadyClock) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), db_url, api, name, str(LEASE_SECONDS), *clock.args(),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, env={**os.environ})


async def crash_run(db_url: str, uow_factory, reminders: int, dispatchers: int, kill_every: float, seed: int,
                    budget: float) -> tuple[FakeChat, int]:
    rng = random.Random(seed)
    clock = SteadyClock(WORKING_MORNING)
    chat = await FakeChat().start()
    await queue_reminders(uow_factory, reminders, clock)
    procs = [await spawn(db_url, chat.url, f"d{i}", clock) for i in range(dispatchers)]
    kills, deadline = 0, time.monotonic() + budget
    try:
        while kills < 3 or await unfinished(uow_factory):
            assert time.monotonic() < deadline, f"{len(set(chat.keys()))} of {reminders} delivered in {budget}s"
            await asyncio.sleep(kill_every * rng.uniform(0.5, 1.5))
            victim = rng.randrange(dispatchers)
            procs[victim].kill()
            await procs[victim].wait()
            kills += 1
            procs[victim] = await spawn(db_url, chat.url, f"d{victim}.{kills}", clock)
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await chat.stop()
    return chat, kills


def assert_delivered_once_or_per_kill(chat: FakeChat, reminders: int, kills: int) -> None:
    counts = Counter(chat.keys())
    assert set(counts) == {f"reminder:{n}" for n in range(reminders)}  # nothing lost
    duplicates = sum(counts.values()) - len(counts)
    assert duplicates <= kills, f"{duplicates} duplicates after {kills} kills"


async def test_killed_dispatchers_lose_nothing_and_duplicate_at_most_once_per_kill(db_url, uow_factory):
    # About 20 s on a quiet machine; the budget is for a busy one (both cores taken by something else).
    chat, kills = await crash_run(db_url, uow_factory, reminders=2000, dispatchers=3, kill_every=1.5, seed=1,
                                  budget=240)
    assert_delivered_once_or_per_kill(chat, 2000, kills)


@pytest.mark.soak
@pytest.mark.parametrize("seed", range(20))
async def test_soak_killed_dispatchers(db_url, uow_factory, seed):
    chat, kills = await crash_run(db_url, uow_factory, reminders=5000, dispatchers=4, kill_every=0.5, seed=seed,
                                  budget=600)
    assert_delivered_once_or_per_kill(chat, 5000, kills)


async def test_flaky_api_loses_nothing_and_is_never_called_before_retry_after(uow_factory):
    chat = await FakeChat(rate_limited=0.05, failing=0.01, retry_after=1, seed=7).start()
    notifier = HttpNotifier(chat.url)
    clock = SteadyClock(WORKING_MORNING)
    await queue_reminders(uow_factory, 600, clock)
    dispatcher = Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, notifier, clock, "flaky", batch=20,
                            backoff=Backoff(base=0.2, cap=2.0), rng=random.Random(7))
    deadline = time.monotonic() + 150  # about 10 s on a quiet machine
    try:
        while await unfinished(uow_factory):
            assert time.monotonic() < deadline
            if not (await dispatcher.run_once()).claimed:
                await asyncio.sleep(0.05)
    finally:
        await notifier.close()
        await chat.stop()
    assert chat.refused >= 20  # the faults really happened
    assert sorted(set(chat.keys())) == sorted(f"reminder:{n}" for n in range(600))
    assert chat.early == []
    assert len(chat.keys()) == 600  # one dispatcher, no crash: no duplicates either
