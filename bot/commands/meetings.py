"""Meetings: when and where, the paper deadlines they imply, apologies and the pack."""

from __future__ import annotations

import datetime as dt

from bot.agenda import on_agenda
from bot.commands.common import (
    confirm,
    cutoffs_for,
    everyone,
    first_ref,
    load_meeting,
    meeting_for,
    read_date,
    require_upcoming,
)
from bot.commands.risks import pack_items
from bot.commands.standing import copy_standing_items
from bot.context import Context
from bot.dates import parse_time
from bot.errors import BadArgument, Conflict, NotFound
from bot.grammar import any_value, is_mention, looks_like_ref, parse_options, single_value
from bot.meeting_documents import pack_attachment
from bot.member_lookup import find_person, mention
from bot.model import Apology, Meeting, Member, Prefix, Role
from bot.outbox_keys import Subject
from bot.policies import require_contributor, require_manager
from bot.register_document import previous_meeting_start, register_view
from bot.reply import Fields, Heading, Item, Items, Note, Paragraph, Reply, Rich, When, rich
from bot.router import Args, Router
from bot.rules import is_late, parent_friendly_warnings
from bot.views import action_item, agenda_flag, agenda_line, apology_line, meeting_line, ref, without_traction

router = Router("meetings", "Schedule meetings, send apologies, compile the meeting pack.")

ADD_EXAMPLE = "meeting add 7/1/2027 10:00 until 12:00 at Guildhall, Kingston"


def _local(ctx: Context, day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=ctx.tz)


def deadline_fields(ctx: Context, meeting: Meeting) -> list[tuple[str, tuple]]:
    """Where and when, plus the working-day paper deadlines the meeting implies."""
    cutoffs = cutoffs_for(ctx, meeting)
    rows = [("When", rich(When(meeting.starts_at, with_time=True),
                          "–" if meeting.ends_at else None,
                          f"{meeting.ends_at.astimezone(ctx.tz):%H:%M}" if meeting.ends_at else None))]
    if meeting.place:
        rows.append(("Where", rich(meeting.place)))
    rows += [
        ("Papers due", rich(When(cutoffs.submission), f" ({ctx.settings.submission_offset} working days before)")),
        ("Circulated", rich(When(cutoffs.circulation), f" ({ctx.settings.circulation_offset} working days before)")),
    ]
    return rows


MOVE_EXAMPLE = "meeting move M4 14/1/2027 10:00 until 12:00 at Guildhall"


def _when_where(ctx: Context, text: str, example: str) -> tuple[dt.datetime, dt.datetime | None, str | None]:
    """``<date> <time> [until <time>] [at <place>]`` as aware UTC start, end and place."""
    parsed = parse_options(text, {"until": single_value, "at": any_value})
    if len(parsed.head) < 2:
        raise BadArgument("A meeting needs a date and a start time.", hint=f"For example: `{example}`", field="date")
    starts = parse_time(parsed.head[-1], field="time")
    day = read_date(ctx, " ".join(parsed.head[:-1]), field="date")
    start = _local(ctx, day, starts)
    end = _local(ctx, day, parse_time(parsed.options["until"], field="until")) if "until" in parsed.options else None
    if end is not None and end <= start:
        raise BadArgument("The meeting ends before it starts.", hint=f"For example: `{example}`", field="until")
    if start <= ctx.now():
        raise BadArgument("That time has already passed.", hint=f"For example: `{example}`", field="time")
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC) if end else None, parsed.options.get("at")


async def _check_clash(ctx: Context, start: dt.datetime, moving: Meeting | None = None) -> None:
    clash = [m for m in await ctx.uow.meetings.between(start, start + dt.timedelta(minutes=1))
             if moving is None or m.id != moving.id]
    if clash:
        raise Conflict(f"{ref(Prefix.MEETING, clash[0].id)} already starts at that time.")


