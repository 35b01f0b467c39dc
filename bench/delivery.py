"""Target 5: 10,000 reminders over 50 channels against each platform's rate limits, in scaled time.

The outbox holds MESSAGES reminders, due now, spread evenly over CHANNELS channels in a shuffled order.
The dispatcher as ``partnerbot worker`` builds it (adapters.services: the worker's parallelism and call
timeout, the RoutingNotifier's Slack pacing, the real SlackNotifier or TeamsNotifier) is woken as the
scheduler wakes it: ``run_once`` every ``dispatch_interval_seconds`` and ``drain(rounds=20)`` every
``plan_interval_seconds``. It sends to a fake that enforces the platform's limits and answers 429 with
Retry-After when they are broken:

* Slack (tests.fakes.slack_api.FakeSlack): 1 message a second per channel;
* Teams (tests.adapters.teams.teams_fakes.FakeConnector, through botbuilder's CloudAdapter): 7 a second
  and 60 in 30 seconds per conversation, 50 a second per bot (adapters.teams.pacing's published limits).

Time is scaled: the fake, the pacers, the dispatcher's clock and its leases all read one ScaledTime
running SCALES times faster than the wall clock, so the 200 s the limits allow take 200/scale s. The
floor is the least time the limits allow for the whole load (the busiest channel's messages at its
sustained rate, or all messages at the per-bot rate, whichever is longer); the target is the time until
the fake has accepted the last message, at most 1.1x the floor, with no message lost or sent twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
import random
import re
import statistics
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from adapters.config import Settings
from adapters.notify import RoutingNotifier
from bench import board
from bench.report import target, write
from bot.model import OutboxMessage, OutboxStatus
from bot.reply import Paragraph, Reply, rich, to_dict
from bot.text import plain_text
from jobs.dispatcher import Dispatcher
from jobs.pacing import SLACK_RATES, Pacer
from storage.database import Database
from storage.outbox_delivery import SqlOutboxDelivery

# How much faster than the wall clock each platform's run goes: as fast as this machine's 2 shared cores let
# the dispatcher keep up (about 4 ms of CPU a Slack message, 6 a Teams one, fake included), so the run
# measures the pacing, not the CPU. BENCH_DELIVERY_SCALE sets both.
SCALES = {"slack": 4.0, "teams": 3.0} | (
    dict.fromkeys(("slack", "teams"), float(os.environ["BENCH_DELIVERY_SCALE"]))
    if os.environ.get("BENCH_DELIVERY_SCALE") else {})
PLATFORMS = os.environ.get("BENCH_DELIVERY_ONLY", "slack teams").split()  # e.g. BENCH_DELIVERY_ONLY=teams
MESSAGES = int(os.environ.get("BENCH_DELIVERY_MESSAGES", "10000"))
CHANNELS = 50
GOAL = 1.1
ANCHOR = dt.datetime(2027, 1, 13, 10, 0, tzinfo=dt.UTC)  # a Wednesday morning: reminders may go
KEY = re.compile(r"bench-\d{5}")
TEAMS_CONVERSATION = ((7, 1.0), (60, 30.0))  # adapters.teams.pacing.CONVERSATION_RATES
TEAMS_BOT = ((50, 1.0),)  # adapters.teams.pacing.TENANT_RATES


class ScaledTime:
    """Seconds since start, running ``scale`` times faster than the wall clock; also the core's Clock."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.origin = time.monotonic()

    def __call__(self) -> float:
        return (time.monotonic() - self.origin) * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.scale)

    def now(self) -> dt.datetime:
        return ANCHOR + dt.timedelta(seconds=self())


@dataclass
class Limits:
    """Sliding windows (count per seconds) a fake enforces: how long until one more message may go."""

    rates: tuple[tuple[int, float], ...]
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def take(self, key: str, now: float) -> float:
        """0 and the message counted if it fits every window now, else the seconds until it would."""
        seen = self._seen.setdefault(key, deque())
        longest = max(per for _, per in self.rates)
        while seen and seen[0] <= now - longest:
            seen.popleft()
        wait = 0.0
        for count, per in self.rates:
            recent = [t for t in seen if t > now - per]
            if len(recent) >= count:
                wait = max(wait, recent[-count] + per - now)
        if wait <= 0:
            seen.append(now)
        return wait


@dataclass
class Tally:
    """What a fake accepted and refused."""

    accepted: list[tuple[str, str, float]] = field(default_factory=list)  # key, conversation, scaled time
    refused: int = 0

    def refuse(self, wait: float) -> web.Response:
        self.refused += 1
        return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                 headers={"Retry-After": str(max(1, math.ceil(wait)))})


