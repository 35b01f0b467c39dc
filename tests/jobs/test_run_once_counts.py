"""`partnerbot jobs run-once` counts what it queued, escalations included (issue 16)."""

from __future__ import annotations

import asyncio

from jobs_support import local, seed
from test_scheduler_cli import cli

from bot.model import Issue
from storage.outbox_delivery import SqlOutboxDelivery


async def test_run_once_counts_the_escalation_messages_it_queued(db_url, uow_factory):
    people = await seed(uow_factory)
    async with uow_factory() as uow:
        await uow.issues.add(Issue("The taxi never came", people.pat.id, local("2026-11-02T10:00"),
                                   level_since=local("2026-11-02T10:00")))
        await uow.commit()
    result = await asyncio.to_thread(cli, "jobs", "run-once", "--db", db_url, "--now", "2026-12-01T10:30")
    assert result.exit_code == 0, result.output
    # The ack nudge to the secretariat, then the chair, the secretariat and the raiser hear of the escalation.
    assert "Planned 4 new message(s)" in result.output
    queued = [m.dedupe_key for m in await SqlOutboxDelivery(uow_factory).latest(status="pending")]
    assert len(queued) == 4 and sum(":escalate-1:" in key for key in queued) == 3
