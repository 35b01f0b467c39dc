"""The Teams endpoint under hostile traffic and an unlucky network, over real HTTP against the
running server and a fake Bot Connector: malformed and forged activities, a connector that
hangs, answers 503 or 429, or drops the connection, replies too big for one message, floods."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.teams.bot import STILL_WORKING
from tests.adapters.teams.teams_fakes import FakeConnector, activity, card_action, message, start_connector
from tests.adapters.teams.teams_harness import PEOPLE, Server, start_server

CHANNEL = "19:board@thread.tacv2"
ADD = "action add Circulate the survey @mia due 15/1/2027"
LIMIT = 28_000


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[Server]:
    started = await start_server(db_url, dev=True, only_connector=True)
    yield started
    await started.close()


async def settle(server: Server) -> None:
    """Let the bot's background work end and deliver what it left in the outbox."""
    await server.services.background.settle()
    await server.services.dispatcher.drain()


async def say(server: Server, text: str, who: str = "owen", **kw: object) -> tuple[int, object]:
    kw.setdefault("conversation", f"a:personal-{who}")
    return await server.post(message(text, PEOPLE[who], server.connector.url, **kw))


async def actions(server: Server) -> list:
    async with server.services.db.uow() as uow:
        return await uow.actions.list_all()


async def refs(server: Server) -> dict[str, dict]:
    async with server.services.db.uow() as uow:
        return dict(await uow.platform.list_refs("teams"))


def without(body: dict, key: str) -> dict:
    return {k: v for k, v in body.items() if k != key}


async def test_malformed_activities_get_4xx_and_change_nothing(server):
    url = server.connector.url
    good = message(ADD, PEOPLE["owen"], url)
    for body in (without(good, "from"), without(good, "conversation"), without(good, "serviceUrl"),
                 without(good, "recipient"), {**good, "from": "owen"}, {**good, "value": "nope"},
                 {**good, "entities": "x"}, {**good, "text": 12}, [good], {"no": "type"}):
        status, _ = await server.post(body)
        assert status == 400, body
    status, _ = await server.post({**good, "conversation": {"id": ""}})
    assert status == 400
    async with aiohttp.ClientSession() as session, session.post(f"{server.url}/api/messages", data=b"{nope",
                                                                headers={"Content-Type": "application/json"}) as r:
        assert r.status == 400
    assert await actions(server) == [] and await refs(server) == {} and server.connector.calls == []


async def test_malformed_invokes_get_200_with_a_json_error_and_change_nothing(server):
    url = server.connector.url
    press = card_action({"pb_kind": "command", "pb_command": "action add Forged @mia due 1/2/2027"},
                        PEOPLE["owen"], url)
    extension = activity("invoke", PEOPLE["owen"], url, name="composeExtension/submitAction",
                         value={"commandId": "logAction", "data": {"text": "Forged"}})
    for body in (without(press, "from"), without(extension, "from"), {**press, "value": "nope"},
                 {**press, "value": {"action": {"data": "nope"}}}, {**extension, "value": ["x"]}):
        status, answer = await server.post(body)
        assert status == 200 and isinstance(answer, dict) and answer, body
    status, answer = await server.post({**press, "value": {"action": {"data": "nope"}}})
    assert answer["statusCode"] == 400 and answer["type"] == "application/vnd.microsoft.error"
    assert await actions(server) == [] and server.connector.posts() == []


async def test_unknown_invokes_get_200_and_an_empty_object(server):
    for name in ("composeExtension/query", "tab/fetch", "signin/verifyState", "task/fetch"):
        status, body = await server.post(activity("invoke", PEOPLE["owen"], server.connector.url, name=name,
                                                  value={"commandId": "x", "parameters": []}))
        assert (status, body) == (200, {}), name


async def test_a_forged_service_url_is_refused_never_called_and_never_stored(server):
    forged = FakeConnector()
    forged_runner = await start_connector(forged)
    try:
        await say(server, "whoami")  # Owen's real chat, through the real connector
        before = await refs(server)
        for url in (forged.url, "http://169.254.169.254/latest/", "https://smba.trafficmanager.net.evil.example/",
                    "https://evil.example/smba.trafficmanager.net/", "file:///etc/passwd"):
            body = message(ADD, PEOPLE["owen"], url, conversation="a:personal-owen")
            status, _ = await server.post(body)
            assert status == 403, url
        status, answer = await server.post(card_action({"pb_kind": "command", "pb_command": "help"},
                                                       PEOPLE["owen"], forged.url))
        assert status == 200 and answer["statusCode"] == 403
        assert await refs(server) == before  # the personal chat still points at the real connector
        assert len(await actions(server)) == 0
        await say(server, ADD)  # an honest message: Mia's notice and Owen's answer go to the real host
        await settle(server)
        assert forged.calls == []
        assert any("Action A1 logged" in c.text() for c in server.connector.posts())
    finally:
        await forged_runner.cleanup()


