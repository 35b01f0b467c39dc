"""/slack/events under hostile traffic and an unlucky network, over real signed HTTP against the
running server and a fake Slack: malformed bodies get a 4xx at once and write nothing, answers
go in the thread they were asked in, answers Slack does not take are retried from the outbox,
and a flooder is told to slow down without delaying anyone else."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.parse

from tests.e2e.slack_harness import (
    SlackRig,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)
from tests.fakes.slack_api import BOT_USER, signature

FORM = "application/x-www-form-urlencoded"
ADD = "action add Circulate the survey <@UMIA|mia> due 15/1/2027"


async def nothing_written(rig: SlackRig) -> None:
    async with rig.services.db.uow() as uow:
        assert await uow.actions.list_all() == [] and await uow.issues.list_all() == []
    assert await owed(rig) == []


def answered(rig: SlackRig, since: int) -> list:
    """What the bot said or opened after call number ``since`` (seeding's own late posts aside)."""
    return [c for c in rig.fake.calls[since:] if c.method in ("chat.postMessage", "chat.postEphemeral", "views.open")
            or (c.method == "response_url" and "/cmd" in c.url and int(c.url.rsplit("cmd", 1)[1]) > MARK)]


MARK = 10_000  # response URLs this test makes are numbered above it


async def test_malformed_requests_get_a_4xx_at_once_and_change_nothing(rig: SlackRig):
    before = len(rig.fake.calls)
    rig.slack._ids = itertools.count(MARK + 1)
    stamp = str(int(time.time()))
    raw = "command=%2Fboard&text=help&user_id=UOWEN"
    cases = {
        "non-numeric timestamp": (raw, FORM, {"X-Slack-Request-Timestamp": "abc",
                                              "X-Slack-Signature": signature(rig.slack.secret, "abc", raw)}, 401),
        "timestamp with a sign": (raw, FORM, {"X-Slack-Request-Timestamp": "+" + stamp,
                                              "X-Slack-Signature": signature(rig.slack.secret, "+" + stamp, raw)}, 401),
    }
    for name, (body, ctype, headers, expected) in cases.items():
        sent = await rig.slack.post(body, ctype, sign=False, headers=headers)
        assert sent.status == expected, name
    view = {"type": "modal", "callback_id": "board.form.action.add", "private_metadata": "{}"}
    user = rig.slack.base_payload("view_submission", "UOWEN")
    signed = {
        "malformed JSON": ("{not json", "application/json"),
        "JSON that is not an object": ("[1, 2]", "application/json"),
        "payload not JSON": ("payload=%7Bnope", FORM),
        "payload a string": (urllib.parse.urlencode({"payload": '"x"'}), FORM),
        "slash command without user_id": (urllib.parse.urlencode(
            {k: v for k, v in rig.slack.command_fields(ADD, "UOWEN").items() if k != "user_id"}), FORM),
        "block action without user": (urllib.parse.urlencode({"payload": json.dumps({
            **{k: v for k, v in rig.slack.base_payload("block_actions", "UOWEN").items() if k != "user"},
            "actions": [{"action_id": "board.press.0", "type": "button", "value": f"run:{ADD}"}]})}), FORM),
        "view submission without state": (urllib.parse.urlencode({"payload": json.dumps({**user, "view": view})}),
                                          FORM),
        "view submission without a view type": (urllib.parse.urlencode({"payload": json.dumps({**user, "view": {
            "callback_id": "board.form.action.add", "state": {"values": {}}}})}), FORM),
        "foreign private_metadata": (urllib.parse.urlencode({"payload": json.dumps({**user, "view": {
            **view, "private_metadata": "ticket=42", "state": {"values": {}}}})}), FORM),
        "private_metadata with other fields": (urllib.parse.urlencode({"payload": json.dumps({**user, "view": {
            **view, "private_metadata": '{"channel": 5, "admin": true}', "state": {"values": {}}}})}), FORM),
        "DM without a user": (rig.slack.event_body({"type": "message", "channel_type": "im", "channel": "DUOWEN",
                                                    "text": ADD, "ts": "1.1"}), "application/json"),
        "mention without a channel": (rig.slack.event_body({"type": "app_mention", "user": "UOWEN",
                                                            "text": f"<@{BOT_USER}> {ADD}", "ts": "1.2"}),
                                      "application/json"),
    }
    for name, (body, ctype) in signed.items():
        started = time.monotonic()
        sent = await rig.slack.post(body, ctype)
        assert 400 <= sent.status < 500 and sent.status != 401, (name, sent)
        assert time.monotonic() - started < 1.0, name
    await asyncio.sleep(0)
    assert answered(rig, before) == []
    await nothing_written(rig)


async def test_an_oversized_request_gets_413(rig: SlackRig):
    sent = await rig.slack.command("action add " + "x" * 600_000, "UOWEN")
    assert sent.status == 413
    await nothing_written(rig)


async def test_a_mention_in_a_thread_is_answered_in_that_thread(rig: SlackRig):
    sent = await rig.slack.event({"type": "app_mention", "channel": "C1", "user": "UOWEN", "ts": "1700.0002",
                                  "thread_ts": "1700.0001", "text": f"<@{BOT_USER}> {ADD}"})
    assert sent.status == 200
    [answer] = await rig.fake.wait_for("chat.postEphemeral", user="UOWEN")
    assert answer.args["thread_ts"] == "1700.0001"
    [summary] = await rig.fake.wait_for("chat.postMessage", channel="C1")
    assert summary.args["thread_ts"] == "1700.0001" and "A1" in summary.args["text"]


async def test_a_dm_in_a_thread_is_answered_in_that_thread(rig: SlackRig):
    await rig.slack.event({"type": "message", "channel_type": "im", "channel": "DUOWEN", "user": "UOWEN",
                           "ts": "1700.0009", "thread_ts": "1700.0008", "text": "whoami"})
    [answer] = await rig.fake.wait_for("chat.postMessage", channel="DUOWEN")
    assert answer.args["thread_ts"] == "1700.0008" and "Owen Pike" in text_of(answer.args)


async def owed(rig: SlackRig) -> list:
    return [m for m in await rig.services.dispatcher.outbox.latest() if m.kind == "reply"]


async def test_a_dm_answer_slack_refuses_with_503_is_retried_from_the_outbox(rig: SlackRig):
    rig.fake.fail("chat.postMessage", "503")
    await rig.slack.dm("action add Book the hall <@UOWEN|owen> due 15/1/2027", "UOWEN")
    [answer] = await rig.fake.wait_for("chat.postMessage", channel="DUOWEN")  # the retry, from the outbox
    assert "Action A1 logged" in text_of(answer.args)
    [row] = await owed(rig)
    assert row.recipient == "channel:slack:DUOWEN"
    async with rig.services.db.uow() as uow:
        assert len(await uow.actions.list_all()) == 1


async def test_a_dropped_connection_on_the_response_url_is_retried_as_a_dm(rig: SlackRig):
    rig.fake.fail("response_url", "drop", times=6)  # more than the webhook client's own retries
    sent = await rig.slack.command(ADD, "UOWEN")
    assert sent.status == 200
    [answer] = await rig.fake.wait_for("chat.postMessage", channel="DUOWEN")  # privately, as it was ephemeral
    assert "Action A1 logged" in text_of(answer.args)
    await rig.fake.wait_for("chat.postMessage", channel="C1", text="Action A1 logged.")  # the channel's line too
    owen = await rig.member("owen")
    assert sorted(row.recipient for row in await owed(rig)) == ["channel:slack:C1", f"member:{owen.id}"]


async def test_an_answer_still_rate_limited_after_the_clients_retries_goes_to_the_outbox(rig: SlackRig):
    rig.fake.rate_limit("chat.postMessage", retry_after=0, times=3)
    await rig.slack.dm("whoami", "UOWEN")
    [answer] = await rig.fake.wait_for("chat.postMessage", channel="DUOWEN")
    assert "Owen Pike" in text_of(answer.args)
    assert len(await owed(rig)) == 1


async def test_a_flooder_is_told_to_slow_down_and_others_are_not_delayed(rig: SlackRig):
    sent = await asyncio.gather(*(rig.slack.command("help", "UOWEN") for _ in range(60)))
    assert all(s.status == 200 for s in sent)
    slowed = [s for s in sent if s.body and "Slow down" in s.body]
    assert 20 <= len(slowed) < 60
    assert json.loads(slowed[0].body)["response_type"] == "ephemeral"
    started = time.monotonic()
    [answer] = await rig.command("whoami", "UMIA")
    assert time.monotonic() - started < 3 and "Mia Lund" in text_of(answer)


async def test_events_the_bot_does_not_act_on_are_acknowledged_not_retried(rig: SlackRig):
    for event in ({"type": "member_joined_channel", "user": "UOWEN", "channel": "C1"},
                  {"type": "message", "subtype": "message_changed", "channel": "DUOWEN", "hidden": True,
                   "message": {"type": "message", "text": "edited"}, "ts": "1.5"},
                  {"type": "message", "bot_id": "B2", "channel": "DUOWEN", "text": "from a bot", "ts": "1.6"},
                  {"type": "app_home_opened", "user": "UOWEN", "tab": "messages", "channel": "DUOWEN"}):
        sent = await rig.slack.event(event)
        assert sent.status == 200, (event["type"], sent)
    await nothing_written(rig)
