"""The HWB report summary card: 10 working days before each "HWB report"
recurring deadline, the board channel gets the period's headline figures,
one chart and the full report attached, so the chair has it in time to
write the covering paper.

The report is built only when the card is due and not yet in the outbox
(its key names the deadline and the occurrence), so planning every minute
costs one lookup, not a report.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.dates import add_months
from bot.model import Prefix, RecurringDeadline
from bot.outbox_keys import MessageKind, Subject
from bot.ports import Typesetter, UnitOfWork
from bot.reply import Attachment, Heading, Item, Items, Note, Paragraph, Reply, When, rich
from bot.report import MEDIA_TYPES, ReportFigures, ReportScope, actions_chart, count, report_document
from bot.views import ref
from jobs.deadline_steps import next_occurrence
from jobs.snapshot import Board, Emit, Step

SUMMARY_WORKING_DAYS = 10
HWB_TITLE = re.compile(r"\bHWB\b|health and well-?being", re.I)


def is_hwb_report(deadline: RecurringDeadline) -> bool:
    return deadline.every_months > 0 and bool(HWB_TITLE.search(deadline.title))


def _card(deadline: RecurringDeadline, due: dt.date, figures: ReportFigures) -> Reply:
    d = ref(Prefix.DEADLINE, deadline.id)
    median = figures.median_days_to_close
    reply = Reply(summary=f"{deadline.title} due {due:%d %b %Y}: the board's figures", refs=[d])
    return reply.add(
        Heading(rich(f"{deadline.title} ({d}) is due ", When(due), ": here are the board's figures")),
        Paragraph(rich("From ", When(figures.start), " to ", When(figures.end), ":")),
        Items((
            Item(rich(f"{count(figures.total('opened'), 'action')} agreed, {figures.total('closed')} completed, "
                      f"{figures.total('overdue')} overdue")),
            Item(rich(f"median {median:g} working days to complete an action" if median is not None
                      else "no action completed")),
            Item(rich(count(sum(figures.escalations.values()), "escalation"))),
            Item(rich(f"{count(figures.concerns_raised, 'concern')} raised by families, "
                      f"{figures.concerns_acknowledged_in_time} acknowledged in time")),
            Item(rich(f"{count(figures.meetings_held, 'board meeting')} held")),
        )),
        Note(rich("The full report is attached; `/board report` makes it for any period.")),
    )


async def plan_hwb_summary(board: Board, uow: UnitOfWork, emit: Emit, typesetter: Typesetter | None) -> None:
    for deadline in await uow.deadlines.list_all():
        if not is_hwb_report(deadline):
            continue
        due = next_occurrence(deadline, board.today)
        send_on = board.calendar.working_days_before(due, SUMMARY_WORKING_DAYS)
        key = f"hwb-summary:{deadline.id}:{due.isoformat()}:channel"
        if not board.reached(board.window.slot(send_on)) or await uow.outbox.by_key(key) is not None:
            continue
        start = max(add_months(due, -deadline.every_months), deadline.first_due - dt.timedelta(days=183))
        scope = ReportScope(uow, board.settings, board.calendar, start + dt.timedelta(days=1), board.today, board.now)
        document, figures = await report_document(scope)
        reply = _card(deadline, due, figures)
        if typesetter is not None:
            reply.attachments += [
                Attachment("actions-per-workstream.png", "image/png", typesetter.chart(actions_chart(figures))),
                Attachment(f"board-report-{due.isoformat()}.html", MEDIA_TYPES["html"],
                           typesetter.render(document, "html")),
            ]
        await emit(Step(key, Subject.deadline(deadline.id), board.channel, reply, kind=MessageKind.DIGEST))
