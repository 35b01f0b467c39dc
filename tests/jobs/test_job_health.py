"""The jobs' pulse: a late outbox is warned about, failures back off and are
logged, success resets everything."""

from __future__ import annotations

import datetime as dt
import logging
import random

from bot.model import OutboxMessage
from bot.outbox_keys import MessageKind
from bot.ports import FixedClock
from jobs.dispatcher import Backoff
from jobs.health import JobHealth
from storage.outbox_delivery import SqlOutboxDelivery

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


async def queue(uow_factory, key: str, due: dt.datetime) -> None:
    async with uow_factory() as uow:
        await uow.outbox.add_if_absent(OutboxMessage(key, "t", "channel:#board", {}, "x", due, kind=MessageKind.ALERT,
                                                     created_at=due))
        await uow.commit()


async def test_a_message_more_than_five_minutes_late_is_warned_about(uow_factory, caplog):
    health = JobHealth(FixedClock(NOW))
    await queue(uow_factory, "future", NOW + dt.timedelta(hours=1))
    assert await health.measure_lateness(SqlOutboxDelivery(uow_factory)) is None
    await queue(uow_factory, "recent", NOW - dt.timedelta(minutes=2))
    with caplog.at_level(logging.WARNING, "partnerbot.jobs.health"):
        assert await health.measure_lateness(SqlOutboxDelivery(uow_factory)) == dt.timedelta(minutes=2)
        assert not caplog.records
        await queue(uow_factory, "late", NOW - dt.timedelta(minutes=7))
        assert await health.measure_lateness(SqlOutboxDelivery(uow_factory)) == dt.timedelta(minutes=7)
    assert [r.getMessage() for r in caplog.records] == ["the oldest due message is late"]
    assert caplog.records[0].late_s == 420


def test_failures_back_off_and_are_logged_and_success_resets(caplog):
    health = JobHealth(FixedClock(NOW), backoff=Backoff(base=60, cap=60), rng=random.Random(1))
    with caplog.at_level(logging.WARNING, "partnerbot.jobs.health"):
        wait = health.failed("deliver", ConnectionRefusedError("refused"))
    assert 30 <= wait <= 60 and not health.may_run() and health.failures == 1
    assert caplog.records[0].getMessage() == "jobs cannot reach the database: retrying"
    assert health.last_error == "ConnectionRefusedError: refused"
    health.succeeded()
    assert health.may_run() and health.failures == 0 and health.last_success == NOW
