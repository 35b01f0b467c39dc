"""The Teams bot: activities in, board Commands to the core, Adaptive Cards out.

* Messages: in a channel or group chat ``@partnerbot action add …`` (the
  mention is dropped); in a personal chat the grammar without ``/board``, and
  a parent rep's plain words become a confidential issue (the core decides,
  because ``Command.is_direct`` is set).
* Where answers go is the core's rule (``Outcome.audience``, bot.audience);
  here it is carried out the Teams way: a channel's summary is a card with the
  reply's summary and buttons, the asker's private answer goes to their
  personal chat (with a note in the channel), and a Teams channel cannot
  whisper except in the answer to an invoke, which holds one line.
* Card buttons (``Action.Execute`` invokes, or ``Action.Submit`` messages
  from older clients) run commands as whoever pressed them; a card in a
  personal chat is answered in its place.
* Forms (the core's, bot.forms) open as dialogs (``task/fetch``) from a
  button; a bare command whose form needs nothing opens it as a card. A
  submission runs as the one command its form becomes; one that is refused
  comes back with the errors next to the inputs.
* Message extension: "Log as action" and "Raise as issue" on a message open
  the matching form prefilled with its text.
* Install: greet, store the conversation reference, point at ``help``.
"""

from __future__ import annotations

import asyncio
import logging
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
    COMMAND,
    FORM,
    KIND,
    REF,
    FormChoices,
    opened_on,
    values_from_submit,
    wants_board_data,
)
from adapters.teams.messenger import Messenger, card_activity, delivery_error
from adapters.teams.roster import Directory, clean_text, command_text
from adapters.teams.wellformed import invoke_error
from adapters.web.files import share_files
from adapters.web.later import Later
from adapters.web.limits import SLOW_DOWN, RateLimit
from bot.audience import Place, Pressed, Seen, Summary, Whisper
from bot.context import Command
from bot.forms import Form, Invalid
from bot.grammar import first_ref
from bot.outbox_keys import Recipient
from bot.outcome import Outcome, refused
from bot.ports import DeliveryError
from bot.reply import Button, Buttons, Note, Paragraph, Reply, rich
from bot.text import format_datetime

log = logging.getLogger("partnerbot.teams")

# Message-extension action commands (ids as in manifest/teams/manifest.json).
EXTENSION_FORMS = {"logAction": "action.add", "raiseIssue": "issue.raise"}
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
MEETING_CHOICES = 30  # a choice set longer than this is hard to use
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


def place_of(activity: Activity, data: dict | None = None, whisper: Whisper = Whisper.NONE) -> Place:
    """Where a Teams command was asked, for the core's audience rule. ``data``: the pressed card's
    action (a card in a personal chat is always answered in its place); ``whisper``: Whisper.TEXT
    for an invoke, whose answer only the presser sees."""
    shared = conversation_type(activity) != "personal"
    pressed = None
    if data is not None:
        about = data.get(REF) or first_ref(str(data.get(COMMAND) or ""))
        pressed = Pressed(shared=shared, about=str(about) if about else None, answers_in_place=True)
    return Place(shared=shared, thread=shared, whisper=whisper, pressed=pressed)


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


def refused_form(form: Form, errors: dict[str, str]) -> Reply:
    """A form refused before it ran, said as the core says a refusal (a card shows it beside the inputs)."""
    labels = {f.name: f.label for f in form.fields}
    text = "Please check the form. " + " ".join(f"{labels.get(name, name)}: {message}"
                                                for name, message in errors.items())
    return Reply(error=True, summary=text, field_errors=dict(errors)).add(Paragraph(rich(text)))


