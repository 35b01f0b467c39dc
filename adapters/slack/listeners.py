"""The bolt app: every Slack entry point, shared by HTTP and Socket Mode.

Each listener acknowledges first (Slack gives up after 3 seconds) and hands
the work to a bounded queue (adapters.slack.work), answering through
``response_url`` or the Web API; when the queue is full it answers "busy"
at once. The one
exception is a modal submission, which must answer with its field errors:
it waits a little for the board and, if the database is slow, closes the
modal and answers by message instead.

Events are processed once: a middleware records each event id durably
before bolt acknowledges it, so Slack's retries (``X-Slack-Retry-Num``)
are answered 200 and change nothing. If the database is too slow for
Slack's 3 seconds, the event is acknowledged first and handled as soon as
its record is written (a retry arriving meanwhile waits on the same key).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack import forms, guard
from adapters.slack.command_runner import SlackBoard, Undelivered, is_channel, place_of, unescape
from adapters.slack.forms import Origin
from adapters.slack.render import LINK, PRESS
from adapters.slack.work import BUSY
from adapters.web.limits import SLOW_DOWN, RateLimit
from bot.context import Command, Identity
from bot.forms import MEETINGS, WORKSTREAMS, Invalid
from bot.grammar import first_ref
from bot.menus import matching
from bot.outcome import Outcome, refused
from bot.reply import Paragraph, Reply, rich
from bot.text import format_datetime

log = logging.getLogger("partnerbot.slack")

COMMAND = "/board"
SUBMIT_WAIT = 2.0  # seconds a modal waits for the board before closing and answering by message
RECORD_WAIT = 1.5  # seconds an event or menu waits for the database before it is acknowledged anyway
# Shortcut callback id -> (form it opens, whether it acts on a message). manifest/slack.yaml names the same ids.
SHORTCUTS = {
    "log_as_action": ("action.add", True),
    "raise_as_issue": ("issue.raise", True),
    "new_action": ("action.add", False),
}
MAX_OPTIONS = 100


def permalink(domain: str, channel: str, ts: str) -> str:
    return f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def action_origin(body: dict) -> Origin:
    """Where a pressed button or menu lives: a (maybe ephemeral) message, or the App Home."""
    container = body.get("container") or {}
    if container.get("type") == "view":
        return Origin()
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return Origin(channel=channel, ts=container.get("message_ts"), response_url=body.get("response_url"),
                  ephemeral=bool(container.get("is_ephemeral")), direct=bool(channel and channel.startswith("D")))


class Listeners:
    """Bolt listener functions; bolt passes arguments by name (ack, body, event…)."""

    def __init__(self, board: SlackBoard, app: AsyncApp, limits: RateLimit | None = None) -> None:
        self.board = board
        self.app = app
        self.limits = limits or RateLimit()
        self._recorded: dict[str, bool] = {}  # event ids recorded late, on their way back through bolt
        self.background = board.services.background
        self.work = board.work
        self.forms = board.services.bot.router.forms()

    async def identity(self, user_id: str, name: str | None = None) -> Identity:
        return await self.board.people.identity(user_id, name)

    async def well_formed(self, body: dict, next_: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        """A 400 at once for what no listener could act on; "slow down" for a flooder."""
        if (why := guard.problem(body)) is not None:
            log.info("malformed Slack request refused", extra={"reason": why})
            return BoltResponse(status=400, body=why)
        user = guard.who(body)
        if user and not self.limits.allow(f"slack:{user}"):
            return await self._slow_down(body, user)
        return await next_()

    async def _slow_down(self, body: dict, user: str) -> BoltResponse:
        if "command" in body:  # the ack itself answers, only to them
            return BoltResponse(status=200, body=json.dumps({"response_type": "ephemeral", "text": SLOW_DOWN}),
                                headers={"content-type": ["application/json"]})
        channel = (body.get("event") or {}).get("channel")
        if channel and self.limits.should_warn(f"slack:{user}"):
            self.background.spawn(self._warn(channel, user))
        return BoltResponse(status=200, body="")

    async def _warn(self, channel: str, user: str) -> None:
        with contextlib.suppress(Undelivered):  # a warning is not worth a retry: their next message brings one
            await self.board.call("chat_postEphemeral", channel=channel, user=user, text=SLOW_DOWN)

    async def once_per_event(self, body: dict, req: AsyncBoltRequest,
                             next_: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id or self._recorded.pop(event_id, False):
            return await next_()
        record = asyncio.ensure_future(self._remember(event_id))
        done, _ = await asyncio.wait({record}, timeout=RECORD_WAIT)
        if not done:
            # A slow database must not cost the ack (Slack retries after 3 s): answer now and
            # handle the event once its record is durable, so a retry still finds it.
            self.background.spawn(self._when_recorded(record, event_id, req))
            return BoltResponse(status=200, body="")
        if not record.result():
            log.info("duplicate Slack event ignored", extra={"event_id": event_id})
            return BoltResponse(status=200, body="")
        return await next_()

    async def _remember(self, event_id: str) -> bool:
        async with self.board.services.db.uow() as uow:
            fresh = await uow.platform.remember_event("slack", event_id)
            await uow.commit()
        return fresh

    async def _when_recorded(self, record: asyncio.Future, event_id: str, req: AsyncBoltRequest) -> None:
        try:
            fresh = await record
        except Exception:  # nothing recorded: Slack's retry will bring the event again
            log.exception("Slack event not recorded", extra={"event_id": event_id})
            return
        if not fresh:
            log.info("duplicate Slack event ignored", extra={"event_id": event_id})
            return
        self._recorded[event_id] = True
        await self.app.async_dispatch(req)  # back through bolt (signature included), now recorded

    async def on_command(self, ack, body: dict) -> None:
        channel = body.get("channel_id")
        origin = Origin(channel=channel, response_url=body.get("response_url"))
        text = unescape(body.get("text") or "")
        if not self.work.submit(lambda: self._answer(body["user_id"], body.get("user_name"), text, channel or "",
                                                     origin)):
            await ack(text=BUSY)
            return
        await ack()

    async def _answer(self, user_id: str, name: str | None, text: str, where: str, origin: Origin,
                      is_direct: bool = False) -> None:
        """A queued job: who asked (users.info, cached), then the core's answer where they expect it."""
        who = await self.identity(user_id, name)
        await self.board.answer(Command(who, text, where=where, is_direct=is_direct, place=place_of(origin)), origin)

    async def _queue(self, job: Callable[[], Awaitable[None]], channel: str | None) -> None:
        """An event's answer, queued; when the queue is full the channel is told to try again."""
        if not self.work.submit(job) and channel:
            await self.board.call("chat_postMessage", channel=channel, text=BUSY)

    async def on_message(self, event: dict) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        channel, text = event["channel"], unescape(event.get("text") or "")
        origin = Origin(channel=channel, direct=True, thread_ts=event.get("thread_ts"))
        await self._queue(lambda: self._answer(event["user"], None, text, channel, origin, is_direct=True), channel)

    async def on_mention(self, event: dict, context) -> None:
        bot = re.escape(context.bot_user_id or "")
        text = unescape(re.sub(rf"<@{bot}(?:\|[^>]*)?>", "", event.get("text") or "", count=1)).strip()
        channel = event["channel"]
        origin = Origin(channel=channel, thread_ts=event.get("thread_ts"))
        await self._queue(lambda: self._answer(event["user"], None, text, channel, origin), channel)

    async def on_home_opened(self, event: dict) -> None:
        if event.get("tab", "home") == "home":
            # When busy the tab keeps its last view; the next opening refreshes it.
            await self._queue(lambda: self._publish_home(event["user"]), None)

    async def _publish_home(self, user_id: str) -> None:
        await self.board.home.publish(await self.identity(user_id))

    async def on_shortcut(self, ack, body: dict) -> None:
        await ack()
        form, on_message = SHORTCUTS[body["callback_id"]]
        origin, prefill = Origin(), ""
        if on_message:
            channel, message = body["channel"]["id"], body.get("message") or {}
            link = permalink(body["team"]["domain"], channel, message.get("ts") or body["message_ts"])
            origin = Origin(channel=channel if is_channel(channel) else None, source_link=link)
            prefill = unescape(message.get("text") or "")
        await self.board.call("views_open", trigger_id=body["trigger_id"],
                              view=forms.modal(self.forms.by_id[form], origin, prefill))

    async def on_press(self, ack, body: dict, action: dict) -> None:
        await ack()
        value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
        kind, _, rest = value.partition(":")
        origin = action_origin(body)
        if kind == "form":
            form_id, _, ref = rest.partition(":")
            if (form := self.forms.get(form_id)) is not None:
                origin.ref = ref or None
                await self.board.call("views_open", trigger_id=body["trigger_id"], view=forms.modal(form, origin))
        elif kind == "run" and rest:
            origin.ref = first_ref(rest)
            user_id = body["user"]["id"]
            if not self.work.submit(lambda: self._answer(user_id, None, rest, origin.channel or "home", origin)):
                busy = Reply(error=True, summary=BUSY).add(Paragraph(rich(BUSY)))
                await self.board.deliver(origin, user_id, refused(busy, place_of(origin)))

    async def on_link(self, ack) -> None:
        await ack()  # the browser opens the link; nothing to do

    async def on_submit(self, ack, body: dict, view: dict) -> None:
        """A modal's answers as the one command its form becomes: refused on its fields
        (the modal stays open) or run, the modal closes and the answer goes where it was opened."""
        form = self.forms.get(view["callback_id"].removeprefix(forms.CALLBACK))
        if form is None:
            await ack()
            return
        origin = Origin.load(view.get("private_metadata"))
        try:
            text, values = form.submission(forms.values(form, view["state"]["values"]), origin.ref)
        except Invalid as invalid:
            await ack(response_action="errors", errors=forms.field_errors(view, invalid.errors))
            return
        work = asyncio.ensure_future(self._run_form(body["user"]["id"], text, values, origin))
        done, _ = await asyncio.wait({work}, timeout=SUBMIT_WAIT)
        if not done:
            await ack()  # the board is slow: close the modal, the answer follows as a message
            who, outcome = await work
            await self.board.finish(who, origin, outcome)
            return
        who, outcome = work.result()
        if outcome.reply.error:
            await ack(response_action="errors", errors=forms.refusal(view, outcome.reply))
            return
        await ack()
        await self.board.finish(who, origin, outcome)

    async def _run_form(self, user_id: str, text: str, values: dict, origin: Origin) -> tuple[Identity, Outcome]:
        who = await self.identity(user_id)
        command = Command(who, text, where=origin.channel or "", values=values, source_link=origin.source_link,
                          place=place_of(origin))
        return who, await self.board.run(command)

    async def on_options(self, ack, body: dict) -> None:
        try:
            options = await asyncio.wait_for(self._options(body), RECORD_WAIT)
        except TimeoutError:  # Slack drops a late answer; an empty menu asks again as the person types
            options = []
        await ack(options=options[:MAX_OPTIONS])

    async def _options(self, body: dict) -> list[dict]:
        """The external select's options: the board data its form field draws from, through the core."""
        source = self.forms.sources().get(str(body.get("action_id") or ""))
        choices = await self.board.services.bot.choices()
        if source == WORKSTREAMS:
            found = [(f"W{w.id}", w.name) for w in choices.workstreams]
        elif source == MEETINGS:
            found = [(f"M{m.id}", format_datetime(m.starts_at, self.board.tz)) for m in choices.meetings]
        else:
            found = []
        return [{"text": {"type": "plain_text", "text": f"{ref} — {label}"[:75]}, "value": ref}
                for ref, label in matching(body.get("value") or "", found)]

    async def on_other_event(self) -> None:
        """Events the bot does not act on are acknowledged (bolt would say 404, and Slack retry)."""

    async def on_error(self, error: Exception, body: dict) -> None:
        log.error("Slack listener failed", exc_info=error, extra={"kind": body.get("type")})