def outbox_rows(platform: str, channels: list[str], count: int) -> list[OutboxMessage]:
    """``count`` reminders, as many to each channel, in a shuffled order, all due before the start."""
    order = [channels[i % len(channels)] for i in range(count)]
    random.Random(23).shuffle(order)
    rows = []
    for i, channel in enumerate(order):
        key = f"bench-{i:05d}"
        reply = Reply(summary=f"{key}: A{i} is due tomorrow").add(Paragraph(rich(f"{key}: A{i} is due tomorrow")))
        rows.append(OutboxMessage(key, f"action:{i}", f"channel:{platform}:{channel}", to_dict(reply),
                                  plain_text(reply),
                                  ANCHOR - dt.timedelta(minutes=1), kind="reminder", created_at=ANCHOR))
    return rows


async def seed(db: Database, rows: list[OutboxMessage]) -> None:
    async with db.uow() as uow:
        for row in rows:
            await uow.outbox.add_if_absent(row)
        await uow.commit()


async def unsent(db: Database) -> dict[str, int]:
    """Outbox rows not marked sent, by status."""
    delivery = SqlOutboxDelivery(db.uow)
    found = {status: len(await delivery.latest(status, limit=MESSAGES + 1)) for status in OutboxStatus
             if status != OutboxStatus.SENT}
    return {status: n for status, n in found.items() if n}


async def wake(dispatcher: Dispatcher, clock: ScaledTime, settings: Settings, done: asyncio.Event) -> None:
    """The worker's two delivery jobs, on the scaled clock (APScheduler runs neither twice at once)."""

    async def every(seconds: float, run: Callable[[], Any]) -> None:
        while not done.is_set():
            began = clock()
            await run()
            await clock.sleep(seconds - (clock() - began))

    await asyncio.gather(every(settings.dispatch_interval_seconds, dispatcher.run_once),
                         every(settings.plan_interval_seconds, lambda: dispatcher.drain(rounds=20)))


async def deliver(db: Database, dispatcher: Dispatcher, clock: ScaledTime, tally: Tally, settings: Settings,
                  expected: int, floor: float) -> dict:
    """Wake the dispatcher until the fake has accepted ``expected`` messages (or 3x the floor passed)."""
    done = asyncio.Event()
    worker = asyncio.create_task(wake(dispatcher, clock, settings, done))
    began, cpu = clock(), time.process_time()
    while len({k for k, _, _ in tally.accepted}) < expected and clock() - began < 3 * floor:
        await clock.sleep(0.5)
    done.set()
    dispatcher.stop()
    await dispatcher.settle(5)
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)
    cpu = time.process_time() - cpu
    keys = [k for k, _, _ in tally.accepted]
    per_channel = Counter(c for _, c, _ in tally.accepted)
    last = max((t for _, _, t in tally.accepted), default=clock())
    return {"seconds": last - began, "floor_seconds": floor, "ratio": (last - began) / floor,
            "accepted": len(keys), "lost": expected - len(set(keys)), "duplicates": len(keys) - len(set(keys)),
            "refused_429": tally.refused, "not_sent_in_outbox": await unsent(db),
            "per_channel": {"min": min(per_channel.values(), default=0), "max": max(per_channel.values(), default=0)},
            "wall_seconds": (last - began) / clock.scale,
            # CPU of this process (dispatcher, notifier, fake) per wall second: near 1 means one core was
            # busy all along, so the run was bound by the CPU rather than by the pacing
            "cpu_per_wall_second": cpu / max((last - began) / clock.scale, 1e-9)}


def dispatcher_for(db: Database, notifier: RoutingNotifier, clock: ScaledTime, settings: Settings) -> Dispatcher:
    """As adapters.services builds it, with the scaled clock."""
    return Dispatcher(SqlOutboxDelivery(db.uow), db.uow, notifier, clock, "bench-worker",
                      max_attempts=settings.max_attempts,
                      parallel=settings.delivery_parallel, call_timeout=settings.delivery_call_timeout_seconds,
                      patience=1.0 / clock.scale, monotonic=clock, sleep=clock.sleep)


async def slack(url: str) -> dict:
    from adapters.slack.notifier import SlackNotifier, web_client
    from tests.fakes.slack_api import FakeSlack

    channels = [f"C{i:02d}" for i in range(CHANNELS)]
    db = Database(url)
    await seed(db, outbox_rows("slack", channels, MESSAGES))
    tally, limits = Tally(), Limits(((1, 1.0),))
    clock: ScaledTime | None = None

    class RateLimitedSlack(FakeSlack):
        async def _api(self, request: web.Request) -> web.Response:
            if request.match_info["method"] != "chat.postMessage":
                return await super()._api(request)
            args = await self._args(request)
            now = clock()
            if (wait := limits.take(args["channel"], now)) > 0:
                return tally.refuse(wait)
            tally.accepted.append((KEY.search(args.get("text") or "").group(0), args["channel"], now))
            return web.json_response({"ok": True, "channel": args["channel"], "ts": f"{now:.6f}"})

    fake = RateLimitedSlack(tokens=("xoxb-bench",))
    settings = Settings(database_url=url, slack_bot_token="xoxb-bench", slack_api_url=await fake.start())
    try:
        clock = ScaledTime(SCALES["slack"])
        notifier = RoutingNotifier()
        notifier.pacers["slack"] = Pacer(SLACK_RATES, clock, clock.sleep)
        notifier.register("slack", SlackNotifier(web_client(settings, interactive=False), settings.timezone))
        floor = MESSAGES / CHANNELS / 1.0
        return await deliver(db, dispatcher_for(db, notifier, clock, settings), clock, tally, settings, MESSAGES, floor)
    finally:
        await fake.stop()
        await db.dispose()


