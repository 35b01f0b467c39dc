"""Running a command for a Slack user and putting the answer where they expect it.

The asker sees the full reply (ephemeral in a channel, a normal message in
their DM with the bot); if the command changed shared state the channel also
sees the one-line summary; an answer to a message in a thread goes in that
thread. Anything Slack does not take now goes to the outbox and is retried,
so a committed change never loses its confirmation. A button press that changed something replaces
the message it was on, so a reminder turns into "A12 is done" instead of
leaving stale buttons behind. Refusals are only ever shown to the asker.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.services import Services, document_source
from adapters.slack.files import upload
from adapters.slack.forms import Origin
from adapters.slack.home import HomeTab
from adapters.slack.people import SlackPeople
from adapters.slack.render import Message, render_messages, summary_message
from adapters.web.later import Later
from bot.context import Command, Identity
from bot.errors import BotError
from bot.outbox_keys import Recipient
from bot.reply import DocumentRef, Paragraph, Reply, rich

log = logging.getLogger("partnerbot.slack")
WEBHOOK_TIMEOUT = 10  # seconds a response_url may take before the answer goes to the outbox


def unescape(text: str) -> str:
    """Slack sends ``&``, ``<`` and ``>`` in typed text as entities; the core wants the words."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def is_channel(channel: str | None) -> bool:
    """A public or private channel (not a DM), where a summary may be posted."""
    return bool(channel) and channel[0] in "CG"


class SlackBoard:
    def __init__(self, services: Services, client: AsyncWebClient) -> None:
        self.services = services
        self.client = client
        self.tz = ZoneInfo(services.settings.timezone)
        self.people = SlackPeople(client, services.db)
        self.home = HomeTab(client, services.bot.handle, self.tz)
        self._dm_channels: dict[str, str] = {}
        self.later = Later(services)
        self.documents = document_source(services)

    async def run(self, command: Command) -> tuple[Reply, bool]:
        """The core's reply, and whether it changed anything (so views need refreshing)."""
        await self.people.link_mentioned(command)
        reply = await self.services.bot.handle(command)
        if reply.error:
            return reply, False
        await self.people.link_added(command)
        return reply, reply.public or self._changes_state(command.text)

    def _changes_state(self, text: str) -> bool:
        try:
            return self.services.bot.spec_for(text.strip().removeprefix("/board").strip() or "help").changes_state
        except BotError:
            return True  # not a command: a parent rep's DM that the core logged as an issue

    async def answer(self, command: Command, origin: Origin) -> None:
        reply, changed = await self.run(command)
        await self.finish(command.who, origin, reply, changed)

    async def finish(self, who: Identity, origin: Origin, reply: Reply, changed: bool) -> None:
        await self.deliver(origin, who.user_id, reply, changed)
        if changed:
            try:
                await self.home.publish(who)
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:  # the next open refreshes it
                log.warning("App Home refresh failed", extra={"error": type(error).__name__})

    async def deliver(self, origin: Origin, user_id: str, reply: Reply, changed: bool) -> None:
        """The answer to the asker and, for a change, the summary to the channel. Either one that
        Slack does not take now (rate limit, outage, dropped connection) goes to the outbox."""
        replace = bool(changed and origin.ts and (origin.ephemeral or origin.direct or reply.renews(origin.ref)))
        try:
            await self._answer(origin, user_id, reply, replace)
        except Undelivered as error:
            log.warning("Slack answer failed; queued in the outbox", extra={"error": str(error)})
            await self._answer_later(origin, user_id, reply)
        if reply.attachments:
            await self._send_files(origin, user_id, reply)
        if changed and reply.public and reply.summary and is_channel(origin.channel) and not replace:
            summary = summary_message(reply)
            try:
                await self._summary(origin, summary)
            except Undelivered as error:
                log.warning("Slack summary failed; queued in the outbox", extra={"error": str(error)})
                notice = Reply(summary=reply.summary, public=True, refs=list(reply.refs))
                await self.later.send(Recipient.channel(f"slack:{origin.channel}"), notice.add(Paragraph(rich(reply.summary))),
                                      "slack")

    async def _answer(self, origin: Origin, user_id: str, reply: Reply, replace: bool) -> None:
        messages = render_messages(reply, self.tz)
        # Only the presser sees an ephemeral or DM message; a channel message is everyone's.
        if replace:
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

    async def _summary(self, origin: Origin, summary: Message) -> None:
        thread = origin.ts or origin.thread_ts  # a press on a channel message: say what changed in its thread
        if thread:
            await self.call("chat_postMessage", channel=origin.channel, thread_ts=thread,
                            blocks=summary.blocks, text=summary.text)
        elif origin.response_url:
            await self._webhook(origin.response_url, summary, "in_channel")
        else:
            await self._post(origin.channel, [summary])

    async def _answer_later(self, origin: Origin, user_id: str, reply: Reply) -> None:
        """The answer from the outbox: in the DM it was asked in, else privately to the member."""
        if origin.direct and origin.channel:
            await self.later.send(Recipient.channel(f"slack:{origin.channel}"), reply, "slack")
            return
        async with self.services.db.uow() as uow:
            member = await uow.members.by_platform_id("slack", user_id)
        if member is not None and member.id is not None:
            await self.later.send(Recipient.member(member.id), reply, "slack")
        else:  # not a member: nothing they asked changed the board
            log.warning("Slack answer to a non-member dropped", extra={"user": user_id})

    async def _dm_channel(self, user_id: str) -> str | None:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            try:
                channel = (await self.client.conversations_open(users=user_id))["channel"]["id"]
            except SlackApiError as error:
                if retryable(error):
                    raise Undelivered(f"conversations.open: {error.response.get('error')}") from error
                log.warning("conversations.open failed", extra={"slack_error": error.response.get("error")})
                return
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
        documents = [a for a in reply.attachments if isinstance(a, DocumentRef)]
        files = [a for a in reply.attachments if not isinstance(a, DocumentRef)]
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
