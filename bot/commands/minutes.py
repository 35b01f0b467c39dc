"""Who came, what was said and decided: attendance and the minutes of a meeting.

Minutes are drafted item by item during or after the meeting and approved at
the next one; a change to approved minutes is possible but always audited.
"""

from __future__ import annotations

from bot.agenda import on_agenda
from bot.commands.common import confirm, everyone, first_ref, load_meeting, require_text
from bot.context import Context
from bot.errors import BadArgument, Conflict
from bot.grammar import looks_like_ref, parse_ref, tokenize, unquote
from bot.meeting_documents import minutes_attachment
from bot.member_lookup import find_person, mention
from bot.model import Attendance, Meeting, Member, MinuteEntry, MinuteKind, Prefix, Role
from bot.outbox_keys import Subject
from bot.policies import require_manager
from bot.reply import Heading, Item, Items, Note, Reply, Rich, When, rich
from bot.router import Args, Router
from bot.text import format_datetime
from bot.views import action_line, apology_line, meeting_line, ref

router = Router("minutes", "Attendance, minutes and decisions of a meeting (secretariat).")

ATTENDANCE_EXAMPLE = 'meeting attendance M4 present @chair IT ID guest "Ann Lee, DfE"'
MINUTES_EXAMPLE = "minutes M4 G3 Demand for short breaks is up 12%; the board asked for options."
DECISION_EXAMPLE = "minutes M4 decision G3 Commission a second provider."


def _started(ctx: Context, meeting: Meeting, what: str) -> None:
    if meeting.starts_at > ctx.now():
        raise Conflict(f"{ref(Prefix.MEETING, meeting.id)} hasn't started yet, so it has no {what}.",
                       hint=f"It starts {format_datetime(meeting.starts_at, ctx.tz)}.", field="meeting")


def person_line(member: Member) -> Rich:
    return rich(mention(member), f" ({member.initials})")


async def _present(ctx: Context, tokens: list[str]) -> tuple[list[Member], list[str]]:
    """Members (mentions, initials as minutes write them, names) and ``guest "Name, Org"``."""
    members: list[Member] = []
    guests: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].lower() == "guest":
            if i + 1 >= len(tokens):
                raise BadArgument("A guest needs a name.", hint=f"For example: `{ATTENDANCE_EXAMPLE}`", field="guest")
            guests.append(unquote(tokens[i + 1]))
            i += 2
            continue
        member = await find_person(ctx.uow, tokens[i], "present")
        if member.id not in {m.id for m in members}:
            members.append(member)
        i += 1
    return members, guests


@router.command("meeting attendance", usage='meeting attendance M4 [present @a IT ID … [guest "Name, Org"]]',
                summary="Record who was present (secretariat), or show present, apologies and absent",
                example=ATTENDANCE_EXAMPLE)
async def attendance(ctx: Context, args: Args) -> Reply:
    number, rest = first_ref(args.rest, Prefix.MEETING, "meeting", ATTENDANCE_EXAMPLE)
    meeting = await load_meeting(ctx, number)
    tokens = tokenize(rest)
    if not tokens:
        return await attendance_view(ctx, meeting)
    if tokens[0].lower() != "present" or len(tokens) < 2:
        raise BadArgument("Say who was present.", hint=f"For example: `{ATTENDANCE_EXAMPLE}`", field="present")
    require_manager(ctx.require_actor(), "record attendance")
    _started(ctx, meeting, "attendance")
    members, guests = await _present(ctx, tokens[1:])
    recorded = await ctx.uow.attendance.for_meeting(meeting.key)
    known_members = {a.member_id for a in recorded}
    known_guests = {(a.guest or "").lower() for a in recorded}
    added = 0
    for member in members:
        if member.id not in known_members:
            await ctx.uow.attendance.add(Attendance(meeting.key, member_id=member.key))
            added += 1
    for guest in guests:
        if guest.lower() not in known_guests:
            await ctx.uow.attendance.add(Attendance(meeting.key, guest=guest))
            added += 1
    m_ref = ref(Prefix.MEETING, meeting.id)
    await ctx.audit("meeting.attendance", m_ref, f"{added} added")
    reply = await attendance_view(ctx, meeting)
    reply.summary, reply.public = f"Attendance for {m_ref}: {added} added.", True
    reply.blocks.insert(0, Heading(rich(reply.summary)))
    return reply


async def attendance_view(ctx: Context, meeting: Meeting) -> Reply:
    people = await everyone(ctx)
    present = await ctx.uow.attendance.for_meeting(meeting.key)
    apologies = await ctx.uow.apologies.for_meeting(meeting.key)
    here = {a.member_id for a in present if a.member_id}
    excused = {a.member_id for a in apologies}
    absent = [m for m in people.values() if m.active and m.role != Role.OBSERVER and m.id not in here | excused]
    m_ref = ref(Prefix.MEETING, meeting.id)
    return Reply(summary=f"Attendance at {m_ref}", refs=[m_ref]).add(
        Heading(rich("Attendance: ", *meeting_line(meeting))),
        Items(tuple(Item(person_line(people[a.member_id])) if a.member_id in people else Item(rich(a.guest, " (guest)"))
                    for a in present), title=f"Present ({len(present)})", empty="Nobody recorded yet."),
        Items(tuple(Item(apology_line(a, people)) for a in apologies if a.member_id in people),
              title=f"Apologies ({len(apologies)})", empty="No apologies."),
        Items(tuple(Item(person_line(m)) for m in absent) if present else (), title="Absent",
              empty="Record who came first." if not present else "Nobody."),
    )


