"""The weekly digest to the board channel (Monday 09:00 by default).

Due this week, overdue (owners named), how many issues are open (a count
only: issues are confidential), red measures and high risks due for review
that week, and the next meeting. Keyed by the local date
of the week's digest day, so a clock change or a restart cannot send it
twice. On a bank holiday Monday it goes on the next working day; a digest
whose day passed without it (downtime) is not sent late.
"""

from __future__ import annotations

import datetime as dt

from bot.measures import Rag, read
from bot.model import Action, RiskScore, RiskStatus
from bot.outbox_keys import MessageKind, Subject
from bot.ports import UnitOfWork
from bot.reply import Heading, Items, Paragraph, Reply, When, rich
from bot.views import action_item, action_ref, meeting_line
from jobs.snapshot import Board, Emit, Step


def digest_day(board: Board) -> dt.date:
    today = board.today
    return today - dt.timedelta(days=(today.weekday() - board.settings.digest_weekday) % 7)


def _items(actions: list[Action], board: Board) -> tuple:
    return tuple(action_item(a, board.people, board.today, board.calendar, board.settings, board.now)
                 for a in actions)


async def register_counts(board: Board, uow: UnitOfWork, by: dt.date) -> tuple[int, int]:
    """Red measures, and high risks whose review is due by ``by``."""
    measures = await uow.measures.current()
    values = await uow.measures.values([m.key for m in measures])
    red = sum(1 for m in measures if read(m, values, board.settings.rag_amber_percent).status == Rag.RED)
    high_due = sum(1 for r in await uow.risks.current()
                   if r.status == RiskStatus.ACCEPTED and r.score == RiskScore.HIGH and r.review_due <= by)
    return red, high_due


async def plan_digest(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    if not any(member.active for member in board.people.values()):
        return  # a board with nobody on it yet has nothing to digest
    day = digest_day(board)
    send_day = board.window.next_open_day(day)
    if send_day != board.today:
        return  # a digest that missed its morning is not sent later in the week
    if not board.reached(board.window.at(send_day, board.settings.clock_time(board.settings.digest_time))):
        return
    week_end = day + dt.timedelta(days=6)
    actions = await uow.actions.still_open()
    due = [a for a in actions if board.today <= a.due <= week_end]
    overdue = [a for a in actions if a.due < board.today]
    issues = len(await uow.issues.unresolved())
    meeting = await uow.meetings.next_after(board.now)
    red, high_due = await register_counts(board, uow, week_end)
    reply = Reply(summary=f"Weekly digest: {len(due)} due this week, {len(overdue)} overdue",
                  refs=[action_ref(a) for a in due + overdue])
    reply.add(Heading(rich("Weekly digest for the week of ", When(day))),
              Items(_items(due, board), title=f"Due this week ({len(due)})", empty="Nothing due this week."),
              Items(_items(overdue, board), title=f"Overdue ({len(overdue)})", empty="Nothing overdue."),
              Paragraph(rich(f"Open issues: {issues} (details are confidential; the secretariat follows them up).")),
              Paragraph(rich(f"Measures red: {red}. High risks due for review by ", When(week_end), f": {high_due}.")),
              Paragraph(rich("Next meeting: ", *meeting_line(meeting)) if meeting else rich("No meeting is booked.")))
    await emit(Step(f"{Subject.DIGEST}:{day.isoformat()}", Subject.DIGEST, board.channel, reply,
                    kind=MessageKind.DIGEST))
