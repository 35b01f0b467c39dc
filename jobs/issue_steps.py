"""Parent concerns: the acknowledgement nudge and the escalation ladder.

Unresolved after the informal window (28 calendar days, Kingston MoU §7) an
issue climbs to the next rung of ``settings.ladder`` (the chair, then the
HWB joint chairs). Climbing changes the issue (level, level_since, an
IssueEvent) in the planner's transaction, together with the messages, and
the raiser hears of it in plain words. The raiser's message doubles as the
claim: its dedupe key is unique per level, so when two planners race only
the one that inserted it climbs.

Confidentiality: only the chair (who may see escalated issues) gets the
issue's words; everyone else gets the reference. Nothing here is logged.
"""

from __future__ import annotations

from bot.model import Issue, IssueEvent, IssueStatus, Member, Prefix, Role
from bot.people import mention
from bot.ports import UnitOfWork
from bot.reply import Buttons, Button, Heading, Note, Paragraph, Reply, When, rich
from bot.rules import ladder_label, ladder_step, next_escalation_at
from bot.views import ref
from jobs.board import Board, Emit, Step, to_member

PLAIN_NAMES = {"chair": "the Chair of the board",
               "hwb": "the Joint Chairs of the Health and Wellbeing Board, whose decision is final"}


def subject(issue: Issue) -> str:
    return f"issue:{issue.id}"


def _reply(issue: Issue, summary: str, *blocks) -> Reply:
    return Reply(summary=summary, refs=[ref(Prefix.ISSUE, issue.id)]).add(*blocks)


def _raised_by(issue: Issue, board: Board) -> tuple:
    raiser = board.people.get(issue.raiser_id)
    return (" raised by ", mention(raiser)) if raiser else ()


async def _ack_nudge(issue: Issue, board: Board, emit: Emit) -> None:
    if issue.status != IssueStatus.OPEN or issue.acknowledged_at is not None:
        return
    raised = board.window.today(issue.raised_at)
    due = board.calendar.add_working_days(raised, board.settings.ack_working_days)
    if not board.reached(board.window.slot(due)):
        return
    i = ref(Prefix.ISSUE, issue.id)
    reply = _reply(issue, f"{i} needs acknowledging", Heading(rich(f"{i} needs acknowledging")),
                   Paragraph(rich("A concern", *_raised_by(issue, board), " on ", When(issue.raised_at),
                                  " has not been acknowledged yet; the raiser is waiting to hear it has been seen.")),
                   Buttons((Button("Acknowledge", command=f"issue ack {i}", style="primary"),
                            Button("Open", command=f"issue show {i}"))))
    for member in board.with_role(Role.SECRETARIAT):
        await emit(Step(f"{subject(issue)}:ack-nudge:m{member.id}", subject(issue), to_member(member), reply))


def _rung_recipients(step: str, board: Board) -> tuple[list[Member], bool]:
    """Who takes the issue at this rung, and whether they stand in for someone missing."""
    if step == "chair":
        people = board.with_role(Role.CHAIR)
    elif step == "hwb":
        people = [m for h in board.settings.hwb_contacts if (m := board.by_handle(h))]
    else:
        people = board.with_role(Role(step)) if step in set(Role) else []
    return (people, False) if people else (board.with_role(Role.SECRETARIAT), True)


def _to_rung(issue: Issue, step: str, level: int, board: Board, stand_in: bool) -> Reply:
    i = ref(Prefix.ISSUE, issue.id)
    days = board.settings.informal_days if level == 1 else int(board.settings.ladder[level - 2][1])
    reply = _reply(issue, f"Escalation: {i} to {ladder_label(level, board.settings)}",
                   Heading(rich(f"Escalation: concern {i} now goes to {ladder_label(level, board.settings)}")),
                   Paragraph(rich("The concern", *_raised_by(issue, board), " on ", When(issue.raised_at),
                                  f" has not been resolved in {days} days at the previous stage.")))
    if step == "chair" and not stand_in:
        reply.add(Paragraph(rich("What was raised: ", issue.text)))
    else:
        reply.add(Paragraph(rich(f"The secretariat holds the details: `/board issue show {i}`.")))
    if stand_in:
        reply.add(Note(rich(f"Nobody is set up as {ladder_label(level, board.settings)} "
                            "(`/board config hwb_contacts @a @b`): please pass this on.")))
    return reply.add(Buttons((Button("Open", command=f"issue show {i}"),)))


def _to_raiser(issue: Issue, step: str, board: Board) -> Reply:
    who = PLAIN_NAMES.get(step, ladder_label(issue.level + 1, board.settings))
    return _reply(issue, "An update on the concern you raised",
                  Heading(rich("An update on the concern you raised")),
                  Paragraph(rich(f"Your concern {ref(Prefix.ISSUE, issue.id)} from ", When(issue.raised_at),
                                 " hasn't been sorted out yet, so, as the board's agreement says, it has now gone "
                                 f"to {who}.")),
                  Paragraph(rich("You don't need to do anything. We'll tell you when there is news.")))


async def _climb(issue: Issue, board: Board, uow: UnitOfWork, emit: Emit) -> None:
    due = next_escalation_at(issue, board.settings)
    if due is None or not board.reached(due):
        return
    level = issue.level + 1
    step = ladder_step(level, board.settings) or "chair"
    prefix = f"{subject(issue)}:level-{level}"
    claimed = await emit(Step(f"{prefix}:raiser", subject(issue), f"member:{issue.raiser_id}",
                              _to_raiser(issue, step, board), kind="escalation"))
    if not claimed:
        return
    people, stand_in = _rung_recipients(step, board)
    reply = _to_rung(issue, step, level, board, stand_in)
    for member in people:
        await emit(Step(f"{prefix}:m{member.id}", subject(issue), to_member(member), reply, kind="escalation"))
    issue.level, issue.level_since = level, board.now
    await uow.issues.save(issue)
    await uow.issues.add_event(IssueEvent(issue.id, None, board.now, "escalate", f"to {step} (automatic)"))


async def plan_issues(board: Board, uow: UnitOfWork, emit: Emit) -> None:
    for issue in await uow.issues.unresolved():
        await _ack_nudge(issue, board, emit)
        await _climb(issue, board, uow, emit)
