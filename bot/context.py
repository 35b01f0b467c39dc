"""What a handler works with: the command, the actor, time, the board's rules,
and one unit of work. Also the Command and Identity types adapters build."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot.audience import Place
from bot.calendar import WorkingCalendar
from bot.document import Document
from bot.errors import Forbidden
from bot.model import AuditEntry, Member, OutboxMessage, Role
from bot.outbox_keys import MessageKind, Recipient
from bot.ports import Clock, Typesetter, UnitOfWork
from bot.reply import Reply, outbox_payload
from bot.settings import BoardSettings
from bot.text import plain_text


@dataclass(frozen=True)
class Identity:
    """Who typed: ``platform`` is the adapter's key (console, slack, teams, …) and
    ``user_id`` that platform's opaque id for the person (the console's is a
    handle; Slack's a user id, Teams' an AAD object id). ``email`` is what the
    platform shows, used once to link the account to a member (bot.identity)."""

    platform: str
    user_id: str
    name: str | None = None
    email: str | None = None


@dataclass
class Command:
    """A request from a person, platform-neutral.

    ``text`` is what follows ``/board`` (or the whole DM). ``values`` carries
    structured input from forms and buttons; handlers prefer it to ``text``.
    """

    who: Identity
    text: str
    where: str = "console"  # channel or conversation the command came from
    is_direct: bool = False  # a direct message to the bot, not a slash command
    values: dict[str, Any] = field(default_factory=dict)
    source_link: str | None = None  # permalink of a message a shortcut acted on
    place: Place = field(default_factory=Place)  # where it was asked, to decide who sees the answer (bot.audience)


@dataclass
class Context:
    command: Command
    uow: UnitOfWork
    clock: Clock
    settings: BoardSettings
    calendar: WorkingCalendar
    actor: Member | None
    notices: int = 0
    told: list[int] = field(default_factory=list)  # members this command sent a notice to (their views are stale)
    typesetter: Typesetter | None = None  # for commands that answer with a document

    def typeset(self, document: Document, fmt: str) -> bytes:
        """``document`` as a file in ``fmt`` (html, pdf, md)."""
        if self.typesetter is None:
            raise RuntimeError("no typesetter configured: documents cannot be rendered here")
        return self.typesetter.render(document, fmt)

    _members: dict[int, Member] = field(default_factory=dict, repr=False)  # looked up once per command
    _all_members: bool = field(default=False, repr=False)

    async def members(self, ids: Iterable[int]) -> dict[int, Member]:
        """The members with ``ids`` (those that exist), each read from storage at most once per command."""
        if self.actor is not None and self.actor.id is not None:
            self._members.setdefault(self.actor.id, self.actor)
        wanted = set(ids)
        if missing := wanted - self._members.keys():
            self._members.update((m.id, m) for m in await self.uow.members.many(sorted(missing)) if m.id is not None)
        return {i: self._members[i] for i in wanted if i in self._members}

    async def all_members(self) -> dict[int, Member]:
        """Every member by id; later ``members`` lookups in this command are answered from it."""
        if not self._all_members:
            for member in await self.uow.members.list_all():
                if member.id is not None:
                    self._members.setdefault(member.id, member)
            self._all_members = True
        return dict(self._members)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def now(self) -> dt.datetime:
        return self.clock.now()

    def local_now(self) -> dt.datetime:
        return self.clock.now().astimezone(self.tz)

    def today(self) -> dt.date:
        return self.local_now().date()

    def require_actor(self) -> Member:
        if self.actor is None:
            raise Forbidden(
                "You're not a member of this board yet.",
                hint="Ask the chair or secretariat to add you with `/board member add`.",
            )
        return self.actor

    def is_manager(self) -> bool:
        """Chair and secretariat run the board."""
        return self.actor is not None and self.actor.role in (Role.CHAIR, Role.SECRETARIAT)

    async def notify(self, recipient: Member | str, reply: Reply, key: str, subject: str) -> None:
        """Record a message to someone other than the asker, in this transaction.

        ``recipient`` is a member or a channel name (``#board``). The outbox
        delivers it after the command commits; nothing is sent if it fails.
        """
        target = Recipient.member(recipient.key) if isinstance(recipient, Member) else Recipient.channel(recipient)
        now = self.now()
        self.notices += 1
        if isinstance(recipient, Member) and recipient.id is not None:
            self.told.append(recipient.id)
        await self.uow.outbox.add_if_absent(
            OutboxMessage(
                dedupe_key=f"{key}:{uuid.uuid4().hex}",  # each notice is its own event, even at a frozen clock
                subject=subject,
                recipient=target,
                payload=outbox_payload(reply),
                text=plain_text(reply),
                due_at=now,
                kind=MessageKind.NOTICE,
                created_at=now,
            )
        )

    async def audit(self, verb: str, ref: str = "", detail: str = "") -> None:
        """Record an event beyond the row changes storage records by itself
        (what command it was, a view). ``detail`` must never hold an issue's words."""
        await self.uow.audit.add(
            AuditEntry(at=self.now(), actor_id=self.actor.id if self.actor else None, verb=verb, ref=ref, detail=detail)
        )


async def board_context(uow: UnitOfWork) -> tuple[BoardSettings, WorkingCalendar]:
    """The board's settings and working-day calendar, as stored."""
    settings = BoardSettings.from_values(await uow.settings.stored())
    closures = [c.day for c in await uow.calendar.closure_days()]
    return settings, WorkingCalendar(closures)