def build_bolt_app(board: SlackBoard, signing_secret: str | None) -> AsyncApp:
    """The bolt app with every listener. Request signatures are always verified
    over HTTP (bolt checks the HMAC and a 5-minute window); Socket Mode requests
    arrive over the app-token websocket instead and carry no signature."""
    app = AsyncApp(client=board.client, signing_secret=signing_secret or "", name="partnerbot",
                   process_before_response=False)
    on = Listeners(board, app)
    app.middleware(on.well_formed)
    app.middleware(on.once_per_event)
    app.command(COMMAND)(on.on_command)
    app.event("message")(on.on_message)
    app.event("app_mention")(on.on_mention)
    app.event("app_home_opened")(on.on_home_opened)
    app.event(re.compile(".*"))(on.on_other_event)  # last: only what no listener above took
    for callback_id in SHORTCUTS:
        app.shortcut(callback_id)(on.on_shortcut)
    app.action(re.compile(rf"^{re.escape(PRESS)}\.\d+$"))(on.on_press)
    app.action(re.compile(rf"^{re.escape(LINK)}\.\d+$"))(on.on_link)
    app.view(re.compile(rf"^{re.escape(forms.CALLBACK)}"))(on.on_submit)
    lookups = "|".join(re.escape(name) for name in on.forms.sources())
    app.options(re.compile(rf"^({lookups})$"))(on.on_options)
    app.error(on.on_error)
    return app
