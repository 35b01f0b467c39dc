"""`home`: one person's board at a glance. Slack's App Home and the Teams
personal tab render exactly this, so the summary is the same everywhere."""

from __future__ import annotations

import datetime as dt

from bot.commands.deadlines import gather
from bot.commands.measures import measure_ref
from bot.commands.risks import risk_items
from bot.context import Context
from bot.measures import last_ended
from bot.model import AgendaStatus, Prefix, Role
from bot.policies import can_see_issue
from bot.reply import Heading, Item, Items, Ref, Reply, When, rich
from bot.risks import review_flag
from bot.router import Args, Router
from bot.views import action_item, agenda_line, issue_line, meeting_line, ref

router = Router("home", "Your board at a glance.")


@router.command("home", usage="home", summary="Your actions, agenda items, issues, next meeting and deadlines",
                changes_state=False, aliases=("me",))
async def home(ctx: Context, args: Args) -> Reply:
    me = ctx.require_actor()
    today, now = ctx.today(), ctx.now()
    mine = await ctx.uow.actions.owned_by(me.key)
    items = [i for i in await ctx.uow.agenda.by_proposer(me.key)
             if i.status in (AgendaStatus.PROPOSED, AgendaStatus.ACCEPTED)]
    papers = await ctx.uow.papers.for_items([i.key for i in items])
    unresolved = await ctx.uow.issues.unresolved()
    issues = [i for i in unresolved if can_see_issue(me, i)]
    meeting = await ctx.uow.meetings.next_after(now)
    led = {w.id: w for w in await ctx.uow.workstreams.list_all() if me.id in w.lead_ids}
    yesterday = today - dt.timedelta(days=1)
    overdue = await ctx.uow.actions.still_open(due_to=yesterday) if led or me.role == Role.CHAIR else []
    overdue_led = [a for a in overdue if a.workstream_id in led and me.id not in a.owner_ids]
    late = [a for a in overdue if me.role == Role.CHAIR and me.id not in a.owner_ids
            and ctx.calendar.working_days_between(a.due, today) > ctx.settings.escalate_chair_after]
    people = await ctx.members([i for a in (*mine, *overdue_led, *late) for i in a.owner_ids]
                               + [i.raiser_id for i in issues])
    upcoming = await gather(ctx, today, today + dt.timedelta(days=14), mine=True, open_issues=unresolved,
                            my_actions=mine)
    my_risks = [r for r in await ctx.uow.risks.current() if r.owner_id == me.id and review_flag(r, today, ctx.calendar)]
    measures = [m for m in await ctx.uow.measures.current() if m.owner_id == me.id]
    recorded = {(v.measure_id, v.period) for v in await ctx.uow.measures.values([m.key for m in measures])}
    owed = [(m, p) for m in measures if (m.id, (p := last_ended(m.every_months, today)).label) not in recorded]
    reply = Reply(summary=f"{me.name}: {len(mine)} open actions, {len(issues)} open issues")
    reply.add(Heading(rich("Your board, ", When(today))),
              Items(tuple(action_item(a, people, today, ctx.calendar, ctx.settings, now) for a in mine),
                    title="Your actions", empty="No open actions."))
    if led:
        reply.add(Items(tuple(action_item(a, people, today, ctx.calendar, ctx.settings, now) for a in overdue_led),
                        title="Overdue in the workstreams you lead", empty="Nothing overdue."))
    if me.role == Role.CHAIR:
        escalated = [i for i in issues if i.level >= 1]
        reply.add(Items(tuple(action_item(a, people, today, ctx.calendar, ctx.settings, now) for a in late)
                        + tuple(Item(issue_line(i, people), ref(Prefix.ISSUE, i.id), "escalated") for i in escalated),
                        title="Escalated to you", empty="Nothing has been escalated to you."))
    return reply.add(
        Items(tuple(Item(agenda_line(i, people, [p for p in papers if p.item_id == i.id]), ref(Prefix.AGENDA, i.id),
                         i.status.value) for i in items), title="Your agenda items", empty="None proposed."),
        Items(tuple(Item(issue_line(i, people), ref(Prefix.ISSUE, i.id), i.status.value) for i in issues),
              title="Open issues you can see", empty="None."),
        Items(await risk_items(ctx, my_risks), title="Your risks due for review", empty="None due."),
        Items(tuple(Item(rich(Ref(measure_ref(m)), f" {m.name}: the value for {p.label} is not recorded yet"),
                         measure_ref(m), "due") for m, p in owed), title="Your measures due", empty="None due."),
        Items((Item(meeting_line(meeting), ref(Prefix.MEETING, meeting.id)),) if meeting else (),
              title="Next meeting", empty="None scheduled."),
        Items(tuple(Item(rich(When(d.day), " — ", *d.text), d.ref, d.flag) for d in upcoming),
              title="Your next 14 days", empty="Nothing due."),
    )
