"""Reminders for the risk register and the dashboard.

Risk reviews: the owner hears ``risk_review_notice_working_days`` (5) working
days before a review is due and on the day (the next working morning when the
day is closed); only the latest reached nudge goes, as for actions. A high risk
still unreviewed ``risk_escalate_after`` (5) working days after the date goes to
its workstream's lead, or the chair for a board-level risk. Keys carry the
review date, so recording a review (which moves it) earns fresh reminders.

Measures: a period's value is due ``measure_due_working_days`` (5) working days
after the period ends; the owner hears then if it is not recorded, and the
workstream lead (or the secretariat) ``measure_escalate_after`` working days later.
"""

from __future__ import annotations

from bot.measures import last_ended, number
from bot.model import Measure, Member, Prefix, Risk, RiskScore, RiskStatus, Role
from bot.outbox_keys import MessageKind, Recipient, Subject
from bot.ports import UnitOfWork
from bot.reply import Button, Buttons, Heading, Paragraph, Reply, Span, When, rich
from bot.views import ref
from jobs.snapshot import Board, Emit, Step, to_member


def _risk_card(risk: Risk, board: Board, heading: str, *body: Span) -> Reply:
    r = ref(Prefix.RISK, risk.id)
    owner = board.people.get(risk.owner_id)
    return Reply(summary=heading, refs=[r]).add(
        Heading(rich(heading)),
        Paragraph(rich(r, " ", risk.title, f" — {risk.score.value}, owner @{owner.handle}" if owner else None)),
        Paragraph(rich(*body)),
        Buttons((Button("Reviewed", command=f"risk review {r} reviewed, no change"),
                 Button("Open", command=f"risk show {r}"))))


def _owners(member_id: int, board: Board) -> list[Member]:
    """The owner, or the secretariat when the owner has left the board."""
    return board.active([member_id]) or board.with_role(Role.SECRETARIAT)


async def _review_nudge(risk: Risk, board: Board, uow: UnitOfWork, emit: Emit) -> None:
    cal, window, due = board.calendar, board.window, risk.review_due
    slots = [("review-soon", window.slot(cal.working_days_before(due, board.settings.risk_review_notice_working_days))),
             ("review-due", window.slot(due))]
    reached = [(name, at) for name, at in slots if board.reached(at)]
    if not reached:
        return
    name = reached[-1][0]
    r = ref(Prefix.RISK, risk.id)
    if name == "review-soon":
        left = cal.working_days_between(board.today, due)
        heading = f"Reminder: {r} is due for review in {left} working day{'s' if left != 1 else ''}"
    else:
        heading = f"{r} is due for review"
    reply = _risk_card(risk, board, heading, "Its review is due ", When(due), ". Record it with `/board risk review ",
                       r, " <note>`, and update the score or mitigation if they have changed.")
    keys = []
    for owner in _owners(risk.owner_id, board):
        if board.wants_reminders(owner):
            keys.append(f"{Subject.risk(risk.id)}:{name}:{due.isoformat()}:m{owner.id}")
            await emit(Step(keys[-1], Subject.risk(risk.id), to_member(owner), reply))
    if len(reached) > 1:  # the earlier nudge, if it never went out, is stale
        await uow.outbox.cancel_pending(Subject.risk(risk.id), keep=keys)


def _lead_or_chair(workstream_lead_ids: list[int], owner_id: int, board: Board) -> tuple[list[Member], str]:
    leads = [m for m in board.active(workstream_lead_ids) if m.id != owner_id]
    if leads:
        return leads, "You lead its workstream: could you check in with the owner?"
    if not workstream_lead_ids:
        chairs = [m for m in board.with_role(Role.CHAIR) if m.id != owner_id]
        if chairs:
            return chairs, "It is a board-level risk, so it comes to the chair."
    return [m for m in board.with_role(Role.SECRETARIAT) if m.id != owner_id], "It comes to the secretariat."


async def _review_escalation(risk: Risk, board: Board, emit: Emit) -> None:
    after = board.settings.risk_escalate_after
    if risk.score != RiskScore.HIGH or not board.reached(
            board.window.slot(board.calendar.add_working_days(risk.review_due, after))):
        return
    workstream = board.workstreams.get(risk.workstream_id) if risk.workstream_id else None
    people, why = _lead_or_chair(workstream.lead_ids if workstream else [], risk.owner_id, board)
    r = ref(Prefix.RISK, risk.id)
    days = board.calendar.working_days_between(risk.review_due, board.today)
    reply = _risk_card(risk, board, f"Escalation: high risk {r} is {days} working days past its review", "Its review "
                       "was due ", When(risk.review_due), ". ", why)
    topic = Subject.risk(risk.id)
    for target in [to_member(m) for m in people] or [board.channel]:
        key = f"{topic}:escalate:{risk.review_due.isoformat()}:{Recipient.tag(target)}"
        await emit(Step(key, topic, target, reply, kind=MessageKind.ESCALATION))


async def plan_risks(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    for risk in await uow.risks.current():
        if risk.status == RiskStatus.ACCEPTED:
            await _review_nudge(risk, board, uow, emit)
            await _review_escalation(risk, board, emit)


def _measure_card(measure: Measure, heading: str, *body: Span) -> Reply:
    k = ref(Prefix.MEASURE, measure.id)
    return Reply(summary=heading, refs=[k]).add(
        Heading(rich(heading)),
        Paragraph(rich(k, " ", measure.name, f" — target {number(measure.target, measure.percent)}")),
        Paragraph(rich(*body)),
        Buttons((Button("Open", command=f"measure show {k}"),)))


async def plan_measures(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    measures = await uow.measures.current()
    recorded = {(v.measure_id, v.period) for v in await uow.measures.values([m.key for m in measures])}
    settings, cal, window = board.settings, board.calendar, board.window
    for measure in measures:
        period = last_ended(measure.every_months, board.today)
        if (measure.id, period.label) in recorded:
            continue
        due = cal.add_working_days(period.end, settings.measure_due_working_days)
        if window.slot(due) < measure.created_at or not board.reached(window.slot(due)):
            continue
        topic = Subject.measure(measure.id)
        k, key = ref(Prefix.MEASURE, measure.id), f"{topic}:{period.label}"
        how = f"Record it with `/board measure record {k} <value> for {period.label}`."
        for owner in _owners(measure.owner_id, board):
            if board.wants_reminders(owner):
                await emit(Step(f"{key}:due:m{owner.id}", topic, to_member(owner), _measure_card(
                    measure, f"{k}: the value for {period.label} is due", "It was due ", When(due), ". ", how)))
        if not board.reached(window.slot(cal.add_working_days(due, settings.measure_escalate_after))):
            continue
        workstream = board.workstreams.get(measure.workstream_id) if measure.workstream_id else None
        leads = [m for m in board.active(workstream.lead_ids if workstream else []) if m.id != measure.owner_id]
        people = leads or [m for m in board.with_role(Role.SECRETARIAT) if m.id != measure.owner_id]
        reply = _measure_card(measure, f"Escalation: {k} has no value for {period.label}", "It was due ", When(due),
                              f" from its owner. {how}")
        for target in [to_member(m) for m in people] or [board.channel]:
            await emit(Step(f"{key}:escalate:{Recipient.tag(target)}", topic, target,
                            reply, kind=MessageKind.ESCALATION))
