"""The App Home tab: the core's ``home`` view, with buttons to start the usual forms.

Published when someone opens the tab, and after a change for everyone it
touched (``Outcome.refresh``: the asker and the people it told), so nobody's
tab shows yesterday's list. Each refresh is one core read for that person
(``BotApp.read_as``), never the asker's command run again. Refreshes are
coalesced per person (adapters.slack.work.Coalescer): a burst of changes
builds a tab at most twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.accounts import Accounts
from adapters.services import Services
from adapters.slack.render import render_pieces
from adapters.slack.work import Coalescer
from bot.context import Command, Identity
from bot.outcome import Outcome
from bot.reply import Button, Buttons, Note, Reply, rich

log = logging.getLogger("partnerbot.slack.home")

VIEW_BLOCKS = 100
STARTERS = Buttons((
    Button("New action", form="action.add", style="primary"),
    Button("Propose agenda item", form="agenda.propose"),
    Button("Raise an issue", form="issue.raise"),
))


def home_view(reply: Reply, tz: ZoneInfo) -> dict:
    """The view Slack shows, within its 100-block limit."""
    body = render_pieces(reply, tz)
    if len(body) > VIEW_BLOCKS - 2:
        more = Reply().add(Note(rich("…and more: `/board action list mine` and `/board deadlines` show everything.")))
        body = body[: VIEW_BLOCKS - 3] + render_pieces(more, tz)
    starters = [] if reply.error else render_pieces(Reply().add(STARTERS), tz)
    return {"type": "home", "blocks": [p.block for p in starters + body]}


class HomeTab:
    def __init__(self, client: AsyncWebClient, services: Services, accounts: Accounts, tz: ZoneInfo) -> None:
        self.client = client
        self.services = services
        self.accounts = accounts  # the mentions in a tab become Slack users; whose tab is whose
        self.tz = tz
        self._refreshes = Coalescer()

    async def publish(self, who: Identity) -> None:
        """The tab of someone who opened it (the core links them by e-mail if it must)."""
        async def build() -> Reply:
            outcome = await self.services.bot.handle(Command(who, "home", where="home"))
            return await self.accounts.addressed(outcome.reply)
        await self._publish(who.user_id, build)

    async def refresh(self, asker: Identity, outcome: Outcome) -> None:
        """The tab of everyone ``outcome`` touched, each built from one core read as that member."""
        users = await self._slack_users([m for m in outcome.refresh if m != outcome.actor])
        if outcome.actor in outcome.refresh:
            users[outcome.actor] = asker.user_id
        for member_id in outcome.refresh:
            if user_id := users.get(member_id):
                await self._publish(user_id, self._home_of(member_id))

    def _home_of(self, member_id: int) -> Callable[[], Awaitable[Reply]]:
        async def build() -> Reply:
            return await self.accounts.addressed(await self.services.bot.read_as(member_id, "home"))
        return build

    async def _slack_users(self, member_ids: list[int]) -> dict[int, str]:
        """Member id -> Slack user id, for the members linked to Slack."""
        return await self.accounts.of_members(member_ids) if member_ids else {}

    async def _publish(self, user_id: str, build: Callable[[], Awaitable[Reply]]) -> None:
        """Publish one tab; asked again while it is being built, it is built once more after."""
        async def publish() -> None:
            reply = await build()
            try:
                await self.client.views_publish(user_id=user_id, view=home_view(reply, self.tz))
            except SlackApiError as error:
                log.warning("views.publish failed", extra={"slack_error": error.response.get("error")})
        await self._refreshes.request(user_id, publish)
