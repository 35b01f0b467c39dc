"""Issues: confidential concerns, mostly from parent reps, with an escalation
ladder (informal 28 days, then the Chair, then the HWB joint chairs; Kingston
MoU §7). The raiser hears of every change in plain words.

Confidentiality: an issue is visible only to its raiser, the secretariat, its
assignee and, once escalated, the chair; the HWB joint chairs, once it
reaches them, read the secretariat's summary and the steps. To anyone else
it does not exist ("no issue I7 that you can see"), so even its existence is
not disclosed.
"""

from __future__ import annotations

from bot import permissions
from bot.commands.common import confirm, everyone, first_ref, require_text
from bot.context import Context
from bot.dm_text import PART_CHARS, parts
from bot.errors import BadArgument, Conflict, Forbidden, NotFound
from bot.escalation import escalate_issue
from bot.forms import Field, Form, Kind, runs
from bot.grammar import is_mention, parse_ref, tokenize
from bot.member_lookup import find_person, mention
from bot.model import Issue, IssueEvent, IssueStatus, Member, Prefix, Role
from bot.outbox_keys import Subject
from bot.policies import can_see_issue, is_hwb_reader, require_assignable, require_issue_handler
from bot.reply import Fields, Heading, Item, Items, Paragraph, Ref, Reply, Rich, When, rich
from bot.router import Args, Router
from bot.rules import ladder_label, next_escalation_at
from bot.text import format_date
from bot.views import issue_line, ref

router = Router("issues", "Raise and resolve confidential concerns; they escalate if they stall.")

RAISE_EXAMPLE = "issue raise My son's EHCP review is three months late and nobody answers my emails"


def _hidden(number: int) -> NotFound:
    return NotFound(f"There is no issue I{number} that you can see.",
                    hint="`/board issue list` shows the issues shared with you.")


async def load_visible(ctx: Context, number: int) -> Issue:
    """An issue the actor may read in full (raiser, secretariat, assignee, chair once escalated)."""
    issue = await ctx.uow.issues.get(number)
    if issue is None or not can_see_issue(ctx.require_actor(), issue):
        raise _hidden(number)
    return issue


async def load_readable(ctx: Context, number: int) -> tuple[Issue, bool]:
    """An issue and whether the actor reads only its summary (an HWB joint chair)."""
    issue = await ctx.uow.issues.get(number)
    actor = ctx.require_actor()
    if issue is not None and can_see_issue(actor, issue):
        return issue, False
    if issue is not None and is_hwb_reader(actor, issue, ctx.settings):
        return issue, True
    raise _hidden(number)


async def tell_raiser(ctx: Context, issue: Issue, *text, outcome: bool = False) -> None:
    """Plain words to the person who raised it, unless they did this themselves.

    Someone no longer on the board still hears the outcome of their own
    concern (``outcome``), and nothing else."""
    if ctx.actor is not None and ctx.actor.id == issue.raiser_id:
        return
    raiser = await ctx.uow.members.get(issue.raiser_id)
    if raiser is None or not (raiser.active or raiser.guest or outcome):
        return
    reply = Reply(summary="Update on your concern " + ref(Prefix.ISSUE, issue.id), refs=[ref(Prefix.ISSUE, issue.id)])
    reply.add(Paragraph(rich("Update on your concern ", Ref(ref(Prefix.ISSUE, issue.id)), ": ", *text)))
    await ctx.notify(raiser, reply, key=f"notice:issue:{issue.id}:raiser",
                     subject=Subject.notice(Subject.issue(issue.id)))


async def record(ctx: Context, issue: Issue, kind: str, note: str = "") -> None:
    await ctx.uow.issues.save(issue)
    await ctx.uow.issues.add_event(IssueEvent(issue.key, ctx.require_actor().key, ctx.now(), kind, note))
    await ctx.uow.outbox.cancel_pending(Subject.issue(issue.key))
    await ctx.audit(f"issue.{kind}", ref(Prefix.ISSUE, issue.id))  # never the words of the issue


