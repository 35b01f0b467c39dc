"""Many writers at once: in one process (coroutines) and across processes.

SQLite is the interesting case: without BEGIN IMMEDIATE, busy_timeout and
the in-process lock, these fail with "database is locked".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import storage
from bot.model import AuditEntry, Member
from bot.ports import UnitOfWorkFactory
from storage.outbox_delivery import SqlOutboxDelivery

WORKERS = Path(__file__).with_name("storage_workers.py")
ROOT = Path(storage.__file__).resolve().parents[1]


def run_together(*commands: list[str]) -> list[dict]:
    """Start worker processes, release them at once, return their results."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, str(WORKERS), *command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, env=env)
        for command in commands
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * len(procs)
    return [json.loads(output) for output in outputs]


async def test_fifty_concurrent_units_of_work_all_commit(uow_factory: UnitOfWorkFactory, message, now) -> None:
    async def command(i: int) -> None:
        async with uow_factory() as uow:
            await uow.members.count()  # read first: a deferred SQLite transaction would then fail to write
            await asyncio.sleep(0)
            member = await uow.members.add(Member(handle=f"m{i}", name=f"Member {i}", initials="MM"))
            await uow.outbox.add_if_absent(message(f"welcome:{i}", recipient=f"member:{member.id}"))
            await uow.audit.add(AuditEntry(now, member.id, "member.add", f"@m{i}"))
            await uow.commit()

    results = await asyncio.gather(*(command(i) for i in range(50)), return_exceptions=True)
    assert [r for r in results if r is not None] == []
    async with uow_factory() as uow:
        assert await uow.members.count() == 50
        assert all([await uow.outbox.by_key(f"welcome:{i}") for i in range(50)])
        entries = await uow.audit.recent(limit=200)
        assert len([e for e in entries if e.verb == "member.add"]) == 50
        assert len([e for e in entries if e.verb == "create" and e.entity == "members"]) == 50
        assert (await uow.audit.verify()).ok  # fifty writers took turns at the chain head


async def test_three_processes_writing_with_redeliveries(db_url: str, uow_factory: UnitOfWorkFactory) -> None:
    """Every process sees every event; each is handled by exactly one."""
    events = 60
    results = await asyncio.to_thread(run_together, *(["write", db_url, f"p{i}", str(events)] for i in range(3)))
    assert sum(result["handled"] for result in results) == events
    async with uow_factory() as uow:
        refs = [entry.ref for entry in await uow.audit.recent(limit=1000)]
        assert (await uow.audit.verify()).ok  # three processes appended to one chain
    assert sorted(refs) == sorted(f"Ev{i}" for i in range(events))


async def test_two_dispatcher_processes_never_share_a_message(
    db_url: str, uow_factory: UnitOfWorkFactory, message, now: dt.datetime
) -> None:
    async with uow_factory() as uow:
        for i in range(150):
            await uow.outbox.add_if_absent(message(f"k{i}"))
        await uow.commit()
    first, second = await asyncio.to_thread(run_together, ["claim", db_url, "a", "5"], ["claim", db_url, "b", "5"])
    a, b = set(first["claimed"]), set(second["claimed"])
    assert len(a) == len(first["claimed"]) and len(b) == len(second["claimed"])
    assert not a & b
    assert a and b, "both dispatchers should have had a share (they ran concurrently)"
    outbox = SqlOutboxDelivery(uow_factory)
    assert sorted(a | b) == sorted(m.id for m in await outbox.latest(limit=1000))
    assert await outbox.latest("sent", limit=1000) == await outbox.latest(limit=1000)
