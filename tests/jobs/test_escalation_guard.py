"""An issue climbs each rung once, even when two replicas decide to escalate it
from the same (soon stale) copy: the rung's unique outbox key decides."""

import datetime as dt

from jobs_support import local, seed

from bot.app import board_context
from bot.escalation import escalate_issue
from bot.model import Issue
from bot.outbox_keys import MessageKind
from storage.outbox_delivery import SqlOutboxDelivery


async def test_a_stale_copy_cannot_escalate_the_same_rung_twice(uow_factory):
    people = await seed(uow_factory)
    raised = local("2026-11-02T10:00")
    async with uow_factory() as uow:
        issue = await uow.issues.add(Issue("Transport stopped", people.pat.id, raised, level_since=raised))
        await uow.commit()
    later = raised + dt.timedelta(days=29)
    stale = [await _load(uow_factory, issue.id) for _ in range(2)]  # both replicas read level 0
    queued = []
    for copy in stale:
        async with uow_factory() as uow:
            settings, _ = await board_context(uow)
            queued.append(await escalate_issue(uow, settings, copy, later, None))
            await uow.commit()
    assert queued[0] > 0 and queued[1] == 0
    async with uow_factory() as uow:
        stored = await uow.issues.get(issue.id)
        events = [e.kind for e in await uow.issues.events(issue.id)]
    rows = [r.dedupe_key for r in await SqlOutboxDelivery(uow_factory).latest() if r.kind == MessageKind.ESCALATION]
    assert stored.level == 1
    assert events.count("escalate") == 1
    assert len(rows) == len(set(rows)) == queued[0]


async def _load(uow_factory, id: int) -> Issue:
    async with uow_factory() as uow:
        return await uow.issues.get(id)
