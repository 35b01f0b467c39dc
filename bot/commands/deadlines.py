"""Deadlines: one date-ordered view of everything with a date on it, and the
board's recurring deadlines (HWB report twice a year, MoU review each April)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.commands.common import confirm, first_ref, read_date
from bot.context import Context
from bot.dates import end_of_month
from bot.errors import BadArgument, NotFound
from bot.grammar import parse_options, single_value, tokenize, unquote
from bot.member_lookup import find_person, mention
from bot.model import Action, Issue, Prefix, RecurringDeadline
from bot.policies import can_see_issue, require_manager
from bot.reply import Item, Items, Ref, Reply, Rich, When, rich
from bot.router import Args, Router
from bot.rules import agenda_cutoffs, ladder_label, next_escalation_at, occurrences
from bot.views import action_line, ref

router = Router("deadlines", "Everything with a date, in one list; recurring board deadlines.")

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], start=1)}
DEADLINE_EXAMPLE = 'deadline add "HWB report" every 6 months from 31/3/2027'
_EVERY = re.compile(r"^(?:every\s+(\d+)\s+months?|every\s+(month|quarter|year|6 months)|(twice a year|yearly|annually|"
                    r"quarterly|monthly))\s+(?:from|starting)\s+(.+)$")
_IN_MONTH = re.compile(r"^(?:every\s+year|yearly|annually)\s+in\s+([a-z]+)$")
_PERIODS = {"month": 1, "monthly": 1, "quarter": 3, "quarterly": 3, "6 months": 6, "twice a year": 6, "year": 12,
            "yearly": 12, "annually": 12}


@dataclass(order=True)
class Dated:
    day: dt.date
    text: Rich
    ref: str | None = None
    flag: str | None = None


def _schedule(text: str, ctx: Context) -> tuple[dt.date, int]:
    lowered = re.sub(r"\s+", " ", text.lower().strip())
    if m := _IN_MONTH.match(lowered):
        month = MONTHS.get(m[1]) or next((v for k, v in MONTHS.items() if k.startswith(m[1][:3])), None)
        if month is None:
            raise BadArgument(f"“{m[1]}” is not a month.", hint=f"For example: `{DEADLINE_EXAMPLE}`", field="when")
        today = ctx.today()
        due = end_of_month(dt.date(today.year, month, 1))
        return (due if due >= today else end_of_month(dt.date(today.year + 1, month, 1))), 12
    if m := _EVERY.match(lowered):
        months = int(m[1]) if m[1] else _PERIODS[m[2] or m[3]]
        if not 1 <= months <= 60:
            raise BadArgument("Repeat every 1 to 60 months.", field="when")
        return read_date(ctx, m[4], field="from"), months
    raise BadArgument("I couldn't read when this deadline repeats.",
                      hint=f'For example: `{DEADLINE_EXAMPLE}` or `deadline add "MoU review" every year in April`.',
                      field="when")


@router.command("deadline add", usage='deadline add "Title" every <n> months from <date> | every year in <Month> '
                "[owner @person]", summary="Add a recurring board deadline (chair or secretariat)",
                example=DEADLINE_EXAMPLE)
async def add(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    require_manager(actor, "add board deadlines")
    parsed = parse_options(args.rest, {"owner": single_value})
    tokens = parsed.head
    if not tokens:
        raise BadArgument("The deadline needs a title and when it repeats.", hint=f"For example: `{DEADLINE_EXAMPLE}`")
    if tokens[0].startswith('"'):
        title, schedule = unquote(tokens[0]), " ".join(tokens[1:])
    else:
        cut = next((i for i, t in enumerate(tokens) if t.lower() in ("every", "twice", "yearly", "annually",
                                                                    "quarterly", "monthly")), len(tokens))
        title, schedule = " ".join(tokens[:cut]), " ".join(tokens[cut:])
    if not title:
        raise BadArgument("The deadline's title is missing.", hint=f"For example: `{DEADLINE_EXAMPLE}`", field="title")
    first_due, months = _schedule(schedule, ctx)
    owner = await find_person(ctx.uow, parsed.options["owner"], "owner") if "owner" in parsed.options else None
    deadline = await ctx.uow.deadlines.add(RecurringDeadline(title, first_due, months, owner.id if owner else None,
                                                             actor.id))
    d_ref = ref(Prefix.DEADLINE, deadline.id)
    await ctx.audit("deadline.add", d_ref)
    every = "every year" if months == 12 else f"every {months} month{'s' if months > 1 else ''}"
    return confirm(f"Deadline {d_ref} {title} added: first due {first_due:%a} {first_due.day} {first_due:%b %Y}, "
                   f"then {every}.", refs=[d_ref])


@router.command("deadline remove", usage="deadline remove D5", summary="Remove a recurring deadline (chair or "
                "secretariat)")
async def remove(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "remove board deadlines")
    number, _ = first_ref(args.rest, Prefix.DEADLINE, "deadline", "deadline remove D5")
    deadline = await ctx.uow.deadlines.get(number)
    if deadline is None:
        raise NotFound(f"There is no deadline D{number}.", hint="`/board deadlines 365` lists them.")
    deadline.every_months = 0
    await ctx.uow.deadlines.save(deadline)
    await ctx.audit("deadline.remove", f"D{number}")
    return confirm(f"Deadline D{number} {deadline.title} removed.")


async def gather(ctx: Context, start: dt.date, end: dt.date, mine: bool, *, open_issues: list[Issue] | None = None,
                 my_actions: list[Action] | None = None) -> list[Dated]:
    """Everything dated in [start, end] that the asker may see. A caller that has already read the
    unresolved issues or (with ``mine``) the asker's open actions passes them instead of reading them again."""
    actor = ctx.require_actor()
    if my_actions is not None and mine:
        actions = [a for a in my_actions if a.due <= end]
    else:
        if mine:
            actions = await ctx.uow.actions.owned_by(actor.key, due_to=end)
        else:
            actions = await ctx.uow.actions.still_open(due_to=end)
    deadlines = [d for d in await ctx.uow.deadlines.list_all()
                 if d.every_months > 0 and (not mine or d.owner_id == actor.id)]
    people = await ctx.members([i for a in actions for i in a.owner_ids]
                               + [d.owner_id for d in deadlines if d.owner_id])
    found: list[Dated] = []
    for action in actions:
        flag = "overdue" if action.due < start else None
        found.append(Dated(max(action.due, start) if flag else action.due, action_line(action, people),
                           ref(Prefix.ACTION, action.id), flag))
    window_end = dt.datetime.combine(end + dt.timedelta(days=15), dt.time(), tzinfo=ctx.tz)
    for meeting in [] if mine else await ctx.uow.meetings.between(ctx.now(), window_end):
        m_ref = ref(Prefix.MEETING, meeting.id)
        day = meeting.starts_at.astimezone(ctx.tz).date()
        cutoffs = agenda_cutoffs(day, ctx.calendar, ctx.settings)
        for when, text in ((day, rich("Meeting ", Ref(m_ref), " at ", When(meeting.starts_at, with_time=True),
                                      " — ", meeting.place or "place to be confirmed")),
                           (cutoffs.submission, rich("Agenda items and papers due for ", Ref(m_ref))),
                           (cutoffs.circulation, rich("Papers circulated for ", Ref(m_ref)))):
            if start <= when <= end:
                found.append(Dated(when, text, m_ref))
    for issue in await ctx.uow.issues.unresolved() if open_issues is None else open_issues:
        at = next_escalation_at(issue, ctx.settings)
        if at and can_see_issue(actor, issue) and (not mine or actor.id in (issue.raiser_id, issue.assignee_id)):
            day = at.astimezone(ctx.tz).date()
            if day <= end:
                found.append(Dated(max(day, start), rich("Issue ", Ref(ref(Prefix.ISSUE, issue.id)), " goes to ",
                                                         ladder_label(issue.level + 1, ctx.settings),
                                                         " if unresolved"), ref(Prefix.ISSUE, issue.id)))
    for deadline in deadlines:
        owner = people.get(deadline.owner_id) if deadline.owner_id else None
        for day in occurrences(deadline, start, end):
            found.append(Dated(day, rich(Ref(ref(Prefix.DEADLINE, deadline.id)), " ", deadline.title,
                                         " — " if owner else None, mention(owner) if owner else None),
                               ref(Prefix.DEADLINE, deadline.id)))
    return sorted(found, key=lambda d: (d.day, d.ref or ""))


@router.command("deadlines", usage="deadlines [days] [mine]",
                summary="Every date coming up: actions, paper deadlines, meetings, issue windows, board deadlines",
                example="deadlines 60 mine", changes_state=False, aliases=("deadline list",))
async def deadlines(ctx: Context, args: Args) -> Reply:
    tokens = [t.lower() for t in tokenize(args.rest)]
    days = 30
    for token in tokens:
        if token.isdigit():
            days = int(token)
        elif token != "mine":
            raise BadArgument(f"“{token}” isn't a number of days or `mine`.", hint="For example: `deadlines 60 mine`")
    if not 1 <= days <= 730:
        raise BadArgument("Look ahead between 1 and 730 days.", hint="For example: `deadlines 60`")
    today = ctx.today()
    dated = await gather(ctx, today, today + dt.timedelta(days=days), "mine" in tokens)
    items = tuple(Item(rich(When(d.day), " — ", *d.text), d.ref, d.flag) for d in dated)
    title = f"{'Your d' if 'mine' in tokens else 'D'}eadlines in the next {days} days"
    return Reply(summary=f"{len(items)} deadlines", refs=[d.ref for d in dated if d.ref]).add(
        Items(items, title=title, empty="Nothing due."))
