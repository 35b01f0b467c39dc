"""Changing a workstream once it runs: its leads, its name, and closing it."""

from __future__ import annotations

from bot.commands.common import confirm, first_ref, load_workstream, require_text
from bot.context import Context
from bot.errors import BadArgument, Conflict
from bot.grammar import tokenize, unquote
from bot.member_lookup import find_people
from bot.model import Prefix, Workstream
from bot.policies import require_manager
from bot.reply import Reply
from bot.router import Args, Router
from bot.views import ref

router = Router("people", "Members, roles and workstreams.")

LEAD_EXAMPLE = "workstream lead W2 add @ava"


async def _open_workstream(ctx: Context, text: str, what: str, example: str) -> tuple[Workstream, str]:
    require_manager(ctx.require_actor(), what)
    number, rest = first_ref(text, Prefix.WORKSTREAM, "workstream", example)
    workstream = await load_workstream(ctx, f"W{number}")
    if workstream.closed:
        raise Conflict(f"{ref(Prefix.WORKSTREAM, workstream.id)} {workstream.name} is closed.")
    return workstream, rest


@router.command("workstream lead", usage="workstream lead W2 add|remove @person",
                summary="Add or remove a workstream lead (chair or secretariat)", example=LEAD_EXAMPLE)
async def lead(ctx: Context, args: Args) -> Reply:
    workstream, rest = await _open_workstream(ctx, args.rest, "change workstream leads", LEAD_EXAMPLE)
    tokens = tokenize(rest)
    if len(tokens) < 2 or tokens[0].lower() not in ("add", "remove"):
        raise BadArgument("Say `add` or `remove` and who.", hint=f"For example: `{LEAD_EXAMPLE}`", field="lead")
    people = await find_people(ctx.uow, tokens[1:], field="lead")
    w_ref = ref(Prefix.WORKSTREAM, workstream.id)
    if tokens[0].lower() == "add":
        new = [p for p in people if p.id not in workstream.lead_ids]
        if not new:
            raise Conflict(f"{', '.join(p.name for p in people)} already lead{'s' if len(people) == 1 else ''} "
                           f"{w_ref}.")
        workstream.lead_ids += [p.key for p in new]
        verb = "now lead" + ("s" if len(new) == 1 else "")
        named = new
    else:
        gone = [p for p in people if p.id in workstream.lead_ids]
        if not gone:
            raise Conflict(f"{', '.join(p.name for p in people)} {'does' if len(people) == 1 else 'do'} not lead "
                           f"{w_ref}.")
        if len(gone) == len(workstream.lead_ids):
            raise Conflict(f"{w_ref} would have no lead.", hint=f"Add the new lead first: `workstream lead {w_ref} "
                           "add @person`.")
        workstream.lead_ids = [i for i in workstream.lead_ids if i not in {p.id for p in gone}]
        verb = "no longer lead" + ("s" if len(gone) == 1 else "")
        named = gone
    await ctx.uow.workstreams.save(workstream)
    await ctx.audit("workstream.lead", w_ref, tokens[0].lower())
    return confirm(f"{', '.join(p.name for p in named)} {verb} {w_ref} {workstream.name}.", refs=[w_ref])


@router.command("workstream rename", usage='workstream rename W2 "New name"',
                summary="Rename a workstream (chair or secretariat)", example='workstream rename W2 "SEND support"')
async def rename(ctx: Context, args: Args) -> Reply:
    example = 'workstream rename W2 "SEND support"'
    workstream, rest = await _open_workstream(ctx, args.rest, "rename workstreams", example)
    name = require_text(unquote(rest.strip()), "The new name", example, "name", 80)
    other = await ctx.uow.workstreams.by_name(name)
    if other is not None and other.id != workstream.id:
        raise Conflict(f"There is already a workstream called {other.name}.")
    old, workstream.name = workstream.name, name
    await ctx.uow.workstreams.save(workstream)
    w_ref = ref(Prefix.WORKSTREAM, workstream.id)
    await ctx.audit("workstream.rename", w_ref)
    return confirm(f"{w_ref} {old} is now called {name}.", refs=[w_ref])


@router.command("workstream close", usage="workstream close W2",
                summary="Close a workstream: no new actions join it (chair or secretariat)",
                example="workstream close W2")
async def close(ctx: Context, args: Args) -> Reply:
    workstream, _ = await _open_workstream(ctx, args.rest, "close workstreams", "workstream close W2")
    workstream.closed = True
    await ctx.uow.workstreams.save(workstream)
    w_ref = ref(Prefix.WORKSTREAM, workstream.id)
    await ctx.audit("workstream.close", w_ref)
    still = [a for a in await ctx.uow.actions.still_open() if a.workstream_id == workstream.id]
    tail = (f" Its {len(still)} open action{'s stay' if len(still) != 1 else ' stays'} with it until done, "
            "and overdue ones still go to its lead." if still else "")
    return confirm(f"{w_ref} {workstream.name} is closed.{tail}", refs=[w_ref])
