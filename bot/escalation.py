"""Climbing an issue's escalation ladder: shared by `/board issue escalate`
and the jobs that escalate stalled issues, so both say and record the same.

Each rung is told once (the dedupe key names the issue, the level and the
person); the raiser hears in plain words where their concern has gone.
"""

from __future__ import annotations

import datetime as dt

from bot.model import Issue, IssueEvent, Member, OutboxMessage, Prefix, Role
from bot.people import mention
from bot.ports import UnitOfWork
from bot.reply import Paragraph, Ref, Reply, When, outbox_payload, rich
from bot.rules import ladder_label, ladder_step
from bot.settings import BoardSettings
from bot.text import plain_text


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


async def _queue(uow: UnitOfWork, member: Member, reply: Reply, key: str, subject: str, now: dt.datetime) -> bool:
    return await uow.outbox.add_if_absent(OutboxMessage(
        dedupe_key=key, subject=subject, recipient=f"member:{member.id}", payload=outbox_payload(reply),
        text=plain_text(reply), due_at=now, kind="escalation", created_at=now))


def _why(issue: Issue, settings: BoardSettings, actor: Member | None, reason: str) -> str:
    """Why the issue moves, as a clause: "it was not resolved informally within 28 days"."""
    if actor is not None:
        return f"{actor.name} asked for it to go further" + (f" ({reason})" if reason else "")
    if issue.level == 0:
        return f"it was not resolved informally within {settings.informal_days} days"
    days = int(settings.ladder[issue.level - 1][1])
    return f"{ladder_label(issue.level, settings)} could not resolve it within {days} days"


def _for_rung(issue: Issue, person: Member, raiser: Member | None, label: str, why: str, note: str) -> Reply:
    """What a person on the rung is told. The issue's words go only to those the
    confidentiality rules let see it (the chair once escalated, the secretariat);
    anyone else (the HWB joint chairs) hears that it has come to them and that
    the secretariat will share the detail."""
    issue_ref = f"{Prefix.ISSUE.value}{issue.id}"
    reply = Reply(summary=f"Confidential issue {issue_ref} escalated to {label}", refs=[issue_ref])
    reply.add(Paragraph(rich("Confidential issue ", Ref(issue_ref), " raised by ",
                             mention(raiser) if raiser else "a member", " on ", When(issue.raised_at),
                             f" has come to {label} because {why}.", note)))
    if person.role in (Role.CHAIR, Role.SECRETARIAT):
        return reply.add(Paragraph(rich(issue.text)),
                         Paragraph(rich("`/board issue show ", issue_ref, "` shows its history.")))
    return reply.add(Paragraph(rich("It holds personal information, so the secretariat will share the detail "
                                    "with you directly.")))


def _for_raiser(issue: Issue, label: str, why: str) -> Reply:
    issue_ref = f"{Prefix.ISSUE.value}{issue.id}"
    reply = Reply(summary=f"Your concern {issue_ref} has gone to {label}", refs=[issue_ref])
    return reply.add(Paragraph(rich(
        "Your concern ", Ref(issue_ref), f" has now gone to {label}, because {why}. ",
        "They will look at it and you'll hear from me when anything changes.")))


async def escalate_issue(uow: UnitOfWork, settings: BoardSettings, issue: Issue, now: dt.datetime,
                         actor: Member | None, reason: str = "") -> int:
    """Move ``issue`` one rung up, record it, tell the rung and the raiser.

    ``actor`` is None when the jobs escalate a stalled issue. Returns how many
    messages were queued, so a command can have them delivered at once; 0 means
    someone else (another planner, at the same moment) already took the issue to
    this rung, and nothing was changed. The first message's unique dedupe key
    is what decides that, so two replicas never both escalate.
    """
    why = _why(issue, settings, actor, reason)
    level = issue.level + 1
    label = ladder_label(level, settings)
    raiser = await uow.members.get(issue.raiser_id)
    people, note = await ladder_recipients(uow, settings, level)
    messages = [(p, _for_rung(issue, p, raiser, label, why, note), str(p.id)) for p in people]
    if raiser is not None and (actor is None or actor.id != raiser.id):
        messages.append((raiser, _for_raiser(issue, label, why), "raiser"))
    queued = 0
    for index, (member, reply, who) in enumerate(messages):
        added = await _queue(uow, member, reply, f"issue:{issue.id}:escalate-{level}:{who}",
                             f"notice:issue:{issue.id}", now)
        if index == 0 and not added:
            return 0
        queued += added
    issue.level, issue.level_since = level, now
    await uow.issues.save(issue)
    await uow.issues.add_event(IssueEvent(issue.id, actor.id if actor else None, now, "escalate", why))
    return queued
