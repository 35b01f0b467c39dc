"""Signatures, retries, rate limits and a slow database: Slack's delivery rules, end to end."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse

import pytest

from adapters.config import Settings
from adapters.services import build_services
from adapters.web.server import StartupRefused, build_web_app
from tests.e2e.slack_harness import (
    SlackRig,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)

FORM = "application/x-www-form-urlencoded"


def bad_signatures() -> dict[str, dict]:
    """Ways a request can fail Slack's signature check; "stale" is ten minutes old at the moment of sending."""
    return {"unsigned": {"sign": False}, "stale": {"timestamp": time.time() - 600}, "tampered": {"tamper": True},
            "wrong secret": {"secret": "not-the-secret"}}


async def test_bad_signatures_get_401_and_change_nothing(rig: SlackRig):
    command = rig.slack.command_fields("action add Forged action <@UOWEN|owen> due 15/1/2027", "UCHAIR")
    interaction = {**rig.slack.base_payload("block_actions", "UCHAIR"), "response_url": rig.fake.response_url("forged"),
                   "actions": [{"action_id": "board.press.0", "type": "button", "value": "run:action done A1"}]}
    requests = {
        "command": (urllib.parse.urlencode(command), FORM),
        "event": (rig.slack.event_body({"type": "message", "channel_type": "im", "channel": "DUPAT",
                                         "user": "UPAT", "text": "forged concern", "ts": "1.1"}), "application/json"),
        "interaction": (urllib.parse.urlencode({"payload": json.dumps(interaction)}), FORM),
    }
    before = len(rig.fake.calls)
    for what, (body, content_type) in requests.items():
        for kind, tweak in bad_signatures().items():
            sent = await rig.slack.post(body, content_type, **tweak)
            assert sent.status == 401, (what, kind, sent)
    [answer] = await rig.command("action list all", "UOWEN")  # a good request still works afterwards
    assert "No actions match" in text_of(answer)
    # Nothing reached the forged requests' answer URLs or anyone's chat. (Counting every response_url post
    # would also count a "still working" note the good command may send on a busy machine.)
    forged_urls = {command["response_url"], interaction["response_url"]}
    after = rig.fake.calls[before:]
    assert [c for c in after if c.method == "response_url" and c.url in forged_urls] == []
    assert [c for c in after if c.method == "chat.postMessage"] == []
    async with rig.services.db.uow() as uow:
        assert await uow.actions.list_all() == [] and await uow.issues.list_all() == []


async def test_signed_url_verification(rig: SlackRig):
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    sent = await rig.slack.post(body, "application/json")
    assert sent.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in sent.body


async def test_slack_retries_of_an_event_are_processed_once(rig: SlackRig):
    dm = {"type": "message", "channel_type": "im", "channel": "DUPAT", "user": "UPAT", "ts": "1.1",
          "text": "Nobody has called back about the EHCP"}
    body = rig.slack.event_body(dm, event_id="Ev0RETRY1")
    first = await rig.slack.post(body, "application/json")
    retries = [await rig.slack.post(body, "application/json", headers={"X-Slack-Retry-Num": str(n),
                                                                         "X-Slack-Retry-Reason": "http_timeout"})
               for n in (1, 2)]
    assert [s.status for s in [first, *retries]] == [200, 200, 200]
    await rig.slack.dm("And the transport too", "UPAT")  # a new event, to know the earlier ones are done
    await rig.dm("UPAT", 2)
    async with rig.services.db.uow() as uow:
        issues = await uow.issues.list_all()
        added = [e.note for e in await uow.issues.events(1) if e.kind == "add"]
    # One concern (the follow-up joins it), whatever the retries.
    assert [i.text for i in issues] == ["Nobody has called back about the EHCP"] and added == ["And the transport too"]
    assert len(rig.fake.calls_to("chat.postMessage", channel="DUPAT")) == 2


async def test_interactive_replies_wait_out_a_rate_limit(rig: SlackRig):
    rig.fake.rate_limit("chat.postMessage", retry_after=0)
    await rig.slack.dm("whoami", "UOWEN")
    assert "Owen Pike" in text_of(await rig.dm("UOWEN"))
    assert [c.limited for c in rig.fake.calls if c.method == "chat.postMessage"] == [True, False]