async def _scheduled(ctx: Context, meeting: Meeting, summary: str) -> Reply:
    """The confirmation: deadlines, and advice if parent reps can't easily attend."""
    reply = confirm(summary, refs=[ref(Prefix.MEETING, meeting.id)])
    reply.add(Fields(tuple(deadline_fields(ctx, meeting))))
    if await ctx.uow.members.with_role(Role.PARENT_REP):
        start = meeting.starts_at.astimezone(ctx.tz)
        end = meeting.ends_at.astimezone(ctx.tz) if meeting.ends_at else None
        warnings = parent_friendly_warnings(start, end, await ctx.uow.calendar.terms(), ctx.calendar, ctx.settings)
        for warning in warnings:
            reply.add(Note(rich("⚠ Parent reps are invited and ", warning,
                                " (Kent PACT MoU §2.1.7: 10am–2pm, term time, virtual when possible).")))
    return reply


@router.command("meeting add", usage="meeting add <date> <time> [until <time>] [at <place or link>]",
                summary="Schedule a board meeting (chair or secretariat)", example=ADD_EXAMPLE)
async def add(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    require_manager(actor, "schedule meetings")
    start, end, place = _when_where(ctx, args.rest, ADD_EXAMPLE)
    await _check_clash(ctx, start)
    meeting = await ctx.uow.meetings.add(Meeting(starts_at=start, ends_at=end, place=place, created_by=actor.id))
    standing = await copy_standing_items(ctx, meeting)
    await ctx.audit("meeting.add", ref(Prefix.MEETING, meeting.id))
    reply = await _scheduled(ctx, meeting, f"Meeting {ref(Prefix.MEETING, meeting.id)} scheduled.")
    cutoffs = cutoffs_for(ctx, meeting)
    if cutoffs.submission < ctx.today():
        reply.add(Note(rich("⚠ The paper deadline (", When(cutoffs.submission), ") has already passed: every "
                            "paper for this meeting will be late unless the board agrees a shorter notice.")))
    if standing:
        reply.add(Note(rich(f"{standing} standing item{'s are' if standing != 1 else ' is'} on its agenda: "
                            f"`/board agenda list {ref(Prefix.MEETING, meeting.id)}`.")))
    return reply


@router.command("meeting move", usage="meeting move M4 <date> <time> [until <time>] [at <place or link>]",
                summary="Move a meeting; paper deadlines and reminders follow it (chair or secretariat)",
                example=MOVE_EXAMPLE)
async def move(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "move meetings")
    number, rest = first_ref(args.rest, Prefix.MEETING, "meeting", MOVE_EXAMPLE)
    meeting = await load_meeting(ctx, number)
    if meeting.cancelled:
        raise Conflict(f"{ref(Prefix.MEETING, meeting.id)} was cancelled.", hint=f"Schedule a new one: `{ADD_EXAMPLE}`")
    start, end, place = _when_where(ctx, rest, MOVE_EXAMPLE)
    await _check_clash(ctx, start, moving=meeting)
    meeting.starts_at, meeting.ends_at, meeting.place = start, end, place or meeting.place
    await ctx.uow.meetings.save(meeting)
    await _refresh_lateness(ctx, meeting)
    await ctx.uow.outbox.cancel_pending(Subject.meeting(meeting.id))
    await ctx.audit("meeting.move", ref(Prefix.MEETING, meeting.id))
    await _announce(ctx, meeting, rich("Meeting ", ref(Prefix.MEETING, meeting.id), " has moved to ",
                                       When(meeting.starts_at, with_time=True), " at " if meeting.place else None,
                                       meeting.place, "."))
    return await _scheduled(ctx, meeting, f"Meeting {ref(Prefix.MEETING, meeting.id)} moved.")


async def _announce(ctx: Context, meeting: Meeting, text: Rich) -> None:
    """Tell the board channel, and directly those who planned around the meeting:
    whoever sent apologies, their deputies and the agenda items' proposers."""
    m_ref = ref(Prefix.MEETING, meeting.id)
    reply = Reply(summary="".join(s for s in text if isinstance(s, str)), refs=[m_ref]).add(Paragraph(text))
    key = subject = Subject.notice(Subject.meeting(meeting.id))
    await ctx.notify(ctx.settings.channel, reply, key=key, subject=subject)
    apologies = await ctx.uow.apologies.for_meeting(meeting.key)
    concerned = {a.member_id for a in apologies} | {a.deputy_id for a in apologies if a.deputy_id}
    concerned |= {i.proposer_id for i in await ctx.uow.agenda.for_meeting(meeting.id)}
    people = await everyone(ctx)
    for member_id in sorted(concerned - {ctx.require_actor().id}):
        if member_id in people:
            await ctx.notify(people[member_id], reply, key=key, subject=subject)


async def _refresh_lateness(ctx: Context, meeting: Meeting) -> None:
    """Items and papers are late against the meeting's cut-off as it now stands."""
    cutoffs = cutoffs_for(ctx, meeting)
    items = await ctx.uow.agenda.for_meeting(meeting.id)
    for item in items:
        late = is_late(item.proposed_at.astimezone(ctx.tz).date(), cutoffs)
        if late != item.late:
            item.late = late
            await ctx.uow.agenda.save(item)
    for paper in await ctx.uow.papers.for_items([i.key for i in items]):
        late = is_late(paper.submitted_at.astimezone(ctx.tz).date(), cutoffs)
        if late != paper.late:
            paper.late = late
            await ctx.uow.papers.save(paper)


@router.command("meeting cancel", usage="meeting cancel M4 [reason]",
                summary="Cancel a meeting; its items go back to the forward plan (chair or secretariat)",
                example="meeting cancel M4 not quorate")
async def cancel(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "cancel meetings")
    number, reason = first_ref(args.rest, Prefix.MEETING, "meeting", "meeting cancel M4")
    meeting = await load_meeting(ctx, number)
    if meeting.cancelled:
        raise Conflict(f"{ref(Prefix.MEETING, meeting.id)} is already cancelled.")
    meeting.cancelled = True
    await ctx.uow.meetings.save(meeting)
    await _announce(ctx, meeting, rich("Meeting ", *meeting_line(meeting), " is cancelled",
                                       f" ({reason})." if reason else ".",
                                       " Its agenda items go back to the forward plan."))
    moved = 0
    for item in await ctx.uow.agenda.for_meeting(meeting.id):
        item.meeting_id = None
        await ctx.uow.agenda.save(item)
        moved += 1
    await ctx.uow.outbox.cancel_pending(Subject.meeting(meeting.id))
    await ctx.audit("meeting.cancel", ref(Prefix.MEETING, meeting.id))
    return confirm(f"Meeting {ref(Prefix.MEETING, meeting.id)} cancelled" + (f" ({reason})" if reason else "")
                   + f"; {moved} agenda item{'s' if moved != 1 else ''} moved to the forward plan.",
                   refs=[ref(Prefix.MEETING, meeting.id)])


async def _meeting_or_next(ctx: Context, rest: str) -> Meeting:
    """The meeting named at the start of ``rest``, or the next one."""
    token = rest.split()[0] if rest.split() else None
    meeting = await meeting_for(ctx, token)
    if meeting is None:
        raise NotFound("No meeting is scheduled.",
                       hint="The secretariat can add one: `/board meeting add 7/1/2027 10:00`.")
    return meeting


async def _summary(ctx: Context, meeting: Meeting) -> Reply:
    items = on_agenda(await ctx.uow.agenda.for_meeting(meeting.id))
    apologies = await ctx.uow.apologies.for_meeting(meeting.key)
    reply = Reply(summary=f"Meeting {ref(Prefix.MEETING, meeting.id)}", refs=[ref(Prefix.MEETING, meeting.id)])
    return reply.add(
        Heading(meeting_line(meeting)),
        Fields(tuple(deadline_fields(ctx, meeting) + [
            ("Agenda", rich(f"{len(items)} item{'s' if len(items) != 1 else ''}")),
            ("Apologies", rich(str(len(apologies)))),
        ])),
    )


@router.command("meeting next", usage="meeting next", summary="The next meeting and its paper deadlines",
                changes_state=False, aliases=("next meeting",))
async def next_meeting(ctx: Context, args: Args) -> Reply:
    return await _summary(ctx, await _meeting_or_next(ctx, ""))


@router.command("meeting show", usage="meeting show M4", summary="A meeting's details and deadlines",
                changes_state=False)
async def show(ctx: Context, args: Args) -> Reply:
    number, _ = first_ref(args.rest, Prefix.MEETING, "meeting", "meeting show M4")
    return await _summary(ctx, await _meeting_or_next(ctx, f"M{number}"))


@router.command("meeting list", usage="meeting list", summary="Upcoming meetings", changes_state=False,
                aliases=("meetings",))
async def list_meetings(ctx: Context, args: Args) -> Reply:
    meetings = await ctx.uow.meetings.between(ctx.now(), ctx.now() + dt.timedelta(days=400))
    reply = Reply(summary=f"{len(meetings)} upcoming meetings", refs=[ref(Prefix.MEETING, m.id) for m in meetings])
    return reply.add(Items(tuple(Item(meeting_line(m), ref(Prefix.MEETING, m.id)) for m in meetings),
                           title="Upcoming meetings", empty="No meetings scheduled."))


APOLOGIES_USAGE = 'apologies [M4] [for @person] [deputy @person | deputy "Name, Organisation"]'


async def _deputy(ctx: Context, value: str) -> tuple[Member | None, str | None]:
    """A deputy on the board, or someone who is not ("Jane Roe, Kingfisher School")."""
    try:
        return await find_person(ctx.uow, value, "deputy"), None
    except NotFound:
        if len(value.split()) < 2:
            raise
        return None, value


async def _absentee(ctx: Context, head: list[str], named: str | None) -> tuple[Member, list[str]]:
    """Whose apologies: ``for @x`` (or a bare mention) from the chair or secretariat, else the typist's own."""
    actor = ctx.require_actor()
    if named is None and head and is_mention(head[-1]):
        named, head = head[-1], head[:-1]  # "apologies M1 @cara"
    if named is None:
        return actor, head
    member = await find_person(ctx.uow, named, "for")
    if member.id != actor.id:
        require_manager(actor, "record apologies for someone else")
    return member, head


@router.command("apologies", usage=APOLOGIES_USAGE,
                summary="Send apologies for a meeting, naming a deputy; the secretariat records others' apologies",
                example='apologies M4 for @mia deputy "Jane Roe, Kingfisher School"')
async def apologies(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    parsed = parse_options(args.rest, {"deputy": single_value, "for": single_value})
    member, head = await _absentee(ctx, parsed.head, parsed.options.get("for"))
    meeting = await _meeting_or_next(ctx, " ".join(head))
    if head and not looks_like_ref(Prefix.MEETING)(head[:1]):
        raise BadArgument(f"“{head[0]}” is not a meeting reference.", hint="For example: `apologies M4 deputy @ravi`")
    if not ctx.is_manager():
        require_upcoming(ctx, meeting)
    deputy, deputy_name = await _deputy(ctx, parsed.options["deputy"]) if "deputy" in parsed.options else (None, None)
    if deputy is None and deputy_name is None and member.deputy_id:  # the standing deputy named when added
        deputy = await ctx.uow.members.get(member.deputy_id)
        deputy = deputy if deputy is not None and deputy.active else None
    if deputy is not None or deputy_name:
        require_contributor(actor, "name a deputy")
    sent = await ctx.uow.apologies.for_meeting(meeting.key)
    existing = [a for a in sent if a.member_id == member.id]
    if existing:
        if deputy is not None or deputy_name:
            existing[0].deputy_id, existing[0].deputy_name = (deputy.id if deputy else None), deputy_name
        await ctx.uow.apologies.save(existing[0])
    else:
        await ctx.uow.apologies.add(Apology(meeting.key, member.key, deputy.key if deputy else None, ctx.now(),
                                            deputy_name=deputy_name))
    m_ref = ref(Prefix.MEETING, meeting.id)
    await ctx.audit("meeting.apologies", m_ref)
    instead = deputy.name if deputy else deputy_name
    text = f"Apologies from {member.name} recorded for {m_ref}"
    reply = confirm(text + (f"; {instead} will attend instead." if instead else "."), refs=[m_ref])
    people = await everyone(ctx)
    for other in sent:
        same = (deputy is not None and other.deputy_id == deputy.id) or (
            deputy_name and (other.deputy_name or "").lower() == deputy_name.lower())
        if same and other.member_id != member.id and other.member_id in people:
            reply.add(Note(rich(f"⚠ {instead} is also deputising for {people[other.member_id].name} at {m_ref}: "
                                "one person can hold only one seat's vote.")))
    if deputy is not None:
        await ctx.notify(deputy, Reply(summary=text).add(Paragraph(rich(
            mention(member), " has named you as their deputy for ", *meeting_line(meeting), "."))),
            key=f"notice:deputy:{meeting.id}:{deputy.id}",
            subject=Subject.notice(Subject.meeting(meeting.id)))
    return reply


@router.command("apologies withdraw", usage="apologies withdraw M4 [for @person]",
                summary="Take back apologies: you will attend after all", example="apologies withdraw M4")
async def withdraw(ctx: Context, args: Args) -> Reply:
    parsed = parse_options(args.rest, {"for": single_value})
    member, head = await _absentee(ctx, parsed.head, parsed.options.get("for"))
    meeting = await _meeting_or_next(ctx, " ".join(head))
    found = [a for a in await ctx.uow.apologies.for_meeting(meeting.key) if a.member_id == member.key]
    m_ref = ref(Prefix.MEETING, meeting.id)
    if not found:
        raise Conflict(f"{member.name} sent no apologies for {m_ref}.")
    await ctx.uow.apologies.remove(found[0])
    await ctx.audit("meeting.apologies.withdraw", m_ref)
    return confirm(f"Apologies from {member.name} for {m_ref} withdrawn.", refs=[m_ref])


@router.command("meeting pack", usage="meeting pack M4",
                summary="Agenda with papers (late ones flagged), apologies and actions without traction",
                changes_state=False)
async def pack(ctx: Context, args: Args) -> Reply:
    meeting = await _meeting_or_next(ctx, args.rest)
    reply = await meeting_pack(ctx, meeting)
    reply.attachments.append(pack_attachment(meeting))
    return reply


async def meeting_pack(ctx: Context, meeting: Meeting) -> Reply:
    """What is circulated 5 working days before: also used by the circulation post."""
    people = await everyone(ctx)
    items = [i for i in on_agenda(await ctx.uow.agenda.for_meeting(meeting.id))
             if i.status.value in ("proposed", "accepted")]
    papers = await ctx.uow.papers.for_items([i.key for i in items])
    agenda = tuple(
        Item(agenda_line(i, people, [p for p in papers if p.item_id == i.id]), ref(Prefix.AGENDA, i.id),
             agenda_flag(i, [p for p in papers if p.item_id == i.id]))
        for i in items
    )
    apologies = await ctx.uow.apologies.for_meeting(meeting.key)
    sent = tuple(Item(apology_line(a, people)) for a in apologies if a.member_id in people)
    today, now = ctx.today(), ctx.now()
    stalled = [a for a in await ctx.uow.actions.still_open() if without_traction(a, today, ctx.settings, now)]
    reply = Reply(summary=f"Meeting pack for {ref(Prefix.MEETING, meeting.id)}",
                  refs=[ref(Prefix.MEETING, meeting.id)] + [ref(Prefix.AGENDA, i.id) for i in items])
    return reply.add(
        Heading(rich("Meeting pack: ", *meeting_line(meeting))),
        Fields(tuple(deadline_fields(ctx, meeting))),
        Items(agenda, title="Agenda", empty="No agenda items yet."),
        Items(sent, title="Apologies", empty="No apologies so far."),
        Items(tuple(action_item(a, people, today, ctx.calendar, ctx.settings, now) for a in stalled),
              title="Actions without traction", empty="Every action has traction."),
        Note(rich("Between meetings the board discusses only actions without sufficient traction.")),
        *pack_items(await register_view(ctx.uow, ctx.settings, ctx.calendar, today,
                                        await previous_meeting_start(ctx.uow, meeting)),
                    meeting.starts_at.astimezone(ctx.tz).date()),
    )