def _what_next(ctx: Context, issue: Issue) -> Rich:
    """What happens next, in plain words: acknowledgement, then the next rung."""
    spans: list = []
    if issue.acknowledged_at is None:
        ack_by = ctx.calendar.add_working_days(issue.raised_at.astimezone(ctx.tz).date(),
                                               ctx.settings.ack_working_days)
        if ack_by >= ctx.today():
            spans += ["The secretariat will acknowledge it by ", When(ack_by), ". "]
        else:
            spans += ["It has not been acknowledged yet (it was due by ", When(ack_by), "). "]
    if (nxt := next_escalation_at(issue, ctx.settings)) is not None:
        spans += ["If it isn't resolved by ", When(nxt), ", it goes to ", ladder_label(issue.level + 1, ctx.settings),
                  "."]
    else:
        spans += ["It is with ", ladder_label(issue.level, ctx.settings), ", the final stage."]
    return rich(*spans)


router.form(Form("issue.raise", "Raise an issue", (
    Field("text", "What is wrong, in your own words?", Kind.LONG_TEXT, required=True),
), runs("issue raise"), submit="Raise", notes=("Issues are confidential: only you, the secretariat and whoever is "
                                               "asked to help can see them.",)))


@router.command("issue raise", usage="issue raise <what is wrong, in your own words>",
                summary="Raise a confidential concern (parent reps can simply send the bot a direct message)",
                example=RAISE_EXAMPLE)
async def raise_issue(ctx: Context, args: Args) -> Reply:
    text = require_text(args.get("text", args.rest), "The concern", RAISE_EXAMPLE, limit=PART_CHARS * 10)
    if ctx.command.source_link:
        text += f"\n(from {ctx.command.source_link})"
    return receipt(ctx, await log_concern(ctx, ctx.require_actor(), text))


async def add_parts(ctx: Context, issue: Issue, author: Member, texts: list[str]) -> IssueEvent | None:
    """Keep further text on an issue, whole, as additions; the last one is returned."""
    event = None
    for text in texts:
        event = await ctx.uow.issues.add_event(IssueEvent(issue.key, author.key, ctx.now(), "add", text))
    return event


async def log_concern(ctx: Context, raiser: Member, text: str) -> Issue:
    """A new confidential issue in the raiser's own words, kept whole (beyond
    100,000 characters the rest is kept as further parts); the secretariat is
    asked to acknowledge it (and, for someone not yet on the board, to add them)."""
    first, *rest = parts(text)
    issue = await ctx.uow.issues.add(Issue(text=first, raiser_id=raiser.key, raised_at=ctx.now(),
                                           level_since=ctx.now()))
    await ctx.uow.issues.add_event(IssueEvent(issue.key, raiser.key, ctx.now(), "raised"))
    await add_parts(ctx, issue, raiser, rest)
    issue_ref = ref(Prefix.ISSUE, issue.id)
    await ctx.audit("issue.raise", issue_ref)
    source = (rich(" from someone not yet on the board (", raiser.name, "). Please acknowledge it (`/board issue ack ",
                   issue_ref, "`) and add them to the board (`/board member add`), which links them to it.")
              if raiser.guest else
              rich(" from ", mention(raiser), ". Please acknowledge it: `/board issue ack ", issue_ref, "`."))
    for sec in await ctx.uow.members.with_role(Role.SECRETARIAT):
        if sec.id != raiser.id:
            await ctx.notify(sec, Reply(summary=f"New confidential issue {issue_ref}", refs=[issue_ref]).add(
                Paragraph(rich("New confidential issue ", Ref(issue_ref), *source))),
                key=f"notice:issue:{issue.id}:new:{sec.id}", subject=Subject.notice(Subject.issue(issue.id)))
    return issue


def receipt(ctx: Context, issue: Issue) -> Reply:
    """What the raiser reads when their concern is logged."""
    issue_ref = ref(Prefix.ISSUE, issue.id)
    reply = Reply(summary=f"Thank you. Your concern is logged as {issue_ref}.", refs=[issue_ref])
    return reply.add(
        Paragraph(rich("Thank you. Your concern is logged as ", Ref(issue_ref), ".")),
        Paragraph(rich("It is confidential: only you, the secretariat and whoever is asked to help can see it.")),
        Paragraph(_what_next(ctx, issue)),
        Paragraph(rich("You'll hear from me each time something happens. `/board issue show ", issue_ref,
                       "` shows where it is.")),
    )


@router.command("issue list", usage="issue list [all]", summary="Issues shared with you (open ones unless `all`)",
                changes_state=False, aliases=("issues",))
