"""Routes each outbox message to the platform its recipient is on.

A member is reached where they have an account (``uow.identities``: Slack,
Teams, any platform an adapter registers) or else the console; a channel setting names its platform (``slack:C123``,
``teams:<conversation id>``) or is a plain ``#name`` for the console.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError, Notifier
from jobs.pacing import SLACK_RATES, Pacer, Rate

PLATFORM_RATES: dict[str, Sequence[Rate]] = {"slack": SLACK_RATES}
AccountsOf = Callable[[Member], Awaitable[dict[str, str]]]  # platform -> the member's account there


async def no_accounts(member: Member) -> dict[str, str]:
    return {}


class RoutingNotifier:
    def __init__(self, rates: Mapping[str, Sequence[Rate]] = PLATFORM_RATES,
                 accounts_of: AccountsOf = no_accounts) -> None:
        self.accounts_of = accounts_of
        self.platforms: dict[str, Notifier] = {}
        self.pacers = {platform: Pacer(platform_rates) for platform, platform_rates in rates.items()}

    def register(self, platform: str, notifier: Notifier) -> None:
        self.platforms[platform] = notifier

    def _for_channel(self, channel: str) -> tuple[str, str]:
        platform, _, name = channel.partition(":")
        if name and platform in self.platforms:
            return platform, name
        for fallback in ("console", "slack", "teams"):
            if fallback in self.platforms:
                return fallback, channel
        raise DeliveryError(f"no platform can post to channel {channel}", permanent=True)

    async def _paced(self, platform: str, conversation: str, send: Awaitable[None]) -> None:
        pacer = self.pacers.get(platform)
        if pacer is None:
            return await send
        taken = await pacer.wait(conversation)
        try:
            await send
        finally:
            pacer.finished(conversation, taken)

    async def _member_route(self, recipient: Member) -> tuple[str, str] | None:
        """The platform a member is reached on (their first linked account on a connected
        platform, else the console), and the conversation its pacing counts."""
        accounts = await self.accounts_of(recipient)
        for platform in [*accounts, "console"]:
            if platform in self.platforms:
                return platform, accounts.get(platform, recipient.handle)
        return None

    async def wait_turn(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        """Wait until ``send`` could go without waiting for pacing (without taking the turn), so
        the dispatcher need not hold a send slot while a conversation waits for its next second."""
        try:
            route: tuple[str, str] | None
            if channel is not None:
                route = self._for_channel(channel)
            else:
                route = await self._member_route(recipient) if recipient else None
        except DeliveryError:
            return  # send will say why
        if route and (pacer := self.pacers.get(route[0])):
            while (pause := pacer.delay(route[1])) > 0:
                await pacer.sleep(pause)

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        if channel is not None:
            platform, name = self._for_channel(channel)
            return await self._paced(platform, name, self.platforms[platform].send(msg, None, name))
        if recipient is None:
            raise DeliveryError(f"{msg.recipient} no longer exists", permanent=True)
        if (route := await self._member_route(recipient)) is None:
            raise DeliveryError(f"@{recipient.handle} is not reachable on any connected platform", permanent=True)
        platform, user = route
        await self._paced(platform, user, self.platforms[platform].send(msg, recipient, None))
