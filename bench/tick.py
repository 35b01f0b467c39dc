"""Target 4: one planner + dispatcher tick costs what is due, not the history.

Two boards with the same open work (100 overdue actions, so about 100 reminders are due at every tick)
differ only in history: 10,000 or 1,000,000 rows (nine in ten sent outbox rows, one in ten closed
actions). A tick is the existing jobs API as the scheduler drives it: ``Planner.plan()`` then
``Dispatcher.run_once()`` with a notifier that discards. Between samples the planned rows are removed
so each tick queues and sends the same reminders again. Every statement of a tick is EXPLAINed on the
large board and recorded, with whether any of them scans a whole history table.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import tempfile
import time

from sqlalchemy import delete, event, insert, text

from bench import board
from bench.report import target, write
from bot.model import Member, Role, Workstream
from bot.ports import FixedClock
from jobs.dispatcher import Dispatcher
from jobs.planner import Planner
from storage.database import Database
from storage.outbox_delivery import SqlOutboxDelivery
from storage.tables import ActionOwnerRow, ActionRow, OutboxRow

NOW = dt.datetime(2026, 12, 10, 10, 30, tzinfo=dt.UTC)  # a Thursday in working hours
SIZES = {"small": 10_000, "large": int(os.environ.get("BENCH_HISTORY", "1000000"))}
OPEN, RUNS, CHUNK = 100, 5, 20_000
GOAL = 2.0
OUTBOX, ACTIONS, OWNERS = OutboxRow.__table__, ActionRow.__table__, ActionOwnerRow.__table__  # type: ignore[attr-defined]


class Discard:
    async def send(self, msg, member, channel) -> None:
        return None


async def seed(db: Database, history: int) -> None:
    async with db.uow() as uow:
        people = [await uow.members.add(Member(f"m{n}", f"Member {n}", f"M{n}", role))
                  for n, role in enumerate([Role.CHAIR, Role.SECRETARIAT] + [Role.MEMBER] * 23)]
        ws = await uow.workstreams.add(Workstream("Local provision", [people[2].id]))
        conn = await uow.connection()  # bulk rows in the same transaction
        open_rows = [{"text": f"Open {n}", "due": NOW.date() - dt.timedelta(days=2 + n % 5), "created_by": people[1].id,
                      "created_at": NOW - dt.timedelta(days=60), "workstream_id": ws.id, "status": "open",
                      "last_update_at": NOW - dt.timedelta(days=40)} for n in range(OPEN)]
        await conn.execute(insert(ACTIONS), open_rows)
        closed = history // 10
        for start in range(0, closed, CHUNK):
            await conn.execute(insert(ACTIONS), [
                {"text": f"Closed {n}", "due": NOW.date() - dt.timedelta(days=n % 700), "created_by": people[1].id,
                 "created_at": NOW - dt.timedelta(days=800), "workstream_id": ws.id, "status": "done",
                 "done_at": NOW - dt.timedelta(days=1 + n % 700)} for n in range(start, min(closed, start + CHUNK))])
        ids = (await conn.execute(text("SELECT id FROM actions ORDER BY id"))).scalars().all()
        for start in range(0, len(ids), CHUNK):
            await conn.execute(insert(OWNERS), [{"action_id": i, "member_id": people[2 + i % 23].id, "position": 0}
                                                for i in ids[start:start + CHUNK]])
        sent = history - closed
        for start in range(0, sent, CHUNK):
            await conn.execute(insert(OUTBOX), [
                {"dedupe_key": f"history:{n}", "subject": f"action:{1_000_000 + n}",
                 "recipient": f"member:{people[2 + n % 23].id}", "payload": {"blocks": []}, "text": "old",
                 "due_at": NOW - dt.timedelta(minutes=n), "kind": "reminder", "status": "sent", "attempts": 1,
                 "created_at": NOW - dt.timedelta(minutes=n), "sent_at": NOW - dt.timedelta(minutes=n)}
                for n in range(start, min(sent, start + CHUNK))])
        await uow.commit()
    if not db.is_sqlite:
        async with db.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()


async def forget_planned(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(delete(OUTBOX).where(~OUTBOX.c.dedupe_key.like("history:%")))


async def explain(db: Database, statements: list[tuple[str, object]]) -> list[dict]:
    plans, seen = [], set()
    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
    async with db.engine.connect() as conn:
        for sql, params in statements:
            if sql in seen or not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                continue
            seen.add(sql)
            rows = (await conn.exec_driver_sql(prefix + sql, params)).all()
            plan = [str(r[-1] if db.is_sqlite else r[0]) for r in rows]
            scans = [line for line in plan if any(f"{word} {table}" in line for word in ("SCAN", "Seq Scan on")
                                                  for table in ("outbox", "actions", "action_owners"))
                     and "USING" not in line]
            plans.append({"sql": " ".join(sql.split())[:400], "plan": plan, "full_scan_of_history": scans})
        await conn.rollback()
    return plans


async def measure(url: str, size: int, with_plans: bool) -> dict:
    db = Database(url)
    try:
        began = time.perf_counter()
        await seed(db, size)
        seeded = time.perf_counter() - began
        clock = FixedClock(NOW)
        planner, dispatcher = Planner(db.uow, clock), Dispatcher(SqlOutboxDelivery(db.uow), db.uow, Discard(), clock,
                                                                 "bench", batch=200)
        ticks, queued = [], []
        for _ in range(RUNS):
            await forget_planned(db)
            start = time.perf_counter()
            report = await planner.plan()
            await dispatcher.run_once()
            ticks.append((time.perf_counter() - start) * 1000)
            queued.append(len(report.queued))
        async with db.engine.connect() as conn:
            sent = (await conn.execute(text("SELECT count(*) FROM outbox WHERE dedupe_key NOT LIKE 'history:%'"))
                    ).scalar_one()
        out = {"history_rows": size, "seed_s": seeded, "tick_ms": ticks, "median_ms": statistics.median(ticks),
               "queued_per_tick": queued, "reminders_per_tick": sent}
        if with_plans:
            statements: list[tuple[str, object]] = []

            def record(conn, cursor, sql, params, context, many) -> None:
                statements.append((sql, params))
            await forget_planned(db)
            event.listen(db.engine.sync_engine, "before_cursor_execute", record)
            await planner.plan()
            await dispatcher.run_once()
            event.remove(db.engine.sync_engine, "before_cursor_execute", record)
            out["plans"] = await explain(db, statements)
        return out
    finally:
        await db.dispose()


def main() -> dict:
    results, targets = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in board.databases():
            row = {}
            for label, size in SIZES.items():
                url = board.fresh_url(kind, tmp, f"tick-{label}")
                try:
                    row[label] = asyncio.run(measure(url, size, with_plans=label == "large"))
                finally:
                    board.drop_schema(url)
            row["ratio"] = row["large"]["median_ms"] / row["small"]["median_ms"]
            scans = [p for p in row["large"]["plans"] if p["full_scan_of_history"]]
            results[kind] = row
            print(f"  {kind}: tick {row['small']['median_ms']:.0f} ms ({SIZES['small']:,} history rows) -> "
                  f"{row['large']['median_ms']:.0f} ms ({SIZES['large']:,}): x{row['ratio']:.2f}, "
                  f"{row['large']['reminders_per_tick']} reminders, {len(scans)} statements scanning history")
            targets.append(target(4, f"tick, {SIZES['large']:,} / {SIZES['small']:,} history rows ({kind})",
                                  f"<= {GOAL}, query plans on indexes", f"{row['ratio']:.2f}, {len(scans)} full "
                                  "scans of history tables", row["ratio"] <= GOAL and not scans))
    inputs = {"history_rows": SIZES, "open_actions": OPEN, "runs": RUNS, "now": NOW.isoformat(),
              "history": "9/10 sent outbox rows, 1/10 closed actions"}
    return write("tick", inputs, {"databases": results}, targets)
