"""The run-up to a meeting: agenda call, paper nudges, circulation pack, reminders.

Keys carry the meeting's local date, so a meeting moved to another day gets
its run-up again. Of the channel posts only the latest one reached is sent
(a call for agenda items after circulation would be noise).
"""

from __future__ import annotations

import datetime as dt

from bot.agenda import on_agenda
from bot.commands.risks import pack_items
from bot.meeting_documents import pack_attachment
from bot.model import AgendaItem, AgendaStatus, Meeting, Paper, Prefix
from bot.outbox_keys import Subject
from bot.ports import UnitOfWork
from bot.register_document import previous_meeting_start, register_view
from bot.reply import Button, Buttons, Heading, Item, Items, Paragraph, Reply, When, rich
from bot.rules import AgendaCutoffs, agenda_cutoffs
from bot.views import action_item, agenda_flag, agenda_line, apology_line, meeting_line, ref, without_traction
from jobs.snapshot import Board, Emit, Step, to_member

HORIZON = dt.timedelta(days=60)  # longer than any run-up, even over Christmas
LIVE = (AgendaStatus.PROPOSED, AgendaStatus.ACCEPTED)


def _reply(meeting: Meeting, summary: str, *blocks) -> Reply:
    return Reply(summary=summary, refs=[ref(Prefix.MEETING, meeting.id)]).add(*blocks)


def _agenda_call(meeting: Meeting, cutoffs: AgendaCutoffs) -> Reply:
    m = ref(Prefix.MEETING, meeting.id)
    return _reply(
        meeting, f"Agenda items invited for {m}",
        Heading(rich("Agenda items invited for the next board meeting")),
        Paragraph(meeting_line(meeting)),
        Paragraph(rich("Any member may propose an item. Items and papers are due by ", When(cutoffs.submission),
                       f" (the submission cut-off): `/board agenda propose <title> for {m}`.")),
        Buttons((Button("Propose an item", form="agenda.propose", ref=m, style="primary"),)),
    )


def _meeting_reminder(meeting: Meeting, board: Board) -> Reply:
    days = (board.window.today(meeting.starts_at) - board.today).days
    when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return _reply(meeting, f"The board meets {when}", Heading(rich(f"The board meets {when}")),
                  Paragraph(meeting_line(meeting)),
                  Paragraph(rich("Place or link: ", meeting.place or "to be confirmed by the secretariat")),
                  Buttons((Button("Send apologies", command=f"apologies {ref(Prefix.MEETING, meeting.id)}"),)))


async def _circulation(meeting: Meeting, board: Board, uow: UnitOfWork,
                       items: list[AgendaItem], papers: dict[int, list[Paper]]) -> Reply:
    apologies = await uow.apologies.for_meeting(meeting.key)
    stalled = [a for a in await uow.actions.still_open()
               if without_traction(a, board.today, board.settings, board.now)]
    agenda = tuple(Item(agenda_line(i, board.people, papers.get(i.key, [])), ref(Prefix.AGENDA, i.key),
                        agenda_flag(i, papers.get(i.key, []))) for i in items)
    absent = tuple(Item(apology_line(a, board.people)) for a in apologies if a.member_id in board.people)
    actions = tuple(action_item(a, board.people, board.today, board.calendar, board.settings, board.now)
                    for a in stalled)
    reply = _reply(
        meeting, f"Papers for {ref(Prefix.MEETING, meeting.id)}",
        Heading(rich("Agenda and papers for the board meeting")),
        Paragraph(meeting_line(meeting)),
        Items(agenda, title="Agenda", empty="No items yet."),
        Items(absent, title="Apologies so far", empty="None so far."),
        Items(actions, title="Actions without traction", empty="None: every open action is moving."),
        *pack_items(await register_view(uow, board.settings, board.calendar, board.today,
                                        await previous_meeting_start(uow, meeting)),
                    board.window.today(meeting.starts_at)),
    )
    reply.attachments.append(pack_attachment(meeting))  # the full pack as a document
    return reply


def _latest(board: Board, slots: list[tuple[str, dt.datetime]], before: dt.datetime) -> str | None:
    reached = [name for name, at in slots if board.reached(at) and at < before]
    return reached[-1] if reached else None


async def _paper_nudges(meeting: Meeting, board: Board, emit: Emit, cutoffs: AgendaCutoffs,
                        items: list[AgendaItem], papers: dict[int, list[Paper]]) -> None:
    nudge_day = board.calendar.working_days_before(cutoffs.submission, board.settings.paper_nudge_working_days)
    if not board.reached(board.window.slot(nudge_day)) or board.today > cutoffs.submission:
        return
    for item in items:
        proposer = board.people.get(item.proposer_id)
        if papers.get(item.key) or proposer is None or not board.wants_reminders(proposer):
            continue
        reply = _reply(meeting, "Paper needed for your agenda item",
                       Heading(rich("Is there a paper for your agenda item?")),
                       Paragraph(agenda_line(item, board.people, [])),
                       Paragraph(rich("Papers are due by ", When(cutoffs.submission), ". Add one with "
                                      f"`/board agenda paper {ref(Prefix.AGENDA, item.id)} <link>`, or ignore this "
                                      "if the item needs none.")))
        await emit(Step(f"{Subject.agenda(item.id)}:paper-nudge:{cutoffs.submission.isoformat()}",
                        Subject.meeting(meeting.id), to_member(proposer), reply))


def _working_day_on_or_before(day: dt.date, board: Board) -> dt.date:
    """A reminder about a meeting must come before it: a "day before" that is a
    Sunday or a bank holiday goes on the working day before that, not on the
    meeting's own morning."""
    if board.settings.send_on_closed_days:
        return day
    while not board.calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


async def plan_meeting(meeting: Meeting, board: Board, uow: UnitOfWork, emit: Emit) -> None:
    day = board.window.today(meeting.starts_at)
    settings, cal, window = board.settings, board.calendar, board.window
    cutoffs = agenda_cutoffs(day, cal, settings)
    items = [i for i in on_agenda(await uow.agenda.for_meeting(meeting.id)) if i.status in LIVE]
    papers: dict[int, list[Paper]] = {}
    for paper in await uow.papers.for_items([i.key for i in items]):
        papers.setdefault(paper.item_id, []).append(paper)
    await _paper_nudges(meeting, board, emit, cutoffs, items, papers)
    posts = [("agenda-call", window.slot(cal.working_days_before(day, settings.agenda_call_working_days))),
             ("circulation", window.slot(cutoffs.circulation))]
    post = _latest(board, posts, meeting.starts_at)
    if post == "agenda-call":
        reply = _agenda_call(meeting, cutoffs)
    elif post == "circulation":
        reply = await _circulation(meeting, board, uow, items, papers)
    topic = Subject.meeting(meeting.id)
    if post:
        await emit(Step(f"{topic}:{post}:{day.isoformat()}", topic, board.channel, reply))
    reminders = sorted(settings.meeting_reminder_days, reverse=True)
    slots = [(str(n), window.slot(_working_day_on_or_before(day - dt.timedelta(days=n), board))) for n in reminders]
    if days := _latest(board, slots, meeting.starts_at):
        await emit(Step(f"{topic}:reminder-{days}d:{day.isoformat()}", topic, board.channel,
                        _meeting_reminder(meeting, board)))


async def plan_meetings(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    for meeting in await uow.meetings.between(board.now, board.now + HORIZON):
        if not meeting.cancelled:
            await plan_meeting(meeting, board, uow, emit)
