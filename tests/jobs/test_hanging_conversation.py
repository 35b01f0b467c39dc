"""One conversation whose chat API never answers holds up no other: with
bounded parallelism the others are all delivered within 5 s, each in
order, and the hanging one's messages wait (none lost, none sent twice)
until it answers again."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time

from fake_chat import FakeChat, HttpNotifier
from test_outages import queue_alerts

from bot.model import OutboxStatus
from bot.ports import SystemClock
from jobs.dispatcher import Backoff, Dispatcher
from storage.outbox_delivery import SqlOutboxDelivery

CONVERSATIONS = 10
MESSAGES = 200


async def deliver_while(dispatcher: Dispatcher, done) -> None:
    while not done():
        await dispatcher.run_once()
        await asyncio.sleep(0.05)


async def test_a_hanging_conversation_delays_no_other(uow_factory):
    chat = await FakeChat(hanging={"#c3"}).start()
    notifier = HttpNotifier(chat.url)
    await queue_alerts(uow_factory, MESSAGES, CONVERSATIONS)
    # Production's lease and call timeout: the hanging call is abandoned only after 15 s.
    dispatcher = Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, notifier, SystemClock(), "w1", parallel=8,
                            batch=50,
                            backoff=Backoff(base=0.2, cap=1.0), rng=random.Random(1))
    others = {f"m:{n}" for n in range(MESSAGES) if n % CONVERSATIONS != 3}
    delivered_others = lambda: others <= set(chat.keys())  # noqa: E731
    started = time.monotonic()
    try:
        await asyncio.wait_for(deliver_while(dispatcher, delivered_others), 5.0)
        took = time.monotonic() - started
        assert not any(to == "#c3" for _, to in chat.delivered)
        chat.hanging.clear()  # the conversation answers again
        everything = lambda: len(set(chat.keys())) == MESSAGES  # noqa: E731
        await asyncio.wait_for(deliver_while(dispatcher, everything), 40.0)
        await dispatcher.settle()
    finally:
        await notifier.close()
        await chat.stop()
    assert took < 5.0
    assert sorted(chat.keys()) == sorted(set(chat.keys()))  # none twice
    for c in range(CONVERSATIONS):  # each conversation in order
        keys = [int(key[2:]) for key, to in chat.delivered if to == f"#c{c}"]
        assert keys == sorted(keys)
    assert {m.status for m in await SqlOutboxDelivery(uow_factory).latest(limit=1000)} == {OutboxStatus.SENT}


async def test_a_call_is_abandoned_after_the_call_timeout_and_counted_as_an_attempt(uow_factory):
    chat = await FakeChat(hanging={"#c0"}).start()
    notifier = HttpNotifier(chat.url)
    await queue_alerts(uow_factory, 2, 1)
    dispatcher = Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, notifier, SystemClock(), "w1",
                            call_timeout=0.5,
                            lease=dt.timedelta(seconds=30))
    try:
        await dispatcher.drain(rounds=1)
    finally:
        await notifier.close()
        await chat.stop()
    async with uow_factory() as uow:
        first, second = await uow.outbox.by_key("m:0"), await uow.outbox.by_key("m:1")
    assert (first.status, first.attempts, first.last_error) == (OutboxStatus.PENDING, 1, "no answer in 0.5s")
    assert (second.status, second.attempts) == (OutboxStatus.PENDING, 0)  # waits behind it, untried
    assert second.next_attempt_at == first.next_attempt_at
