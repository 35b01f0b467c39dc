"""Parent concerns: the acknowledgement nudge and the escalation ladder.

Unresolved after the informal window (28 calendar days, Kingston MoU §7) an
issue climbs to the next rung of ``settings.ladder`` (the chair, then the
HWB joint chairs) through bot.escalation.escalate_issue, the same code
``/board issue escalate`` uses: it changes the issue (level, level_since,
an IssueEvent) and queues the messages, including the raiser's plain-words
note, in the planner's transaction. Nothing here is logged: issue text is
confidential.
"""

from __future__ import annotations

from bot.escalation import SUMMARY_ASK, escalate_issue
from bot.member_lookup import mention
from bot.model import Issue, IssueStatus, Member, Prefix, Role
from bot.outbox_keys import Key, MessageKind, Subject
from bot.policies import reached_hwb
from bot.ports import UnitOfWork
from bot.reply import Button, Buttons, Heading, Paragraph, Reply, When, rich
from bot.rules import next_escalation_at
from bot.views import ref
from jobs.snapshot import Board, Emit, Step, to_member


async def _ack_nudge(issue: Issue, board: Board, emit: Emit) -> None:
    """The secretariat acknowledges a concern within ``ack_working_days``."""
    if issue.status != IssueStatus.OPEN or issue.acknowledged_at is not None:
        return
    raised = board.window.today(issue.raised_at)
    if not board.reached(board.window.slot(board.calendar.add_working_days(raised, board.settings.ack_working_days))):
        return
    i = ref(Prefix.ISSUE, issue.id)
    raiser = board.people.get(issue.raiser_id)
    reply = Reply(summary=f"{i} needs acknowledging", refs=[i]).add(
        Heading(rich(f"{i} needs acknowledging")),
        Paragraph(rich("A confidential concern raised by ", mention(raiser) if raiser else "a member", " on ",
                       When(issue.raised_at), " has not been acknowledged; the raiser is waiting to hear that it "
                       "has been seen.")),
        Buttons((Button("Acknowledge", command=f"issue ack {i}", style="primary"),
                 Button("Open", command=f"issue show {i}"))))
    for member in board.with_role(Role.SECRETARIAT):
        topic = Subject.issue(issue.id)
        await emit(Step(f"{topic}:ack-nudge:m{member.id}", topic, to_member(member), reply))


async def _summary_ask(issue: Issue, board: Board, emit: Emit) -> None:
    """At the HWB stage the joint chairs read the secretariat's summary: until
    it exists, the secretariat is asked for it each working day."""
    if issue.summary or not board.settings.hwb_contacts or not reached_hwb(issue, board.settings):
        return  # (with no joint chairs set up the secretariat stands in, and has the family's words)
    if not board.window.open_day(board.today):
        return
    if issue.level_since and board.window.today(issue.level_since) == board.today:
        return  # the escalation itself asked for it today
    i = ref(Prefix.ISSUE, issue.id)
    reply = Reply(summary=f"{i} needs a case summary for the HWB joint chairs", refs=[i]).add(
        Heading(rich(f"{i} needs a case summary for the HWB joint chairs")),
        Paragraph(rich(SUMMARY_ASK, "`/board issue summary ", i, " <summary>`.")))
    for member in board.with_role(Role.SECRETARIAT):
        topic = Subject.issue(issue.id)
        key = f"{topic}:summary-ask:{board.today.isoformat()}:m{member.id}"
        await emit(Step(key, topic, to_member(member), reply))


async def _climb(issue: Issue, board: Board, uow: UnitOfWork, emit: Emit) -> None:
    due = next_escalation_at(issue, board.settings)
    if due is None or not board.reached(due):
        return
    # Someone (a planner elsewhere, or a person) already took it to this rung.
    if await uow.outbox.by_key(Key.issue_escalation(issue.id, issue.level + 1, "raiser")) is not None:
        return

    async def queue(member: Member, reply: Reply, key: str, subject: str) -> bool:
        return await emit(Step(key, subject, to_member(member), reply, kind=MessageKind.ESCALATION))

    await escalate_issue(uow, board.settings, issue, board.now, None, queue=queue)


async def plan_issues(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    """Only open concerns: nothing resolved, withdrawn or decided climbs."""
    for issue in await uow.issues.unresolved():
        await _ack_nudge(issue, board, emit)
        await _climb(issue, board, uow, emit)
        await _summary_ask(issue, board, emit)