async def test_in_dev_without_a_list_only_loopback_and_bot_framework_hosts_are_believed(db_url):
    started = await start_server(db_url, dev=True)
    try:
        for url in ("http://169.254.169.254/", "http://10.0.0.5/", "http://smba.trafficmanager.net/emea/",
                    "https://smba.trafficmanager.net:8443/emea/"):
            status, _ = await started.post(message("help", PEOPLE["owen"], url))
            assert status == 403, url
        status, _ = await started.post(message("help", PEOPLE["owen"], started.connector.url))
        assert status == 200 and started.connector.posts()
    finally:
        await started.close()


async def test_invokes_are_answered_within_a_second_while_the_connector_hangs(server):
    await say(server, ADD)  # Owen logs A1 for Mia; Mia has chatted before
    await say(server, "whoami", "mia")
    await settle(server)
    server.connector.stall()
    try:
        started = time.monotonic()
        status, body = await server.post(card_action({"pb_kind": "command", "pb_command": "action done A1"},
                                                     PEOPLE["mia"], server.connector.url,
                                                     conversation="a:personal-mia"))
        assert time.monotonic() - started < 1.0
        # Owen's news waits in the outbox for the connector; Mia's press is answered at once with the card
        assert status == 200 and "Reopen" in json.dumps(body["value"])
        started = time.monotonic()
        status, body = await server.post(card_action({"pb_kind": "command", "pb_command": "action show A1"},
                                                     PEOPLE["lead"], server.connector.url, conversation=CHANNEL,
                                                     conversation_type="channel"))
        assert time.monotonic() - started < 1.0 and status == 200
    finally:
        server.connector.release()
    await settle(server)
    assert (await actions(server))[0].status == "done"  # the change landed, and its news reached Owen
    assert any("Mia Lund" in c.text() and "A1" in c.text() for c in server.connector.posts()
               if c.conversation == "a:personal-owen")
    assert any("Circulate the survey" in c.text() for c in server.connector.posts()
               if c.conversation == "a:personal-aad-lead")  # Lee's private answer, from the outbox


async def test_a_press_the_board_is_slow_to_answer_hears_so_and_the_card_follows(server, monkeypatch):
    await say(server, ADD)
    await say(server, "whoami", "mia")
    await settle(server)
    handle = server.services.bot.handle

    async def slow(command):  # the core itself takes longer than Teams waits for an invoke
        await asyncio.sleep(1.5)
        return await handle(command)

    monkeypatch.setattr(server.services.bot, "handle", slow)
    status, body = await server.post(card_action({"pb_kind": "command", "pb_command": "action done A1"},
                                                 PEOPLE["mia"], server.connector.url, conversation="a:personal-mia"))
    assert (status, body["value"]) == (200, STILL_WORKING)
    await settle(server)
    assert any("Reopen" in c.text() for c in server.connector.posts() if c.conversation == "a:personal-mia")


async def retry_later(server: Server) -> None:
    """Deliver what is owed, then again once any wait the connector asked for (a 503 holds the
    conversation back without counting an attempt) has passed."""
    await settle(server)
    server.clock.move_to(server.clock.now() + dt.timedelta(minutes=5))
    await settle(server)


@pytest.mark.parametrize("fault", ["503", "drop"])
async def test_a_reply_the_connector_refuses_is_retried_from_the_outbox(server, fault):
    server.connector.faults.append(fault)
    status, _ = await say(server, ADD)
    assert status == 200  # not a 500 after the commit: the change is kept and its confirmation owed
    assert len(await actions(server)) == 1
    owed = [m for m in await server.services.dispatcher.outbox.latest() if m.kind == "reply"]
    assert len(owed) == 1 and owed[0].recipient == "channel:teams:a:personal-owen"
    await retry_later(server)
    confirmations = [c for c in server.connector.posts() if "Action A1 logged" in c.text()]
    assert len(confirmations) == 1 and confirmations[0].conversation == "a:personal-owen"
    assert (await server.services.dispatcher.outbox.get(owed[0].id)).status == "sent"


