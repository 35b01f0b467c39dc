"""Agenda items: any member may propose (Kingston MoU §4); the chair or
secretariat accepts, defers or declines; papers are due 6 working days before."""

from __future__ import annotations

import re

from bot.commands.common import (
    confirm,
    cutoffs_for,
    everyone,
    first_ref,
    load_item,
    meeting_for,
    require_text,
    require_upcoming,
)
from bot.context import Context
from bot.errors import BadArgument, Conflict
from bot.grammar import flag, looks_like_ref, parse_options, tokenize
from bot.model import AgendaItem, AgendaStatus, Meeting, Member, Paper, Prefix
from bot.people import mention
from bot.policies import require_agenda_paper, require_contributor, require_manager
from bot.reply import Fields, Heading, Item, Items, Note, Ref, Reply, When, rich
from bot.router import Args, Router
from bot.rules import is_late
from bot.text import format_date
from bot.views import agenda_flag, agenda_line, meeting_line, ref

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
                             subject=f"notice:agenda:{item.id}")


@router.command("agenda propose", usage="agenda propose <title> [for M4] [paper <link>] [spotlight]",
                summary="Propose an agenda item (any member)", example=PROPOSE_EXAMPLE)
async def propose(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    require_contributor(actor, "propose agenda items")
    parsed = parse_options(args.rest, {"for": looks_like_ref(Prefix.MEETING), "paper": _looks_like_link,
                                       "spotlight": flag})
    title = require_text(args.get("title", parsed.text), "The item's title", PROPOSE_EXAMPLE, "title")
    meeting = await meeting_for(ctx, args.get("meeting") or parsed.options.get("for"))
    if meeting is not None:
        require_upcoming(ctx, meeting)
    spotlight = bool(args.get("spotlight", "spotlight" in parsed.options))
    late = _late(ctx, meeting)
    item = await ctx.uow.agenda.add(AgendaItem(title=title, proposer_id=actor.id, proposed_at=ctx.now(),
                                               meeting_id=meeting.id if meeting else None, spotlight=spotlight,
                                               late=late))
    if link := args.get("paper") or parsed.options.get("paper"):
        await ctx.uow.papers.add(Paper(item.id, _check_link(link), actor.id, ctx.now(), late))
    item_ref = ref(Prefix.AGENDA, item.id)
    await ctx.audit("agenda.propose", item_ref)
    where = meeting_line(meeting) if meeting else rich("the forward plan (no meeting yet)")
    reply = confirm(f"Agenda item {item_ref} proposed.", refs=[item_ref])
    reply.add(Heading(rich(Ref(item_ref), " ", title, " (spotlight)" if spotlight else None)), Fields((
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
    papers = await ctx.uow.papers.for_items([i.id for i in items])
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
    if item.status == status:
        raise Conflict(f"{ref(Prefix.AGENDA, item.id)} is already {status.value}.")
    item.status, item.reason = status, args.get("reason", reason) or None
    if status == AgendaStatus.DEFERRED:
        item.meeting_id = None  # back to the forward plan
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
                         key=f"notice:agenda:{item.id}:{status.value}", subject=f"notice:agenda:{item.id}")
    return confirm(f"{item_ref} {item.title}: {status.value}" + (f" ({item.reason})" if item.reason else "") + ".",
                   refs=[item_ref])


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
    await ctx.uow.papers.add(Paper(item.id, link, actor.id, ctx.now(), late))
    item_ref = ref(Prefix.AGENDA, item.id)
    await ctx.audit("agenda.paper", item_ref)
    reply = confirm(f"Paper added to {item_ref}" + (" (late)." if late else "."), refs=[item_ref])
    if late and meeting is not None:
        cutoffs = cutoffs_for(ctx, meeting)
        reply.add(Note(rich(f"Papers were due by {format_date(cutoffs.submission)}; it will be flagged late.")))
    return reply
