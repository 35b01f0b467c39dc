"""The App Home tab: the core's ``home`` reply, with buttons to start the usual forms.

Published when someone opens the tab and again after each change they make,
so it never shows yesterday's list.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render_pieces
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

    async def publish(self, who: Identity) -> None:
        reply = await self.handle(Command(who, "home", where="home"))
        try:
            await self.client.views_publish(user_id=who.user_id, view=home_view(reply, self.tz))
        except SlackApiError as error:
            log.warning("views.publish failed", extra={"slack_error": error.response.get("error")})
