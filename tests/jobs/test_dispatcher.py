"""Delivery: rate limits, retries, dead letters, leases and working hours."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from jobs_support import Recorder, local, seed

from bot.model import OutboxMessage, OutboxStatus
from bot.ports import DeliveryError, FixedClock
from bot.reply import Paragraph, Reply, rich, to_dict
from jobs.dispatcher import Backoff, Dispatcher
from storage.outbox_delivery import SqlOutboxDelivery

CONFIDENTIAL = "a confidential sentence"


async def queue(uow_factory, key: str, recipient: str, at: dt.datetime, kind: str = "notice") -> None:
    reply = Reply(summary=key).add(Paragraph(rich(CONFIDENTIAL)))
    async with uow_factory() as uow:
        await uow.outbox.add_if_absent(OutboxMessage(key, "test", recipient, to_dict(reply), CONFIDENTIAL, at,
                                                     kind=kind, created_at=at))
        await uow.commit()


@pytest.fixture
async def setup(uow_factory):
    clock = FixedClock(local("2026-12-07T10:00"))
    people = await seed(uow_factory)
    sent = Recorder(clock)
    dispatcher = Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, sent, clock, "d1", max_attempts=3,
                            rng=random.Random(1))
    return clock, people, sent, dispatcher


async def status(uow_factory, key: str) -> OutboxMessage:
    async with uow_factory() as uow:
        return await uow.outbox.by_key(key)


async def test_retry_after_holds_the_row_and_that_recipient_until_then(uow_factory, setup):
    clock, people, sent, dispatcher = setup
    for key in ("one", "two"):
        await queue(uow_factory, key, f"member:{people.owen.id}", clock.now())
    await queue(uow_factory, "other", f"member:{people.mia.id}", clock.now())
    sent.fail["@owen"] = DeliveryError("slow down", retry_after=30)
    for _ in range(12):  # far more 429s than max_attempts: still nothing dropped
        await dispatcher.drain()
        clock.move_to(clock.now() + dt.timedelta(seconds=29))
        await dispatcher.drain()
        assert sent.to("@owen") == []
        clock.move_to(clock.now() + dt.timedelta(seconds=1))
    assert [d.key for d in sent.got] == ["other"]
    assert (await status(uow_factory, "one")).status == OutboxStatus.PENDING
    del sent.fail["@owen"]
    await dispatcher.drain()
    assert [d.key for d in sent.to("@owen")] == ["one", "two"]


async def test_failures_back_off_then_dead_letter_and_the_secretariat_is_told(uow_factory, setup):
    clock, people, sent, dispatcher = setup
    await queue(uow_factory, "doomed", f"member:{people.owen.id}", clock.now())
    sent.fail["@owen"] = DeliveryError("Slack unreachable")
    waits = []
    for _ in range(3):
        await dispatcher.drain()
        row = await status(uow_factory, "doomed")
        if row.status == OutboxStatus.DEAD:
            break
        waits.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.move_to(row.next_attempt_at)
    assert row.status == OutboxStatus.DEAD and row.attempts == 3
    assert len(waits) == 2 and 1 <= waits[0] < waits[1] <= 8
    alerts = [d for d in sent.got if d.kind == "alert"]
    assert [d.to for d in alerts] == ["@sec"]
    assert "@owen" in alerts[0].text and f"outbox retry {row.id}" in alerts[0].text
    assert CONFIDENTIAL not in alerts[0].text


async def test_a_permanent_error_dead_letters_at_once(uow_factory, setup):
    clock, people, sent, dispatcher = setup
    await queue(uow_factory, "gone", "channel:#archived", clock.now())
    sent.fail["#archived"] = DeliveryError("channel_not_found", permanent=True)
    report = await dispatcher.drain()
    assert report.dead == 1 and (await status(uow_factory, "gone")).attempts == 1
    assert [d.to for d in sent.got] == ["@sec"]


async def test_another_dispatchers_lease_is_respected_until_it_expires(uow_factory, setup):
    clock, people, sent, dispatcher = setup
    await queue(uow_factory, "leased", f"member:{people.owen.id}", clock.now())
    crashed = SqlOutboxDelivery(uow_factory)
    assert len(await crashed.claim_due(clock.now(), "crashed", dt.timedelta(seconds=120), 10)) == 1
    assert (await dispatcher.drain()).claimed == 0
    clock.move_to(clock.now() + dt.timedelta(seconds=121))
    await dispatcher.drain()
    assert [d.key for d in sent.got] == ["leased"]
    assert (await status(uow_factory, "leased")).status == OutboxStatus.SENT


async def test_a_row_dropped_while_being_sent_is_not_counted_as_sent(uow_factory, setup):
    clock, people, _, _ = setup
    await queue(uow_factory, "dropped", f"member:{people.owen.id}", clock.now())

    class Dropper(Recorder):
        async def send(self, msg, member, channel):
            await SqlOutboxDelivery(uow_factory).drop(msg.id)
            await super().send(msg, member, channel)

    report = await Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, Dropper(clock), clock, "d2").drain()
    assert report.sent == [] and (await status(uow_factory, "dropped")).status == OutboxStatus.CANCELLED


async def test_rows_found_after_hours_wait_for_morning_but_alerts_go(uow_factory, setup):
    """Reminders and notices to other people wait for working hours; an alert to
    the secretariat about a dead-lettered message goes at once."""
    clock, people, sent, dispatcher = setup
    clock.move_to(local("2026-12-11T19:00"))  # Friday evening
    await queue(uow_factory, "reminder", f"member:{people.owen.id}", local("2026-12-11T09:00"), kind="reminder")
    await queue(uow_factory, "notice", f"member:{people.mia.id}", clock.now())
    await queue(uow_factory, "alert", f"member:{people.sec.id}", clock.now(), kind="alert")
    await dispatcher.drain()
    assert [d.key for d in sent.got] == ["alert"]
    assert (await status(uow_factory, "reminder")).next_attempt_at == local("2026-12-14T09:00")
    assert (await status(uow_factory, "notice")).next_attempt_at == local("2026-12-14T09:00")
    clock.move_to(local("2026-12-14T09:00"))
    await dispatcher.drain()
    assert sorted(d.key for d in sent.got) == ["alert", "notice", "reminder"]


def test_backoff_grows_and_is_capped():
    backoff, rng = Backoff(base=2, cap=60), random.Random(3)
    delays = [backoff.delay(n, rng) for n in range(10)]
    assert all(1 <= d <= 60 for d in delays) and delays[5] > delays[0] and max(delays) <= 60
