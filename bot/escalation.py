"""Climbing an issue's escalation ladder: shared by `/board issue escalate`
and the jobs that escalate stalled issues, so both say and record the same.

Each rung is told once (the dedupe key names the issue, the level and the
person); the raiser hears in plain words where their concern has gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from bot.member_lookup import mention
from bot.model import Issue, IssueEvent, Member, OutboxMessage, Prefix, Role
from bot.outbox_keys import Key, MessageKind, Recipient, Subject
from bot.ports import UnitOfWork
from bot.reply import Paragraph, Ref, Reply, When, outbox_payload, rich
from bot.rules import ladder_label, ladder_step
from bot.settings import BoardSettings
from bot.text import format_date, plain_text


async def ladder_recipients(uow: UnitOfWork, settings: BoardSettings, level: int) -> tuple[list[Member], str]:
    """Who sits on rung ``level``, and a note when the board hasn't said."""
    step = ladder_step(level, settings)
    if step == "chair":
        people = await uow.members.with_role(Role.CHAIR)
    elif step == "hwb":
        people = [m for h in settings.hwb_contacts if (m := await uow.members.by_handle(h.lstrip("@").lower()))]
    else:
        people = await uow.members.with_role(Role.SECRETARIAT)
    if people:
        return people, ""
    fallback = await uow.members.with_role(Role.SECRETARIAT)
    return fallback, (f" Nobody is set up as {ladder_label(level, settings)}, so this has come to the secretariat"
                      " to pass on (`/board config hwb @person`).")


Queue = Callable[[Member, Reply, str, str], Awaitable[bool]]


def outbox_queue(uow: UnitOfWork, now: dt.datetime) -> Queue:
    """Queue straight into the outbox (a command); the planner passes its own, which counts."""
    async def queue(member: Member, reply: Reply, key: str, subject: str) -> bool:
        return await uow.outbox.add_if_absent(OutboxMessage(
            dedupe_key=key, subject=subject, recipient=Recipient.member(member.id),
            payload=outbox_payload(reply), text=plain_text(reply), due_at=now, kind=MessageKind.ESCALATION,
            created_at=now))
    return queue


async def _why(uow: UnitOfWork, issue: Issue, settings: BoardSettings, actor: Member | None, reason: str) -> str:
    """Why the issue moves, as a true clause: "it was not resolved informally within 28 days"."""
    if actor is not None:
        return f"{actor.name} asked for it to go further" + (f" ({reason})" if reason else "")
    days = settings.informal_days if issue.level == 0 else int(settings.ladder[issue.level - 1][1])
    starts = [e for e in await uow.issues.events(issue.key) if e.kind in ("raised", "reopen", "escalate")]
    if starts and starts[-1].kind == "reopen":
        return (f"it was reopened on {format_date(starts[-1].at.astimezone(ZoneInfo(settings.timezone)).date())} "
                f"and was not resolved within {days} days")
    if issue.level == 0:
        return f"it was not resolved informally within {days} days"
    return f"{ladder_label(issue.level, settings)} could not resolve it within {days} days"


def _for_rung(issue: Issue, person: Member, raiser: Member | None, label: str, why: str, note: str) -> Reply:
    """What a person on the rung is told. The issue's words go only to those the
    confidentiality rules let see it (the chair once escalated, the secretariat);
    anyone else (the HWB joint chairs) reads the secretariat's summary."""
    issue_ref = f"{Prefix.ISSUE.value}{issue.id}"
    reply = Reply(summary=f"Confidential issue {issue_ref} escalated to {label}", refs=[issue_ref])
    if person.role in (Role.CHAIR, Role.SECRETARIAT):
        reply.add(Paragraph(rich("Confidential issue ", Ref(issue_ref), " raised by ",
                                 mention(raiser) if raiser else "a member", " on ", When(issue.raised_at),
                                 f" has come to {label} because {why}.", note)))
        return reply.add(Paragraph(rich(issue.text)),
                         Paragraph(rich("`/board issue show ", issue_ref, "` shows its history.")))
    reply.add(Paragraph(rich("Confidential concern ", Ref(issue_ref), ", raised on ", When(issue.raised_at),
                             f", has come to {label} because {why}.", note)))
    return reply.add(Paragraph(rich(
        "`/board issue show ", issue_ref, "` shows the secretariat's case summary and its steps; "
        "`/board issue decide ", issue_ref, " <decision>` records your decision, which is final.")))


