"""Reminders and the overdue ladder for actions.

Owner nudges (due soon, due today, overdue day 1) carry the due date in their
key, so moving the due date earns fresh nudges; only the latest nudge that
has been reached is sent (an older one that never went out is stale).
Escalations (workstream lead after ``escalate_lead_after`` working days
overdue, chair after ``escalate_chair_after``) are keyed by action and due
date: each goes once for a due date and none is ever skipped; an agreed new
due date that slips again climbs the ladder again. Snoozed actions are silent
until the snooze ends; done actions are not planned at all.
"""

from __future__ import annotations

import datetime as dt

from bot.model import Action, ActionStatus, Member, Role
from bot.outbox_keys import Key, MessageKind, Recipient, Subject
from bot.reply import Heading, Paragraph, Reply, Span, When, rich
from bot.views import action_buttons, action_line, action_ref, people_spans
from jobs.snapshot import Board, Emit, Step, to_member

NUDGES = ("due-soon", "due-today", "overdue")


def _card(action: Action, board: Board, heading: tuple[Span, ...], *paragraphs: tuple[Span, ...]) -> Reply:
    reply = Reply(summary="".join(s for s in heading if isinstance(s, str)), refs=[action_ref(action)])
    reply.add(Heading(rich(*heading)), Paragraph(action_line(action, board.people)))
    reply.add(*(Paragraph(rich(*p)) for p in paragraphs))
    return reply.add(action_buttons(action))


def _working_days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _nudge_text(name: str, action: Action, board: Board) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    ref = action_ref(action)
    if name == "due-soon":
        # Count the due day itself even when nobody works on it (a closure day added later).
        left = board.calendar.working_days_between(board.today, action.due) + (
            not board.calendar.is_working_day(action.due))
        return (f"Reminder: {ref} is due in {_working_days(left)}",), \
            ("It's due ", When(action.due), ". Mark it done, add a progress note, or snooze the reminders.")
    if name == "due-today":
        return (f"Reminder: {ref} is due today",), ("Mark it done, or add a progress note if it needs longer.",)
    days = board.calendar.working_days_between(action.due, board.today)
    return (f"{ref} is now overdue ({_working_days(days)})",), \
        ("It was due ", When(action.due), ". Please mark it done or add a progress note saying where it stands.")


def _nudge_slots(action: Action, board: Board) -> list[tuple[str, dt.datetime]]:
    cal, settings, window = board.calendar, board.settings, board.window
    return list(zip(NUDGES, (
        window.slot(cal.working_days_before(action.due, settings.due_soon_working_days)),
        window.slot(action.due),
        window.slot(cal.add_working_days(action.due, 1)),
    ), strict=True))


async def _owner_nudges(action: Action, board: Board, emit: Emit) -> bool:
    """Send the latest reached nudge; True if an earlier one was left out as stale."""
    # The nudge for when it can actually go (working hours): one overtaken by
    # then is stale, so an early-morning run does not queue yesterday's nudge.
    going_at = board.window.next_allowed(board.now)
    slots = [(name, at) for name, at in _nudge_slots(action, board) if at >= action.created_at]
    current = [(name, at) for name, at in slots if at <= going_at]
    if not current or not board.reached(current[-1][1]):
        return False
    following = slots[len(current):]
    if following and board.window.today(following[0][1]) <= board.window.today(going_at):
        return False  # a later nudge is due today: send that one at its time, not a stale one now
    name = current[-1][0]
    heading, body = _nudge_text(name, action, board)
    owners = board.active(action.owner_ids)
    if not owners:  # its owners have left the board: the secretariat hears until it is reassigned
        owners = board.with_role(Role.SECRETARIAT)
        body = (*body, f" Its owner has left the board: give it a new one with `/board action assign "
                       f"{action_ref(action)} @person`.")
    for owner in owners:
        if board.wants_reminders(owner):
            await emit(Step(Key.action_step(action.id, name, action.due.isoformat(), f"m{owner.id}"),
                            Subject.action(action.id), to_member(owner), _card(action, board, heading, body)))
    return len(current) > 1


