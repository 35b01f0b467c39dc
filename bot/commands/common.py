"""Helpers every command module shares: loading things by reference with a
plain "not found", reading dates, and building confirmations."""

from __future__ import annotations

import datetime as dt

from bot.context import Context
from bot.dates import parse_date
from bot.errors import BadArgument, Conflict, NotFound
from bot.grammar import parse_ref, tokenize
from bot.model import Action, AgendaItem, Measure, Meeting, Member, Prefix, Risk, Workstream
from bot.reply import Paragraph, Reply, rich
from bot.rules import AgendaCutoffs, agenda_cutoffs
from bot.text import format_datetime
from bot.views import ref


async def everyone(ctx: Context) -> dict[int, Member]:
    """All members by id, for the few commands that show the whole board (others ask ``ctx.members``)."""
    return await ctx.all_members()


def read_date(ctx: Context, text: str, field: str = "due", allow_past: bool = False) -> dt.date:
    return parse_date(text, ctx.today(), allow_past=allow_past, field=field,
                      add_working_days=ctx.calendar.add_working_days)


def first_ref(text: str, prefix: Prefix, what: str, example: str) -> tuple[int, str]:
    """The reference at the start of ``text`` and the rest of the text."""
    tokens = tokenize(text)
    if not tokens:
        raise BadArgument(f"Which {what}? A reference is missing.", hint=f"For example: `{example}`", field="ref")
    number = parse_ref(tokens[0], prefix, f"an {what}" if what[0] in "aeiou" else f"a {what}")
    rest = text.strip()[len(tokens[0]):].strip()
    return number, rest


async def _load(repo, number: int, prefix: Prefix, what: str):
    found = await repo.get(number)
    if found is None:
        raise NotFound(f"There is no {what} {prefix.value}{number}.",
                       hint=f"`/board {what.split()[0]} list` shows the {what}s there are.")
    return found


async def load_action(ctx: Context, number: int) -> Action:
    return await _load(ctx.uow.actions, number, Prefix.ACTION, "action")


async def load_meeting(ctx: Context, number: int) -> Meeting:
    return await _load(ctx.uow.meetings, number, Prefix.MEETING, "meeting")


async def load_item(ctx: Context, number: int) -> AgendaItem:
    return await _load(ctx.uow.agenda, number, Prefix.AGENDA, "agenda item")


async def load_risk(ctx: Context, number: int) -> Risk:
    return await _load(ctx.uow.risks, number, Prefix.RISK, "risk")


async def load_measure(ctx: Context, number: int) -> Measure:
    return await _load(ctx.uow.measures, number, Prefix.MEASURE, "measure")


async def load_workstream(ctx: Context, token: str) -> Workstream:
    number = parse_ref(token, Prefix.WORKSTREAM, "a workstream", field="ws")
    return await _load(ctx.uow.workstreams, number, Prefix.WORKSTREAM, "workstream")


async def meeting_for(ctx: Context, token: str | None) -> Meeting | None:
    """The meeting named by ``token`` (M4), or the next one when no token is given."""
    if token:
        return await load_meeting(ctx, parse_ref(token, Prefix.MEETING, "a meeting", field="meeting"))
    return await ctx.uow.meetings.next_after(ctx.now())


def require_upcoming(ctx: Context, meeting: Meeting) -> None:
    """Apologies and agenda items are for meetings still to come."""
    if meeting.starts_at <= ctx.now():
        raise Conflict(f"{ref(Prefix.MEETING, meeting.id)} was on {format_datetime(meeting.starts_at, ctx.tz)}.",
                       hint="`/board meeting next` shows the next meeting.", field="meeting")


def cutoffs_for(ctx: Context, meeting: Meeting) -> AgendaCutoffs:
    """The paper submission and circulation dates of a meeting, in working days."""
    return agenda_cutoffs(meeting.starts_at.astimezone(ctx.tz).date(), ctx.calendar, ctx.settings)


def confirm(summary: str, *blocks, refs: list[str] | None = None, public: bool = True) -> Reply:
    """A reply to a change of shared state: the channel may see ``summary``."""
    reply = Reply(summary=summary, public=public, refs=refs or [])
    return reply.add(Paragraph(rich(summary)), *blocks)


def require_text(text: str, what: str, example: str, field: str = "text", limit: int = 4000) -> str:
    text = text.strip()
    if not text:
        raise BadArgument(f"{what} is missing.", hint=f"For example: `{example}`", field=field)
    if len(text) > limit:
        raise BadArgument(f"{what} is {len(text)} characters; the limit is {limit:,}.",
                          hint="Shorten it, or put the detail in a linked document.", field=field)
    return text
