"""Reminders and escalations from the jobs outbox reach Teams through continue_conversation;
a 429 from the connector is retried after its Retry-After, and nothing is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.model import OutboxMessage, OutboxStatus
from bot.reply import Buttons, Heading, Mention, Paragraph, Reply, rich, to_dict
from bot.text import plain_text
from bot.views import action_buttons
from tests.adapters.teams.teams_fakes import BOT_ID, activity, message
from tests.adapters.teams.teams_harness import PEOPLE, Server, link_everyone, start_server

CHANNEL = "19:board@thread.tacv2"


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[Server]:
    started = await start_server(db_url, dev=True)
    await link_everyone(started.services)
    yield started
    await started.close()


async def queue(server: Server, recipient: str, reply: Reply, key: str = "r1", kind: str = "reminder") -> int:
    now = server.clock.now()
    async with server.services.db.uow() as uow:
        await uow.outbox.add_if_absent(OutboxMessage(
            dedupe_key=key, subject="action:1", recipient=recipient, payload=to_dict(reply),
            text=plain_text(reply), due_at=now, kind=kind, created_at=now))
        await uow.commit()
        return (await uow.outbox.by_key(key)).id


async def member_id(server: Server, handle: str) -> int:
    async with server.services.db.uow() as uow:
        return (await uow.members.by_handle(handle)).id


def reminder() -> Reply:
    from bot.model import Action

    action = Action("Circulate the survey", [1], dt.date(2026, 11, 3), 1,
                    dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC), id=1)
    return Reply(summary="A1 is due tomorrow").add(Heading(rich("A1 Circulate the survey is due tomorrow")),
                                                  action_buttons(action))


async def test_a_reminder_reaches_the_owners_personal_chat(server):
    await server.post(message("whoami", PEOPLE["owen"], server.connector.url, conversation="a:owen-chat"))
    server.connector.calls.clear()
    row = await queue(server, f"member:{await member_id(server, 'owen')}", reminder())
    report = await server.services.dispatcher.run_once()
    assert [m.id for m in report.sent] == [row]
    [sent] = server.connector.posts()
    assert sent.conversation == "a:owen-chat" and sent.kind == "send"
    assert "is due tomorrow" in sent.text() and "Snooze" in sent.text()
    assert sent.body["summary"] == "A1 is due tomorrow"


async def test_rate_limited_sends_wait_for_retry_after_and_are_not_lost(server):
    await server.post(message("whoami", PEOPLE["owen"], server.connector.url, conversation="a:owen-chat"))
    owen = await member_id(server, "owen")
    row = await queue(server, f"member:{owen}", reminder())
    server.connector.throttle = [30.0]
    first = await server.services.dispatcher.run_once()
    assert first.sent == [] and first.deferred == 1
    waiting = await server.services.dispatcher.outbox.get(row)
    assert waiting.status == OutboxStatus.PENDING
    assert waiting.next_attempt_at == server.clock.now() + dt.timedelta(seconds=30)
    assert await server.services.dispatcher.run_once() == type(first)()  # not due yet: no request made
    server.clock.move_to(server.clock.now() + dt.timedelta(seconds=30))
    second = await server.services.dispatcher.run_once()
    assert [m.id for m in second.sent] == [row]
    assert len([c for c in server.connector.posts() if "is due tomorrow" in c.text()]) == 1


async def test_board_channel_posts_start_a_new_thread(server):
    await server.post(activity("conversationUpdate", PEOPLE["chair"], server.connector.url,
                               conversation=f"{CHANNEL};messageid=99", conversation_type="channel",
                               membersAdded=[{"id": BOT_ID}]))
    server.connector.calls.clear()
    await queue(server, f"channel:teams:{CHANNEL}", Reply(summary="Weekly digest").add(
        Paragraph(rich("3 actions due this week"))), kind="digest")
    report = await server.services.dispatcher.run_once()
    assert len(report.sent) == 1
    [post] = server.connector.posts()
    assert post.kind == "send" and post.conversation == CHANNEL and "replyToId" not in post.body


async def test_escalations_at_mention_the_owners(server):
    await server.post(message("whoami", PEOPLE["owen"], server.connector.url, conversation="a:owen-chat"))
    escalation = Reply(summary="A1 is overdue").add(Paragraph(rich(
        Mention(await member_id(server, "owen"), "owen", "Owen Pike"), ", A1 is 3 working days overdue")),
        Buttons(()))
    await server.post(message("whoami", PEOPLE["lead"], server.connector.url, conversation="a:lead-chat"))
    server.connector.calls.clear()
    await queue(server, f"member:{await member_id(server, 'lead')}", escalation, kind="escalation")
    await server.services.dispatcher.run_once()
    [sent] = server.connector.posts()
    card = sent.body["attachments"][0]["content"]
    assert card["body"][0]["text"].startswith("<at>Owen Pike</at>, A1")
    assert card["msteams"]["entities"] == [{"type": "mention", "text": "<at>Owen Pike</at>",
                                            "mentioned": {"id": "aad-owen", "name": "Owen Pike"}}]


async def test_unreachable_channels_are_dead_lettered_not_retried_forever(server):
    row = await queue(server, "channel:teams:19:gone@thread.tacv2", Reply(summary="x").add(Paragraph(rich("x"))),
                      kind="digest")
    report = await server.services.dispatcher.run_once()
    assert report.dead == 1
    assert (await server.services.dispatcher.outbox.get(row)).status == OutboxStatus.DEAD
