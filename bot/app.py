"""The application service: one Command in, one Outcome out, one transaction.

Every adapter (console, Slack, Teams) calls ``BotApp.handle``. It finds the
handler, opens a unit of work, resolves who is asking, runs the handler and
commits. A typed BotError becomes a helpful refusal and nothing is written; an
unexpected exception becomes a short apology with a reference id, the detail
goes to the log, and nothing is written either. The ``Outcome`` carries the
reply with everything an adapter needs to deliver it (bot.outcome), so the
command is parsed and run once. ``read_as`` renders a read-only view (the home
page) for one member, for refreshing what a change made stale; ``choices`` is
what the forms' menus offer.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
from collections.abc import Callable

from bot import audience, identity, permissions
from bot.commands.help import is_help_topic
from bot.context import Command, Context, Identity, board_context
from bot.errors import BotError, Forbidden, UnknownCommand
from bot.menus import Choices, board_choices
from bot.model import Member, Prefix, Role
from bot.outcome import Outcome, refused
from bot.ports import Clock, Typesetter, UnitOfWork, UnitOfWorkFactory
from bot.reply import Note, Paragraph, Reply, all_refs, rich
from bot.router import Args, CommandSpec, Router
from bot.text import storable

log = logging.getLogger("partnerbot.app")

# Greetings and thanks are conversation, not a board command.
SMALL_TALK = re.compile(
    r"^\s*(hi|hello|hey|hiya|good\s+(morning|afternoon|evening)|thanks?|thank\s+you|many\s+thanks|cheers|"
    r"ok(ay)?|great|bye|goodbye)\b[\w\s,.!']{0,24}$", re.I)


async def resolve_actor(uow: UnitOfWork, who: Identity) -> Member | None:
    """The active member behind a platform identity, linking by e-mail once (bot.identity)."""
    return await identity.resolve(uow, who)


async def record_views(ctx: Context, spec: CommandSpec, reply: Reply) -> None:
    """Every confidential issue a reading command showed is a view in the audit
    trail: the one place views are recorded, whatever command, card or home
    page displayed it (handlers only put in a reply what the reader may see)."""
    if spec.changes_state or ctx.actor is None:
        return
    for issue_ref in dict.fromkeys(r for r in reply.refs if r[:1] == Prefix.ISSUE.value and r[1:].isdigit()):
        if await ctx.uow.issues.get(int(issue_ref[1:])) is not None:
            await ctx.audit("view", issue_ref)  # the entry names the command


def error_reply(error: BotError) -> Reply:
    reply = Reply(error=True, summary=error.message)
    reply.add(Paragraph(rich(error.message)))
    if error.hint:
        reply.add(Note(rich(error.hint)))
    if error.field:
        reply.field_errors[error.field] = error.message
    return reply


class BotApp:
    def __init__(
        self,
        router: Router,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        wake_delivery: Callable[[], None] | None = None,
        typesetter: Typesetter | None = None,
    ) -> None:
        self.router = router
        self.uow_factory = uow_factory
        self.clock = clock
        self.wake_delivery = wake_delivery  # told after a commit that owes messages; it must not wait
        self.typesetter = typesetter

    async def handle(self, command: Command) -> Outcome:
        reference = secrets.token_hex(3).upper()
        command = dataclasses.replace(command, text=storable(command.text), values=storable(command.values))
        spec: CommandSpec | None = None
        try:
            spec, rest = await self._route(command)
            return await self._run(spec, rest, command)
        except BotError as error:
            log.info("command refused", extra={"kind": type(error).__name__, "platform": command.who.platform})
            return dataclasses.replace(refused(error_reply(error), command.place), spec=spec)
        except Exception:
            log.exception("command failed", extra={"error_ref": reference, "platform": command.who.platform})
            reply = Reply(error=True, error_id=reference, summary="Sorry, something went wrong.")
            reply.add(
                Paragraph(rich("Sorry, something went wrong and nothing was changed.")),
                Note(rich(f"If it happens again, quote reference {reference} to the secretariat.")),
            )
            return dataclasses.replace(refused(reply, command.place), spec=spec)

    async def read_as(self, member_id: int, text: str) -> Reply:
        """A read-only command (``home``) as member ``member_id``: how a platform refreshes
        the view of someone a change touched, without anyone typing anything."""
        spec, rest = self.router.resolve(text)
        if spec.changes_state:
            raise ValueError(f"`{spec.name}` changes the board: it cannot be run on someone's behalf")
        command = Command(Identity("member", str(member_id)), text, where="home")
        try:
            return (await self._run(spec, rest, command, member_id=member_id)).reply
        except BotError as error:
            return error_reply(error)

    async def choices(self) -> Choices:
        """What the forms' menus and typeaheads offer (people, workstreams, meetings)."""
        async with self.uow_factory() as uow:
            return await board_choices(uow, self.clock.now())

    async def _route(self, command: Command) -> tuple[CommandSpec, str]:
        text = command.text.strip()
        if text.lower().startswith("/board"):
            text = text[len("/board"):].strip()
        if not text:
            text = "help"
        if command.is_direct and not command.values:
            async with self.uow_factory() as uow:
                actor = await resolve_actor(uow, command.who)
            if actor is None or actor.role == Role.PARENT_REP:
                # A parent's (or a newcomer's) DM is a command only when it parses as one.
                found = self._as_command(text)
                return found if found else (self.router.resolve("concern")[0], text)
            if SMALL_TALK.match(command.text):
                return self.router.resolve("hello")
            if len(text.split()) > 3:
                return self._not_a_command(text)
        return self.router.resolve(text)

    def _as_command(self, text: str) -> tuple[CommandSpec, str] | None:
        """``text`` as a board command, or None when it only starts like one:
        "home visits were cancelled", "help nobody answers", "hello, my son..."."""
        try:
            spec, rest = self.router.resolve(text)
        except UnknownCommand:
            return None
        if spec.name == "hello":
            return None
        if spec.name == "help":
            return (spec, rest) if not rest or is_help_topic(self.router, rest) else None
        takes_text = "<" in spec.usage or any(w in spec.usage for w in ("[note]", "[reason]", "[why]"))
        if rest and (spec.usage == spec.name or (not takes_text and len(rest.split()) > 3)):
            return None
        return spec, rest

    def _not_a_command(self, text: str) -> tuple[CommandSpec, str]:
        """A sentence typed to the bot that isn't a command: no far-fetched guess."""
        try:
            return self.router.resolve(text)
        except UnknownCommand:
            raise UnknownCommand(
                "I only understand board commands, so I couldn't act on that.",
                hint="Try `meeting next`, `action list mine`, `deadlines` or `help` to see everything.",
            ) from None

    async def _run(self, spec: CommandSpec, rest: str, command: Command, member_id: int | None = None) -> Outcome:
        async with self.uow_factory() as uow:
            uow.act_as(None, spec.name)
            settings, calendar = await board_context(uow)
            if member_id is None:
                actor = await resolve_actor(uow, command.who)
            else:
                found = await uow.members.get(member_id)
                actor = found if found is not None and found.active else None
            uow.act_as(actor.id if actor else None, spec.name)
            ctx = Context(command, uow, self.clock, settings, calendar, actor, typesetter=self.typesetter)
            if spec.members_only:
                ctx.require_actor()
            rule = permissions.rule_for(spec.name)
            if rule is None:  # anything not declared is denied
                raise Forbidden(f"`{spec.name}` isn't open to anyone yet.", hint="Ask the secretariat.")
            token = permissions.running.set(rule)
            try:
                reply = await spec.handler(ctx, Args(rest, dict(command.values)))
            finally:
                permissions.running.reset(token)
            if actor is not None and not rule.needs_object:
                permissions.check(actor, (), rule=rule)  # a handler that forgot to ask is still refused
            reply.refs = all_refs(reply)
            await record_views(ctx, spec, reply)
            await uow.commit()
        log.info("command handled", extra={"command": spec.name, "actor": actor.id if actor else None})
        if ctx.notices and self.wake_delivery is not None:
            self.wake_delivery()  # delivered by the process's delivery loop: the asker's reply never waits
        return outcome_of(ctx, spec, reply)


def outcome_of(ctx: Context, spec: CommandSpec, reply: Reply) -> Outcome:
    """What a handled command came to. A public reply changed the board, and so did any command
    that changes state (a parent's DM the core took as a confidential issue among them)."""
    changed = not reply.error and (reply.public or spec.changes_state)
    actor = ctx.actor.id if ctx.actor is not None else None
    stale = [actor] if actor is not None else []
    refresh = tuple(dict.fromkeys(stale + ctx.told)) if changed else ()
    return Outcome(reply, spec, changed, actor, refresh, audience.decide(ctx.command.place, reply, changed))
