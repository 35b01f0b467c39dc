"""`issue report`: "you said, we did" for the secretariat and the chair.

Counts and the secretariat's shareable outcomes only: never a family's
words, a raiser's name or handle, or a child's details, so it may be posted
in the board channel.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from bot.commands.common import read_date
from bot.context import Context
from bot.errors import BadArgument
from bot.grammar import tokenize
from bot.model import Issue, IssueStatus
from bot.policies import require_manager
from bot.reply import Fields, Heading, Item, Items, Paragraph, Reply, When, rich
from bot.router import Args, Router
from bot.rules import ladder_label

router = Router("issues", "Raise and resolve confidential concerns; they escalate if they stall.")

USAGE = "issue report [from <date>] [to <date>] [post]"


def _window(ctx: Context, rest: str) -> tuple[dt.date | None, dt.date, bool]:
    tokens = [t.lower() for t in tokenize(rest)]
    post = "post" in tokens
    tokens = [t for t in tokens if t != "post"]
    bounds: dict[str, dt.date] = {}
    while tokens:
        word = tokens.pop(0)
        if word not in ("from", "to") or not tokens:
            raise BadArgument(f"I didn't understand “{word}” in the report's dates.",
                              hint="For example: `issue report from 1/1/2027 to 31/3/2027`", field="dates")
        bounds[word] = read_date(ctx, tokens.pop(0), field="dates", allow_past=True)
    start, end = bounds.get("from"), bounds.get("to", ctx.today())
    if start is not None and start > end:
        raise BadArgument("The report's start is after its end.", hint="Give `from` the earlier date.",
                          field="dates")
    return start, end, post


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} days" if values else "—"


def _stage(issue: Issue, ctx: Context) -> str:
    return ladder_label(issue.level, ctx.settings)


def build_report(ctx: Context, issues: list[Issue]) -> list:
    """The report's blocks, from the concerns raised in the period."""
    tz = ctx.tz
    on_time = [i for i in issues if i.acknowledged_at and i.acknowledged_at.astimezone(tz).date() <= (
        ctx.calendar.add_working_days(i.raised_at.astimezone(tz).date(), ctx.settings.ack_working_days))]
    resolved = [i for i in issues if i.status == IssueStatus.RESOLVED]
    decided = [i for i in issues if i.status == IssueStatus.DECIDED]
    stages = Counter(_stage(i, ctx) for i in resolved)
    ends = [_days(i.raised_at, end) for i in resolved + decided if (end := i.resolved_at or i.closed_at)]
    themes = Counter(i.theme or "not yet tagged" for i in issues)
    return [
        Fields((
            ("Concerns raised", rich(str(len(issues)))),
            ("Acknowledged within " + f"{ctx.settings.ack_working_days} working days", rich(str(len(on_time)))),
            *((f"Resolved at {stage}", rich(str(n))) for stage, n in sorted(stages.items())),
            ("Decided by the HWB joint chairs", rich(str(len(decided)))),
            ("Withdrawn", rich(str(sum(i.status == IssueStatus.WITHDRAWN for i in issues)))),
            ("Still open", rich(str(sum(i.is_open for i in issues)))),
            ("Median time to acknowledge", rich(_median([_days(i.raised_at, i.acknowledged_at) for i in issues
                                                         if i.acknowledged_at]))),
            ("Median time to resolve", rich(_median(ends))),
        )),
        Items(tuple(Item(rich(f"{theme}: {n}")) for theme, n in sorted(themes.items())), title="By theme",
              empty="No concerns."),
        Items(tuple(Item(rich(i.outcome)) for i in issues if i.outcome), title="You said, we did",
              empty="No shared outcomes yet."),
    ]


@router.command("issue report", usage=USAGE, changes_state=False,
                summary="“You said, we did”: concerns raised, acknowledged and resolved, by theme, with the shared "
                        "outcomes; names nobody (chair or secretariat; `post` puts it in the board channel)",
                example="issue report from 1/1/2027 to 31/3/2027 post")
async def report(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "see the concerns report")
    start, end, post = _window(ctx, args.rest)
    issues = [i for i in await ctx.uow.issues.list_all()
              if (start is None or i.raised_at.astimezone(ctx.tz).date() >= start)
              and i.raised_at.astimezone(ctx.tz).date() <= end]
    title = rich("Concerns: you said, we did", *((" — ", When(start), " to ", When(end)) if start else
                                                   (" — to ", When(end))))
    reply = Reply(summary=f"Concerns report: {len(issues)} raised").add(Heading(title), *build_report(ctx, issues))
    if post:
        await ctx.notify(ctx.settings.channel, Reply(summary=reply.summary, blocks=list(reply.blocks)),
                         key=f"post:issue-report:{end.isoformat()}", subject="post:issue-report")
        reply.add(Paragraph(rich("Posted in ", ctx.settings.channel, ".")))
    return reply

