"""Bounded background work: while answers are in progress acks still come straight back, and beyond
the queue a person is told at once to try again, instead of waiting for an answer that may never come."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from adapters.slack.http import BOARD
from adapters.slack.work import BUSY
from adapters.web.server import build_web_app
from tests.e2e.slack_harness import SECRET, SlackRig, board_services, start_fake, text_of
from tests.fakes.slack_api import SlackSender


@pytest.fixture(name="rig")
async def one_worker_rig(db_url: str) -> AsyncIterator[SlackRig]:
    """One worker and room for one more answer: the third command at once finds the queue full."""
    fake = await start_fake()
    services = await board_services(db_url, fake, slack_signing_secret=SECRET, slack_workers=1, slack_queue=1)
    runner = web.AppRunner(build_web_app(services))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield SlackRig(fake, SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET, fake), services,
                       runner.app[BOARD])
    finally:
        await runner.cleanup()
        await services.close()
        await fake.stop()


def hold_answers(rig: SlackRig) -> asyncio.Event:
    """Answers wait for the returned event: the board is busy until the test lets them go."""
    release, handle = asyncio.Event(), rig.services.bot.handle

    async def held(command):
        await release.wait()
        return await handle(command)
    rig.services.bot.handle = held  # type: ignore[method-assign]
    return release


async def test_a_full_queue_answers_busy_in_the_ack_and_the_queued_answers_still_arrive(rig: SlackRig):
    release = hold_answers(rig)
    first = await rig.slack.command("help", "UCHAIR")
    second = await rig.slack.command("whoami", "UCHAIR")
    third = await rig.slack.command("help", "UCHAIR")
    assert (first.status, first.body, second.status, second.body) == (200, "", 200, "")
    assert (third.status, third.body) == (200, BUSY)
    release.set()
    for sent in (first, second):
        answer = (await rig.fake.wait_for("response_url", 1, url=sent.response_url))[0].args
        assert text_of(answer) and BUSY not in text_of(answer)
    assert rig.fake.calls_to("response_url", url=third.response_url) == []


async def test_a_dm_beyond_the_queue_is_told_to_try_again(rig: SlackRig):
    release = hold_answers(rig)
    await rig.slack.command("help", "UCHAIR")
    await rig.slack.command("help", "UCHAIR")
    await rig.slack.dm("action list mine", "UCHAIR")
    told = await rig.fake.wait_for("chat.postMessage", 1, channel="DUCHAIR")
    assert told[0].args["text"] == BUSY
    release.set()
