"""Socket Mode: the same listeners over a websocket (a local fake of Slack's), no public URL."""

from __future__ import annotations

import asyncio
import contextlib
import json

from adapters.slack.socket import run_socket_mode
from bot.context import Command, Identity
from tests.e2e.slack_harness import APP_TOKEN, SEED, board_services, start_fake, text_of
from tests.fakes.slack_api import FakeSlack, SlackSender


async def ack_for(fake: FakeSlack, envelope_id: str) -> dict:
    while True:
        ack = await asyncio.wait_for(fake.socket_acks.get(), 10)
        if ack.get("envelope_id") == envelope_id:
            return ack


async def test_socket_mode_serves_commands_and_events_once(db_url: str):
    fake = await start_fake()
    services = await board_services(db_url, fake, slack_app_token=APP_TOKEN)
    chair = Identity("slack", "UCHAIR", "Cara Hale", "cara@board.test")
    assert not (await services.bot.handle(Command(chair, SEED[5]))).reply.error  # Pat, a parent rep
    slack = SlackSender("", "", fake)  # builds payloads; Socket Mode needs no signature
    task = asyncio.create_task(run_socket_mode(services))
    try:
        await fake.wait_connected()
        assert fake.calls_to("apps.connections.open")[0].token == APP_TOKEN

        command = slack.command_fields("help", "UCHAIR")
        await fake.socket_send({"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                                "payload": command})
        await ack_for(fake, "env-1")
        [answer] = await fake.wait_for("response_url", url=command["response_url"])
        assert "action add" in text_of(answer.args)

        event = json.loads(slack.event_body({"type": "message", "channel_type": "im", "channel": "DUPAT",
                                             "user": "UPAT", "text": "No school place yet", "ts": "1.1"},
                                            event_id="Ev0SOCKET"))
        for n, envelope_id in enumerate(("env-2", "env-3")):  # the second is Slack redelivering it
            await fake.socket_send({"envelope_id": envelope_id, "type": "events_api", "retry_attempt": n,
                                    "retry_reason": "timeout" if n else "", "accepts_response_payload": False,
                                    "payload": event})
            await ack_for(fake, envelope_id)
        await fake.wait_for("chat.postMessage", channel="DUPAT")
        assert "Your concern is logged as I1" in text_of(fake.messages_in("DUPAT")[-1])
        await fake.wait_for("views.publish", user_id="UPAT")
        async with services.db.uow() as uow:
            assert len(await uow.issues.list_all()) == 1
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await services.close()
        await fake.stop()
