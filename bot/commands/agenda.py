"""Agenda items: any member may propose (Kingston MoU §4); the chair or
secretariat accepts, defers or declines; papers are due 6 working days before."""

from __future__ import annotations

import re

from bot.agenda import on_agenda
from bot.commands.common import (
    confirm,
    cutoffs_for,
    everyone,
    first_ref,
    load_item,
    load_meeting,
    meeting_for,
    require_text,
    require_upcoming,
)
from bot.commands.standing import is_minutes, read_duration, read_presenter
from bot.context import Context
from bot.errors import BadArgument, Conflict
from bot.forms import MEETINGS, Field, Form, Kind, runs
from bot.grammar import flag, looks_like_ref, parse_options, parse_ref, single_value, tokenize
from bot.member_lookup import mention
from bot.model import AgendaItem, AgendaStatus, Meeting, Member, Paper, Prefix
from bot.outbox_keys import Subject
from bot.policies import require_agenda_paper, require_contributor, require_manager
from bot.reply import Fields, Heading, Item, Items, Note, Paragraph, Ref, Reply, Rich, When, rich
from bot.router import Args, Router
from bot.rules import is_late
from bot.text import format_date
from bot.views import agenda_flag, agenda_line, meeting_line, ref, spotlight_tag

router = Router("agenda", "Propose agenda items and papers; the chair or secretariat decides.")

PROPOSE_EXAMPLE = "agenda propose Speech and language therapy waiting times for M4 paper https://example.org/p.pdf"
_LINK = re.compile(r"^(https?://\S+|\S+\.(pdf|docx?|pptx?|xlsx?))$", re.I)


def _looks_like_link(value: list[str]) -> bool:
    return len(value) == 1 and bool(_LINK.match(value[0].strip("<>")))


def _check_link(link: str) -> str:
    link = link.strip("<>").split("|")[0]
    if not _LINK.match(link):
        raise BadArgument(f"“{link}” doesn't look like a link to a paper.",
                          hint="Give a web link, e.g. `https://sharepoint.example/papers/item.pdf`.", field="paper")
    return link


def _late(ctx: Context, meeting: Meeting | None) -> bool:
    if meeting is None:
        return False
    cutoffs = cutoffs_for(ctx, meeting)
    return is_late(ctx.today(), cutoffs)


async def _tell_managers(ctx: Context, item: AgendaItem, *text) -> None:
    reply = Reply(summary="".join(t for t in text if isinstance(t, str)), refs=[ref(Prefix.AGENDA, item.id)])
    reply.add(Heading(rich(*text)))
    for manager in await ctx.uow.members.with_role("secretariat"):
        if manager.id != ctx.require_actor().id:
            await ctx.notify(manager, reply, key=f"notice:agenda:{item.id}:{manager.id}",
                             subject=Subject.notice(Subject.agenda(item.id)))


router.form(Form("agenda.propose", "Propose agenda item", (
    Field("title", "Title", required=True),
    Field("meeting", "For meeting", Kind.CHOICE, source=MEETINGS, placeholder="The next meeting"),
    Field("paper", "Paper (link)", Kind.URL, placeholder="https://…"),
    Field("spotlight", "Spotlight", Kind.CHECKBOX, hint="A spotlight (deep-dive) item"),
), runs("agenda propose"), submit="Propose"))


@router.command("agenda propose",
                usage="agenda propose <title> [for M4 | forward] [presenter @x] [minutes 15] [paper <link>] "
                      "[spotlight]",
                summary="Propose an agenda item (any member); `forward` puts it on the forward plan",
                example=PROPOSE_EXAMPLE)
