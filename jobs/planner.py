"""The planner: derives what is owed from the board's state and records it in
the outbox, in one transaction.

Every rule emits the steps that have been *reached* at ``now``; each becomes
an outbox row with a unique dedupe key, inserted if absent, so planning is
idempotent and any number of planners may run. Scheduled kinds are due at
the next moment the send window allows (working days, 08:00–18:00 local);
everything else at once. Cost follows what is open and current (open
actions, unresolved issues, meetings in the next weeks), never the history:
closed actions and sent rows are not read.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from bot.model import OutboxMessage
from bot.outbox_keys import SCHEDULED_KINDS, Subject
from bot.ports import Clock, Typesetter, UnitOfWork, UnitOfWorkFactory
from bot.reply import outbox_payload
from bot.text import plain_text
from jobs.action_steps import plan_action
from jobs.deadline_steps import plan_deadlines
from jobs.digest import plan_digest
from jobs.issue_steps import plan_issues
from jobs.meeting_steps import plan_meetings
from jobs.register_steps import plan_measures, plan_risks
from jobs.report_steps import plan_hwb_summary
from jobs.snapshot import Board, Step, load_board

log = logging.getLogger("partnerbot.jobs.planner")


@dataclass
class PlanReport:
    queued: list[str] = field(default_factory=list)  # dedupe keys that became pending


class Outbox:
    """Turns steps into outbox rows within the planner's unit of work."""

    def __init__(self, uow: UnitOfWork, board: Board, report: PlanReport) -> None:
        self.uow, self.board, self.report = uow, board, report
        self.keys: list[str] = []

    async def emit(self, step: Step) -> bool:
        now, window = self.board.now, self.board.window
        due_at = window.next_allowed(now) if step.kind in SCHEDULED_KINDS else now
        self.keys.append(step.key)
        added = await self.uow.outbox.add_if_absent(OutboxMessage(
            dedupe_key=step.key, subject=step.subject, recipient=step.recipient, payload=outbox_payload(step.reply),
            text=plain_text(step.reply, window.tz), due_at=due_at, kind=step.kind, created_at=now))
        if added:
            self.report.queued.append(step.key)
        return added


async def _plan_actions(board: Board, uow: UnitOfWork, outbox: Outbox) -> None:
    for action in await uow.actions.still_open():
        outbox.keys.clear()
        if await plan_action(action, board, outbox.emit):
            # An older nudge that is still pending has been overtaken.
            await uow.outbox.cancel_pending(Subject.action(action.id), keep=list(outbox.keys))


class Planner:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, typesetter: Typesetter | None = None) -> None:
        """``typesetter`` draws the HWB summary card's chart and report; without one the card is text only."""
        self.uow_factory = uow_factory
        self.clock = clock
        self.typesetter = typesetter

    async def plan(self, now: dt.datetime | None = None) -> PlanReport:
        now = now or self.clock.now()
        report = PlanReport()
        async with self.uow_factory() as uow:
            uow.act_as(None, "jobs")
            board = await load_board(uow, now)
            outbox = Outbox(uow, board, report)
            await _plan_actions(board, uow, outbox)
            for rule in (plan_meetings, plan_issues, plan_deadlines, plan_risks, plan_measures, plan_digest):
                await rule(board, uow, outbox.emit)
            await plan_hwb_summary(board, uow, outbox.emit, self.typesetter)
            await uow.commit()
        if report.queued:
            log.info("planned", extra={"queued": len(report.queued)})
        return report
