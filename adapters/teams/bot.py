"""The Teams bot: activities in, board Commands to the core, Adaptive Cards out.

* Messages: in a channel or group chat ``@partnerbot action add …`` (the
  mention is dropped); in a personal chat the grammar without ``/board``, and
  a parent rep's plain words become a confidential issue (the core decides,
  because ``Command.is_direct`` is set).
* Where answers go: a reply that changed shared state (``Reply.public``)
  shows the channel its summary and buttons and gives the asker the rest in
  their personal chat; any other answer to something typed in a channel goes
  to the asker privately, because it may concern confidential issues.
* Card buttons (``Action.Execute`` invokes, or ``Action.Submit`` messages
  from older clients) run commands as whoever pressed them; the card is then
  refreshed in place. Forms that fail validation come back with the errors
  next to the inputs.
* Message extension: "Log as action" and "Raise as issue" on a message open
  the matching form prefilled with its text.
* Install: greet, store the conversation reference, point at ``help``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Awaitable
from http import HTTPStatus

from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from adapters.services import Services
from adapters.teams.cards import CARD_CONTENT_TYPE, CardRenderer, command_data, form_card, submit_action
from adapters.teams.conversations import (
    ConversationStore,
    base_conversation_id,
    conversation_type,
    tenant_of,
    user_key,
)
from adapters.teams.forms import (
    BARE_COMMAND_FORMS,
    COMMAND,
    FORM,
    FORMS,
    KIND,
    REF,
    Form,
    FormChoices,
    values_from_submit,
)
from adapters.teams.messenger import Messenger, card_activity, delivery_error
from adapters.teams.people import Directory, clean_text, command_text
from adapters.teams.wellformed import invoke_error
from adapters.web.files import share_files
from adapters.web.later import Later
from adapters.web.limits import SLOW_DOWN, RateLimit
from bot.context import Command
from bot.errors import BotError
from bot.outbox_keys import Recipient
from bot.ports import DeliveryError
from bot.reply import Button, Buttons, Note, Paragraph, Reply, rich
from bot.text import format_datetime

log = logging.getLogger("partnerbot.teams")

# Message-extension action commands (ids as in manifest/teams/manifest.json).
EXTENSION_FORMS = {"logAction": "action.add", "raiseIssue": "issue.raise"}
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
_REF = re.compile(r"\b[A-Z]\d+\b")  # A12, M3, G4…: what a button's command is about
PRIVATE_NOTE = "I've answered you in our personal chat."
NO_PRIVATE_CHAT = ("I couldn't message you privately. Open a chat with me (search for partnerbot in Teams) "
                   "and try again there.")
STILL_WORKING = "I'm still working on that: the answer will follow in this chat."
SENT_ALL = "Here is all of it, in the messages below."
ALL = "pb_all"  # a card action's data: send every part of the reply, not just the card
INVOKE_BUDGET = 0.8  # seconds: Teams gives up on an invoke after about 5; answer well within 1
SEND_WAIT = 5.0  # seconds one connector call may take before the answer goes to the outbox instead


def greeting(in_channel: bool) -> Reply:
    how = ("Mention me with a command, for example: @partnerbot action list" if in_channel
           else "Type a command here, for example: action list mine")
    reply = Reply(summary="Hello from partnerbot")
    return reply.add(
        Paragraph(rich("Hello! I'm partnerbot. I keep the partnership board's actions, agenda, meetings, "
                       "deadlines and confidential issues moving, and remind people before things are due.")),
        Paragraph(rich(how, ".")),
        Note(rich("Type help to see everything I can do.")),
        Buttons((Button("Help", command="help"), Button("My actions", command="action list mine"))),
    )


def public_view(reply: Reply) -> Reply:
    """What a channel sees of a change: its summary and its buttons."""
    view = Reply(summary=reply.summary, public=True, refs=list(reply.refs))
    view.add(Paragraph(rich(reply.summary)), *[b for b in reply.blocks if isinstance(b, Buttons)])
    return view


def renews(reply: Reply, data: dict) -> bool:
    """Whether ``reply`` is the new state of what the pressed card was about (that thing's
    card, with buttons of its own), so it may replace a card everyone in a chat sees.
    "Send apologies" on a meeting reminder is not: the reminder stays for the others."""
    about = data.get(REF) or next(iter(_REF.findall(str(data.get(COMMAND) or ""))), None)
    return reply.renews(about)


def person(activity: Activity) -> str:
    """Whose command this is, for the rate limit."""
    return f"teams:{activity.from_property.aad_object_id or activity.from_property.id}"


def conversation_target(activity: Activity) -> str:
    """The outbox recipient for this conversation, keeping a channel thread's reply chain."""
    return Recipient.channel(f"teams:{activity.conversation.id}")