async def propose(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    require_contributor(actor, "propose agenda items")
    parsed = parse_options(args.rest, {"for": looks_like_ref(Prefix.MEETING), "paper": _looks_like_link,
                                       "spotlight": flag, "forward": flag, "presenter": single_value,
                                       "minutes": is_minutes})
    head = parsed.head
    tokens = tokenize(args.rest)
    if "spotlight" in parsed.options and len(tokens) > len(head) + 1 and tokens[len(head)].lower() == "spotlight":
        # "Therapies spotlight forward": the word names the item too; a final bare "spotlight" is only the flag
        head = [*head, tokens[len(head)]]
    title = require_text(args.get("title", " ".join(head)), "The item's title", PROPOSE_EXAMPLE, "title")
    forward = "forward" in parsed.options and not (args.get("meeting") or parsed.options.get("for"))
    meeting = None if forward else await meeting_for(ctx, args.get("meeting") or parsed.options.get("for"))
    if meeting is not None:
        require_upcoming(ctx, meeting)
    presenter = await read_presenter(ctx, args.get("presenter") or parsed.options.get("presenter"))
    duration = read_duration(args.get("minutes") or parsed.options.get("minutes"), PROPOSE_EXAMPLE)
    spotlight = bool(args.get("spotlight", "spotlight" in parsed.options))
    late = _late(ctx, meeting)
    item = await ctx.uow.agenda.add(AgendaItem(title=title, proposer_id=actor.key, proposed_at=ctx.now(),
                                               meeting_id=meeting.id if meeting else None, spotlight=spotlight,
                                               late=late, presenter_id=presenter.id if presenter else None,
                                               duration=duration))
    if link := args.get("paper") or parsed.options.get("paper"):
        await ctx.uow.papers.add(Paper(item.key, _check_link(link), actor.key, ctx.now(), late))
    item_ref = ref(Prefix.AGENDA, item.id)
    await ctx.audit("agenda.propose", item_ref)
    where = meeting_line(meeting) if meeting else rich("the forward plan (no meeting yet)")
    reply = confirm(f"Agenda item {item_ref} proposed.", refs=[item_ref])
    reply.add(Heading(rich(Ref(item_ref), " ", title, spotlight_tag(item))), Fields((
        ("For", where),
        ("Status", rich("proposed — the chair or secretariat will accept, defer or decline it")),
    )))
    if meeting is not None:
        cutoffs = cutoffs_for(ctx, meeting)
        if late:
            reply.add(Note(rich("⚠ This is after the paper deadline (", When(cutoffs.submission),
                                "), so it is marked late; the chair decides whether it is taken.")))
        elif not link:
            reply.add(Note(rich("Papers are due by ", When(cutoffs.submission), ": `/board agenda paper ",
                                item_ref, " <link>`.")))
    await _tell_managers(ctx, item, mention(actor), " proposed ", Ref(item_ref), " ", title,
                         " (late)" if late else None)
    return reply


@router.command("agenda forward", usage="agenda forward",
                summary="The forward plan: items (and spotlights) not yet on a meeting, deferred ones too",
                changes_state=False, aliases=("forward plan",))
async def forward_plan(ctx: Context, args: Args) -> Reply:
    return await list_items(ctx, Args("forward", args.values))


@router.command("agenda list", usage="agenda list [M4|forward]",
                summary="Agenda items for a meeting (default: the next) or the forward plan",
                changes_state=False, aliases=("agenda",))
async def list_items(ctx: Context, args: Args) -> Reply:
    tokens = tokenize(args.rest)
    forward = bool(tokens) and tokens[0].lower() in ("forward", "plan", "forward-plan")
    meeting = None if forward else await meeting_for(ctx, tokens[0] if tokens else None)
    items = await ctx.uow.agenda.for_meeting(meeting.id if meeting else None)
    items = on_agenda(items) if meeting else [i for i in items if i.status != AgendaStatus.DECLINED]
    papers = await ctx.uow.papers.for_items([i.key for i in items])
    people = await everyone(ctx)
    rows = tuple(Item(agenda_line(i, people, [p for p in papers if p.item_id == i.id]), ref(Prefix.AGENDA, i.id),
                      agenda_flag(i, [p for p in papers if p.item_id == i.id])) for i in items)
    title = rich("Agenda for ", *meeting_line(meeting)) if meeting else rich("Forward plan")
    reply = Reply(summary=f"{len(rows)} agenda items", refs=[ref(Prefix.AGENDA, i.id) for i in items])
    reply.add(Heading(title), Items(rows, empty="No items yet: `/board agenda propose <title>`."))
    if meeting:
        cutoffs = cutoffs_for(ctx, meeting)
        reply.add(Note(rich("Papers due ", When(cutoffs.submission), "; circulated ", When(cutoffs.circulation), ".")))
    return reply


async def _decide(ctx: Context, args: Args, status: AgendaStatus, verb: str) -> Reply:
    actor = ctx.require_actor()
    require_manager(actor, f"{verb} agenda items")
    number, reason = first_ref(args.rest, Prefix.AGENDA, "agenda item", f"agenda {verb} G3")
    item = await load_item(ctx, number)
    target = None
    if status == AgendaStatus.ACCEPTED:
        parsed = parse_options(reason, {"for": looks_like_ref(Prefix.MEETING)})
        if "for" in parsed.options:
            target = await meeting_for(ctx, parsed.options["for"])
            reason = parsed.text
    if item.status == status and (target is None or target.id == item.meeting_id):
        raise Conflict(f"{ref(Prefix.AGENDA, item.id)} is already {status.value}.")
    item.status, item.reason = status, args.get("reason", reason) or None
    if target is not None:
        await _place(ctx, item, target)
    if status == AgendaStatus.DEFERRED:
        item.meeting_id, item.position = None, None  # back to the forward plan
    await ctx.uow.agenda.save(item)
    item_ref = ref(Prefix.AGENDA, item.id)
    await ctx.audit(f"agenda.{verb}", item_ref)
    proposer: Member | None = await ctx.uow.members.get(item.proposer_id)
    text = (mention(actor), f" {status.value} your agenda item ", Ref(item_ref), " ", item.title,
            ": " if item.reason else ".", item.reason,
            " It is on the forward plan (`/board agenda forward`) for a later meeting."
            if status == AgendaStatus.DEFERRED else None)
    if proposer is not None and proposer.id != actor.id:
        await ctx.notify(proposer, Reply(summary=f"Agenda item {item_ref} {status.value}").add(Heading(rich(*text))),
                         key=f"notice:agenda:{item.id}:{status.value}",
                         subject=Subject.notice(Subject.agenda(item.id)))
    where = f" for M{item.meeting_id}" if item.meeting_id and status == AgendaStatus.ACCEPTED else (
        " and stays on the forward plan (`/board agenda schedule G3 for M4` puts it on a meeting)"
        if status == AgendaStatus.ACCEPTED else "")
    return confirm(f"{item_ref} {item.title}: {status.value}{where.replace('G3', item_ref)}"
                   + (f" ({item.reason})" if item.reason else "") + ".", refs=[item_ref])


async def _place(ctx: Context, item: AgendaItem, meeting: Meeting) -> None:
    """Put an item on a meeting's agenda: lateness is judged against that meeting."""
    require_upcoming(ctx, meeting)
    item.meeting_id, item.position, item.late = meeting.id, None, _late(ctx, meeting)
    if item.status == AgendaStatus.DEFERRED:
        item.status = AgendaStatus.PROPOSED


SCHEDULE_EXAMPLE = "agenda schedule G4 for M5"


@router.command("agenda schedule", usage="agenda schedule G4 for M5",
                summary="Move a forward-plan item onto a meeting (chair or secretariat)", example=SCHEDULE_EXAMPLE)
async def schedule(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "schedule agenda items")
    number, rest = first_ref(args.rest, Prefix.AGENDA, "agenda item", SCHEDULE_EXAMPLE)
    parsed = parse_options(rest, {"for": looks_like_ref(Prefix.MEETING)})
    if "for" not in parsed.options:
        raise BadArgument("Which meeting? Add `for M5`.", hint=f"For example: `{SCHEDULE_EXAMPLE}`", field="meeting")
    item = await load_item(ctx, number)
    if item.status == AgendaStatus.DECLINED:
        raise Conflict(f"{ref(Prefix.AGENDA, item.id)} was declined.", hint="Propose it again if it is wanted now.")
    meeting = await meeting_for(ctx, parsed.options["for"])
    assert meeting is not None
    if item.meeting_id == meeting.id:
        raise Conflict(f"{ref(Prefix.AGENDA, item.id)} is already on {ref(Prefix.MEETING, meeting.id)}.")
    await _place(ctx, item, meeting)
    await ctx.uow.agenda.save(item)
    item_ref = ref(Prefix.AGENDA, item.id)
    await ctx.audit("agenda.schedule", item_ref, ref(Prefix.MEETING, meeting.id))
    return confirm(f"{item_ref} {item.title} is on the agenda for {ref(Prefix.MEETING, meeting.id)}"
                   + (" (late: after the paper deadline)." if item.late else "."), refs=[item_ref])


ORDER_EXAMPLE = "agenda order M4 G3 G1 G2"


@router.command("agenda order", usage="agenda order M4 G3 G1 G2",
                summary="Set the running order of a meeting's agenda (chair or secretariat)", example=ORDER_EXAMPLE)
async def order(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "order the agenda")
    number, rest = first_ref(args.rest, Prefix.MEETING, "meeting", ORDER_EXAMPLE)
    meeting = await load_meeting(ctx, number)
    tokens = tokenize(rest)
    if not tokens:
        raise BadArgument("List the items in the order they will be taken.", hint=f"For example: `{ORDER_EXAMPLE}`",
                          field="items")
    items = {i.id: i for i in on_agenda(await ctx.uow.agenda.for_meeting(meeting.id))}
    wanted = [parse_ref(t, Prefix.AGENDA, "an agenda item", field="items") for t in tokens]
    strangers = [f"G{n}" for n in wanted if n not in items]
    if strangers:
        raise BadArgument(f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not on the agenda of "
                          f"{ref(Prefix.MEETING, meeting.id)}.",
                          hint=f"`/board agenda list {ref(Prefix.MEETING, meeting.id)}` shows its items.",
                          field="items")
    if len(set(wanted)) != len(wanted):
        raise BadArgument("An item is listed twice.", hint=f"For example: `{ORDER_EXAMPLE}`", field="items")
    for item in items.values():
        item.position = wanted.index(item.id) + 1 if item.id in wanted else None
        await ctx.uow.agenda.save(item)
    await ctx.audit("agenda.order", ref(Prefix.MEETING, meeting.id))
    reply = await list_items(ctx, Args(ref(Prefix.MEETING, meeting.id)))
    reply.summary, reply.public = f"Agenda order for {ref(Prefix.MEETING, meeting.id)} set.", True
    reply.blocks.insert(0, Paragraph(rich(reply.summary)))
    return reply


@router.command("agenda show", usage="agenda show G3", summary="One agenda item: presenter, timing, papers, minutes",
                changes_state=False, example="agenda show G3")
async def show(ctx: Context, args: Args) -> Reply:
    number, _ = first_ref(args.rest, Prefix.AGENDA, "agenda item", "agenda show G3")
    item = await load_item(ctx, number)
    people = await everyone(ctx)
    papers = await ctx.uow.papers.for_items([item.key])
    meeting = await ctx.uow.meetings.get(item.meeting_id) if item.meeting_id else None

    def person(member_id: int) -> Rich:
        return rich(mention(people[member_id])) if member_id in people else rich("—")

    rows = [("Status", rich(item.status.value, " (late)" if item.late else None,
                            f": {item.reason}" if item.reason else None)),
            ("For", meeting_line(meeting) if meeting else rich("the forward plan")),
            ("Proposed by", rich("standing item") if item.standing_id else person(item.proposer_id))]
    if item.presenter_id:
        rows.append(("Presenter", person(item.presenter_id)))
    if item.duration:
        rows.append(("Time", rich(f"{item.duration} minutes")))
    rows.append(("Papers", rich(", ".join(p.link + (" (late)" if p.late else "") for p in papers) or "none")))
    item_ref = ref(Prefix.AGENDA, item.id)
    reply = Reply(summary=f"Agenda item {item_ref}", refs=[item_ref])
    reply.add(Heading(rich(Ref(item_ref), " ", item.title, spotlight_tag(item))), Fields(tuple(rows)))
    if meeting is not None:
        entries = [e for e in await ctx.uow.minutes.for_meeting(meeting.key) if e.item_id == item.key]
        if entries:
            reply.add(Items(tuple(Item(rich(f"{e.kind.value.capitalize()}: ", e.text)) for e in entries),
                            title="Minutes"))
    return reply


@router.command("agenda accept", usage="agenda accept G3 [reason]", summary="Accept an item (chair or secretariat)")
async def accept(ctx: Context, args: Args) -> Reply:
    return await _decide(ctx, args, AgendaStatus.ACCEPTED, "accept")


@router.command("agenda defer", usage="agenda defer G3 [reason]",
                summary="Defer an item to the forward plan (chair or secretariat)")
async def defer(ctx: Context, args: Args) -> Reply:
    return await _decide(ctx, args, AgendaStatus.DEFERRED, "defer")


@router.command("agenda decline", usage="agenda decline G3 [reason]", summary="Decline an item (chair or secretariat)")
async def decline(ctx: Context, args: Args) -> Reply:
    return await _decide(ctx, args, AgendaStatus.DECLINED, "decline")


@router.command("agenda paper", usage="agenda paper G3 <link>", summary="Attach a paper to an agenda item",
                example="agenda paper G3 https://example.org/therapy-waits.pdf")
async def paper(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    number, link = first_ref(args.rest, Prefix.AGENDA, "agenda item", "agenda paper G3 https://…")
    item = await load_item(ctx, number)
    require_agenda_paper(actor, item)
    link = _check_link(args.get("paper", link))
    meeting = await ctx.uow.meetings.get(item.meeting_id) if item.meeting_id else None
    late = _late(ctx, meeting)
    await ctx.uow.papers.add(Paper(item.key, link, actor.key, ctx.now(), late))
    item_ref = ref(Prefix.AGENDA, item.id)
    await ctx.audit("agenda.paper", item_ref)
    reply = confirm(f"Paper added to {item_ref}" + (" (late)." if late else "."), refs=[item_ref])
    if late and meeting is not None:
        cutoffs = cutoffs_for(ctx, meeting)
        reply.add(Note(rich(f"Papers were due by {format_date(cutoffs.submission)}; it will be flagged late.")))
    return reply