def _for_handler(issue: Issue, label: str, why: str, ask_summary: bool) -> Reply:
    """The secretariat and the assignee hear where it has gone (and, at the HWB, that a summary is needed)."""
    issue_ref = f"{Prefix.ISSUE.value}{issue.id}"
    reply = Reply(summary=f"Confidential issue {issue_ref} has gone to {label}", refs=[issue_ref])
    reply.add(Paragraph(rich("Confidential issue ", Ref(issue_ref), f" has gone to {label} because {why}.")))
    if ask_summary:
        reply.add(Paragraph(rich(SUMMARY_ASK, "`/board issue summary ", issue_ref, " <summary>`.")))
    return reply


SUMMARY_ASK = ("The HWB joint chairs read the secretariat's case summary, not the family's own words. "
               "Please write it: ")


def _for_raiser(issue: Issue, label: str, why: str) -> Reply:
    issue_ref = f"{Prefix.ISSUE.value}{issue.id}"
    reply = Reply(summary=f"Your concern {issue_ref} has gone to {label}", refs=[issue_ref])
    return reply.add(Paragraph(rich(
        "Your concern ", Ref(issue_ref), f" has now gone to {label}, because {why}. ",
        "They will look at it and you'll hear from me when anything changes.")))


async def escalate_issue(uow: UnitOfWork, settings: BoardSettings, issue: Issue, now: dt.datetime,
                         actor: Member | None, reason: str = "", queue: Queue | None = None) -> int:
    """Move ``issue`` one rung up, record it, and tell everyone it concerns: the
    new rung, the secretariat, the assignee and the raiser (in plain words).

    ``actor`` is None when the jobs escalate a stalled issue. Returns how many
    messages were queued, so a command can have them delivered at once; 0 means
    someone else (another planner, at the same moment) already took the issue to
    this rung, and nothing was changed. The first message's unique dedupe key
    is what decides that, so two replicas never both escalate.
    """
    queue = queue or outbox_queue(uow, now)
    why = await _why(uow, issue, settings, actor, reason)
    level = issue.level + 1
    label = ladder_label(level, settings)
    raiser = await uow.members.get(issue.raiser_id)
    people, note = await ladder_recipients(uow, settings, level)
    messages = [(p, _for_rung(issue, p, raiser, label, why, note), str(p.id)) for p in people]
    handlers = await uow.members.with_role(Role.SECRETARIAT)
    if issue.assignee_id and (assignee := await uow.members.get(issue.assignee_id)) and assignee.active:
        handlers.append(assignee)
    ask_summary = ladder_step(level, settings) == "hwb" and bool(settings.hwb_contacts) and not issue.summary
    told = {p.id for p in people} | {actor.id if actor else None}
    messages += [(h, _for_handler(issue, label, why, ask_summary and h.role == Role.SECRETARIAT), str(h.id))
                 for h in {h.id: h for h in handlers if h.id not in told}.values()]
    if raiser is not None and (raiser.active or raiser.guest) and (actor is None or actor.id != raiser.id):
        messages.append((raiser, _for_raiser(issue, label, why), "raiser"))
    queued = 0
    for index, (member, reply, who) in enumerate(messages):
        added = await queue(member, reply, Key.issue_escalation(issue.id, level, who),
                            Subject.notice(Subject.issue(issue.id)))
        if index == 0 and not added:
            return 0
        queued += added
    issue.level, issue.level_since = level, now
    await uow.issues.save(issue)
    await uow.issues.add_event(IssueEvent(issue.key, actor.key if actor else None, now, "escalate", why))
    return queued
