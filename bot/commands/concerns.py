"""Working a concern: adding to it, withdrawing it, the secretariat's case
summary, theme and shareable outcome, and the HWB joint chairs' final
decision (Kingston MoU §7). Also the choices a parent's direct message can
leave open: "This is a new concern", "Add to I3", "Log this as a concern".
"""

from __future__ import annotations

from bot.commands.common import confirm, require_text
from bot.commands.issues import (
    add_parts,
    load_readable,
    load_visible,
    log_concern,
    raiser_or_handler,
    receipt,
    record,
    ref_and_rest,
    reopen_issue,
    require_state,
    sentence,
    tell_handlers,
    tell_raiser,
)
from bot.context import Context
from bot.dm_text import PART_CHARS, parts
from bot.errors import BadArgument, Conflict, Forbidden, NotFound
from bot.grammar import tokenize
from bot.model import HeldMessage, Issue, IssueStatus, Member, Prefix, Role
from bot.outbox_keys import Subject
from bot.policies import is_hwb_reader, reached_hwb
from bot.reply import Button, Buttons, Paragraph, Ref, Reply, rich
from bot.router import Args, Router
from bot.rules import ladder_label
from bot.views import ref

router = Router("issues", "Raise and resolve confidential concerns; they escalate if they stall.")


def _require_secretariat(actor: Member, what: str) -> None:
    if actor.role != Role.SECRETARIAT:
        raise Forbidden(f"Only the secretariat can {what}.", hint="Ask the secretariat.")


async def add_to(ctx: Context, issue: Issue, author: Member, text: str, tell: bool = True) -> Reply:
    """Keep ``text`` on ``issue``; the other side hears of it (unless ``tell`` is off:
    a message sent moments after the first is part of the same telling)."""
    event = await add_parts(ctx, issue, author, parts(text))
    await ctx.audit("issue.add", ref(Prefix.ISSUE, issue.id))
    await ctx.uow.outbox.cancel_pending(Subject.issue(issue.id))
    issue_ref = ref(Prefix.ISSUE, issue.id)
    if author.id == issue.raiser_id:
        if tell:
            await tell_handlers(ctx, issue, "The raiser added information to confidential issue ")
        reply = Reply(summary=f"Added to {issue_ref}.", refs=[issue_ref]).add(
            Paragraph(rich("Added to your concern ", Ref(issue_ref), ". The people handling it can see it.")))
        if event is not None and ctx.actor is not None:
            reply.add(Buttons((Button("This is a new concern", command=f"issue split {issue_ref} {event.id}"),)))
        return reply
    await tell_raiser(ctx, issue, sentence(text))
    return confirm(f"Added to {issue_ref}; the raiser has been told.", public=False)


@router.command("issue add", usage="issue add I7 <more information>",
                summary="Add information to a concern (its raiser or whoever handles it)",
                example="issue add I7 the school has now replied")
async def add(ctx: Context, args: Args) -> Reply:
    issue, actor, text = await raiser_or_handler(ctx, args, "add to", "issue add I7 the school replied")
    text = require_text(args.get("text", text), "What to add", "issue add I7 the school replied",
                        limit=PART_CHARS * 10)
    require_state(issue)
    return await add_to(ctx, issue, actor, text)


@router.command("issue split", usage="issue split I7 <part>",
                summary="Move something you added to a concern into a new concern of its own (the "
                        "“This is a new concern” button)")
async def split(ctx: Context, args: Args) -> Reply:
    number, _, rest = ref_and_rest(args.rest, "issue split I7 12")
    issue = await load_visible(ctx, number)
    actor = ctx.require_actor()
    events = {e.key: e for e in await ctx.uow.issues.events(issue.key)}
    part = events.get(int(rest)) if rest.strip().isdigit() else None
    if part is None or part.kind != "add" or part.actor_id != actor.id:
        raise NotFound(f"That isn't something you added to {ref(Prefix.ISSUE, issue.id)}.",
                       hint="Press “This is a new concern” under the message that should be its own concern.")
    new = await log_concern(ctx, actor, part.note)
    part.kind, part.note = "moved", f"moved to {ref(Prefix.ISSUE, new.id)}"
    await ctx.uow.issues.save_event(part)
    return receipt(ctx, new)


@router.command("issue withdraw", usage="issue withdraw I7 [reason]",
                summary="Withdraw your concern (it stops escalating; the people handling it are told)")
