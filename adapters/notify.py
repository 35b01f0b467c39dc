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

    async def _pace(self, platform: str, conversation: str) -> None:
        if pacer := self.pacers.get(platform):
            await pacer.wait(conversation)

    async def send(self, msg: OutboxMessage, recipient: Member | None, channel: str | None) -> None:
        if channel is not None:
            platform, name = self._for_channel(channel)
            await self._pace(platform, name)
            await self.platforms[platform].send(msg, None, name)
            return
        if recipient is None:
            raise DeliveryError(f"{msg.recipient} no longer exists", permanent=True)
        accounts = await self.accounts_of(recipient)
        for platform in [*accounts, "console"]:
            if platform in self.platforms:
                await self._pace(platform, accounts.get(platform, recipient.handle))
                await self.platforms[platform].send(msg, recipient, None)
                return
        raise DeliveryError(f"@{recipient.handle} is not reachable on any connected platform", permanent=True)
