"""Running a command for a Slack user and putting the answer where they expect it.

The asker sees the full reply (ephemeral in a channel, a normal message in
their DM with the bot); if the command changed shared state the channel also
sees the one-line summary. A button press that changed something replaces
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

from adapters.services import Services
from adapters.slack.forms import Origin
from adapters.slack.home import HomeTab
from adapters.slack.people import SlackPeople
from adapters.slack.render import Message, render_messages, summary_message
from bot.context import Command, Identity
from bot.errors import BotError
from bot.reply import Attachment, Reply

log = logging.getLogger("partnerbot.slack")


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
            await self.home.publish(who)

    async def deliver(self, origin: Origin, user_id: str, reply: Reply, changed: bool) -> None:
        messages = render_messages(reply, self.tz)
        # Only the presser sees an ephemeral or DM message; a channel message is everyone's.
        replace = changed and origin.ts and (origin.ephemeral or origin.direct or reply.renews(origin.ref))
        if replace:
            await self._replace(origin, messages[0])
        elif origin.response_url:
            for message in messages:
                await self._webhook(origin.response_url, message, "ephemeral")
        elif origin.direct and origin.channel:
            await self._post(origin.channel, messages)
        elif not (origin.channel and await self._ephemeral(origin.channel, user_id, messages)):
            await self.dm(user_id, messages)
        for attachment in reply.attachments:
            await self.send_file(user_id, attachment)
        if changed and reply.public and reply.summary and is_channel(origin.channel) and not replace:
            summary = summary_message(reply)
            if origin.ts:  # a press on a channel message: say what changed in its thread
                await self.call("chat_postMessage", channel=origin.channel, thread_ts=origin.ts,
                                blocks=summary.blocks, text=summary.text)
            elif origin.response_url:
                await self._webhook(origin.response_url, summary, "in_channel")
            else:
                await self._post(origin.channel, [summary])

    async def dm(self, user_id: str, messages: list[Message]) -> None:
        channel = await self._dm_channel(user_id)
        if channel is not None:
            await self._post(channel, messages)

    async def send_file(self, user_id: str, attachment: Attachment) -> None:
        """A file for the asker alone: uploaded into their DM with the bot, never a channel."""
        channel = await self._dm_channel(user_id)
        if channel is not None:
            await self.call("files_upload_v2", channel=channel, filename=attachment.filename,
                            content=attachment.content, title=attachment.filename)

    async def _dm_channel(self, user_id: str) -> str | None:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            try:
                channel = (await self.client.conversations_open(users=user_id))["channel"]["id"]
            except SlackApiError as error:
                log.warning("conversations.open failed", extra={"slack_error": error.response.get("error")})
                return None
            self._dm_channels[user_id] = channel
        return channel

    async def _post(self, channel: str, messages: list[Message]) -> None:
        for message in messages:
            if not await self.call("chat_postMessage", channel=channel, blocks=message.blocks, text=message.text):
                return

    async def _ephemeral(self, channel: str, user_id: str, messages: list[Message]) -> bool:
        """False when the bot cannot post there (e.g. not in the channel): the caller DMs instead."""
        for message in messages:
            if not await self.call("chat_postEphemeral", channel=channel, user=user_id, blocks=message.blocks,
                                    text=message.text):
                return False
        return True

    async def _replace(self, origin: Origin, message: Message) -> None:
        if origin.ephemeral and origin.response_url:
            await self._webhook(origin.response_url, message, "ephemeral", replace=True)
        else:
            await self.call("chat_update", channel=origin.channel, ts=origin.ts, blocks=message.blocks,
                             text=message.text)

    async def call(self, method: str, **kwargs: object) -> bool:
        try:
            await getattr(self.client, method)(**kwargs)
        except SlackApiError as error:
            log.warning("Slack call failed", extra={"method": method, "slack_error": error.response.get("error")})
            return False
        return True

    async def _webhook(self, url: str, message: Message, response_type: str, replace: bool = False) -> None:
        try:
            sent = await AsyncWebhookClient(url).send(text=message.text, blocks=message.blocks,
                                                      response_type=response_type, replace_original=replace)
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("response_url unreachable", extra={"error": type(error).__name__})
            return
        if sent.status_code != 200:
            log.warning("response_url refused", extra={"status": sent.status_code})
