"""The App Home tab: the core's ``home`` reply, with buttons to start the usual forms.

Published when someone opens the tab and again after each change they make,
so it never shows yesterday's list. Refreshes are coalesced per person
(adapters.slack.work.Coalescer): a burst of changes builds the tab at most twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render_pieces
from adapters.slack.work import Coalescer
from bot.context import Command, Identity
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
    def __init__(self, client: AsyncWebClient, handle: Callable[[Command], Awaitable[Reply]], tz: ZoneInfo) -> None:
        self.client = client
        self.handle = handle
        self.tz = tz
        self._refreshes = Coalescer()

    async def publish(self, who: Identity) -> None:
        """Publish the person's tab; asked again while one is being built, it is built once more after."""
        await self._refreshes.request(who.user_id, lambda: self._publish(who))

    async def _publish(self, who: Identity) -> None:
        reply = await self.handle(Command(who, "home", where="home"))
        try:
            await self.client.views_publish(user_id=who.user_id, view=home_view(reply, self.tz))
        except SlackApiError as error:
            log.warning("views.publish failed", extra={"slack_error": error.response.get("error")})
