"""A board like the speed check's, seeded straight through the repositories (seconds, not minutes).

25 members (the chair owns ``mine`` actions), ``actions`` actions of which 1 in 10 open, due across 2027,
as /work/shared/checks/speed-e2e.py seeds it through the console; and helpers to time commands in process.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
import uuid

from bot.app import BotApp
from bot.commands import build_router
from bot.context import Command, Identity
from bot.model import Action, ActionStatus, Member, Role, Workstream
from bot.ports import FixedClock
from storage.database import Database
from storage.migrate import upgrade

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
CHAIR = Identity("slack", "U1", "Chair Person", "x@example.org")


async def seed(db: Database, actions: int, mine: int = 10) -> None:
    async with db.uow() as uow:
        chair = await uow.members.add(Member("chair", "Chair Person", "CP", Role.CHAIR, email="x@example.org"))
        await uow.identities.link(chair.id, "slack", "U1")
        people = [await uow.members.add(Member(f"m{i}", f"Member {i}", f"M{chr(65 + i)}", Role.MEMBER))
                  for i in range(24)]
        ws = await uow.workstreams.add(Workstream("Local provision", [people[1].id]))
        owned = set(range(0, 12 * mine, 12))
        for i in range(actions):
            owner = chair if i in owned else people[i % 24]
            done = i not in owned and i % 10 != 0
            await uow.actions.add(Action(
                f"Task number {i} for the board", [owner.id], dt.date(2027, 1 + (i // 28) % 12, 1 + i % 28),
                chair.id, NOW, ws.id, last_update_at=NOW,
                status=ActionStatus.DONE if done else ActionStatus.OPEN, done_at=NOW if done else None))
        await uow.commit()


def bot(db: Database) -> BotApp:
    return BotApp(build_router(), db.uow, FixedClock(NOW))


async def time_command(app: BotApp, text: str, runs: int) -> list[float]:
    """Milliseconds for each of ``runs`` answers to ``text`` from the chair."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        reply = (await app.handle(Command(CHAIR, text, where="D1"))).reply
        samples.append((time.perf_counter() - start) * 1000)
        assert not reply.error, reply
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median": statistics.median(ordered), "p99": ordered[max(0, int(len(ordered) * 0.99) - 1)],
            "samples": [round(s, 3) for s in samples]}


def databases() -> list[str]:
    return ["sqlite", "postgres"] if os.environ.get("PARTNERBOT_TEST_POSTGRES_URL") else ["sqlite"]


def fresh_url(kind: str, tmp: str, label: str) -> str:
    """An empty, migrated database: a SQLite file in ``tmp`` or a new PostgreSQL schema."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp}/{label}.db"
    else:
        import psycopg

        base = os.environ["PARTNERBOT_TEST_POSTGRES_URL"]
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        url = f"{base}?options=-csearch_path%3D{schema}"
    upgrade(url)
    return url


def drop_schema(url: str) -> None:
    if url.startswith("postgresql"):
        import psycopg

        schema = url.rsplit("%3D", 1)[1]
        with psycopg.connect(os.environ["PARTNERBOT_TEST_POSTGRES_URL"], autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
