"""Slack users as board members.

The core knows members by Slack user id once linked; until then it links a
member by e-mail (``resolve_actor``), so each identity carries the e-mail
from ``users.info`` (cached: it rarely changes and the call costs a rate
limit slot). Two more links happen here, because only Slack can make them:
people *mentioned* in a command (``<@U123>``) are linked by their e-mail
before the core looks them up, and a member *added* with an e-mail address
is linked through ``users.lookupByEmail`` straight away.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.services import Database
from bot.context import Command, Identity

log = logging.getLogger("partnerbot.slack.people")

CACHE_SECONDS = 3600
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_EMAIL_OPTION = re.compile(r"\bemail\s+<?(?:mailto:)?([^\s|<>]+@[^\s|<>]+)", re.I)


class SlackPeople:
    def __init__(self, client: AsyncWebClient, db: Database) -> None:
        self.client = client
        self.db = db
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
            return Identity("slack", user_id, name, None)
        profile = user.get("profile") or {}
        shown = profile.get("real_name") or user.get("real_name") or user.get("name") or name
        found = Identity("slack", user_id, shown, profile.get("email"))
        self._known[user_id] = (time.monotonic(), found)
        return found

    async def link_mentioned(self, command: Command) -> None:
        """Link people mentioned in a command to the member with their e-mail,
        so ``<@U123>`` resolves even if that person never used the bot."""
        mentioned = set(_MENTION.findall(command.text))
        for value in command.values.values():
            if isinstance(value, list):
                mentioned.update(m for v in value for m in _MENTION.findall(str(v)))
        if mentioned:
            await self._link(mentioned)

    async def _link(self, user_ids: Iterable[str]) -> None:
        async with self.db.uow() as uow:
            changed = False
            for user_id in user_ids:
                if await uow.members.by_platform_id("slack", user_id) is not None:
                    continue
                who = await self.identity(user_id)
                member = await uow.members.by_email(who.email.lower()) if who.email else None
                if member is not None and not member.slack_user_id:
                    member.slack_user_id = user_id
                    await uow.members.save(member)
                    changed = True
            if changed:
                await uow.commit()

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
        async with self.db.uow() as uow:
            member = await uow.members.by_email(email)
            taken = await uow.members.by_platform_id("slack", user_id)
            if member is not None and not member.slack_user_id and taken is None:
                member.slack_user_id = user_id
                await uow.members.save(member)
                await uow.commit()
