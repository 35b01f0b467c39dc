"""Worker processes for the multi-process storage tests.

Run as ``python storage_workers.py JOB URL ARGS...`` (see JOBS). Each prints "ready", waits
for a line on stdin (so that all workers start together), does its job and
prints a JSON result. Any exception exits non-zero.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys

from bot.model import AuditEntry
from storage.database import Database
from storage.outbox_delivery import SqlOutboxDelivery

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


async def write(db: Database, name: str, events: str) -> dict[str, int]:
    """Handle every event id once per process, like an adapter receiving
    redeliveries: read, then write, in one transaction each."""
    handled = 0
    for event in range(int(events)):
        async with db.uow() as uow:
            await uow.members.count()
            if await uow.platform.remember_event("slack", f"Ev{event}"):
                await uow.audit.add(AuditEntry(NOW, None, "event", ref=f"Ev{event}", detail=name))
                handled += 1
            await uow.commit()
    return {"handled": handled}


async def claim(db: Database, owner: str, limit: str) -> dict[str, list[int]]:
    """Claim and mark sent until nothing is due."""
    claimed: list[int] = []
    outbox = SqlOutboxDelivery(db.uow)
    while batch := await outbox.claim_due(NOW, owner, dt.timedelta(minutes=5), int(limit)):
        for msg in batch:
            assert msg.id is not None
            claimed.append(msg.id)
            assert await outbox.mark_sent(msg.id, owner, NOW)
    return {"claimed": claimed}


JOBS = {"write": write, "claim": claim}


async def main(job: str, url: str, *args: str) -> None:
    db = Database(url)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        result = await JOBS[job](db, *args)
    finally:
        await db.dispose()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