async def test_a_rate_limited_reply_waits_for_retry_after(server):
    await say(server, "whoami")
    server.connector.throttle.append(30)
    status, _ = await say(server, "action add Book the hall @owen due 15/1/2027")
    assert status == 200 and len(await actions(server)) == 1
    await settle(server)
    [owed] = [m for m in await server.services.dispatcher.outbox.latest() if m.kind == "reply"]
    assert owed.status == "pending" and owed.attempts == 0  # held back, not counted as a failure
    assert not any("Action A1 logged" in c.text() for c in server.connector.posts())
    server.clock.move_to(server.clock.now() + dt.timedelta(seconds=31))
    await settle(server)
    assert [c.conversation for c in server.connector.posts() if "Action A1 logged" in c.text()] == ["a:personal-owen"]


async def test_a_thread_reply_that_fails_is_retried_into_the_same_thread(server):
    thread = f"{CHANNEL};messageid=1700000000001"
    server.connector.faults.append("503")
    status, _ = await server.post(message(ADD, PEOPLE["owen"], server.connector.url, bot_mention=True,
                                          conversation=thread, conversation_type="channel"))
    assert status == 200
    assert server.connector.of("failed-503")[0].conversation == thread  # the channel's confirmation failed
    await retry_later(server)
    in_thread = [c for c in server.connector.posts() if c.conversation == thread]
    assert len(in_thread) == 1 and "Action A1 logged" in in_thread[0].text()


async def seed_long_actions(server: Server, count: int = 25) -> None:
    await say(server, "whoami", "mia")
    async with server.services.db.uow() as uow:
        mia = await uow.members.by_handle("mia")
    from bot.context import Command, Identity

    who = Identity("teams", "aad-sec", "Sam Reed", "sam@board.test")
    long = " ".join(["survey"] * 500)
    for i in range(count):
        command = Command(who, f"action add Item{i:02d} {long} @mia due 20/2/2027")
        reply = (await server.services.bot.handle(command)).reply
        assert not reply.error, reply
    assert mia is not None


async def test_a_long_list_arrives_in_parts_under_the_limit_with_every_item(server):
    await seed_long_actions(server)
    server.connector.calls.clear()
    await say(server, "action list all", "mia")
    posts = server.connector.posts()
    assert len(posts) > 1 and max(len(json.dumps(c.body)) for c in posts) < LIMIT
    text = "".join(c.text() for c in posts)
    assert all(f"Item{i:02d}" in text for i in range(25)) and "(continued)" in text


async def test_a_refreshed_card_shows_its_first_part_and_a_show_all_button(server):
    await seed_long_actions(server)
    press = {"pb_kind": "command", "pb_command": "action list all"}
    status, body = await server.post(card_action(press, PEOPLE["mia"], server.connector.url,
                                                 conversation="a:personal-mia"))
    assert status == 200 and len(json.dumps(body)) < LIMIT
    [show_all] = [a for a in body["value"].get("actions", []) if a["title"].startswith("Show all")]
    assert "Item00" in json.dumps(body) and "Item24" not in json.dumps(body)
    server.connector.calls.clear()
    status, body = await server.post(card_action(show_all["data"], PEOPLE["mia"], server.connector.url,
                                                 conversation="a:personal-mia"))
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    await settle(server)
    text = "".join(c.text() for c in server.connector.posts() if c.conversation == "a:personal-mia")
    assert all(f"Item{i:02d}" in text for i in range(25))
    assert max(len(json.dumps(c.body)) for c in server.connector.posts()) < LIMIT


async def test_a_flooder_is_told_to_slow_down_and_others_are_not_delayed(server):
    answers = await asyncio.gather(*(say(server, "help") for _ in range(60)))
    assert all(status == 200 for status, _ in answers)
    owen = [c.text() for c in server.connector.posts() if c.conversation == "a:personal-owen"]
    assert any("Slow down" in text for text in owen) and sum("Slow down" in text for text in owen) == 1
    assert sum("action add" in text for text in owen) < 60  # most of the flood was not run
    server.connector.calls.clear()
    started = time.monotonic()
    status, _ = await say(server, "help", "mia")
    assert status == 200 and time.monotonic() - started < 2
    assert not any("Slow down" in c.text() for c in server.connector.posts())


async def test_an_oversized_request_gets_413(server):
    body = message("help " + "x" * 600_000, PEOPLE["owen"], server.connector.url)
    status, _ = await server.post(body)
    assert status == 413 and server.connector.calls == []
