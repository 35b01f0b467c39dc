"""A command's notices are delivered by the woken delivery loop, after the asker
has their answer: a slow chat API never holds up the reply."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from jobs_support import Recorder, local, seed

from bot.app import BotApp
from bot.commands import build_router
from bot.context import Command, Identity
from bot.model import OutboxStatus
from bot.ports import FixedClock
from jobs.delivery_loop import DeliveryLoop
from jobs.dispatcher import Dispatcher
from storage.outbox_delivery import SqlOutboxDelivery

ADD = "/board action add Book the hall @owen due 15/1/2027"


class SlowChat(Recorder):
    """A chat API that answers only once ``answer`` is set."""

    def __init__(self, clock: FixedClock) -> None:
        super().__init__(clock)
        self.answer = asyncio.Event()

    async def send(self, msg, member, channel) -> None:
        await self.answer.wait()
        await super().send(msg, member, channel)


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Wait for ``condition`` (a specific delivery), failing after ``within`` seconds."""
    async with asyncio.timeout(within):
        while not condition():
            await asyncio.sleep(0.01)


def board_app(uow_factory, clock: FixedClock, chat: Recorder) -> tuple[BotApp, DeliveryLoop]:
    loop = DeliveryLoop(Dispatcher(SqlOutboxDelivery(uow_factory), uow_factory, chat, clock, "serve"))
    return BotApp(build_router(), uow_factory, clock, wake_delivery=loop.wake), loop


async def test_the_reply_comes_first_and_the_woken_loop_delivers_the_notice(uow_factory):
    await seed(uow_factory)
    clock = FixedClock(local("2026-12-07T10:00"))  # a Monday morning: notices may go
    chat = SlowChat(clock)
    app, loop = board_app(uow_factory, clock, chat)
    loop.start()
    try:
        reply = (await asyncio.wait_for(app.handle(Command(Identity("console", "chair"), ADD)), 5.0)).reply
        assert not reply.error and "A1" in reply.refs
        assert chat.got == []  # the chat API has not answered, and the asker has their reply
        chat.answer.set()
        await until(lambda: bool(chat.to("@owen")))
    finally:
        await loop.stop()
    [told] = chat.to("@owen")
    assert told.kind == "notice" and "Book the hall" in told.text
    assert (await SqlOutboxDelivery(uow_factory).get(told.msg.id)).status == OutboxStatus.SENT


async def test_without_a_running_loop_the_notice_waits_in_the_outbox(uow_factory):
    """A one-off CLI command: nothing is delivered inline; the worker's next pass takes it."""
    await seed(uow_factory)
    clock = FixedClock(local("2026-12-07T10:00"))
    chat = Recorder(clock)
    app, loop = board_app(uow_factory, clock, chat)
    assert not (await app.handle(Command(Identity("console", "chair"), ADD))).reply.error
    assert chat.got == []
    assert [m.kind for m in await SqlOutboxDelivery(uow_factory).latest(OutboxStatus.PENDING)] == ["notice"]
    await loop.deliver_if_woken()  # what the console does once it has printed the reply
    assert [d.to for d in chat.got] == ["@owen"]
