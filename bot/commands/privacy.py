"""The audit trail and subject access, for the secretariat (and the chair for
escalated issues): who changed or saw what, and everything held about a person."""

from __future__ import annotations

import datetime as dt

from bot.commands.common import read_date
from bot.context import Context
from bot.permissions import check
from bot.privacy import audit_lines, audit_target, entries_for, export_filename, find_member, subject_access
from bot.reply import Attachment, Heading, Item, Items, Note, Paragraph, Reply, rich
from bot.router import Args, Router

EXPORT_MEDIA_TYPE = "application/json"
router = Router("privacy", "Data protection (secretariat): the audit trail and subject access exports.")


def _split_from(text: str) -> tuple[str, str]:
    words = text.split()
    lowered = [w.lower() for w in words]
    if "from" in lowered:
        at = lowered.index("from")
        return " ".join(words[:at]), " ".join(words[at + 1:])
    return text, ""


@router.command("audit", usage="audit A12|I7|@member [from <date>]",
                summary="Who changed or viewed something, and when, in plain words", example="audit I7 from 1/2/2027",
                changes_state=False)
async def audit(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    target_text, from_text = _split_from(args.rest)
    target = await audit_target(ctx.uow, target_text)
    check(actor, (), target.issue is not None and target.issue.level >= 1, what="read the audit trail of this")
    since = None
    if from_text:
        day = read_date(ctx, from_text, field="from", allow_past=True)
        since = dt.datetime.combine(day, dt.time(0), tzinfo=ctx.tz).astimezone(dt.UTC)
    entries = await entries_for(ctx.uow, target, since)
    lines = await audit_lines(ctx.uow, entries, ctx.tz)
    reply = Reply(summary=f"Audit trail of {target.label}: {len(lines)} entries")
    return reply.add(
        Heading(rich(f"Audit trail of {target.label}")),
        Items(tuple(Item(rich(line)) for line in lines), empty="Nothing recorded" + (" since then." if since else ".")),
    )


@router.command("privacy export", usage="privacy export @member",
                summary="Everything held about a person, as a file for you alone (subject access request)",
                example="privacy export @pat", changes_state=False)
async def export(ctx: Context, args: Args) -> Reply:
    check(ctx.require_actor(), (), what="export what is held about a person")
    member = await find_member(ctx.uow, args.rest or "")
    await ctx.audit("privacy.export", f"@{member.handle}")
    reply = Reply(summary=f"Subject access export for @{member.handle}")
    data = (await subject_access(ctx.uow, member, ctx.now())).encode("utf-8")
    reply.attachments.append(Attachment(export_filename(member, ctx.now()), EXPORT_MEDIA_TYPE, data))
    return reply.add(
        Paragraph(rich(f"Here is everything partnerbot holds about @{member.handle}, as a file for you alone.")),
        Note(rich("It may hold special category data: send it to the person securely, then delete your copy.")),
    )

