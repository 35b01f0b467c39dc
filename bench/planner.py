"""Does planning and delivery cost follow what is due, not the history?

Two boards with the same open work (20 open actions in every state, a
meeting, issues) differ only in history: the large one has 10x the closed
actions and sent outbox rows of the small one. The ratio of their median
times should stay near 1. Runs on SQLite, and on PostgreSQL when
PARTNERBOT_TEST_POSTGRES_URL is set; writes bench/results/planner.json.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.board import databases, drop_schema, fresh_url
from bot.model import (
    Action,
    ActionStatus,
    Issue,
    Meeting,
    Member,
    OutboxMessage,
    OutboxStatus,
    Role,
    Workstream,
)
from bot.ports import FixedClock
from jobs.dispatcher import Dispatcher
from jobs.planner import Planner
from storage.database import Database
from storage.outbox_delivery import SqlOutboxDelivery

RESULTS = Path(__file__).with_name("results") / "planner.json"
NOW = dt.datetime(2026, 12, 10, 10, 30, tzinfo=dt.UTC)
SMALL = {"closed_actions": 300, "sent_rows": 1500}
RUNS = 15


class Discard:
    async def send(self, msg, member, channel) -> None:
        return None


async def seed(db: Database, closed_actions: int, sent_rows: int) -> None:
    async with db.uow() as uow:
        people = [await uow.members.add(Member(f"m{n}", f"Member {n}", f"M{n}", role))
                  for n, role in enumerate([Role.CHAIR, Role.SECRETARIAT] + [Role.MEMBER] * 18)]
        ws = await uow.workstreams.add(Workstream("Local provision", [people[2].id]))
        for n in range(20):  # open work in every state: due soon, today, overdue, far off
            due = NOW.date() + dt.timedelta(days=n * 3 - 30)
            await uow.actions.add(Action(f"Open {n}", [people[2 + n % 18].id], due, people[1].id,
                                         NOW - dt.timedelta(days=60), ws.id,
                                         last_update_at=NOW - dt.timedelta(days=40)))
        for n in range(closed_actions):
            await uow.actions.add(Action(f"Closed {n}", [people[2 + n % 18].id],
                                         NOW.date() - dt.timedelta(days=n % 400), people[1].id,
                                         NOW - dt.timedelta(days=400), ws.id,
                                         status=ActionStatus.DONE, done_at=NOW - dt.timedelta(days=1)))
        for n in range(sent_rows):
            at = NOW - dt.timedelta(minutes=n)
            await uow.outbox.add_if_absent(OutboxMessage(
                f"history:{n}", f"action:{100000 + n}", f"member:{people[2 + n % 18].id}", {"blocks": []}, "old",
                at, kind="reminder", status=OutboxStatus.SENT, created_at=at, sent_at=at))
        await uow.meetings.add(Meeting(NOW + dt.timedelta(days=20), place="Guildhall"))
        for n in range(3):
            await uow.issues.add(Issue(f"Concern {n}", people[3].id, NOW - dt.timedelta(days=10 * n)))
        await uow.commit()


async def measure(url: str, size: int) -> dict[str, float]:
    db = Database(url)
    try:
        await seed(db, SMALL["closed_actions"] * size, SMALL["sent_rows"] * size)
        clock = FixedClock(NOW)
        planner = Planner(db.uow, clock)
        dispatcher = Dispatcher(SqlOutboxDelivery(db.uow), db.uow, Discard(), clock, "bench", batch=200)
        await planner.plan()  # the first run queues (and the dispatcher sends) what is due
        await dispatcher.drain()
        plans, claims = [], []
        for n in range(RUNS):
            clock.move_to(NOW + dt.timedelta(minutes=n + 1))
            start = time.perf_counter()
            await planner.plan()
            plans.append(time.perf_counter() - start)
            start = time.perf_counter()
            await dispatcher.run_once()
            claims.append(time.perf_counter() - start)
        return {"plan_ms": statistics.median(plans) * 1000, "dispatch_ms": statistics.median(claims) * 1000}
    finally:
        await db.dispose()


def main() -> None:
    results: dict[str, dict] = {"history": {"small": SMALL, "large": {k: v * 10 for k, v in SMALL.items()}}}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in databases():
            row = {}
            for label, size in (("small", 1), ("large", 10)):
                url = fresh_url(kind, tmp, label)
                try:
                    row[label] = asyncio.run(measure(url, size))
                finally:
                    drop_schema(url)
            row["plan_ratio"] = row["large"]["plan_ms"] / row["small"]["plan_ms"]
            row["dispatch_ratio"] = row["large"]["dispatch_ms"] / row["small"]["dispatch_ms"]
            results[kind] = row
            print(f"{kind}: planning x{row['plan_ratio']:.2f}, dispatch x{row['dispatch_ratio']:.2f} "
                  f"with 10x the history ({row['small']['plan_ms']:.1f} -> {row['large']['plan_ms']:.1f} ms)")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