async def list_issues(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    everything = args.rest.strip().lower() == "all"
    issues = await ctx.uow.issues.list_all() if everything else await ctx.uow.issues.unresolved()
    visible = [i for i in issues if can_see_issue(actor, i) or is_hwb_reader(actor, i, ctx.settings)]
    people = await ctx.members(i.raiser_id for i in visible)
    items = tuple(Item(issue_line(i, people) if can_see_issue(actor, i) else _summary_line(i), ref(Prefix.ISSUE, i.id),
                       i.status.value + (f", with {ladder_label(i.level, ctx.settings)}" if i.level else ""))
                  for i in visible)
    reply = Reply(summary=f"{len(items)} issues", refs=[ref(Prefix.ISSUE, i.id) for i in visible])
    return reply.add(Items(items, title=("All" if everything else "Open") + " issues you can see",
                           empty="No issues that you can see."))


def _summary_line(issue: Issue) -> Rich:
    """An HWB joint chair's line: the summary, never the family's words."""
    return rich(Ref(ref(Prefix.ISSUE, issue.id)), " ", issue.summary or "(case summary to come)", " — raised on ",
                When(issue.raised_at))


@router.command("issue show", usage="issue show I7", summary="An issue with its history", changes_state=False)
async def show(ctx: Context, args: Args) -> Reply:
    number, _ = first_ref(args.rest, Prefix.ISSUE, "issue", "issue show I7")
    issue, summary_only = await load_readable(ctx, number)
    if summary_only:
        return await _summary_view(ctx, issue)
    people = await everyone(ctx)
    assignee = people.get(issue.assignee_id) if issue.assignee_id else None
    issue_ref = ref(Prefix.ISSUE, issue.id)
    history = tuple(Item(rich(When(e.at, with_time=True), " ", mention(people[e.actor_id]) if e.actor_id in people
                              else "partnerbot", " ", e.kind, ": " if e.note else None, e.note))
                    for e in await ctx.uow.issues.events(issue.key))
    reply = Reply(summary=f"Issue {issue_ref}", refs=[issue_ref])
    return reply.add(
        Heading(rich(Ref(issue_ref), " (confidential)")),
        Paragraph(rich(issue.text)),
        Fields((
            ("Raised by", rich(mention(people[issue.raiser_id]) if issue.raiser_id in people else "—",
                               " (not yet on the board)" if _guest(people, issue) else None, " on ",
                               When(issue.raised_at))),
            ("Status", rich(issue.status.value)),
            ("With", rich(mention(assignee) if assignee else "the secretariat")),
            ("Stage", rich(ladder_label(issue.level, ctx.settings))),
        )),
        *_case_fields(issue),
        Paragraph(_what_next(ctx, issue)) if issue.is_open else Paragraph(rich(closed_words(issue))),
        Items(history, title="History"),
    )


def _guest(people: dict[int, Member], issue: Issue) -> bool:
    raiser = people.get(issue.raiser_id)
    return raiser is not None and raiser.guest


def closed_words(issue: Issue) -> str:
    return {IssueStatus.RESOLVED: "Resolved.", IssueStatus.WITHDRAWN: "Withdrawn by the raiser.",
            IssueStatus.DECIDED: "Decided by the HWB joint chairs; their decision is final."}[issue.status]


def _case_fields(issue: Issue) -> tuple:
    pairs = (("Summary for the HWB", issue.summary), ("Theme", issue.theme), ("Shareable outcome", issue.outcome),
             ("Final decision", issue.decision))
    shown = tuple((label, rich(value)) for label, value in pairs if value)
    return (Fields(shown),) if shown else ()


async def _summary_view(ctx: Context, issue: Issue) -> Reply:
    """What the HWB joint chairs read: the secretariat's summary, the steps and
    their dates, never the family's own words or the notes about them."""
    issue_ref = ref(Prefix.ISSUE, issue.id)
    steps = tuple(Item(rich(When(e.at, with_time=True), " ", e.kind))
                  for e in await ctx.uow.issues.events(issue.key) if e.kind in CASE_STEPS)
    reply = Reply(summary=f"Issue {issue_ref} (summary for the HWB joint chairs)", refs=[issue_ref])
    return reply.add(
        Heading(rich(Ref(issue_ref), " (confidential): summary for the HWB joint chairs")),
        Paragraph(rich(issue.summary) if issue.summary else rich(
            "The secretariat has not written the case summary yet; they have been asked for it.")),
        Fields((("Raised on", rich(When(issue.raised_at))), ("Status", rich(issue.status.value)),
                ("Stage", rich(ladder_label(issue.level, ctx.settings))))),
        Paragraph(rich(closed_words(issue)) if not issue.is_open else rich(
            "Record the final decision with `/board issue decide ", issue_ref, " <decision>`.")),
        Items(steps, title="Steps"),
    )


# The steps an HWB joint chair sees (dates and what happened, no notes).
CASE_STEPS = ("raised", "ack", "assign", "resolve", "reopen", "escalate", "summary", "withdraw", "decide")


def ref_and_rest(text: str, example: str) -> tuple[int, list[str], str]:
    """Accept `issue assign I7 @x` and `issue assign @x I7`."""
    tokens = tokenize(text)
    refs = [t for t in tokens if t[:1].upper() == "I" and t[1:].isdigit()]
    if not refs:
        raise BadArgument("Which issue? A reference like I7 is missing.", hint=f"For example: `{example}`", field="ref")
    number = parse_ref(refs[0], Prefix.ISSUE, "an issue")
    rest = [t for t in tokens if t != refs[0]]
    return number, [t for t in rest if is_mention(t)], " ".join(t for t in rest if not is_mention(t))


async def _handled(ctx: Context, args: Args, verb: str, example: str) -> tuple[Issue, list[str], str]:
    number, people, note = ref_and_rest(args.rest, example)
    issue = await load_visible(ctx, number)
    require_issue_handler(ctx.require_actor(), issue, f"{verb} this issue")
    return issue, people, args.get("note", note)


async def tell_handlers(ctx: Context, issue: Issue, text: str) -> None:
    """When the raiser acts, the secretariat and the assignee hear of it (not its words)."""
    handlers = await ctx.uow.members.with_role(Role.SECRETARIAT)
    if issue.assignee_id and (assignee := await ctx.uow.members.get(issue.assignee_id)):
        handlers.append(assignee)
    issue_ref = ref(Prefix.ISSUE, issue.id)
    for handler in {h.id: h for h in handlers}.values():
        await ctx.notify(handler, Reply(summary=text + issue_ref, refs=[issue_ref]).add(
            Paragraph(rich(text, Ref(issue_ref), ". `/board issue show ", issue_ref, "` shows it."))),
            key=f"notice:issue:{issue.id}:raiser:{handler.id}",
            subject=Subject.notice(Subject.issue(issue.id)))


def sentence(note: str) -> str:
    """A handler's note as a sentence the raiser can read: capital, full stop."""
    note = note.strip()
    if not note:
        return ""
    note = note[0].upper() + note[1:]
    return note if note[-1] in ".!?" else note + "."


async def raiser_or_handler(ctx: Context, args: Args, verb: str, example: str) -> tuple[Issue, Member, str]:
    """Updates and reopening are open to the raiser as well as the handlers."""
    number, _, note = ref_and_rest(args.rest, example)
    issue = await load_visible(ctx, number)
    actor = ctx.require_actor()
    if actor.id != issue.raiser_id:
        require_issue_handler(actor, issue, f"{verb} this issue")
    return issue, actor, note


@router.command("issue ack", usage="issue ack I7 [note]", summary="Acknowledge an issue (secretariat)",
                aliases=("issue acknowledge",))
async def ack(ctx: Context, args: Args) -> Reply:
    issue, _, note = await _handled(ctx, args, "acknowledge", "issue ack I7")
    if issue.acknowledged_at is not None:
        raise Conflict(f"{ref(Prefix.ISSUE, issue.id)} was already acknowledged.")
    require_state(issue)
    issue.status, issue.acknowledged_at = IssueStatus.ACKNOWLEDGED, ctx.now()
    await record(ctx, issue, "ack", note)
    await tell_raiser(ctx, issue, _reader(ctx, issue), " has read it and is looking into it.",
                      " " + sentence(note) if note else None)
    return confirm(f"{ref(Prefix.ISSUE, issue.id)} acknowledged; the raiser has been told.", public=False)


def _reader(ctx: Context, issue: Issue) -> str:
    """Who read it, as the raiser should hear it: the secretariat, the Chair, or the assignee by name."""
    actor = ctx.require_actor()
    if actor.role == Role.SECRETARIAT:
        return "the secretariat"
    if actor.role == Role.CHAIR:
        return "the Chair of the board"
    return actor.name


@router.command("issue assign", usage="issue assign I7 @person", summary="Ask someone to handle an issue")
async def assign(ctx: Context, args: Args) -> Reply:
    issue, people, _ = await _handled(ctx, args, "assign", "issue assign I7 @mia")
    if not people:
        raise BadArgument("Who should handle it?", hint="For example: `issue assign I7 @mia`", field="assignee")
    assignee: Member = await find_person(ctx.uow, people[0], "assignee")
    require_assignable(assignee, issue)
    previous = await ctx.uow.members.get(issue.assignee_id) if issue.assignee_id else None
    issue.assignee_id = assignee.id
    await record(ctx, issue, "assign", f"{assignee.name} (@{assignee.handle})")
    issue_ref = ref(Prefix.ISSUE, issue.id)
    if previous is not None and previous.id != assignee.id:
        await _tell_reassigned(ctx, issue, previous, assignee)
    if assignee.id != ctx.require_actor().id:
        await ctx.notify(assignee, Reply(summary=f"You've been asked to handle confidential issue {issue_ref}",
                                         refs=[issue_ref]).add(Paragraph(rich(
                             mention(ctx.require_actor()), " asked you to handle confidential issue ", Ref(issue_ref),
                             ". `/board issue show ", issue_ref, "` shows it."))),
                         key=f"notice:issue:{issue.id}:assign",
                         subject=Subject.notice(Subject.issue(issue.id)))
    await tell_raiser(ctx, issue, assignee.name, " is now handling it.")
    return confirm(f"{issue_ref} is now with {assignee.name}.", public=False)


async def _tell_reassigned(ctx: Context, issue: Issue, previous: Member, assignee: Member) -> None:
    """The previous assignee (who can no longer see it) and the secretariat hear of a reassignment."""
    issue_ref = ref(Prefix.ISSUE, issue.id)
    told = [previous] if previous.active and previous.id != ctx.require_actor().id else []
    told += [m for m in await ctx.uow.members.with_role(Role.SECRETARIAT) if m.id != ctx.require_actor().id]
    for member in {m.id: m for m in told}.values():
        await ctx.notify(member, Reply(summary=f"Confidential issue {issue_ref} is now with {assignee.name}",
                                       refs=[issue_ref]).add(Paragraph(rich(
            mention(ctx.require_actor()), " passed confidential issue ", Ref(issue_ref), " from ", previous.name,
            " to ", assignee.name, "."))), key=f"notice:issue:{issue.id}:reassign:{member.id}",
            subject=Subject.notice(Subject.issue(issue.id)))


@router.command("issue update", usage="issue update I7 <note>", summary="Add a note the raiser will see")
async def update(ctx: Context, args: Args) -> Reply:
    issue, actor, note = await raiser_or_handler(ctx, args, "update", "issue update I7 called the school")
    note = require_text(args.get("note", note), "The note", "issue update I7 called the school", "note")
    await record(ctx, issue, "update", note)
    await tell_raiser(ctx, issue, sentence(note))
    if actor.id == issue.raiser_id:
        await tell_handlers(ctx, issue, "The raiser added a note to confidential issue ")
    return confirm(f"Note added to {ref(Prefix.ISSUE, issue.id)}.", public=False)


@router.command("issue resolve", usage="issue resolve I7 [note]", summary="Mark an issue resolved")
async def resolve(ctx: Context, args: Args) -> Reply:
    issue, _, note = await _handled(ctx, args, "resolve", "issue resolve I7 review booked")
    require_state(issue)
    issue.status, issue.resolved_at = IssueStatus.RESOLVED, ctx.now()
    await record(ctx, issue, "resolve", note)
    await tell_raiser(ctx, issue, "it has been marked resolved. ", sentence(note) + " " if note else None,
                      "If it isn't sorted for you, reply `/board issue reopen ", ref(Prefix.ISSUE, issue.id), "`.",
                      outcome=True)
    return confirm(f"{ref(Prefix.ISSUE, issue.id)} resolved; the raiser has been told.", public=False)


@router.command("issue reopen", usage="issue reopen I7 [why]", summary="Reopen a resolved issue")
async def reopen(ctx: Context, args: Args) -> Reply:
    issue, actor, note = await raiser_or_handler(ctx, args, "reopen", "issue reopen I7")
    return await reopen_issue(ctx, issue, actor, args.get("note", note))


async def reopen_issue(ctx: Context, issue: Issue, actor: Member, note: str) -> Reply:
    """Back to the stage at which it was resolved, with a fresh window from today."""
    issue_ref = ref(Prefix.ISSUE, issue.id)
    if issue.status == IssueStatus.DECIDED:
        raise Conflict(f"The HWB joint chairs' decision on {issue_ref} is final, so it can't be reopened.",
                       hint="If something new has happened, write it to me as a new concern, or contact the "
                            "secretariat.")
    if issue.is_open:
        raise Conflict(f"{issue_ref} is still open.", hint=f"`/board issue add {issue_ref} <more>` adds to it.")
    require_state(issue, "issue reopen")  # also when a kept message reopens it (`issue file`)
    issue.status = IssueStatus.ACKNOWLEDGED if issue.acknowledged_at else IssueStatus.OPEN
    issue.resolved_at = issue.closed_at = None
    issue.level_since = ctx.now()
    await record(ctx, issue, "reopen", note)
    await tell_raiser(ctx, issue, "it has been reopened. ", *_what_next(ctx, issue))
    if actor.id == issue.raiser_id:
        await tell_handlers(ctx, issue, "The raiser reopened confidential issue ")
    stage = f", with {ladder_label(issue.level, ctx.settings)}" if issue.level else ""
    return confirm(f"{issue_ref} is open again{stage}.", Paragraph(
        _what_next(ctx, issue)), public=False)


def require_state(issue: Issue, command: str | None = None) -> None:
    """Refuse unless the running command (or ``command``, which it is doing) applies to an issue in
    this state, as the permission table declares (``Rule.states``); one that declares none applies
    to open issues."""
    rule = permissions.rule_for(command) if command else permissions.running.get()
    allowed = rule.states if rule is not None and rule.states else permissions.UNRESOLVED
    if issue.status in allowed:
        return
    issue_ref = ref(Prefix.ISSUE, issue.id)
    if allowed <= permissions.UNRESOLVED:
        hint = ("Their decision is final." if issue.status == IssueStatus.DECIDED else
                f"`/board issue reopen {issue_ref}` opens it again.")
        raise Conflict(f"{issue_ref} is {issue.status.value}.", hint=hint)
    states = " or ".join(state.value for state in IssueStatus if state in allowed)
    raise Conflict(f"{issue_ref} is {issue.status.value}: `{rule.command if rule else 'this'}` is only for "
                   f"{states} issues.")


@router.command("issue escalate", usage="issue escalate I7 [reason]",
                summary="Take an issue to the next stage now (Chair, then HWB joint chairs)")
async def escalate(ctx: Context, args: Args) -> Reply:
    number, _, reason = ref_and_rest(args.rest, "issue escalate I7 no progress")
    issue = await load_visible(ctx, number)
    actor = ctx.require_actor()
    due = next_escalation_at(issue, ctx.settings)
    if actor.id == issue.raiser_id and actor.role not in (Role.SECRETARIAT, Role.CHAIR):
        if due is not None and ctx.now() < due:
            where = ("in its informal resolution window" if issue.level == 0 else
                     f"with {ladder_label(issue.level, ctx.settings)}")
            raise Forbidden(f"Your concern is {where} until {format_date(due.astimezone(ctx.tz).date())}.",
                            hint="You can ask for it to be escalated after that, or ask the secretariat.")
    else:
        require_issue_handler(actor, issue, "escalate this issue")
    require_state(issue)
    if due is None:
        raise Conflict(f"{ref(Prefix.ISSUE, issue.id)} is already at the final stage "
                       f"({ladder_label(issue.level, ctx.settings)}).")
    ctx.notices += await escalate_issue(ctx.uow, ctx.settings, issue, ctx.now(), actor, args.get("reason", reason))
    await ctx.audit("issue.escalate", ref(Prefix.ISSUE, issue.id))
    return confirm(f"{ref(Prefix.ISSUE, issue.id)} escalated to {ladder_label(issue.level, ctx.settings)}.",
                   public=False)