def test_http_mode_refuses_to_start_without_a_signing_secret(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", slack_bot_token="xoxb-test")
    with pytest.raises(StartupRefused):
        build_web_app(build_services(settings))


class Gate:
    """A database that hangs until the test lets it go: the slowest database there is."""

    def __init__(self, factory) -> None:
        self.factory = factory
        self.opened = asyncio.Event()
        self.waiting = 0

    def __call__(self):
        return GatedUnit(self, self.factory())

    async def until_waiting(self) -> None:
        while not self.waiting:
            await asyncio.sleep(0.01)


class GatedUnit:
    def __init__(self, gate: Gate, inner) -> None:
        self.gate, self.inner = gate, inner

    async def __aenter__(self):
        self.gate.waiting += 1
        await self.gate.opened.wait()
        return await self.inner.__aenter__()

    async def __aexit__(self, *exc):
        return await self.inner.__aexit__(*exc)


async def test_command_is_acknowledged_before_a_slow_database_answers(rig: SlackRig):
    gate = rig.services.bot.uow_factory = Gate(rig.services.bot.uow_factory)
    sent = await rig.slack.command("action list", "UOWEN")
    assert sent.status == 200  # acknowledged while the database is still stuck
    await gate.until_waiting()
    assert not rig.fake.calls_to("response_url", url=sent.response_url)
    gate.opened.set()
    [answer] = await rig.fake.wait_for("response_url", url=sent.response_url)
    assert "Open actions" in text_of(answer.args)


async def test_modal_closes_if_the_database_is_slow_and_the_answer_follows(rig: SlackRig):
    await rig.slack.shortcut("UOWEN", "new_action")
    view = (await rig.fake.wait_for("views.open"))[0].args["view"]
    gate = rig.services.bot.uow_factory = Gate(rig.services.bot.uow_factory)
    sent = await rig.slack.submit("UOWEN", view, {
        "text": {"type": "plain_text_input", "value": "Book the venue"},
        "owners": {"type": "multi_users_select", "selected_users": ["UOWEN"]},
        "due": {"type": "datepicker", "selected_date": "2026-12-01"}})
    assert sent.status == 200 and not sent.body and gate.waiting  # closed, nothing decided yet
    gate.opened.set()
    assert "*A1 Book the venue*" in text_of(await rig.dm("UOWEN"))


async def test_a_dm_is_acknowledged_before_a_slow_database_records_it_and_retries_still_run_once(rig: SlackRig):
    gate = rig.services.db.uow = Gate(rig.services.db.uow)
    dm = {"type": "message", "channel_type": "im", "channel": "DUPAT", "user": "UPAT", "ts": "1.1",
          "text": "The transport office never rings back"}
    body = rig.slack.event_body(dm, event_id="Ev0SLOWDB")
    first = await asyncio.wait_for(rig.slack.post(body, "application/json"), 10)
    retry = await asyncio.wait_for(rig.slack.post(body, "application/json", headers={
        "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}), 10)
    assert (first.status, retry.status) == (200, 200) and gate.waiting  # answered while the record waits
    gate.opened.set()
    assert "Your concern is logged as I1" in text_of(await rig.dm("UPAT"))
    await rig.slack.dm("whoami", "UPAT")  # a later event, to know the earlier ones are done
    await rig.dm("UPAT", 2)
    async with rig.services.db.uow() as uow:
        assert [i.text for i in await uow.issues.list_all()] == ["The transport office never rings back"]


async def test_menus_answer_in_time_even_if_the_database_is_slow(rig: SlackRig):
    gate = rig.services.bot.uow_factory = Gate(rig.services.bot.uow_factory)  # menus are the core's query
    sent = await asyncio.wait_for(rig.slack.options("UOWEN", "ws"), 10)
    assert sent.status == 200 and sent.json() == {"options": []} and gate.waiting
    gate.opened.set()
    assert [o["value"] for o in (await rig.slack.options("UOWEN", "ws")).json()["options"]] == ["W1"]
