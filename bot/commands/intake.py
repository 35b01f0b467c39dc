"""A parent's direct message, told once: the rules that decide what it is.

The application routes here every direct message from a parent rep (or from
someone not yet on the board) that is not a board command. In order:

1. Only a greeting or thanks: a friendly reply (and how to add to an open concern).
2. From someone not yet on the board: kept as their concern, with a receipt;
   the secretariat is asked to acknowledge it and to add them.
3. A few characters only: kept as a draft; what they send next joins it.
4. Within 2 minutes of their last message about an open concern: the same telling.
5. A question about the board ("when is the next meeting?"): answered.
6. "It's not resolved", soon after a resolution: offer to reopen (a button).
7. A question that may or may not be a concern: ask, keeping the text.
8. One open concern: added to it, with a "This is a new concern" button.
   Several: ask which, keeping the text. None: a new concern.

Nothing a parent typed is dropped: it is an issue, part of one, or held
until they choose (bot.model.HeldMessage).
"""

from __future__ import annotations

import datetime as dt
import re

from bot import identity
from bot.commands import agenda, deadlines, meetings
from bot.commands.concerns import add_to, ask_if_concern, ask_reopen, ask_which, hold
from bot.commands.help import parent_help
from bot.commands.issues import log_concern, receipt
from bot.context import Context
from bot.dm_text import (
    MERGE_SECONDS,
    REOPEN_DAYS,
    board_question,
    is_small_talk,
    is_tiny,
    says_not_resolved,
    unsure_question,
)
from bot.errors import BadArgument
from bot.model import Issue, IssueStatus, Member, Prefix, Role
from bot.reply import Paragraph, Reply, rich
from bot.router import Args, Router
from bot.views import ref

router = Router("issues", "Raise and resolve confidential concerns; they escalate if they stall.")

_ANSWERS = {"meeting next": meetings.next_meeting, "deadlines": deadlines.deadlines, "agenda list": agenda.list_items}


async def guest_for(ctx: Context) -> Member:
    """The record of someone not (or no longer) on the board, made on first contact.

    A guest is never active: it reads nothing and is asked nothing, but it can
    hear about its own concern, and `member add` turns it into a member.
    """
    who = ctx.command.who
    if (found := await identity.known(ctx.uow, who)) is not None:
        return found
    base = who.user_id.lstrip("@").lower() if who.platform == identity.CONSOLE else "guest." + (
        re.sub(r"[^a-z0-9]+", ".", (who.name or who.user_id).lower()).strip(".") or "someone")
    handle, n = base, 1
    while await ctx.uow.members.by_handle(handle):
        n += 1
        handle = f"{base}{n}"
    guest = await ctx.uow.members.add(Member(
        handle=handle, name=who.name or who.user_id, initials="G", role=Role.PARENT_REP, active=False, guest=True))
    if who.platform != identity.CONSOLE and guest.id is not None:
        await ctx.uow.identities.link(guest.id, who.platform, who.user_id, who.email)
    return guest


@router.command("concern", usage="concern <what is wrong, in your own words>",
                summary="Tell the board about a worry, as a direct message to me does", members_only=False,
                example="concern My son has had no school transport since Monday")
async def concern(ctx: Context, args: Args) -> Reply:
    text = str(args.get("text", args.rest)).strip()
    if not text:
        raise BadArgument("Tell me what is worrying you, in your own words.",
                          hint="For example: `concern My son has had no school transport since Monday`")
    member = ctx.actor or await guest_for(ctx)
    if is_small_talk(text):
        return await _greeting(ctx, member)
    mine = await ctx.uow.issues.raised_by(member.key)
    open_issues = [i for i in mine if i.is_open]
    if not member.active:  # not (yet) on the board: everything they send is their concern
        if open_issues:
            return await add_to(ctx, open_issues[-1], member, text)
        return receipt(ctx, await log_concern(ctx, member, text))
    drafts = [h for h in await ctx.uow.held.for_member(member.key) if h.kind == "draft"]
    for draft in drafts:
        await ctx.uow.held.forget(draft.key)
    if drafts:
        text = "\n".join([*(d.text for d in drafts), text])
    elif is_tiny(text):
        await hold(ctx, member, text, "draft")
        return _say("Could you tell me a little more? Write it in your own words, as much or as little as you "
                    "like, and I'll keep it with what you just sent.")
    return await _sort(ctx, member, text, mine, open_issues, fresh=not drafts)


async def _sort(ctx: Context, member: Member, text: str, mine: list[Issue], open_issues: list[Issue],
                fresh: bool) -> Reply:
    """Rules 4 to 8 (see the module docstring)."""
    recent = [i for i in open_issues if await _last_told(ctx, i, member) >= ctx.now() - dt.timedelta(
        seconds=MERGE_SECONDS)]
    if recent:
        return await add_to(ctx, recent[-1], member, text, tell=False)
    if fresh and (command := board_question(text)):
        return await _ANSWERS[command](ctx, Args("")) if command in _ANSWERS else parent_help()
    reopenable = [i for i in mine if i.status == IssueStatus.RESOLVED and i.resolved_at
                  and i.resolved_at >= ctx.now() - dt.timedelta(days=REOPEN_DAYS)]
    if not open_issues and reopenable and says_not_resolved(text):
        return ask_reopen(await hold(ctx, member, text, "reopen", reopenable[-1]), reopenable[-1])
    if fresh and unsure_question(text):
        return ask_if_concern(await hold(ctx, member, text, "question"))
    if len(open_issues) == 1:
        return await add_to(ctx, open_issues[0], member, text)
    if open_issues:
        return ask_which(await hold(ctx, member, text, "which"), open_issues)
    return receipt(ctx, await log_concern(ctx, member, text))


async def _last_told(ctx: Context, issue: Issue, member: Member) -> dt.datetime:
    """When the raiser last wrote about ``issue``."""
    added = [e.at for e in await ctx.uow.issues.events(issue.key) if e.kind == "add" and e.actor_id == member.key]
    return max([issue.raised_at, *added])


async def _greeting(ctx: Context, member: Member) -> Reply:
    name = member.name.split()[0] if member.active else "there"
    open_issues = [i for i in await ctx.uow.issues.raised_by(member.key) if i.is_open]
    text = f"Hello {name}. If something is worrying you, write it here in your own words and I'll pass it on " \
           "confidentially and tell you what happens next."
    if len(open_issues) == 1:
        issue_ref = ref(Prefix.ISSUE, open_issues[0].id)
        text += f" Anything you send now is added to your open concern {issue_ref}."
    elif open_issues:
        refs = ", ".join(ref(Prefix.ISSUE, i.id) for i in open_issues)
        text += f" You have open concerns {refs}; tell me more and I'll ask which one it is about."
    return _say(text)


def _say(text: str) -> Reply:
    return Reply(summary=text).add(Paragraph(rich(text)))
