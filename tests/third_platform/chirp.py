"""Chirp: a made-up chat platform, adapted to the board in this one module.

It stands for any platform the board may meet next. Its users have opaque ids
(``C-owen``), its directory knows their names and e-mail addresses, a message
mentions someone as ``[[user:C-mia]]`` and the bot writes back in plain text.
The adapter needs nothing from the core but what every adapter uses: it says
who is talking (``Identity``), writes mentions as the core's account token,
asks the core to link the accounts it mentions, addresses the reply's mentions
and delivers outbox messages to the member's account. No core, storage or jobs
code names Chirp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from adapters.accounts import Accounts
from adapters.services import Services
from bot.context import Command, Identity
from bot.identity import token
from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError
from bot.reply import Mention, Reply, Span, from_dict, map_spans
from bot.text import plain_text

PLATFORM = "chirp"
_MENTION = re.compile(r"\[\[user:([\w-]+)\]\]")


@dataclass(frozen=True)
class ChirpUser:
    user_id: str
    name: str
    email: str | None


@dataclass
class ChirpServer:
    """The platform's side: its user directory and the direct messages it carried."""

    users: dict[str, ChirpUser] = field(default_factory=dict)
    inbox: dict[str, list[str]] = field(default_factory=dict)

    def join(self, user_id: str, name: str, email: str | None = None) -> None:
        self.users[user_id] = ChirpUser(user_id, name, email)

    def deliver(self, user_id: str, text: str) -> None:
        self.inbox.setdefault(user_id, []).append(text)


def render(reply: Reply) -> str:
    """Plain text, with each member the platform knows mentioned in its own syntax."""
    def chirp_mention(span: Span) -> Span:
        return f"[[user:{span.address}]]" if isinstance(span, Mention) and span.address else span

    return plain_text(map_spans(reply, chirp_mention))


class ChirpNotifier:
    """The outbox's way into Chirp: a direct message to the member's account."""

    def __init__(self, server: ChirpServer, accounts: Accounts) -> None:
        self.server = server
        self.accounts = accounts

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        user_id = await self.accounts.of(recipient)
        if user_id is None:
            raise DeliveryError("no Chirp account", permanent=True)
        self.server.deliver(user_id, render(await self.accounts.addressed(from_dict(msg.payload))))


class ChirpAdapter:
    def __init__(self, services: Services, server: ChirpServer) -> None:
        self.services = services
        self.server = server
        self.accounts = Accounts(services.db.uow, PLATFORM)
        services.notifier.register(PLATFORM, ChirpNotifier(server, self.accounts))

    def identity(self, user_id: str) -> Identity:
        user = self.server.users[user_id]
        return Identity(PLATFORM, user_id, user.name, user.email)

    async def message(self, user_id: str, text: str) -> str:
        """What the bot answers a Chirp user's direct message."""
        mentioned = _MENTION.findall(text)
        await self.accounts.link(mentioned, self._email)
        command = Command(self.identity(user_id), _MENTION.sub(lambda found: token(PLATFORM, found[1]), text),
                          where=f"{PLATFORM}:dm-{user_id}")
        reply = (await self.services.bot.handle(command)).reply
        return render(await self.accounts.addressed(reply))

    async def _email(self, user_id: str) -> str | None:
        user = self.server.users.get(user_id)
        return user.email if user else None
