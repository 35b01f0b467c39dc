"""Who is talking, and who they mention.

Members are matched by AAD object id first; the first time someone writes,
their e-mail (or UPN) from Teams' roster links them to the board member with
that address (the core does the linking, see bot.identity). Roster
answers are cached: they change rarely and every lookup is a round trip.

In commands, the bot's own ``<at>partnerbot</at>`` is dropped and every other
mention becomes the core's account token ``@teams:<aadObjectId>`` (bot.identity.token).
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ChannelAccount

from adapters.accounts import Accounts
from bot.context import Identity
from bot.identity import token
from bot.ports import UnitOfWorkFactory

log = logging.getLogger("partnerbot.teams")
PLATFORM = "teams"
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Person:
    aad_object_id: str | None
    name: str | None
    email: str | None


class Directory:
    """Roster lookups (TeamsInfo.get_member), cached by Teams user id, and linking
    mentioned people to board members by e-mail or UPN."""

    def __init__(self, uow_factory: UnitOfWorkFactory, ttl: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.accounts = Accounts(uow_factory, PLATFORM)
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[str, tuple[float, Person]] = {}
        self._linked: set[str] = set()

    async def person(self, turn_context: TurnContext, account: ChannelAccount) -> Person:
        cached = self._cache.get(account.id)
        if cached and cached[0] > self.clock():
            return cached[1]
        person = Person(account.aad_object_id, account.name, None)
        try:
            member = await TeamsInfo.get_member(turn_context, account.id)
            person = Person(member.aad_object_id or account.aad_object_id, member.name or account.name,
                            member.email or member.user_principal_name)
        except Exception as error:  # the roster is a nicety: the AAD id alone identifies people
            log.info("teams roster lookup failed", extra={"error": type(error).__name__})
        self._cache[account.id] = (self.clock() + self.ttl, person)
        return person

    async def mention_token(self, turn_context: TurnContext, account: ChannelAccount) -> str:
        """The account token for a mentioned person, linking them to their member record
        first if they have never written to the bot; their quoted name if Teams won't say who."""
        person = await self.person(turn_context, account)
        if not person.aad_object_id:
            return f'"{clean_text(account.name or "")}"'
        if person.email and person.aad_object_id not in self._linked:
            email = person.email

            async def email_of(_: str) -> str:
                return email

            await self.accounts.link([person.aad_object_id], email_of)
            self._linked.add(person.aad_object_id)
        return token(PLATFORM, person.aad_object_id)

    async def identity(self, turn_context: TurnContext) -> Identity:
        account = turn_context.activity.from_property
        person = await self.person(turn_context, account)
        return Identity(PLATFORM, person.aad_object_id or account.id, person.name or account.name, person.email)


def clean_text(text: str) -> str:
    """Teams message text as typed: tags dropped, entities decoded, spaces collapsed."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", text))).strip()


async def command_text(turn_context: TurnContext, directory: Directory) -> str:
    """The command a message carries: bot mention removed, people as account tokens."""
    activity: Activity = turn_context.activity
    text = activity.text or ""
    for entity in TurnContext.get_mentions(activity):
        props = entity.additional_properties or {}
        mentioned, mention = props.get("mentioned") or {}, props.get("text")
        if not mention or not mentioned.get("id"):
            continue
        if activity.recipient and mentioned["id"] == activity.recipient.id:
            token = " "
        else:
            account = ChannelAccount(id=mentioned["id"], name=mentioned.get("name"),
                                     aad_object_id=mentioned.get("aadObjectId"))
            token = f" {await directory.mention_token(turn_context, account)} "
        text = text.replace(mention, token, 1)
    return clean_text(text)
