"""Running a command for a Slack user and putting the answer where the core says.

The core decides who sees a reply (``Outcome.audience``, bot.audience); this
module carries it out the Slack way: a whisper is an ephemeral message (or the
``response_url`` answer), the asker's own conversation is their DM with the
bot, a pressed message is replaced with ``chat.update`` (or through its
``response_url`` when it was ephemeral), the channel's summary goes in the
thread of the pressed message when there is one. Anything Slack does not take
now goes to the outbox and is retried, so a committed change never loses its
confirmation. After a change, the App Home of everyone it touched is refreshed.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TypeGuard
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.accounts import Accounts
from adapters.services import Services, document_source
from adapters.slack.files import upload
from adapters.slack.forms import Origin
from adapters.slack.home import HomeTab
from adapters.slack.render import Message, render_messages, summary_message
from adapters.slack.users import PLATFORM, SlackPeople, neutral
from adapters.slack.work import WorkQueue
from adapters.web.later import Later
from bot.audience import Place, Pressed, Seen, Summary, Whisper
from bot.context import Command, Identity
from bot.outbox_keys import Recipient
from bot.outcome import Outcome
from bot.reply import Attached, DocumentRef, Paragraph, Reply, rich

log = logging.getLogger("partnerbot.slack")
WEBHOOK_TIMEOUT = 10  # seconds a response_url may take before the answer goes to the outbox


def unescape(text: str) -> str:
    """Slack sends ``&``, ``<`` and ``>`` in typed text as entities; the core wants the words."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def is_channel(channel: str | None) -> TypeGuard[str]:
    """A public or private channel (not a DM), where a summary may be posted."""
    return channel is not None and channel[:1] in ("C", "G")


def place_of(origin: Origin) -> Place:
    """Where a Slack command was asked, as the core's audience rule needs it. Slack can always
    whisper a whole reply (an ephemeral message) where the bot can answer at all."""
    pressed = Pressed(shared=not (origin.ephemeral or origin.direct), about=origin.ref) if origin.ts else None
    return Place(shared=is_channel(origin.channel), conversation=bool(origin.channel or origin.response_url),
                 thread=bool(origin.thread_ts), whisper=Whisper.FULL, pressed=pressed)


