"""Pacing per conversation, with a fake clock so nothing really waits."""

from __future__ import annotations

import asyncio

from adapters.notify import RoutingNotifier
from bot.model import Member, OutboxMessage
from jobs.pacing import SLACK_RATES, Pacer, Rate
from tests.fakes.time import FakeTime


async def send_times(pacer: Pacer, time: FakeTime, keys: list[str]) -> list[tuple[str, float]]:
    times = []
    for key in keys:
        await pacer.wait(key)
        times.append((key, time.now))
    return times


async def test_slack_channels_get_one_message_a_second_each():
    time = FakeTime()
    pacer = Pacer(SLACK_RATES, time, time.sleep)
    times = await send_times(pacer, time, ["C1", "C1", "C2", "C1"])
    assert times == [("C1", 0.0), ("C1", 1.0), ("C2", 1.0), ("C1", 2.0)]


async def test_teams_limits_seven_a_second_and_sixty_in_thirty_seconds():
    time = FakeTime()
    pacer = Pacer((Rate(7, 1.0), Rate(60, 30.0)), time, time.sleep)
    times = [t for _, t in await send_times(pacer, time, ["conv"] * 61)]
    assert all(sum(1 for t in times if start <= t < start + 1) <= 7 for start in times)
    assert all(sum(1 for t in times if start <= t < start + 30) <= 60 for start in times)
    assert times[7] == 1.0 and times[60] == 30.0


async def test_routing_notifier_paces_slack_per_conversation():
    time = FakeTime()
    delivered = []

    class Slack:
        async def send(self, msg, member, channel):
            delivered.append((channel or accounts[member.id]["slack"], time.now))

    accounts = {7: {"slack": "U1"}}

    async def accounts_of(member):
        return accounts[member.id]

    notifier = RoutingNotifier(accounts_of=accounts_of)
    notifier.pacers["slack"] = Pacer(SLACK_RATES, time, time.sleep)
    notifier.register("slack", Slack())
    msg = OutboxMessage("k", "s", "channel:slack:C1", {}, "", due_at=None)
    ann = Member("ann", "Ann", "A", id=7)
    await asyncio.gather(notifier.send(msg, None, "slack:C1"), notifier.send(msg, None, "slack:C1"),
                         notifier.send(msg, ann, None))
    assert [t for who, t in delivered if who == "C1"] == [0.0, 1.0]
    assert "U1" in [who for who, _ in delivered] and time.slept == [1.0]  # only C1's second message waited
