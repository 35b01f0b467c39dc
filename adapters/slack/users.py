"""Slack users as board members.

The core links a Slack user to the member with their e-mail the first time
it sees them (bot.identity), so each identity carries the e-mail from
``users.info`` (cached: it rarely changes and the call costs a rate limit
slot). Slack's own syntax stops here: ``<@U123>`` and ``<#C123|board>`` in
a command become the core's neutral tokens (``neutral``). Two links are
asked for from here, because only Slack can say who the accounts are:
people *mentioned* in a command are linked by their e-mail before the core
looks them up, and a member *added* with an e-mail address is linked
through ``users.lookupByEmail`` straight away.
"""

from __future__ import annotations

import logging
import re
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.accounts import Accounts
from bot.context import Command, Identity
from bot.identity import channel_token, token

log = logging.getLogger("partnerbot.slack.people")

PLATFORM = "slack"
CACHE_SECONDS = 3600
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
_USER_TOKEN = re.compile(re.escape(token(PLATFORM, "")) + r"([UW][A-Z0-9]+)")
_EMAIL_OPTION = re.compile(r"\bemail\s+<?(?:mailto:)?([^\s|<>]+@[^\s|<>]+)", re.I)


def neutral(text: str) -> str:
    """Slack's mentions of people and channels as the core's tokens (bot.identity)."""
    text = _MENTION.sub(lambda found: token(PLATFORM, found[1]), text)
    return _CHANNEL.sub(lambda found: channel_token(PLATFORM, found[1]), text)


def user_token(user_id: str) -> str:
    """A Slack user picked in a form, as the core names them."""
    return token(PLATFORM, user_id)


def mentioned(command: Command) -> list[str]:
    """The Slack users a (neutral) command names, in its text and its form values."""
    texts = [command.text] + [str(v) for value in command.values.values() if isinstance(value, list) for v in value]
    return [user for text in texts for user in _USER_TOKEN.findall(text)]


class SlackPeople:
    def __init__(self, client: AsyncWebClient, accounts: Accounts) -> None:
        self.client = client
        self.accounts = accounts
        self._known: dict[str, tuple[float, Identity]] = {}

    async def identity(self, user_id: str, name: str | None = None) -> Identity:
        """Who a Slack user is, with their e-mail when Slack will say."""
        cached = self._known.get(user_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            user = (await self.client.users_info(user=user_id))["user"]
        except SlackApiError as error:
            log.warning("users.info failed", extra={"slack_error": error.response.get("error")})
            return Identity(PLATFORM, user_id, name, None)
        profile = user.get("profile") or {}
        shown = profile.get("real_name") or user.get("real_name") or user.get("name") or name
        found = Identity(PLATFORM, user_id, shown, profile.get("email"))
        self._known[user_id] = (time.monotonic(), found)
        return found

    async def link_mentioned(self, command: Command) -> None:
        """Link people mentioned in a command to the member with their e-mail,
        so a mention resolves even if that person never used the bot."""
        if people := mentioned(command):
            await self.accounts.link(people, self._email)

    async def _email(self, user_id: str) -> str | None:
        return (await self.identity(user_id)).email

    async def link_added(self, command: Command) -> None:
        """After ``member add … email x@org`` succeeded: find that address in Slack and link it."""
        found = _EMAIL_OPTION.search(command.text)
        if not found:
            return
        email = found[1].lower()
        try:
            user_id = (await self.client.users_lookupByEmail(email=email))["user"]["id"]
        except SlackApiError as error:
            log.info("no Slack user for a new member's e-mail", extra={"slack_error": error.response.get("error")})
            return

        async def address(_: str) -> str:
            return email

        await self.accounts.link([user_id], address)
