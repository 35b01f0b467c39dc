"""Slack's failures of any shape become the right DeliveryError: a text or
empty body never crashes the notifier, a 429 always honours Retry-After,
and a throttled or unavailable Slack waits without counting an attempt."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web

from adapters.config import Settings
from adapters.slack.notifier import SlackNotifier, web_client
from bot.model import OutboxMessage
from bot.ports import DeliveryError
from bot.reply import Paragraph, Reply, rich, to_dict

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


async def answering(status: int, body: str, content_type: str, headers: dict[str, str] | None = None):
    """A one-answer Slack stand-in; returns (runner, api url, the requests it saw)."""
    seen: list[dict] = []

    async def api(request: web.Request) -> web.Response:
        json_body = request.content_type == "application/json"
        seen.append(await request.json() if json_body else dict(await request.post()))
        return web.Response(status=status, text=body, content_type=content_type, headers=headers or {})

    app = web.Application()
    app.router.add_post("/api/{method}", api)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/api/", seen


async def send(status: int, body: str, content_type: str = "text/plain", **headers: str):
    runner, url, seen = await answering(status, body, content_type, {k.replace("_", "-"): v for k, v in
                                                                     headers.items()})
    notifier = SlackNotifier(web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=url), interactive=False))
    reply = Reply(summary="A3 is overdue").add(Paragraph(rich("A3 is overdue")))
    msg = OutboxMessage("action:3:overdue", "action:3", "channel:#board", to_dict(reply), "A3 is overdue", NOW,
                        kind="reminder", created_at=NOW)
    try:
        with pytest.raises(DeliveryError) as caught:
            await notifier.send(msg, None, "C1")
    finally:
        await runner.cleanup()
    return caught.value, seen


@pytest.mark.parametrize("status", [502, 503])
async def test_a_text_5xx_body_is_a_wait_not_a_crash_nor_a_failed_attempt(status):
    error, _ = await send(status, "<html>Bad gateway</html>", "text/html")
    assert f"HTTP {status}" in str(error) and error.retry_after == 30.0 and not error.permanent


async def test_a_429_with_a_text_body_honours_retry_after():
    error, _ = await send(429, "slow down", Retry_After="17")
    assert error.retry_after == 17.0 and "rate limit" in str(error)


async def test_a_429_without_a_usable_retry_after_still_waits():
    error, _ = await send(429, "", Retry_After="soon")
    assert error.retry_after == 1.0


async def test_slack_saying_it_is_unavailable_in_json_waits_too():
    error, _ = await send(200, '{"ok": false, "error": "service_unavailable"}', "application/json", Retry_After="5")
    assert error.retry_after == 5.0


async def test_a_json_refusal_is_still_named_and_permanent_when_it_is():
    error, seen = await send(200, '{"ok": false, "error": "channel_not_found"}', "application/json")
    assert str(error) == "Slack refused: channel_not_found" and error.permanent and error.retry_after is None
    assert seen[0]["client_msg_id"]  # the idempotency key goes with every post


async def test_the_idempotency_key_is_the_same_on_every_retry():
    _, first = await send(503, "down")
    _, second = await send(503, "down")
    assert first[0]["client_msg_id"] == second[0]["client_msg_id"]