@router.command("minutes", usage="minutes M4 [decision] [G3] <text> | minutes M4 | minutes M4 approve",
                summary="Write the minutes of an item, record a decision, show the draft or approve it",
                example=MINUTES_EXAMPLE)
async def minutes(ctx: Context, args: Args) -> Reply:
    number, rest = first_ref(args.rest, Prefix.MEETING, "meeting", MINUTES_EXAMPLE)
    meeting = await load_meeting(ctx, number)
    tokens = tokenize(rest)
    if not tokens:
        return await minutes_view(ctx, meeting)
    if [t.lower() for t in tokens] == ["approve"]:
        return await _approve(ctx, meeting)
    require_manager(ctx.require_actor(), "write the minutes")
    _started(ctx, meeting, "minutes")
    kind = MinuteKind.DISCUSSION
    if tokens[0].lower() == "decision":
        kind, tokens = MinuteKind.DECISION, tokens[1:]
    item_id = None
    if tokens and looks_like_ref(Prefix.AGENDA)(tokens[:1]):
        item_id = parse_ref(tokens[0], Prefix.AGENDA, "an agenda item", field="item")
        item = await ctx.uow.agenda.get(item_id)
        if item is None or item.meeting_id != meeting.id:
            raise BadArgument(f"G{item_id} is not on the agenda of {ref(Prefix.MEETING, meeting.id)}.",
                              hint=f"`/board agenda list {ref(Prefix.MEETING, meeting.id)}` shows its items.",
                              field="item")
        tokens = tokens[1:]
    example = DECISION_EXAMPLE if kind == MinuteKind.DECISION else MINUTES_EXAMPLE
    text = require_text(" ".join(tokens), "The minute's text", example)
    await ctx.uow.minutes.add(MinuteEntry(meeting.key, text, ctx.require_actor().key, ctx.now(), item_id, kind))
    m_ref = ref(Prefix.MEETING, meeting.id)
    approved_at = meeting.minutes_approved_at
    amended = approved_at is not None
    await ctx.audit("minutes.amend" if amended else f"minutes.{kind.value}", m_ref,
                    f"G{item_id}" if item_id else "")
    what = "Decision" if kind == MinuteKind.DECISION else "Minute"
    reply = confirm(f"{what} recorded for {m_ref}" + (f" G{item_id}." if item_id else "."), refs=[m_ref])
    if approved_at is not None:
        reply.add(Note(rich("⚠ These minutes were approved on ", When(approved_at),
                            "; the change is recorded in the audit log.")))
    return reply


async def _approve(ctx: Context, meeting: Meeting) -> Reply:
    require_manager(ctx.require_actor(), "approve the minutes")
    m_ref = ref(Prefix.MEETING, meeting.id)
    _started(ctx, meeting, "minutes")
    if meeting.minutes_approved_at is not None:
        raise Conflict(f"The minutes of {m_ref} were already approved.")
    if not await ctx.uow.minutes.for_meeting(meeting.key):
        raise Conflict(f"{m_ref} has no minutes yet.", hint=f"For example: `/board {MINUTES_EXAMPLE}`")
    meeting.minutes_approved_at, meeting.minutes_approved_by = ctx.now(), ctx.require_actor().id
    await ctx.uow.meetings.save(meeting)
    await ctx.audit("minutes.approve", m_ref)
    posted = Reply(summary=f"The minutes of {m_ref} are approved", refs=[m_ref],
                   attachments=[minutes_attachment(meeting)])
    posted.add(Heading(rich("The minutes of ", *meeting_line(meeting), " are approved.")))
    await ctx.notify(ctx.settings.channel, posted, key=f"minutes:{meeting.id}:approved",
                     subject=Subject.meeting(meeting.id))
    reply = confirm(f"The minutes of {m_ref} are approved; changes from now on are audited.", refs=[m_ref])
    reply.attachments.append(minutes_attachment(meeting))
    return reply


async def minutes_view(ctx: Context, meeting: Meeting) -> Reply:
    """The draft (or approved) minutes in chat: attendance, items with discussion and decisions, actions."""
    people = await everyone(ctx)
    m_ref = ref(Prefix.MEETING, meeting.id)
    entries = await ctx.uow.minutes.for_meeting(meeting.key)
    state = rich(" (approved ", When(meeting.minutes_approved_at), ")") if meeting.minutes_approved_at \
        else rich(" (draft)")
    reply = await attendance_view(ctx, meeting)
    reply.summary = f"Minutes of {m_ref}"
    reply.blocks = [Heading(rich("Minutes: ", *meeting_line(meeting), *state)), *reply.blocks[1:3]]
    for item in on_agenda(await ctx.uow.agenda.for_meeting(meeting.id)):
        said = [e for e in entries if e.item_id == item.id]
        reply.add(Items(tuple(Item(rich("Decision: " if e.kind == MinuteKind.DECISION else None, e.text))
                              for e in said), title=f"G{item.id} {item.title}", empty="No minutes yet."))
    general = [e for e in entries if e.item_id is None]
    if general:
        reply.add(Items(tuple(Item(rich(e.text)) for e in general), title="Other business"))
    actions = [a for a in await ctx.uow.actions.list_all() if a.meeting_id == meeting.id]
    reply.add(Items(tuple(Item(action_line(a, people), f"A{a.id}") for a in actions), title="Actions agreed",
                    empty=f"None yet: `/board action add <text> @owner due <date> meeting {m_ref}`."))
    return reply