def joined(parts: list[Reply]) -> Reply:
    """Parts of a reply as one reply again (the outbox stores replies, its renderer splits them)."""
    first = parts[0]
    return Reply(blocks=[b for part in parts for b in part.blocks], summary=first.summary, public=first.public,
                 error=first.error, refs=list(first.refs))


def _field(value: object, name: str) -> dict:
    """``value[name]`` if both are JSON objects, else an empty one: invoke values come as sent."""
    found = value.get(name) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def has_more_than_summary(reply: Reply) -> bool:
    """Whether the asker should get the full reply as well as the channel's view."""
    summary = Paragraph(rich(reply.summary))
    return any(block != summary and not isinstance(block, Buttons) for block in reply.blocks)


class TeamsBot(Bot):
    def __init__(self, services: Services, messenger: Messenger, directory: Directory | None = None,
                 limits: RateLimit | None = None) -> None:
        self.services = services
        self.messenger = messenger
        self.store: ConversationStore = messenger.store
        self.directory = directory or Directory(services.db.uow)
        self.limits = limits or RateLimit()
        self.later = Later(services)
        self._tasks: set[asyncio.Future] = set()

    # -- dispatch -------------------------------------------------------------------------------

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type in (ActivityTypes.message, ActivityTypes.invoke) and not self.limits.allow(person(activity)):
            await self._slow_down(context)
            return
        await self.store.remember(activity)
        if activity.type == ActivityTypes.message:
            if await self._first_delivery(activity):
                await (self._on_submit(context) if activity.value else self._on_message(context))
        elif activity.type == ActivityTypes.conversation_update:
            if any(m.id == activity.recipient.id for m in activity.members_added or []):
                await self._greet(context)
        elif activity.type == ActivityTypes.installation_update:
            if activity.action == "add":
                await self._greet(context)
        elif activity.type == ActivityTypes.invoke:
            status, body = await self._answer_in_time(context)
            await context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                                 value=InvokeResponse(status=status, body=body)))

    async def _slow_down(self, context: TurnContext) -> None:
        """The flooder hears it once in a while; nobody else waits for them."""
        if context.activity.type == ActivityTypes.invoke:
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(
                status=HTTPStatus.OK, body={"statusCode": 200, "type": MESSAGE_RESPONSE, "value": SLOW_DOWN})))
        elif self.limits.should_warn(person(context.activity)):
            await self._send(context, Reply(summary=SLOW_DOWN, error=True).add(Paragraph(rich(SLOW_DOWN))))

    async def _answer_in_time(self, context: TurnContext) -> tuple[int, dict]:
        """The invoke's answer within INVOKE_BUDGET; if the board or Teams is slower, say so
        and post the answer in the chat when it is ready (through the outbox)."""
        late: list[Reply] = []  # handlers put here what their answer shows, in case it comes too late
        work = asyncio.ensure_future(self._on_invoke(context, late))
        done, _ = await asyncio.wait({work}, timeout=INVOKE_BUDGET)
        if done:
            return work.result()
        activity = context.activity

        def answer_later(finished: asyncio.Future) -> None:
            if finished.cancelled() or finished.exception() is not None:
                log.error("teams invoke failed after its answer", exc_info=finished.exception())
            elif late:  # what the invoke response would have shown, posted in the chat
                self._background(self.later.send(conversation_target(activity), late[0], "teams"))

        work.add_done_callback(answer_later)
        self._background(work)
        return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": STILL_WORKING}

    def _background(self, work: Awaitable) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _first(self, event_id: str) -> bool:
        async with self.services.db.uow() as uow:
            first = await uow.platform.remember_event("teams", event_id)
            await uow.commit()
        return first

    async def _first_delivery(self, activity: Activity) -> bool:
        """Teams redelivers when the bot is slow; run each message once."""
        return not activity.id or await self._first(f"{activity.conversation.id}|{activity.id}")

    async def _greet(self, context: TurnContext) -> None:
        """Once per conversation: an install sends both conversationUpdate and installationUpdate."""
        conversation = base_conversation_id(context.activity.conversation.id)
        if await self._first(f"greeted|{conversation}"):
            in_channel = conversation_type(context.activity) != "personal"
            await self._send(context, greeting(in_channel))

    # -- commands --------------------------------------------------------------------------------

    async def _command(self, context: TurnContext, text: str, values: dict | None = None,
                       source_link: str | None = None) -> Reply:
        activity = context.activity
        command = Command(
            who=await self.directory.identity(context),
            text=text,
            where=f"teams:{base_conversation_id(activity.conversation.id)}",
            is_direct=conversation_type(activity) == "personal",
            values=values or {},
            source_link=source_link,
        )
        return await self.services.bot.handle(command)

    async def _on_message(self, context: TurnContext) -> None:
        text = await command_text(context, self.directory)
        bare = text.lower().removeprefix("/board").strip()
        if bare in BARE_COMMAND_FORMS:
            card = form_card(BARE_COMMAND_FORMS[bare], None, await self.choices())
            try:
                await asyncio.wait_for(context.send_activity(card_activity(card)), SEND_WAIT)
            except Exception as error:  # nothing was changed: they can type it again
                log.warning("teams form card failed", extra={"error": type(error).__name__})
            return
        await self.deliver(context, await self._command(context, text))

    async def deliver(self, context: TurnContext, reply: Reply, note_in_channel: bool = True) -> None:
        """Answer the asker, keeping anything not meant for the channel out of it."""
        if conversation_type(context.activity) == "personal" or reply.error:
            await self._send(context, reply)
        elif reply.public and reply.summary:
            view = public_view(reply)
            await self._send(context, view)
            if has_more_than_summary(reply):
                await self._send_private(context, reply)
        elif await self._send_private(context, reply) and note_in_channel:
            await self._send(context, Reply(summary=PRIVATE_NOTE).add(Note(rich(PRIVATE_NOTE))))

    async def deliver_later(self, activity: Activity, reply: Reply) -> None:
        """``deliver``'s rules, every send through the outbox (an invoke answers at once)."""
        here = conversation_target(activity)
        if conversation_type(activity) == "personal" or reply.error:
            await self.later.send(here, reply, "teams")
        elif reply.public and reply.summary:
            await self.later.send(here, public_view(reply), "teams")
            if has_more_than_summary(reply):
                await self._private_later(activity, reply)
        else:
            await self._private_later(activity, reply)

    async def _private_later(self, activity: Activity, reply: Reply) -> bool:
        aad = activity.from_property.aad_object_id
        if aad:
            await self.later.send(Recipient.channel(f"teams:{user_key(aad)}"), reply, "teams")
        return bool(aad)

    async def _send(self, context: TurnContext, reply: Reply) -> None:
        """Reply in the conversation (in its thread); what Teams does not take now goes to the outbox."""
        reply = await share_files(self.services, reply)
        renderer = CardRenderer(await self.choices_for(reply))
        parts = renderer.parts(reply)
        for index, part in enumerate(parts):
            try:
                await asyncio.wait_for(context.send_activity(card_activity(renderer.card(part), reply.summary)),
                                       SEND_WAIT)
            except Exception as error:  # 429, 503, a dropped connection, a connector that hangs
                log.warning("teams reply failed; queued in the outbox", extra={"error": type(error).__name__})
                await self.later.send(conversation_target(context.activity), joined(parts[index:]), "teams",
                                      wait=delivery_error(error).retry_after)
                return

    async def _send_private(self, context: TurnContext, reply: Reply) -> bool:
        """Send to the asker's personal chat; say so in the channel if that is impossible."""
        activity = context.activity
        aad = activity.from_property.aad_object_id
        data = None
        try:
            if aad:
                data = await asyncio.wait_for(self.messenger.personal(
                    aad, tenant=tenant_of(activity), service_url=activity.service_url, bot=activity.recipient),
                    SEND_WAIT)
            if data is None:
                await self._send(context, Reply(summary=NO_PRIVATE_CHAT, error=True).add(
                    Paragraph(rich(NO_PRIVATE_CHAT))))
                return False
            reply = await share_files(self.services, reply)
            cards = CardRenderer(await self.choices_for(reply)).render(reply)
            await asyncio.wait_for(self.messenger.send(data, [card_activity(card, reply.summary) for card in cards]),
                                   SEND_WAIT)
        except (DeliveryError, TimeoutError) as error:
            if isinstance(error, DeliveryError) and error.permanent:
                log.warning("teams private answer refused", extra={"error": str(error)})
                return False
            await self._private_later(activity, reply)  # the notifier opens the chat if need be
        return True

    # -- card buttons and forms --------------------------------------------------------------------

    async def _on_submit(self, context: TurnContext) -> None:
        """Action.Submit from a card: run it, then refresh the card it came from."""
        data = context.activity.value or {}
        reply, card, form = await self._card_action(context, data, "Action.Submit")
        if card is None:
            return
        target = context.activity.reply_to_id
        # In a personal chat the card becomes the answer (or the form with its errors); a refusal
        # comes as a new message so the card keeps its buttons.
        refresh = conversation_type(context.activity) == "personal" and (form is not None or not reply.error)
        if target and refresh:
            await self._update(context, target, card)
        elif target and reply.public and not reply.error and renews(reply, data):
            await self._update(context, target, CardRenderer(action="Action.Submit").render(public_view(reply))[0])
            if has_more_than_summary(reply):
                await self._send_private(context, reply)
        else:
            await self.deliver(context, reply)

    async def _on_execute(self, context: TurnContext, late: list[Reply]) -> tuple[int, dict]:
        """Action.Execute: the presser gets the new card in the invoke response (Teams shows it in place
        of the old one); anything else they or the channel should see is sent from the outbox."""
        activity = context.activity
        data = ((activity.value or {}).get("action") or {}).get("data")
        if not isinstance(data, dict):
            return HTTPStatus.OK, invoke_error("That card action carries no data.")
        reply, card, form = await self._card_action(context, data, "Action.Execute")
        if card is None:
            return HTTPStatus.OK, invoke_error("Unknown card action")
        personal = conversation_type(activity) == "personal"
        if data.get(ALL):
            await self.deliver_later(activity, reply)
            return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": SENT_ALL}
        if not personal and not (form is not None and reply.error):
            if reply.error:
                return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": reply.summary}
            if not reply.public:
                sent = await self._private_later(activity, reply)
                return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE,
                                       "value": PRIVATE_NOTE if sent else NO_PRIVATE_CHAT}
            if not renews(reply, data):  # the card stays as it is for everyone; the change is told in its thread
                await self.later.send(conversation_target(activity), public_view(reply), "teams")
                if has_more_than_summary(reply):
                    await self._private_later(activity, reply)
                return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": reply.summary}
            card = CardRenderer().render(public_view(reply))[0]
            if has_more_than_summary(reply):
                await self._private_later(activity, reply)
            late.append(public_view(reply))
        else:
            late.append(reply)
        return HTTPStatus.OK, {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}

    async def _card_action(self, context: TurnContext, data: dict,
                           action: str) -> tuple[Reply, dict | None, Form | None]:
        """Run what a button or form asks; the card to show (None: not ours)."""
        kind = data.get(KIND)
        form = FORMS.get(str(data.get(FORM) or "")) if kind == "form" else None
        if kind == "command" and data.get(COMMAND):
            reply = await self._command(context, str(data[COMMAND]))
        elif form is not None:
            values = values_from_submit(form, data)
            reply = await self._command(context, form.command_text(data.get(REF)), values)
            if reply.error:
                errors = reply.field_errors or {"": reply.summary}
                return reply, form_card(form, data.get(REF), await self.choices(), values=data, errors=errors,
                                        action=action), form
        else:
            return Reply(error=True), None, None
        return reply, await self._first_card(context, reply, data, action), form

    async def _first_card(self, context: TurnContext, reply: Reply, data: dict, action: str) -> dict:
        """The card a press refreshes to: the reply's first part. If there is more, a button shows all
        of it (the command is run again) or, for a change, the rest follows from the outbox."""
        renderer = CardRenderer(await self.choices_for(reply), action=action)
        parts = renderer.parts(reply)
        card = renderer.card(parts[0])
        if len(parts) == 1 or data.get(ALL):
            return card
        command = str(data.get(COMMAND) or "")
        if data.get(KIND) == "command" and not self._changes_state(command):
            title = f"Show all ({len(parts)} parts)"
            card.setdefault("actions", []).append(submit_action(title, {**command_data(command), ALL: "1"}, action))
        else:
            await self.later.send(conversation_target(context.activity), joined(parts[1:]), "teams")
        return card

    def _changes_state(self, text: str) -> bool:
        try:
            return self.services.bot.spec_for(text.strip().removeprefix("/board").strip() or "help").changes_state
        except BotError:
            return True

    async def _update(self, context: TurnContext, activity_id: str, card: dict) -> None:
        update = card_activity(card)
        update.id = activity_id
        update.conversation = context.activity.conversation
        try:
            await asyncio.wait_for(context.update_activity(update), SEND_WAIT)
        except Exception as error:  # the answer still reached the presser
            log.warning("teams card refresh failed", extra={"error": type(error).__name__})

    # -- invokes and the message extension -------------------------------------------------------------

    async def _on_invoke(self, context: TurnContext, late: list[Reply]) -> tuple[int, dict]:
        name = context.activity.name
        if name == "adaptiveCard/action":
            return await self._on_execute(context, late)
        if name == "composeExtension/fetchTask":
            return HTTPStatus.OK, await self._extension_form(context)
        if name == "composeExtension/submitAction":
            return HTTPStatus.OK, await self._extension_submit(context)
        return HTTPStatus.OK, {}  # not one of ours: Teams expects a 200 with a JSON body

    @staticmethod
    def _extension(context: TurnContext) -> tuple[Form | None, dict]:
        value = context.activity.value or {}
        return FORMS.get(EXTENSION_FORMS.get(str(value.get("commandId", "")), "")), value

    @staticmethod
    def _task(form: Form, card: dict) -> dict:
        return {"task": {"type": "continue", "value": {
            "title": form.title, "width": "medium", "height": "medium",
            "card": {"contentType": CARD_CONTENT_TYPE, "content": card}}}}

    async def _extension_form(self, context: TurnContext) -> dict:
        form, value = self._extension(context)
        if form is None:
            return {"task": {"type": "message", "value": "That command isn't one of partnerbot's."}}
        body = _field(_field(value, "messagePayload"), "body").get("content") or ""
        values = {form.fields[0].id: clean_text(str(body))}
        return self._task(form, form_card(form, None, await self.choices(), values=values, action="Action.Submit"))

    async def _extension_submit(self, context: TurnContext) -> dict:
        form, value = self._extension(context)
        if form is None:
            return {"task": {"type": "message", "value": "That command isn't one of partnerbot's."}}
        data = _field(value, "data")
        values = values_from_submit(form, data)
        link = _field(value, "messagePayload").get("linkToMessage")
        reply = await self._command(context, form.command_text(None), values,
                                    source_link=link if isinstance(link, str) else None)
        if reply.error:
            errors = reply.field_errors or {"": reply.summary}
            card = form_card(form, None, await self.choices(), values=data, errors=errors, action="Action.Submit")
            return self._task(form, card)
        await self.deliver_later(context.activity, reply)  # the dialog says it is done
        return {"task": {"type": "message", "value": reply.summary or "Done."}}

    # -- board data for forms ----------------------------------------------------------------------------

    async def choices_for(self, reply: Reply) -> FormChoices:
        """Choices only when the reply has a form that offers them (most have none)."""
        wanted = any(b.form in ("action.add", "agenda.propose") for block in reply.blocks
                     if isinstance(block, Buttons) for b in block.buttons)
        return await self.choices() if wanted else FormChoices()

    async def choices(self) -> FormChoices:
        now = self.services.clock.now()
        async with self.services.db.uow() as uow:
            members = [m for m in await uow.members.list_all() if m.active]
            workstreams = await uow.workstreams.list_all()
            meetings = await uow.meetings.between(now, now + dt.timedelta(days=400))
        return FormChoices(
            members=[(f"{m.name} (@{m.handle})", f"@{m.handle}") for m in members],
            workstreams=[(f"W{w.id} {w.name}", f"W{w.id}") for w in workstreams],
            meetings=[(f"M{m.id} {format_datetime(m.starts_at)}", f"M{m.id}") for m in meetings[:30]],
        )