async def teams(url: str) -> dict:
    from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

    from adapters.services import build_services
    from adapters.teams.conversations import reference_data
    from adapters.teams.endpoint import build_runtime
    from adapters.teams.pacing import TeamsPacer
    from tests.adapters.teams.teams_fakes import BOT_ID, TENANT, FakeConnector, start_connector

    channels = [f"19:c{i:02d}@thread.tacv2" for i in range(CHANNELS)]
    tally, per_conversation, per_bot = Tally(), Limits(TEAMS_CONVERSATION), Limits(TEAMS_BOT)
    clock: ScaledTime | None = None

    class RateLimitedConnector(FakeConnector):
        async def _post(self, request: web.Request) -> web.Response:
            body = await request.json()
            conversation, now = request.match_info["conversation"], clock()
            wait = per_bot.take("bot", now)
            if wait <= 0 and (wait := per_conversation.take(conversation, now)) > 0:
                per_bot._seen["bot"].pop()  # refused: not counted against the bot either
            if wait > 0:
                return tally.refuse(wait)
            tally.accepted.append((KEY.search(str(body)).group(0), conversation, now))
            return web.json_response({"id": f"act-{len(tally.accepted)}"})

    connector = RateLimitedConnector()
    connector_runner = await start_connector(connector)
    settings = Settings(database_url=url, log_json=False)
    services = build_services(settings)
    try:
        runtime = build_runtime(services, dev=True)
        for channel in channels:
            await runtime.notifier.messenger.store.save(channel, reference_data(Activity(
                type="message", id="1", channel_id="msteams", service_url=connector.url,
                conversation=ConversationAccount(id=channel, conversation_type="channel", tenant_id=TENANT),
                from_property=ChannelAccount(id="29:chair"), recipient=ChannelAccount(id=BOT_ID),
                channel_data={"tenant": {"id": TENANT}})))
        await seed(services.db, outbox_rows("teams", channels, MESSAGES))
        clock = ScaledTime(SCALES["teams"])
        runtime.notifier.pacer = TeamsPacer(clock, clock.sleep)
        notifier = RoutingNotifier()
        notifier.register("teams", runtime.notifier)
        per = MESSAGES / CHANNELS
        sustained = min(count / per for count, per in TEAMS_CONVERSATION)
        floor = max(per / sustained, MESSAGES / TEAMS_BOT[0][0])
        dispatcher = dispatcher_for(services.db, notifier, clock, settings)
        return await deliver(services.db, dispatcher, clock, tally, settings, MESSAGES, floor)
    finally:
        await services.close()
        await connector_runner.cleanup()


async def run_all() -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (("slack", slack), ("teams", teams)):
            if name not in PLATFORMS:
                continue
            url = board.fresh_url("sqlite", tmp, f"delivery-{name}")
            results[name] = await run(url)
            r = results[name]
            print(f"  {name}: {r['seconds']:.0f} s for {r['accepted']} (floor {r['floor_seconds']:.0f} s, "
                  f"{r['ratio']:.2f}x), lost {r['lost']}, duplicates {r['duplicates']}, 429s {r['refused_429']}, "
                  f"wall {r['wall_seconds']:.0f} s, CPU {r['cpu_per_wall_second']:.2f} s per s")
    return results


def main() -> dict:
    results = asyncio.run(run_all())
    targets = [target(5, f"{MESSAGES:,} reminders over {CHANNELS} channels ({name})",
                      f"<= {GOAL}x the rate-limit floor, 0 lost, 0 duplicates",
                      f"{r['ratio']:.2f}x ({r['seconds']:.0f} s, floor {r['floor_seconds']:.0f} s, "
                      f"time x{SCALES[name]:g}), "
                      f"lost {r['lost']}, "
                      f"duplicates {r['duplicates']}, {r['refused_429']} answered 429",
                      r["ratio"] <= GOAL and not r["lost"] and not r["duplicates"])
               for name, r in results.items()]
    inputs = {"messages": MESSAGES, "channels": CHANNELS, "time_scales": SCALES, "database": "sqlite",
              "slack_limit": "1 message/s per channel", "teams_limits": {
                  "per_conversation": TEAMS_CONVERSATION, "per_bot": TEAMS_BOT}, "order": "shuffled, seed 23"}
    return write("delivery", inputs, {"platforms": results, "median_ratio": statistics.median(
        r["ratio"] for r in results.values())}, targets)
