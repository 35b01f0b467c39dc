"""Standing agenda items: set up once, on every future meeting's agenda."""

from __future__ import annotations

import datetime as dt

from bot.commands.common import confirm, everyone, first_ref, require_text
from bot.context import Context
from bot.errors import BadArgument, Conflict, NotFound
from bot.grammar import parse_options, single_value
from bot.member_lookup import find_person, mention
from bot.model import AgendaItem, AgendaStatus, Meeting, Member, Prefix, StandingItem
from bot.policies import require_manager
from bot.reply import Item, Items, Reply, rich
from bot.router import Args, Router
from bot.views import ref

router = Router("agenda", "Propose agenda items and papers; the chair or secretariat decides.")

ADD_EXAMPLE = 'agenda standing add "Welcome and apologies" presenter @chair minutes 5'
MAX_MINUTES = 240


def read_duration(value: str | None, example: str) -> int | None:
    """``minutes 15`` as an int, refusing nonsense with an example."""
    if value is None:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_MINUTES:
        raise BadArgument(f"“{value}” is not a number of minutes from 1 to {MAX_MINUTES}.",
                          hint=f"For example: `{example}`", field="minutes")
    return int(value)


def is_minutes(value: list[str]) -> bool:
    return len(value) == 1 and value[0].isdigit()


async def read_presenter(ctx: Context, value: str | None) -> Member | None:
    return await find_person(ctx.uow, value, "presenter") if value else None


def copy_of(standing: StandingItem, meeting: Meeting, ctx: Context) -> AgendaItem:
    actor = ctx.require_actor()
    return AgendaItem(title=standing.title, proposer_id=actor.key, proposed_at=ctx.now(), meeting_id=meeting.key,
                      status=AgendaStatus.ACCEPTED, presenter_id=standing.presenter_id, duration=standing.duration,
                      standing_id=standing.id)


async def copy_standing_items(ctx: Context, meeting: Meeting) -> int:
    """Put every standing item on a new meeting's agenda, accepted."""
    standing = await ctx.uow.standing.active()
    for item in standing:
        await ctx.uow.agenda.add(copy_of(item, meeting, ctx))
    return len(standing)


async def _upcoming(ctx: Context) -> list[Meeting]:
    return await ctx.uow.meetings.between(ctx.now(), ctx.now() + dt.timedelta(days=5 * 366))


@router.command("agenda standing add", usage='agenda standing add "<title>" [presenter @x] [minutes 10]',
                summary="An item on every future meeting's agenda (chair or secretariat)", example=ADD_EXAMPLE)
async def add(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "set standing agenda items")
    parsed = parse_options(args.rest, {"presenter": single_value, "minutes": is_minutes})
    title = require_text(" ".join(t.strip('"') for t in parsed.head), "The item's title", ADD_EXAMPLE, "title")
    presenter = await read_presenter(ctx, parsed.options.get("presenter"))
    standing = await ctx.uow.standing.add(StandingItem(
        title=title, presenter_id=presenter.id if presenter else None,
        duration=read_duration(parsed.options.get("minutes"), ADD_EXAMPLE)))
    meetings = await _upcoming(ctx)
    for meeting in meetings:
        await ctx.uow.agenda.add(copy_of(standing, meeting, ctx))
    s_ref = ref(Prefix.STANDING, standing.id)
    await ctx.audit("agenda.standing.add", s_ref)
    on = f"; added to {len(meetings)} upcoming meeting{'s' if len(meetings) != 1 else ''}" if meetings else ""
    return confirm(f"Standing item {s_ref} “{title}” will be on every future meeting's agenda{on}.", refs=[s_ref])


@router.command("agenda standing list", usage="agenda standing list", summary="The standing agenda items",
                changes_state=False, aliases=("agenda standing",))
async def list_standing(ctx: Context, args: Args) -> Reply:
    people = await everyone(ctx)
    items = await ctx.uow.standing.active()
    rows = tuple(Item(rich(s.title, " — " if s.presenter_id in people else None,
                           mention(people[s.presenter_id]) if s.presenter_id in people else None,
                           f" — {s.duration} min" if s.duration else None), ref(Prefix.STANDING, s.id))
                 for s in items)
    return Reply(summary=f"{len(rows)} standing items").add(Items(
        rows, title="Standing agenda items", empty=f"No standing items yet: `/board {ADD_EXAMPLE}`."))


@router.command("agenda standing remove", usage="agenda standing remove S2",
                summary="Stop a standing item; it leaves upcoming agendas (chair or secretariat)")
async def remove(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "remove standing agenda items")
    number, _ = first_ref(args.rest, Prefix.STANDING, "standing item", "agenda standing remove S2")
    standing = await ctx.uow.standing.get(number)
    if standing is None:
        raise NotFound(f"There is no standing item S{number}.", hint="`/board agenda standing list` shows them.")
    if not standing.active:
        raise Conflict(f"S{number} was already removed.")
    standing.active = False
    await ctx.uow.standing.save(standing)
    for meeting in await _upcoming(ctx):
        for item in await ctx.uow.agenda.for_meeting(meeting.id):
            if item.standing_id == standing.id and item.status != AgendaStatus.DECLINED:
                item.status, item.reason = AgendaStatus.DECLINED, "standing item removed"
                await ctx.uow.agenda.save(item)
    await ctx.audit("agenda.standing.remove", f"S{number}")
    return confirm(f"Standing item S{number} “{standing.title}” removed from future agendas.", refs=[f"S{number}"])
