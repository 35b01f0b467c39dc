"""A board whose members are Teams users, and the real server wired to a fake connector.

``seed_board`` adds the people below through the core (the chair bootstraps
themselves, as in a real tenant); they are linked to their AAD object ids by
e-mail the first time they write, through the roster the fake connector
serves. ``start_server`` runs ``build_web_app(build_services(settings))`` on
127.0.0.1 like ``partnerbot serve`` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from botbuilder.core import InvokeResponse
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from adapters.config import Settings
from adapters.services import Services, build_services
from adapters.teams.bot import TeamsBot
from adapters.teams.conversations import ConversationStore, reference_data, user_key
from adapters.teams.messenger import Messenger
from adapters.teams.notifier import TeamsNotifier
from adapters.web.server import build_web_app
from bot.context import Command, Identity
from bot.ports import FixedClock
from tests.adapters.teams.teams_fakes import (
    BOT_ID,
    TENANT,
    FakeConnector,
    TeamsUser,
    activity,
    message,
    start_connector,
)
from tests.fakes.board_seed import seed_commands

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
PEOPLE = {
    "chair": TeamsUser("29:chair", "aad-chair", "Cara Hale", "cara@board.test"),
    "sec": TeamsUser("29:sec", "aad-sec", "Sam Reed", "sam@board.test"),
    "lead": TeamsUser("29:lead", "aad-lead", "Lee Moss", "lee@board.test"),
    "owen": TeamsUser("29:owen", "aad-owen", "Owen Pike", "owen@board.test"),
    "mia": TeamsUser("29:mia", "aad-mia", "Mia Lund", "mia@board.test"),
    "pat": TeamsUser("29:pat", "aad-pat", "Pat Quinn", "pat@board.test"),
}
SEED = seed_commands("@teams:aad-chair")


def identity(user: TeamsUser) -> Identity:
    return Identity("teams", user.aad, user.name, user.email)


async def seed_board(services: Services) -> None:
    for line in SEED:
        reply = (await services.bot.handle(Command(identity(PEOPLE["chair"]), line))).reply
        assert not reply.error, (line, reply)


async def link_everyone(services: Services) -> None:
    """Link members to their AAD ids, as their first message would."""
    async with services.db.uow() as uow:
        for user in PEOPLE.values():
            member = await uow.members.by_email(user.email)
            await uow.identities.link(member.id, "teams", user.aad, user.email)
        await uow.commit()


def roster() -> dict[str, dict]:
    return {user.id: user.roster_entry() for user in PEOPLE.values()}


@dataclass
class Server:
    url: str
    services: Services
    runner: web.AppRunner
    connector: FakeConnector
    connector_runner: web.AppRunner
    clock: FixedClock

    async def post(self, body: dict, token: str | None = None) -> tuple[int, object]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with aiohttp.ClientSession() as session, session.post(f"{self.url}/api/messages", json=body,
                                                                    headers=headers) as response:
            payload = await response.json() if response.content_type == "application/json" else await response.text()
            return response.status, payload

    async def close(self) -> None:
        await self.runner.cleanup()
        await self.services.close()
        await self.connector_runner.cleanup()


async def start_server(db_url: str, *, dev: bool, only_connector: bool = False, **settings: object) -> Server:
    """``only_connector``: PARTNERBOT_TEAMS_ALLOWED_SERVICE_URLS names the fake connector alone (so
    another loopback host is refused even in --dev); without --dev that is always so."""
    connector = FakeConnector(roster=roster())
    connector_runner = await start_connector(connector)
    clock = FixedClock(NOW.astimezone(dt.UTC))
    # The fake connector stands in for Bot Framework's host, as a deployment would allow it.
    if only_connector or not dev:
        settings.setdefault("teams_allowed_service_urls", connector.url)
    services = build_services(Settings(database_url=db_url, log_json=False, **settings), clock)
    await seed_board(services)
    runner = web.AppRunner(build_web_app(services, teams_dev=dev))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return Server(f"http://127.0.0.1:{port}", services, runner, connector, connector_runner, clock)


SERVICE_URL = "https://smba.test/emea/"


class TeamsChat:
    """The Teams bot on botbuilder's TestAdapter: activities in, activities out, no HTTP."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.adapter = TestAdapter(template_or_conversation=Activity(
            channel_id="msteams", service_url=SERVICE_URL, recipient=ChannelAccount(id=BOT_ID, name="partnerbot"),
            conversation=ConversationAccount(id="a:personal", conversation_type="personal", tenant_id=TENANT)))
        self.store = ConversationStore(services.db.uow)
        messenger = Messenger(self.adapter, "", self.store)
        self.bot = TeamsBot(services, messenger)
        self.adapter.logic = self.bot.on_turn
        services.notifier.register("teams", TeamsNotifier(messenger, accounts=self.bot.directory.accounts))

    async def send(self, body: dict) -> list[Activity]:
        """Deliver one activity; return what the bot sent (replies, proactive posts and what
        the outbox delivered for it once the background work settled)."""
        start = len(self.adapter.activity_buffer)
        await self.adapter.receive_activity(Activity().deserialize(body))
        await self.settle()
        return self.adapter.activity_buffer[start:]

    async def settle(self) -> None:
        """Let the bot's background work finish and deliver what it left in the outbox."""
        await self.services.background.settle()
        await self.services.dispatcher.drain()

    async def invoke(self, body: dict) -> tuple[InvokeResponse, list[Activity]]:
        sent = await self.send(body)
        responses = [a.value for a in sent if a.type == "invokeResponse"]
        assert len(responses) == 1, sent
        return responses[0], [a for a in sent if a.type != "invokeResponse"]

    async def open_personal_chats(self) -> None:
        """Everyone has chatted with the bot before, so private answers have somewhere to go."""
        for handle, user in PEOPLE.items():
            body = activity("message", user, SERVICE_URL, conversation=f"a:personal-{handle}")
            await self.store.save(user_key(user.aad), reference_data(Activity().deserialize(body)))

    @staticmethod
    def say(text: str, who: str = "owen", **kw: object) -> dict:
        kw.setdefault("conversation", f"a:personal-{who}")
        return message(text, PEOPLE[who], SERVICE_URL, **kw)

    @staticmethod
    def in_channel(text: str, who: str = "owen", mentions: tuple[str, ...] = (), **kw: object) -> dict:
        return message(text, PEOPLE[who], SERVICE_URL, mentions=tuple(PEOPLE[m] for m in mentions),
                       bot_mention=True, conversation="19:board@thread.tacv2;messageid=1700000000",
                       conversation_type="channel", **kw)


def cards_of(activities: list[Activity]) -> list[dict]:
    return [a.content for act in activities for a in act.attachments or []]


def text_of(activities: list[Activity]) -> str:
    """Every card's text, with backslash escapes removed, as a reader would see it."""
    out = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(cards_of(activities))
    return "\n".join(out).replace("\\", "").replace("\u2060", "")