def _field_text(value: object, name: str) -> str:
    found = value.get(name) if isinstance(value, dict) else None
    return found if isinstance(found, str) else ""


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
        self.forms = services.bot.router.forms()
        # A bare command whose form needs no reference ("action add") opens that form.
        self.bare_forms = {form.becomes({}, None)[0]: form for form in self.forms if not form.needs_ref}

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
        if str(activity.name or "").startswith("task/"):
            return HTTPStatus.OK, {"task": {"type": "message", "value": STILL_WORKING}}
        return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": STILL_WORKING}

    def _background(self, work: Awaitable) -> None:
        self.services.background.spawn(work)

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

    async def _command(self, context: TurnContext, text: str, place: Place, values: dict | None = None,
                       source_link: str | None = None) -> Outcome:
        activity = context.activity
        command = Command(
            who=await self.directory.identity(context),
            text=text,
            where=f"teams:{base_conversation_id(activity.conversation.id)}",
            is_direct=conversation_type(activity) == "personal",
            values=values or {},
            source_link=source_link,
            place=place,
        )
        outcome = await self.services.bot.handle(command)
        return await self.directory.accounts.addressed_outcome(outcome)

    async def _on_message(self, context: TurnContext) -> None:
        text = await command_text(context, self.directory)
        bare = text.lower().removeprefix("/board").strip()
        if bare in self.bare_forms:
            form = self.bare_forms[bare]
            card = form_card(form, None, await self.choices_for(form))
            try:
                await asyncio.wait_for(context.send_activity(card_activity(card)), SEND_WAIT)
            except Exception as error:  # nothing was changed: they can type it again
                log.warning("teams form card failed", extra={"error": type(error).__name__})
            return
        await self.deliver(context, await self._command(context, text, place_of(context.activity)))

    async def deliver(self, context: TurnContext, outcome: Outcome) -> None:
        """Carry out the audience in the conversation: the asker's answer here or in their
        personal chat (saying so here), and the channel's view of a change."""
        reply, audience = outcome.reply, outcome.audience
        if audience.summary is not Summary.NONE:
            await self._send(context, public_view(reply))
            if has_more_than_summary(reply):
                await self._send_private(context, reply)
        elif audience.seen is Seen.HERE:
            await self._send(context, reply)
        elif await self._send_private(context, reply):  # a conversation cannot whisper: privately
            await self._send(context, Reply(summary=PRIVATE_NOTE).add(Note(rich(PRIVATE_NOTE))))

    async def deliver_later(self, activity: Activity, outcome: Outcome) -> None:
        """``deliver``, every send through the outbox (an invoke answers at once)."""
        reply, audience = outcome.reply, outcome.audience
        here = conversation_target(activity)
        if audience.summary is not Summary.NONE:
            await self.later.send(here, public_view(reply), "teams")
            if has_more_than_summary(reply):
                await self._private_later(activity, reply)
        elif audience.seen is Seen.HERE:
            await self.later.send(here, reply, "teams")
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
        renderer = CardRenderer()
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
            cards = CardRenderer().render(reply)
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
        target = context.activity.reply_to_id
        place = place_of(context.activity, data if target else None)
        outcome, card, form = await self._card_action(context, data, "Action.Submit", place)
        if card is None:
            return
        reply, audience = outcome.reply, outcome.audience
        if target and form is not None and reply.error and not place.shared:
            await self._update(context, target, card)  # the form again, with its errors
        elif target and audience.seen is Seen.PRESSED:
            await self._update(context, target, card)
        elif target and audience.renew:
            await self._update(context, target, CardRenderer(action="Action.Submit").render(public_view(reply))[0])
            if has_more_than_summary(reply):
                await self._send_private(context, reply)
        else:
            await self.deliver(context, outcome)

    async def _on_execute(self, context: TurnContext, late: list[Reply]) -> tuple[int, dict]:
        """Action.Execute: the presser gets the new card in the invoke response (Teams shows it in place
        of the old one); anything else they or the channel should see is sent from the outbox."""
        activity = context.activity
        data = ((activity.value or {}).get("action") or {}).get("data")
        if not isinstance(data, dict):
            return HTTPStatus.OK, invoke_error("That card action carries no data.")
        # "Show all" answers with messages, as if typed; any other press is about its card.
        place = place_of(activity) if data.get(ALL) else place_of(activity, data, Whisper.TEXT)
        outcome, card, form = await self._card_action(context, data, "Action.Execute", place)
        if card is None:
            return HTTPStatus.OK, invoke_error("Unknown card action")
        if data.get(ALL):
            await self.deliver_later(activity, outcome)
            return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": SENT_ALL}
        reply, audience = outcome.reply, outcome.audience
        if form is not None and reply.error or audience.seen is Seen.PRESSED:  # a form's errors, or the answer
            late.append(reply)
            return HTTPStatus.OK, {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}
        if audience.renew:
            if has_more_than_summary(reply):
                await self._private_later(activity, reply)
            late.append(public_view(reply))
            return HTTPStatus.OK, {"statusCode": 200, "type": CARD_CONTENT_TYPE,
                                   "value": CardRenderer().render(public_view(reply))[0]}
        # The card stays as it is for everyone; the change is told in its thread.
        if audience.summary is not Summary.NONE:
            await self.later.send(conversation_target(activity), public_view(reply), "teams")
            if has_more_than_summary(reply):
                await self._private_later(activity, reply)
            return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": reply.summary}
        if audience.seen is Seen.PRIVATE:
            sent = await self._private_later(activity, reply)
            return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE,
                                   "value": PRIVATE_NOTE if sent else NO_PRIVATE_CHAT}
        return HTTPStatus.OK, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": reply.summary}

    async def _card_action(self, context: TurnContext, data: dict, action: str,
                           place: Place) -> tuple[Outcome, dict | None, Form | None]:
        """Run what a button or form asks; the card to show (None: not ours)."""
        kind = data.get(KIND)
        form = self.forms.get(str(data.get(FORM) or "")) if kind == "form" else None
        if kind == "command" and data.get(COMMAND):
            outcome = await self._command(context, str(data[COMMAND]), place)
        elif form is not None:
            outcome, refused_card = await self._submit_form(context, form, data, action, place)
            if refused_card is not None:
                return outcome, refused_card, form
        else:
            return Outcome(Reply(error=True)), None, None
        return outcome, await self._first_card(context, outcome, data, action), form

    async def _first_card(self, context: TurnContext, outcome: Outcome, data: dict, action: str) -> dict:
        """The card a press refreshes to: the reply's first part. If there is more, a button shows all
        of it (a read is run again) or, for a change, the rest follows from the outbox."""
        renderer = CardRenderer(action=action)
        parts = renderer.parts(outcome.reply)
        card = renderer.card(parts[0])
        if len(parts) == 1 or data.get(ALL):
            return card
        command = str(data.get(COMMAND) or "")
        if data.get(KIND) == "command" and outcome.spec is not None and not outcome.spec.changes_state:
            title = f"Show all ({len(parts)} parts)"
            card.setdefault("actions", []).append(submit_action(title, {**command_data(command), ALL: "1"}, action))
        else:
            await self.later.send(conversation_target(context.activity), joined(parts[1:]), "teams")
        return card

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
        if name == "task/fetch":
            return HTTPStatus.OK, await self._dialog_form(context)
        if name == "task/submit":
            return HTTPStatus.OK, await self._dialog_submit(context)
        return HTTPStatus.OK, {}  # not one of ours: Teams expects a 200 with a JSON body

    def _extension(self, context: TurnContext) -> tuple[Form | None, dict]:
        value = context.activity.value or {}
        return self.forms.get(EXTENSION_FORMS.get(str(_field_text(value, "commandId")))), value

    @staticmethod
    def _task(form: Form, card: dict, ref: str | None = None) -> dict:
        return {"task": {"type": "continue", "value": {
            "title": form.title_for(ref), "width": "medium", "height": "medium",
            "card": {"contentType": CARD_CONTENT_TYPE, "content": card}}}}

    async def _submit_form(self, context: TurnContext, form: Form, data: dict, action: str, place: Place,
                           source_link: str | None = None) -> tuple[Outcome, dict | None]:
        """Submitted inputs as the one command their form becomes: the outcome, and the form
        again with the errors beside its inputs when it was refused (None when it ran)."""
        ref = opened_on(data)
        try:
            text, values = form.submission(values_from_submit(form, data), ref)
        except Invalid as invalid:
            outcome = refused(refused_form(form, invalid.errors), place)
        else:
            outcome = await self._command(context, text, place, values, source_link=source_link)
            if not outcome.reply.error:
                return outcome, None
        errors = outcome.reply.field_errors or {"": outcome.reply.summary}
        card = form_card(form, ref, await self.choices_for(form), values=data, errors=errors, action=action)
        return outcome, card

    async def _extension_form(self, context: TurnContext) -> dict:
        form, value = self._extension(context)
        if form is None:
            return {"task": {"type": "message", "value": "That command isn't one of partnerbot's."}}
        body = _field(_field(value, "messagePayload"), "body").get("content") or ""
        values = form.prefill(clean_text(str(body)))
        return self._task(form, form_card(form, None, await self.choices_for(form), values=values,
                                          action="Action.Submit"))

    async def _extension_submit(self, context: TurnContext) -> dict:
        form, value = self._extension(context)
        if form is None:
            return {"task": {"type": "message", "value": "That command isn't one of partnerbot's."}}
        link = _field(value, "messagePayload").get("linkToMessage")
        outcome, refused_card = await self._submit_form(context, form, _field(value, "data"), "Action.Submit",
                                                        place_of(context.activity),
                                                        source_link=link if isinstance(link, str) else None)
        if refused_card is not None:
            return self._task(form, refused_card)
        await self.deliver_later(context.activity, outcome)  # the dialog says it is done
        return {"task": {"type": "message", "value": outcome.reply.summary or "Done."}}

    # -- dialogs (task modules) ------------------------------------------------------------------------

    def _dialog(self, context: TurnContext) -> tuple[Form | None, dict]:
        """The form a ``task/fetch`` or ``task/submit`` is about (None: not one of ours)."""
        data = _field(context.activity.value, "data")
        return (self.forms.get(str(data.get(FORM) or "")) if data.get(KIND) == "form" else None), data

    async def _dialog_form(self, context: TurnContext) -> dict:
        form, data = self._dialog(context)
        if form is None:
            return {}
        ref = opened_on(data)
        return self._task(form, form_card(form, ref, await self.choices_for(form), action="Action.Submit"), ref)

    async def _dialog_submit(self, context: TurnContext) -> dict:
        """A dialog's form, run: the dialog closes saying what happened; the card it was opened
        from becomes the thing's new state where the audience rule says so (as a press would)."""
        form, data = self._dialog(context)
        if form is None:
            return {}
        activity = context.activity
        target = activity.reply_to_id
        place = place_of(activity, data if target else None)
        outcome, refused_card = await self._submit_form(context, form, data, "Action.Submit", place)
        if refused_card is not None:
            return self._task(form, refused_card, opened_on(data))
        reply, audience = outcome.reply, outcome.audience
        if target and audience.seen is Seen.PRESSED:
            await self._update(context, target, CardRenderer().render(reply)[0])
        elif target and audience.renew:
            await self._update(context, target, CardRenderer().render(public_view(reply))[0])
            if has_more_than_summary(reply):
                await self._private_later(activity, reply)
        else:
            await self.deliver_later(activity, outcome)
        return {"task": {"type": "message", "value": reply.summary or "Done."}}

    # -- board data for forms ----------------------------------------------------------------------------

    async def choices_for(self, form: Form) -> FormChoices:
        """Board data only for a form that offers it (most ask for text or a date)."""
        return await self.choices() if wants_board_data(form) else FormChoices()

    async def choices(self) -> FormChoices:
        """The core's menu choices (bot.menus) as the forms' choice sets."""
        choices = await self.services.bot.choices()
        now = self.services.clock.now()
        return FormChoices(
            members=[(f"{m.name} (@{m.handle})", f"@{m.handle}") for m in choices.members],
            workstreams=[(f"W{w.id} {w.name}", f"W{w.id}") for w in choices.workstreams],
            meetings=[(f"M{m.id} {format_datetime(m.starts_at)}", f"M{m.id}") for m in choices.meetings
                      if m.starts_at >= now][:MEETING_CHOICES],
        )
