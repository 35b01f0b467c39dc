"""Once means once through database outages: a worker delivering to a fake
chat API loses its database (connections refused, or a silent partition;
on SQLite the file made unwritable, or its write lock held elsewhere) and
gets it back. Nothing is lost, nothing is sent twice, no conversation sends
after the first failed write, delivery resumes soon after the heal, and
SIGTERM stops the worker promptly, giving its leases back.

The messages are alerts due long ago, so they may go at any hour: no
outcome depends on the wall clock. The short runs are in ``make test``;
the long ones (2,500 messages over 50 channels, 20 s cuts, 20 seeds) are
marked soak.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_chat import FakeChat
from faults_support import Fault

from bot.model import OutboxMessage, OutboxStatus
from storage.outbox_delivery import SqlOutboxDelivery

WORKER = Path(__file__).with_name("fault_worker.py")
LONG_AGO = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
STOP_WITHIN = 10.0


@dataclass
class Run:
    messages: int
    conversations: int
    cut_seconds: float
    answer: float  # the worker's database deadline
    backoff_cap: float
    lease: float = 40.0
    cut_after: float = 0.3  # share of messages delivered when the cut comes
    resume_within: float = 60.0


async def queue_alerts(uow_factory, count: int, conversations: int) -> None:
    async with uow_factory() as uow:
        for n in range(count):
            await uow.outbox.add_if_absent(OutboxMessage(
                f"m:{n}", f"test:{n}", f"channel:#c{n % conversations}", {"blocks": []}, f"message {n}",
                LONG_AGO + dt.timedelta(seconds=n), kind="alert", created_at=LONG_AGO))
        await uow.commit()


async def spawn(url: str, api: str, name: str, run: Run) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), url, api, name, str(run.lease), str(run.answer), str(run.backoff_cap),
        stdout=asyncio.subprocess.PIPE,
        stderr=None if os.environ.get("FAULT_WORKER_LOG") else asyncio.subprocess.DEVNULL,
        env={**os.environ})


async def until(condition, patience: float, what: str) -> float:
    """Wait for ``condition()``; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < patience, f"{what} did not happen in {patience}s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def stop(proc: asyncio.subprocess.Process) -> float:
    """SIGTERM; returns how long the worker took to exit."""
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), STOP_WITHIN * 3)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0
    return time.monotonic() - started


async def rows_by_status(uow_factory) -> Counter:
    return Counter(msg.status for msg in await SqlOutboxDelivery(uow_factory).latest(limit=100_000))


async def outage_run(db_url: str, uow_factory, how: str, run: Run) -> None:
    fault = await Fault(db_url, how).start()
    chat = await FakeChat(delay=0.002).start()
    await queue_alerts(uow_factory, run.messages, run.conversations)
    proc = await spawn(fault.worker_url, chat.url, "w1", run)
    try:
        await until(lambda: len(chat.delivered) >= run.messages * run.cut_after, 60, "delivery before the cut")
        await fault.cut()
        await asyncio.sleep(min(run.cut_seconds, run.answer + 1.5))  # the worker notices and halts
        halted_at = len(chat.delivered)
        await asyncio.sleep(max(0.0, run.cut_seconds - run.answer - 1.5))
        assert len(chat.delivered) == halted_at, "sends went on after the database failed"
        assert len(chat.delivered) < run.messages, "the cut came too late to test anything"
        await fault.heal()
        resumed = await until(lambda: len(chat.delivered) > halted_at, run.resume_within, "resuming after the heal")
        await until(lambda: len(set(chat.keys())) == run.messages, 120, "delivering everything")
        took = await stop(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await chat.stop()
        await fault.close()
    counts = Counter(chat.keys())
    assert set(counts) == {f"m:{n}" for n in range(run.messages)}  # nothing lost
    assert [key for key, n in counts.items() if n > 1] == []  # nothing twice
    assert await rows_by_status(uow_factory) == {OutboxStatus.SENT: run.messages}
    assert resumed <= run.resume_within and took <= STOP_WITHIN


SHORT = Run(messages=300, conversations=20, cut_seconds=4.0, answer=1.5, backoff_cap=1.0, resume_within=15)


@pytest.mark.parametrize("how", ["refused", "partition"])
async def test_an_outage_loses_nothing_and_sends_nothing_twice(db_url, uow_factory, how):
    await outage_run(db_url, uow_factory, how, SHORT)


@pytest.mark.soak
@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("how", ["refused", "partition"])
async def test_soak_outages(db_url, uow_factory, how, seed):
    rng = random.Random(seed)
    run = Run(messages=2500, conversations=50, cut_seconds=20.0, answer=5.0, backoff_cap=20.0, lease=120.0,
              cut_after=rng.uniform(0.1, 0.6))
    await outage_run(db_url, uow_factory, how, run)


async def test_a_worker_starts_while_the_database_is_down_and_sigterm_gives_its_leases_back(db_url, uow_factory):
    run = Run(messages=200, conversations=10, cut_seconds=0, answer=1.5, backoff_cap=1.0)
    fault = await Fault(db_url, "refused").start()
    chat = await FakeChat(delay=0.05).start()  # slow: the worker is mid-batch when it is stopped
    await queue_alerts(uow_factory, run.messages, run.conversations)
    await fault.cut()
    proc = await spawn(fault.worker_url, chat.url, "w1", run)
    try:
        assert (await proc.stdout.readline()).strip() == b"ready"
        await asyncio.sleep(2.0)
        assert proc.returncode is None and chat.delivered == []  # waiting, not exited
        await fault.heal()
        await until(lambda: len(chat.delivered) >= 20, 15, "delivery once the database is back")
        took = await stop(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fault.close()
    statuses = await rows_by_status(uow_factory)
    assert took <= STOP_WITHIN and OutboxStatus.CLAIMED not in statuses  # leases given back
    assert statuses[OutboxStatus.SENT] == len(chat.delivered) < run.messages
    await chat.stop()


async def test_sigterm_during_an_outage_stops_the_worker_in_time(db_url, uow_factory):
    """PostgreSQL silently partitioned; SQLite's files unwritable. (A SQLite
    write already waiting for another process's lock cannot be interrupted
    and holds the exit for up to busy_timeout: that case is not bounded.)"""
    run = Run(messages=200, conversations=10, cut_seconds=0, answer=4.0, backoff_cap=1.0)
    how = "refused" if db_url.startswith("sqlite") else "partition"
    fault = await Fault(db_url, how).start()
    chat = await FakeChat(delay=0.05).start()
    await queue_alerts(uow_factory, run.messages, run.conversations)
    proc = await spawn(fault.worker_url, chat.url, "w1", run)
    try:
        await until(lambda: len(chat.delivered) >= 10, 30, "delivery before the outage")
        await fault.cut()
        await asyncio.sleep(0.5)  # the worker is now waiting on, or failing against, the database
        took = await stop(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await chat.stop()
        await fault.close()
    assert took <= STOP_WITHIN
