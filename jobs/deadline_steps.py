"""Recurring board deadlines (HWB report twice a year, MoU review each April).

Each deadline comes round every ``every_months`` from ``first_due``; the
owner and the board channel hear ``deadline_reminder_working_days`` (20 and
5) working days before each occurrence. Keys carry the occurrence date.
"""

from __future__ import annotations

import datetime as dt

from bot.dates import add_months
from bot.model import Prefix, RecurringDeadline
from bot.outbox_keys import Subject
from bot.ports import UnitOfWork
from bot.reply import Heading, Paragraph, Reply, When, rich
from bot.views import ref
from jobs.snapshot import Board, Emit, Step, to_member


def next_occurrence(deadline: RecurringDeadline, today: dt.date) -> dt.date:
    """The first occurrence on or after ``today``."""
    step = max(1, deadline.every_months)
    if deadline.first_due >= today:
        return deadline.first_due
    months = (today.year - deadline.first_due.year) * 12 + today.month - deadline.first_due.month
    n = max(0, months // step - 1)
    while (day := add_months(deadline.first_due, n * step)) < today:
        n += 1
    return day


def _reply(deadline: RecurringDeadline, due: dt.date, left: int) -> Reply:
    d = ref(Prefix.DEADLINE, deadline.id)
    return Reply(summary=f"{deadline.title} is due in {left} working days", refs=[d]).add(
        Heading(rich(f"Coming up: {deadline.title} ({d})")),
        Paragraph(rich("Due ", When(due), f", in {left} working days.")),
    )


async def plan_deadlines(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    offsets = sorted(board.settings.deadline_reminder_working_days, reverse=True)
    for deadline in await uow.deadlines.list_all():
        due = next_occurrence(deadline, board.today)
        reached = [n for n in offsets
                   if board.reached(board.window.slot(board.calendar.working_days_before(due, n)))]
        if not reached:
            continue
        n = reached[-1]
        left = board.calendar.working_days_between(board.today, due)
        key, topic = f"{Subject.deadline(deadline.id)}:{due.isoformat()}:{n}wd", Subject.deadline(deadline.id)
        reply = _reply(deadline, due, left)
        await emit(Step(f"{key}:channel", topic, board.channel, reply))
        owner = board.people.get(deadline.owner_id) if deadline.owner_id else None
        if owner and board.wants_reminders(owner):
            await emit(Step(f"{key}:m{owner.id}", topic, to_member(owner), reply))
