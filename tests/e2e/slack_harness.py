"""The real server with Slack pointed at a local fake, for the Slack end-to-end tests.

``rig`` starts ``build_web_app(build_services(settings))`` on 127.0.0.1 with
``PARTNERBOT_SLACK_API_URL`` aimed at ``FakeSlack``, seeds a small board whose
members are Slack users (linked by e-mail on first use, as in a real
workspace), and gives the test a ``SlackSender`` that signs requests like Slack.
Test modules import the fixture (``slack_rig``, used as ``rig``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from adapters.config import Settings
from adapters.services import Services, build_services
from adapters.slack.command_runner import SlackBoard
from adapters.slack.http import BOARD
from adapters.slack.users import neutral
from adapters.web.server import build_web_app
from bot.context import Command, Identity
from bot.ports import FixedClock
from tests.fakes.board_seed import seed_commands
from tests.fakes.slack_api import FakeSlack, SlackSender

SECRET = "s3cret-signing"
TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))

# Slack user id -> (name, e-mail, handle)
PEOPLE = {
    "UCHAIR": ("Cara Hale", "cara@board.test", "chair"),
    "USEC": ("Sam Reed", "sam@board.test", "sec"),
    "ULEAD": ("Lee Moss", "lee@board.test", "lead"),
    "UOWEN": ("Owen Pike", "owen@board.test", "owen"),
    "UMIA": ("Mia Lund", "mia@board.test", "mia"),
    "UPAT": ("Pat Quinn", "pat@board.test", "pat"),
}
SEED = seed_commands("<@UCHAIR>")


@dataclass
class SlackRig:
    fake: FakeSlack
    slack: SlackSender
    services: Services
    board: SlackBoard

    async def settle(self) -> None:
        """Wait until every answer and App Home refresh in progress is done."""
        await self.board.work.join()

    async def command(self, text: str, user: str = "UCHAIR", channel: str = "C1", count: int = 1) -> list[dict]:
        """Type ``/board <text>``; return the first ``count`` answers posted to its response URL."""
        sent = await self.slack.command(text, user, channel)
        assert sent.status == 200, sent
        return [c.args for c in await self.fake.wait_for("response_url", count, url=sent.response_url)]

    async def dm(self, user: str, count: int = 1) -> dict:
        """The latest of at least ``count`` messages the bot posted in its DM with ``user``."""
        await self.fake.wait_for("chat.postMessage", count, channel=f"D{user}")
        return self.fake.messages_in(f"D{user}")[-1]

    async def member(self, handle: str):
        async with self.services.db.uow() as uow:
            return await uow.members.by_handle(handle)

    async def member_for(self, user_id: str):
        """The member a Slack user is linked to, if any."""
        async with self.services.db.uow() as uow:
            return await uow.identities.member_for("slack", user_id)


def text_of(message: dict) -> str:
    """Everything a reader sees in a message's blocks (mrkdwn as sent)."""
    out = []
    for block in message.get("blocks") or []:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(f["text"] for f in block.get("fields", []))
        out.extend(e.get("text", "") if isinstance(e.get("text"), str) else e.get("text", {}).get("text", "")
                   for e in block.get("elements", []))
    return "\n".join(out)


def elements(message: dict) -> list[dict]:
    return [e for b in message.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def element(message: dict, label: str) -> dict:
    """A button or menu on a message by its label (menus by placeholder)."""
    for e in elements(message):
        shown = (e.get("text") or e.get("placeholder") or {}).get("text")
        if shown == label:
            return e
    shown = [e.get("text") or e.get("placeholder") for e in elements(message)]
    raise AssertionError(f"no {label!r} element in {shown}")


def option(menu: dict, label: str) -> dict:
    chosen = next(o for o in menu["options"] if o["text"]["text"] == label)
    return {**menu, "selected_option": chosen}


async def start_fake() -> FakeSlack:
    fake = FakeSlack(tokens=(TOKEN, APP_TOKEN))
    await fake.start()
    for user, (name, email, _) in PEOPLE.items():
        fake.add_user(user, name, email)
    return fake


async def board_services(db_url: str, fake: FakeSlack, **settings: Any) -> Services:
    """Services for a board whose first member, the chair, has added themselves."""
    config = Settings(database_url=db_url, slack_bot_token=TOKEN, slack_api_url=fake.api_url, log_json=False,
                      **settings)
    services = build_services(config, FixedClock(NOW.astimezone(dt.UTC)))
    first = Command(Identity("slack", "UCHAIR", "Cara Hale", "cara@board.test"), neutral(SEED[0]))
    chair = (await services.bot.handle(first)).reply  # straight to the core: in its own words
    assert not chair.error, chair
    return services


async def start_rig(db_url: str) -> tuple[SlackRig, web.AppRunner]:
    fake = await start_fake()
    services = await board_services(db_url, fake, slack_signing_secret=SECRET)
    runner = web.AppRunner(build_web_app(services))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rig = SlackRig(fake, SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET, fake), services,
                   runner.app[BOARD])
    for line in SEED[1:]:  # everyone else arrives through Slack, linked by e-mail
        answer = (await rig.command(line))[0]
        assert ":warning:" not in text_of(answer), answer
    return rig, runner


@pytest.fixture(name="rig")
async def slack_rig(db_url: str) -> AsyncIterator[SlackRig]:
    started, runner = await start_rig(db_url)
    try:
        yield started
    finally:
        await runner.cleanup()
        await started.services.close()
        await started.fake.stop()
        await asyncio.sleep(0)