class SlackBoard:
    def __init__(self, services: Services, client: AsyncWebClient) -> None:
        self.services = services
        self.client = client
        self.tz = ZoneInfo(services.settings.timezone)
        self.accounts = Accounts(services.db.uow, PLATFORM)
        self.people = SlackPeople(client, self.accounts)
        self.home = HomeTab(client, services, self.accounts, self.tz)
        self._dm_channels: dict[str, str] = {}
        self.later = Later(services)
        self.documents = document_source(services)
        self.work = WorkQueue(services.settings.slack_workers, services.settings.slack_queue)
        services.background.on_close(self.work.close)  # answers queued at shutdown are still given

    async def handle(self, command: Command) -> Outcome:
        """The core's outcome of a command in Slack's syntax, its mentions addressed to Slack users."""
        command = dataclasses.replace(command, text=neutral(command.text))
        await self.people.link_mentioned(command)
        outcome = await self.services.bot.handle(command)
        return await self.accounts.addressed_outcome(outcome)

    async def run(self, command: Command) -> Outcome:
        """The core's outcome of ``command``; the Slack users a `member add` named are linked."""
        outcome = await self.handle(command)
        if outcome.changed and outcome.spec is not None and outcome.spec.name == "member add":
            await self.people.link_added(command)
        return outcome

    async def answer(self, command: Command, origin: Origin) -> None:
        await self.finish(command.who, origin, await self.run(command))

    async def finish(self, who: Identity, origin: Origin, outcome: Outcome) -> None:
        await self.deliver(origin, who.user_id, outcome)
        try:
            await self.home.refresh(who, outcome)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:  # the next open refreshes it
            log.warning("App Home refresh failed", extra={"error": type(error).__name__})

    async def deliver(self, origin: Origin, user_id: str, outcome: Outcome) -> None:
        """The answer where the audience says and the channel's summary. Either one that
        Slack does not take now (rate limit, outage, dropped connection) goes to the outbox."""
        reply, audience = outcome.reply, outcome.audience
        try:
            # A renewed shared message is the answer's first part; the rest follows privately.
            replace = audience.renew or audience.seen is Seen.PRESSED
            await self._answer(origin, user_id, reply, replace, private=audience.seen is Seen.PRIVATE and not replace)
        except Undelivered as error:
            log.warning("Slack answer failed; queued in the outbox", extra={"error": str(error)})
            await self._answer_later(origin, outcome)
        if reply.attachments:
            await self._send_files(origin, user_id, reply)
        if audience.summary is not Summary.NONE:
            summary = summary_message(reply)
            try:
                await self._summary(origin, summary, in_thread=audience.summary is Summary.THREAD)
            except Undelivered as error:
                log.warning("Slack summary failed; queued in the outbox", extra={"error": str(error)})
                notice = Reply(summary=reply.summary, public=True, refs=list(reply.refs))
                await self.later.send(Recipient.channel(f"slack:{origin.channel}"),
                                      notice.add(Paragraph(rich(reply.summary))),
                                      "slack")

    async def _answer(self, origin: Origin, user_id: str, reply: Reply, replace: bool, private: bool) -> None:
        messages = render_messages(reply, self.tz)
        if private:
            await self.dm(user_id, messages)
        elif replace:
            await self._replace(origin, messages[0])
            for message in messages[1:]:  # a long card goes on below the one it replaced
                await self._followup(origin, user_id, message)
        elif origin.response_url:
            for message in messages:
                await self._webhook(origin.response_url, message, "ephemeral")
        elif origin.direct and origin.channel:
            await self._post(origin.channel, messages, origin.thread_ts)
        elif not (origin.channel and await self._ephemeral(origin.channel, user_id, messages, origin.thread_ts)):
            await self.dm(user_id, messages)

    async def _followup(self, origin: Origin, user_id: str, message: Message) -> None:
        if origin.ephemeral and origin.response_url:
            await self._webhook(origin.response_url, message, "ephemeral")
        elif origin.direct and origin.channel:
            await self._post(origin.channel, [message])
        else:
            await self.dm(user_id, [message])

    async def _summary(self, origin: Origin, summary: Message, in_thread: bool) -> None:
        thread = origin.ts or origin.thread_ts  # a press on a channel message: say what changed in its thread
        if in_thread and thread:
            await self.call("chat_postMessage", channel=origin.channel, thread_ts=thread,
                            blocks=summary.blocks, text=summary.text)
        elif origin.response_url:
            await self._webhook(origin.response_url, summary, "in_channel")
        elif is_channel(origin.channel):
            await self._post(origin.channel, [summary])

    async def _answer_later(self, origin: Origin, outcome: Outcome) -> None:
        """The answer from the outbox: in the DM it was asked in, else privately to the member."""
        if origin.direct and origin.channel:
            await self.later.send(Recipient.channel(f"slack:{origin.channel}"), outcome.reply, "slack")
        elif outcome.actor is not None:
            await self.later.send(Recipient.member(outcome.actor), outcome.reply, "slack")
        else:  # not a member: nothing they asked changed the board
            log.warning("Slack answer to a non-member dropped")

    async def _dm_channel(self, user_id: str) -> str | None:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            try:
                channel = (await self.client.conversations_open(users=user_id))["channel"]["id"]
            except SlackApiError as error:
                if retryable(error):
                    raise Undelivered(f"conversations.open: {error.response.get('error')}") from error
                log.warning("conversations.open failed", extra={"slack_error": error.response.get("error")})
                return None
            except (aiohttp.ClientError, TimeoutError) as error:
                raise Undelivered(f"conversations.open: {type(error).__name__}") from error
            self._dm_channels[user_id] = channel
        return channel

    async def dm(self, user_id: str, messages: list[Message]) -> None:
        if channel := await self._dm_channel(user_id):
            await self._post(channel, messages)

    async def _send_files(self, origin: Origin, user_id: str, reply: Reply) -> None:
        """A file someone asked for goes to their DM with the bot (a channel has no private files);
        a board document (the pack, the minutes) is the board's, so it goes where it was asked."""
        private = origin.channel if origin.direct and origin.channel else await self._dm_channel(user_id)
        documents: list[Attached] = [a for a in reply.attachments if isinstance(a, DocumentRef)]
        files: list[Attached] = [a for a in reply.attachments if not isinstance(a, DocumentRef)]
        shared = origin.channel if is_channel(origin.channel) else private
        for channel, attached in ((private, files), (shared, documents)):
            if channel and attached:
                await upload(self.client, channel, attached, self.documents)

    async def _post(self, channel: str, messages: list[Message], thread_ts: str | None = None) -> None:
        for message in messages:
            extra = {"thread_ts": thread_ts} if thread_ts else {}
            if not await self.call("chat_postMessage", channel=channel, blocks=message.blocks, text=message.text,
                                   **extra):
                return

    async def _ephemeral(self, channel: str, user_id: str, messages: list[Message],
                         thread_ts: str | None = None) -> bool:
        """False when the bot cannot post there (e.g. not in the channel): the caller DMs instead."""
        for message in messages:
            extra = {"thread_ts": thread_ts} if thread_ts else {}
            if not await self.call("chat_postEphemeral", channel=channel, user=user_id, blocks=message.blocks,
                                   text=message.text, **extra):
                return False
        return True

    async def _replace(self, origin: Origin, message: Message) -> None:
        if origin.ephemeral and origin.response_url:
            await self._webhook(origin.response_url, message, "ephemeral", replace=True)
        else:
            await self.call("chat_update", channel=origin.channel, ts=origin.ts, blocks=message.blocks,
                             text=message.text)

    async def call(self, method: str, **kwargs: object) -> bool:
        """False when Slack refuses for good (not in the channel, say); Undelivered when trying
        again later can work (rate limited past the client's retries, an outage, no answer)."""
        try:
            await getattr(self.client, method)(**kwargs)
        except SlackApiError as error:
            if retryable(error):
                raise Undelivered(f"{method}: {error.response.get('error') or error.response.status_code}") from error
            log.warning("Slack call failed", extra={"method": method, "slack_error": error.response.get("error")})
            return False
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Undelivered(f"{method}: {type(error).__name__}") from error
        return True

    async def _webhook(self, url: str, message: Message, response_type: str, replace: bool = False) -> None:
        try:
            sent = await AsyncWebhookClient(url, timeout=WEBHOOK_TIMEOUT).send(
                text=message.text, blocks=message.blocks, response_type=response_type, replace_original=replace)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Undelivered(f"response_url: {type(error).__name__}") from error
        if sent.status_code == 429 or sent.status_code >= 500:
            raise Undelivered(f"response_url: {sent.status_code}")
        if sent.status_code != 200:
            log.warning("response_url refused", extra={"status": sent.status_code})


class Undelivered(Exception):
    """Slack did not take a message now, but may later: the outbox should try again."""


def retryable(error: SlackApiError) -> bool:
    status = getattr(error.response, "status_code", 200)
    return status == 429 or status >= 500 or error.response.get("error") in ("ratelimited", "service_unavailable",
                                                                               "fatal_error", "internal_error")