async def withdraw(ctx: Context, args: Args) -> Reply:
    number, _, reason = ref_and_rest(args.rest, "issue withdraw I7 we have now had a date")
    issue = await load_visible(ctx, number)
    if ctx.require_actor().id != issue.raiser_id:
        raise Forbidden("Only the person who raised a concern can withdraw it.",
                        hint=f"To close it, `/board issue resolve {ref(Prefix.ISSUE, issue.id)}`.")
    require_state(issue)
    issue.status, issue.closed_at = IssueStatus.WITHDRAWN, ctx.now()
    await record(ctx, issue, "withdraw", args.get("reason", reason))
    await tell_handlers(ctx, issue, "The raiser withdrew confidential issue ")
    issue_ref = ref(Prefix.ISSUE, issue.id)
    return confirm(f"{issue_ref} is withdrawn; the people handling it have been told. "
                   f"`/board issue reopen {issue_ref}` opens it again if you need to.", public=False)


async def _secretariat_text(ctx: Context, args: Args, what: str, example: str) -> tuple[Issue, str]:
    number, _, text = ref_and_rest(args.rest, example)
    issue = await load_visible(ctx, number)
    _require_secretariat(ctx.require_actor(), what)
    return issue, require_text(args.get("text", text), what.capitalize(), example, limit=4000)


@router.command("issue summary", usage="issue summary I7 <case summary>",
                summary="The case summary the HWB joint chairs read instead of the family's words (secretariat)",
                example="issue summary I7 Home-to-school transport withdrawn; provider dispute.")
async def summary(ctx: Context, args: Args) -> Reply:
    issue, text = await _secretariat_text(ctx, args, "write the case summary", "issue summary I7 transport withdrawn")
    issue.summary = text
    await record(ctx, issue, "summary")
    issue_ref = ref(Prefix.ISSUE, issue.id)
    if reached_hwb(issue, ctx.settings) and issue.is_open:
        for handle in ctx.settings.hwb_contacts:
            member = await ctx.uow.members.by_handle(handle.lstrip("@").lower())
            if member is not None and member.active:
                await ctx.notify(member, Reply(summary=f"The case summary of {issue_ref} is ready", refs=[issue_ref])
                                 .add(Paragraph(rich("The secretariat's case summary of confidential concern ",
                                                     Ref(issue_ref), " is ready: `/board issue show ", issue_ref,
                                                     "`."))),
                                 key=f"notice:issue:{issue.id}:summary:{member.id}",
                                 subject=Subject.notice(Subject.issue(issue.id)))
    return confirm(f"Case summary of {issue_ref} saved.", public=False)


@router.command("issue theme", usage="issue theme I7 <theme>",
                summary="Tag a concern's theme for the “you said, we did” report (secretariat)",
                example="issue theme I7 transport")
async def theme(ctx: Context, args: Args) -> Reply:
    issue, text = await _secretariat_text(ctx, args, "tag a concern's theme", "issue theme I7 transport")
    issue.theme = text.lower()
    await record(ctx, issue, "theme", issue.theme)
    return confirm(f"{ref(Prefix.ISSUE, issue.id)}'s theme is {issue.theme}.", public=False)


@router.command("issue outcome", usage="issue outcome I7 <what changed, naming nobody>",
                summary="The outcome that may be shared without naming anyone (secretariat)",
                example="issue outcome I7 Transport contracts now have a named back-up provider.")
async def outcome(ctx: Context, args: Args) -> Reply:
    issue, text = await _secretariat_text(ctx, args, "write a concern's outcome", "issue outcome I7 back-up provider")
    issue.outcome = text
    await record(ctx, issue, "outcome")
    return confirm(f"Shareable outcome of {ref(Prefix.ISSUE, issue.id)} saved; it appears in `issue report`.",
                   public=False)


@router.command("issue decide", usage="issue decide I7 <decision>",
                summary="Record the HWB joint chairs' final decision (HWB joint chairs, at the HWB stage)",
                example="issue decide I7 The council reinstates transport from Monday.")
