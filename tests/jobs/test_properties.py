"""Property: whatever people do and however the clock moves, a done action or
a resolved issue is never escalated, and no step is ever sent twice.

Commands go through the real BotApp and router (as typed in the console);
time moves in random jumps and the jobs run after each. SQLite only: each
example needs a fresh database and hypothesis runs many.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jobs_support import Board, scratch_database, seed

from bot.app import BotApp
from bot.commands import build_router
from bot.context import Command, Identity
from bot.model import ActionStatus, IssueStatus

START = "2026-11-23T10:00"
ref_index = st.integers(min_value=1, max_value=6)
operations = st.lists(st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["owen", "mia", "lead"]), st.integers(1, 40),
              st.sampled_from(["", " ws W1"])),
    st.tuples(st.just("update"), ref_index),
    st.tuples(st.just("done"), ref_index),
    st.tuples(st.just("reopen"), ref_index),
    st.tuples(st.just("snooze"), ref_index, st.integers(1, 20)),
    st.tuples(st.just("due"), ref_index, st.integers(1, 40)),
    st.tuples(st.just("raise"),),
    st.tuples(st.just("resolve"), st.integers(1, 3)),
    st.tuples(st.just("wait"), st.integers(1, 24 * 12)),
), min_size=1, max_size=30)


def command_for(op: tuple, today: dt.date) -> tuple[str, str]:
    """(who, command text) for an operation."""
    kind = op[0]
    if kind == "add":
        return "sec", f"/board action add Task for {op[1]} @{op[1]} due {today + dt.timedelta(days=op[2])}{op[3]}"
    if kind == "update":
        return "sec", f"/board action update A{op[1]} progress made"
    if kind in ("done", "reopen"):
        return "sec", f"/board action {kind} A{op[1]}"
    if kind == "snooze":
        return "sec", f"/board action snooze A{op[1]} {op[2]}"
    if kind == "due":
        return "sec", f"/board action due A{op[1]} {today + dt.timedelta(days=op[2])}"
    if kind == "raise":
        return "pat", "/board issue raise The transport to school has stopped again"
    return "sec", f"/board issue resolve I{op[1]}"


async def violations(board: Board, app: BotApp, ops: list[tuple]) -> list[str]:
    found = []
    for op in ops:
        if op[0] == "wait":
            report = await board.at((board.clock.now() + dt.timedelta(hours=op[1])).isoformat())
            async with board.uow_factory() as uow:
                done = {f"A{a.id}" for a in await uow.actions.list_all() if a.status == ActionStatus.DONE}
                resolved = {f"I{i.id}" for i in await uow.issues.list_all() if i.status == IssueStatus.RESOLVED}
            for msg in report.sent:
                refs = set(msg.payload.get("refs", []))
                if msg.kind == "escalation" and refs & (done | resolved):
                    found.append(f"escalated {refs & (done | resolved)} via {msg.dedupe_key}")
        else:
            who, text = command_for(op, board.clock.now().date())
            await app.handle(Command(Identity("console", who), text))
    repeats = [key for key, n in Counter(board.sent.keys()).items() if n > 1]
    return found + [f"sent twice: {key}" for key in repeats]


async def run(ops: list[tuple]) -> list[str]:
    async with scratch_database() as db:
        board = Board(db.uow, START)
        await seed(db.uow)
        app = BotApp(build_router(), db.uow, board.clock)
        return await violations(board, app, ops)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_done_and_resolved_never_escalate_and_no_step_is_sent_twice(ops):
    assert asyncio.run(run(ops)) == []