def _lead_recipients(action: Action, board: Board) -> tuple[list[Member], str]:
    workstream = board.workstreams.get(action.workstream_id) if action.workstream_id else None
    leads = [m for m in board.active(workstream.lead_ids if workstream else []) if m.id not in action.owner_ids]
    if leads and workstream is not None:  # leads come from the workstream
        return leads, f"You lead the {workstream.name} workstream: could you check in with the owner?"
    if workstream is None:
        why = "It isn't in a workstream"
    elif board.active(workstream.lead_ids):
        why = f"The owner leads the {workstream.name} workstream"
    else:
        why = "Its workstream has no lead"
    return _secretariat_or_chair(board, action, why)


def _secretariat(board: Board, action: Action) -> list[Member]:
    return [m for m in board.with_role(Role.SECRETARIAT) if m.id not in action.owner_ids]


def _secretariat_or_chair(board: Board, action: Action, why: str) -> tuple[list[Member], str]:
    """The secretariat steers stalled actions; when it owns this one itself, the chair does."""
    if secretariat := _secretariat(board, action):
        return secretariat, f"{why}, so it comes to the secretariat."
    chairs = [m for m in board.with_role(Role.CHAIR) if m.id not in action.owner_ids]
    return chairs, f"{why} and the secretariat owns it, so it comes to the chair."


def _chair_recipients(action: Action, board: Board) -> tuple[list[Member], str]:
    chairs = [m for m in board.with_role(Role.CHAIR) if m.id not in action.owner_ids]
    if chairs:
        return chairs, "It has been with the workstream lead or secretariat since the first escalation."
    return _secretariat(board, action), "There is no other chair to take it, so it stays with the secretariat."


async def _escalations(action: Action, board: Board, emit: Emit) -> None:
    settings, cal = board.settings, board.calendar
    ladder = (("escalate-lead", settings.escalate_lead_after, _lead_recipients),
              ("escalate-chair", settings.escalate_chair_after, _chair_recipients))
    days = cal.working_days_between(action.due, board.today)
    owners = people_spans(action.owner_ids, board.people)
    for name, after, recipients in ladder:
        if not board.reached(board.window.slot(cal.add_working_days(action.due, after + 1))):
            continue
        people, why = recipients(action, board)
        heading = (f"Escalation: {action_ref(action)} is {_working_days(days)} overdue",)
        body = ("Owners: " if len(action.owner_ids) > 1 else "Owner: ", *owners, ". It was due ", When(action.due),
                ". ", why)
        # Only ever to people: an overdue action is not announced in the board channel.
        for target in [to_member(m) for m in people]:
            await emit(Step(Key.action_step(action.id, name, action.due.isoformat(), Recipient.tag(target)),
                            Subject.action(action.id), target,
                            _card(action, board, heading, body), kind=MessageKind.ESCALATION))


async def _traction(action: Action, board: Board, emit: Emit) -> None:
    """No progress note for ``traction_days`` on an action whose due-date
    reminders have not begun (those, and the overdue ladder, say enough)."""
    due_soon = board.calendar.working_days_before(action.due, board.settings.due_soon_working_days)
    if board.today >= due_soon:
        return
    quiet_since = board.window.today(action.last_update_at or action.created_at)
    if not board.reached(board.window.slot(quiet_since + dt.timedelta(days=board.settings.traction_days))):
        return
    heading = (f"{action_ref(action)} has had no update for {board.settings.traction_days}+ days",)
    body = ("Nothing has been noted since ", When(quiet_since), ". A one-line progress note helps the board see it "
            "moving; mark it done if it's finished.")
    for owner in board.active(action.owner_ids):
        if board.wants_reminders(owner):
            await emit(Step(Key.action_step(action.id, "traction", quiet_since.isoformat(), f"m{owner.id}"),
                            Subject.action(action.id), to_member(owner), _card(action, board, heading, body)))


async def plan_action(action: Action, board: Board, emit: Emit) -> bool:
    """Emit what ``action`` is owed now; True when stale rows should be cancelled."""
    if action.status != ActionStatus.OPEN:
        return False
    if action.snoozed_until and action.snoozed_until > board.today:
        return False
    stale = await _owner_nudges(action, board, emit)
    await _escalations(action, board, emit)
    await _traction(action, board, emit)
    return stale