async def decide(ctx: Context, args: Args) -> Reply:
    number, _, text = ref_and_rest(args.rest, "issue decide I7 transport reinstated")
    issue, _ = await load_readable(ctx, number)
    actor = ctx.require_actor()
    if not is_hwb_reader(actor, issue, ctx.settings):
        raise Forbidden("Only the HWB joint chairs can record the final decision, once a concern reaches them.",
                        hint=f"It is with {ladder_label(issue.level, ctx.settings)}.")
    require_state(issue)
    text = require_text(args.get("decision", text), "The decision", "issue decide I7 transport reinstated")
    issue.status, issue.decision, issue.closed_at = IssueStatus.DECIDED, text, ctx.now()
    await record(ctx, issue, "decide")
    issue_ref = ref(Prefix.ISSUE, issue.id)
    await tell_raiser(ctx, issue, "the Joint Chairs of the Health and Wellbeing Board have made their decision, which "
                      "is final: ", sentence(text), " If you have questions about it, please contact the secretariat.",
                      outcome=True)
    await tell_handlers(ctx, issue, "The HWB joint chairs decided confidential issue ")
    return confirm(f"Decision on {issue_ref} recorded; the raiser and the secretariat have been told. "
                   "It is now closed.", public=False)


def _held_reply(text: str, buttons: tuple[Button, ...]) -> Reply:
    return Reply(summary=text).add(Paragraph(rich(text)), Buttons(buttons))


async def hold(ctx: Context, member: Member, text: str, kind: str, issue: Issue | None = None) -> HeldMessage:
    return await ctx.uow.held.add(HeldMessage(member.key, text, ctx.now(), kind, issue.key if issue else None))


def ask_which(held: HeldMessage, open_issues: list[Issue]) -> Reply:
    buttons = tuple(Button(f"Add to {ref(Prefix.ISSUE, i.id)}", command=f"issue file {held.id} "
                           f"{ref(Prefix.ISSUE, i.id)}") for i in open_issues)
    return _held_reply("You have more than one open concern. Which one is this about? I'll keep your message "
                       "until you choose.", (*buttons, Button("A new concern", command=f"issue file {held.id} new")))


def ask_if_concern(held: HeldMessage) -> Reply:
    return _held_reply("Is this something you'd like logged as a concern, or were you just asking? I'll keep "
                       "your message until you choose.",
                       (Button("Log this as a concern", command=f"issue file {held.id} new", style="primary"),
                        Button("No, I was just asking", command=f"issue file {held.id} drop")))


def ask_reopen(held: HeldMessage, issue: Issue) -> Reply:
    issue_ref = ref(Prefix.ISSUE, issue.id)
    return _held_reply(f"It sounds as if your concern {issue_ref} isn't sorted. Shall I reopen it with this "
                       "message, or is this a new concern?",
                       (Button(f"Reopen {issue_ref}", command=f"issue file {held.id} reopen", style="primary"),
                        Button("It's a new concern", command=f"issue file {held.id} new")))


@router.command("issue file", usage="issue file <message> new|I7|reopen|drop",
                summary="Say what a message I kept is: a new concern, part of I7, a reopening, or nothing to log")
async def file(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    tokens = tokenize(args.rest)
    held = await ctx.uow.held.get(int(tokens[0])) if tokens and tokens[0].isdigit() else None
    if held is None or held.member_id != actor.id or held.kind == "filed":
        raise NotFound("I'm not keeping that message any more; it was already filed.",
                       hint="`/board issue list` shows your concerns.")
    choice = tokens[1].lower() if len(tokens) > 1 else ""
    if choice not in ("new", "reopen", "drop") and not (choice[:1] == "i" and choice[1:].isdigit()):
        raise BadArgument("Say what the message is: `new`, `reopen`, `drop` or a concern like I7.",
                          hint=f"For example: `issue file {held.id} new`")
    await ctx.uow.held.forget(held.key)
    if choice == "drop":
        return Reply(summary="Fine, I haven't logged it.").add(Paragraph(rich(
            "Fine, I haven't logged it. `help` shows what I can tell you about the board.")))
    if choice == "new":
        return receipt(ctx, await log_concern(ctx, actor, held.text))
    if choice == "reopen":
        issue = await load_visible(ctx, held.issue_id or 0)
        reply = await reopen_issue(ctx, issue, actor, "")
        await add_parts(ctx, issue, actor, parts(held.text))
        return reply
    issue = await load_visible(ctx, int(choice[1:]))
    if issue.raiser_id != actor.id:
        raise Conflict(f"{ref(Prefix.ISSUE, issue.id)} isn't one of your concerns.")
    require_state(issue)
    return await add_to(ctx, issue, actor, held.text)

