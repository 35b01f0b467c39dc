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
from bot.reply import Paragraph, Ref, Reply, When, rich, to_dict
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


async def _queue(uow: UnitOfWork, member: Member, reply: Reply, key: str, subject: str, kind: str,
                 now: dt.datetime) -> None:
    await uow.outbox.add_if_absent(OutboxMessage(
        dedupe_key=key, subject=subject, recipient=f"member:{member.id}", payload=to_dict(reply),
        text=plain_text(reply), due_at=now, kind=kind, created_at=now))


def _why(issue: Issue, settings: BoardSettings, actor: Member | None, reason: str) -> str:
    """Why the issue moved, as a clause: "it was not resolved informally within 28 days"."""
    if actor is not None:
        return f"{actor.name} asked for it to go further" + (f" ({reason})" if reason else "")
    if issue.level == 0:
        return f"it was not resolved informally within {settings.informal_days} days"
    days = int(settings.ladder[issue.level - 1][1])
    return f"{ladder_label(issue.level, settings)} could not resolve it within {days} days"


async def escalate_issue(uow: UnitOfWork, settings: BoardSettings, issue: Issue, now: dt.datetime,
                         actor: Member | None, reason: str = "") -> int:
    """Move ``issue`` one rung up, record it, tell the rung and the raiser.

    ``actor`` is None when the jobs escalate a stalled issue. Returns how many
    messages were queued, so a command can have them delivered at once.
    """
    why = _why(issue, settings, actor, reason)
    issue.level += 1
    issue.level_since = now
    await uow.issues.save(issue)
    await uow.issues.add_event(IssueEvent(issue.id, actor.id if actor else None, now, "escalate", why))
    issue_ref = f"{Prefix.ISSUE.value}{issue.id}"
    raiser = await uow.members.get(issue.raiser_id)
    label = ladder_label(issue.level, settings)
    people, note = await ladder_recipients(uow, settings, issue.level)
    for person in people:
        reply = Reply(summary=f"Confidential issue {issue_ref} escalated to {label}", refs=[issue_ref])
        reply.add(
            Paragraph(rich("Confidential issue ", Ref(issue_ref), " raised by ",
                           mention(raiser) if raiser else "a member", " on ", When(issue.raised_at),
                           f" has come to {label} because {why}.", note)),
            Paragraph(rich(issue.text)),
            Paragraph(rich("`/board issue show ", issue_ref, "` shows its history.")),
        )
        await _queue(uow, person, reply, f"issue:{issue.id}:escalate-{issue.level}:{person.id}",
                     f"notice:issue:{issue.id}", "escalation", now)
    queued = len(people)
    if raiser is not None and (actor is None or actor.id != raiser.id):
        reply = Reply(summary=f"Your concern {issue_ref} has gone to {label}", refs=[issue_ref])
        reply.add(Paragraph(rich(
            "Your concern ", Ref(issue_ref), f" has now gone to {label}, because {why}. ",
            "They will look at it and you'll hear from me when anything changes.")))
        await _queue(uow, raiser, reply, f"issue:{issue.id}:escalate-{issue.level}:raiser",
                     f"notice:issue:{issue.id}", "escalation", now)
        queued += 1
    return queued
