"""Board settings: channel, working-day offsets, quiet hours, term dates,
closure days, escalation contacts. Chair or secretariat only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from bot.commands.common import confirm, everyone, read_date
from bot.context import Context
from bot.dates import parse_time
from bot.errors import BadArgument, NotFound
from bot.grammar import tokenize, unquote
from bot.identity import parse_channel
from bot.member_lookup import find_people
from bot.model import ClosureDay, TermDates
from bot.policies import require_manager
from bot.reply import Fields, Heading, Item, Items, Paragraph, Reply, When, rich
from bot.router import Args, Router
from bot.text import format_date
from bot.views import action_line

router = Router("board", "Board settings (chair or secretariat): channel, offsets, hours, terms, closures.",
                prefix_alias=("board config", "config"))

# Whole-number settings: (command word, setting, what it means, allowed range)
NUMBERS = [
    ("submission", "submission_offset", "papers are due this many working days before a meeting", (1, 30)),
    ("circulation", "circulation_offset", "papers are circulated this many working days before", (0, 30)),
    ("escalate-lead", "escalate_lead_after", "working days overdue before the workstream lead hears", (1, 60)),
    ("escalate-chair", "escalate_chair_after", "working days overdue before the chair hears", (1, 120)),
    ("traction", "traction_days", "days without an update before a traction nudge", (7, 365)),
    ("informal-days", "informal_days", "calendar days of informal resolution before an issue escalates", (1, 365)),
    ("amber", "rag_amber_percent", "a measure within this percentage of its target is amber rather than red", (1, 50)),
    ("risk-notice", "risk_review_notice_working_days", "working days before a risk review its owner is "
     "reminded", (1, 30)),
    ("risk-escalate", "risk_escalate_after", "working days a high risk's review is overdue before its lead or the "
     "chair hears", (1, 60)),
    ("measure-due", "measure_due_working_days", "working days after a period ends that its measure value is due",
     (1, 30)),
]


async def _save(ctx: Context, field: str, **values: Any) -> None:
    """Store settings together, unless together they would leave a kind of
    message never delivered (``field`` names the input that is refused)."""
    require_manager(ctx.require_actor(), "change board settings")
    if reason := dataclasses.replace(ctx.settings, **values).never_delivered():
        raise BadArgument(reason, field=field)
    for key, value in values.items():
        await ctx.uow.settings.store(key, value)
        await ctx.audit("board.config", key, detail=str(value))


@router.command("board config", usage="board config", summary="Show the board's settings", changes_state=False)
async def show(ctx: Context, args: Args) -> Reply:
    s = ctx.settings
    rows = [("Channel", rich(s.channel)), ("Quiet hours", rich(f"nothing scheduled before {s.quiet_start} or after "
                                                               f"{s.quiet_end}")),
            ("Reminders at", rich(s.send_time)), ("HWB joint chairs", rich(", ".join(s.hwb_contacts) or "not set"))]
    rows += [(word, rich(f"{getattr(s, key)} — {meaning}")) for word, key, meaning, _ in NUMBERS]
    rows += [(f"keep {word}", rich(f"{getattr(s, key)} {unit} — {what} (`config retention`)"))
             for word, (key, unit, what, _) in RETENTION.items()]
    closures = await ctx.uow.calendar.closure_days()
    terms = await ctx.uow.calendar.terms()
    return Reply(summary="Board settings").add(
        Heading(rich("Board settings")),
        Fields(tuple(rows)),
        Items(tuple(Item(rich(t.name, ": ", When(t.starts), " to ", When(t.ends))) for t in terms), title="Term dates",
              empty="No term dates set: `/board config term add \"Spring 2027\" 4/1/2027 to 26/3/2027`."),
        Items(tuple(Item(rich(When(c.day), " ", c.reason)) for c in closures), title="Closure days",
              empty="No closure days besides bank holidays."),
    )


@router.command("board config channel", usage="board config channel #name|here",
                summary="Where the bot posts reminders and the meeting pack", example="board config channel here")
async def channel(ctx: Context, args: Args) -> Reply:
    value = args.rest.strip()
    platform = ctx.command.who.platform
    if value.lower() == "here" and platform != "console":
        value = f"{platform}:{ctx.command.where}"
    elif channel := parse_channel(value):  # a channel picked in a chat, as its adapter writes it
        value = ":".join(channel)
    elif not value.startswith("#") or len(value) < 2:
        raise BadArgument("Name a channel like #board, or say `here`.", field="channel")
    await _save(ctx, "channel", channel=value)
    return confirm(f"Board posts will go to {value}.")


def _number_command(word: str, key: str, meaning: str, bounds: tuple[int, int]) -> None:
    @router.command(f"board config {word}", usage=f"board config {word} <number>", summary=meaning[0].upper()
                    + meaning[1:], example=f"board config {word} {bounds[0] + 1}")
    async def handler(ctx: Context, args: Args) -> Reply:
        require_manager(ctx.require_actor(), "change board settings")
        text = args.rest.strip()
        if not text.isdigit() or not bounds[0] <= int(text) <= bounds[1]:
            raise BadArgument(f"Give a whole number from {bounds[0]} to {bounds[1]}.",
                              hint=f"For example: `board config {word} {bounds[0] + 1}`", field=key)
        submission = int(text) if key == "submission_offset" else ctx.settings.submission_offset
        circulation = int(text) if key == "circulation_offset" else ctx.settings.circulation_offset
        if submission <= circulation:
            raise BadArgument(f"Papers must be due before they are circulated: submission ({submission} working days "
                              f"before) must be more than circulation ({circulation}).", field=key)
        await _save(ctx, key, **{key: int(text)})
        return confirm(f"From now on, {meaning}: {text}.")


for _spec in NUMBERS:
    _number_command(*_spec)


RETENTION = {  # word -> (setting, unit, what is kept that long, allowed range)
    "messages": ("retention_message_days", "days", "sent messages' bodies", (7, 3650)),
    "concerns": ("retention_concern_months", "months", "resolved concerns' words", (1, 120)),
}


@router.command("board config retention", usage="board config retention [messages <days>|concerns <months>]",
                summary="How long message bodies and closed concerns' words are kept",
                example="board config retention concerns 36")
async def retention(ctx: Context, args: Args) -> Reply:
    words = args.rest.lower().split()
    if words:
        if len(words) != 2 or words[0] not in RETENTION or not words[1].isdigit():
            raise BadArgument("Say what to keep and for how long: `messages <days>` or `concerns <months>`.",
                              hint="For example: `board config retention messages 30`", field="retention")
        key, unit, what, (low, high) = RETENTION[words[0]]
        if not low <= int(words[1]) <= high:
            raise BadArgument(f"Keep {what} from {low} to {high} {unit}.", field=key)
        await _save(ctx, key, **{key: int(words[1])})
        setattr(ctx.settings, key, int(words[1]))
    rows = tuple((what.capitalize(), rich(f"{getattr(ctx.settings, key)} {unit}"))
                 for key, unit, what, _ in RETENTION.values())
    return Reply(summary="Retention").add(
        Heading(rich("Retention")), Fields(rows),
        Paragraph(rich("After that the words are deleted every night; who, when, what kind and counts stay. "
                       "Change with `/board config retention messages <days>` or `concerns <months>`.")))


@router.command("board config hours", usage="board config hours 08:00-18:00",
                summary="The working hours scheduled reminders are sent in (the rest is quiet)",
                aliases=("board config quiet-hours", "config quiet-hours"))
async def sending_hours(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "change board settings")
    parts = [p for p in re.split(r"\s*(?:-|–|to)\s*", args.rest.strip()) if p]
    if len(parts) != 2:
        raise BadArgument("Give the hours reminders may go out, like 08:00-18:00.", field="quiet")
    start, end = (parse_time(p, "quiet") for p in parts)
    if start == end:
        raise BadArgument("The hours must not start and end at the same time.", field="quiet")
    if start > end:  # typed as the quiet period ("18:00-08:00"): the sending hours are the rest
        start, end = end, start
    await _save(ctx, "quiet", quiet_start=f"{start:%H:%M}", quiet_end=f"{end:%H:%M}")
    return confirm(f"Scheduled reminders go out {start:%H:%M}-{end:%H:%M} on working days and wait overnight "
                   f"(quiet {end:%H:%M}-{start:%H:%M}).")


@router.command("board config send-time", usage="board config send-time 09:00", summary="When daily reminders go out")
async def send_time(ctx: Context, args: Args) -> Reply:
    at = parse_time(args.rest, "send_time")
    await _save(ctx, "send_time", send_time=f"{at:%H:%M}")
    return confirm(f"Daily reminders go out at {at:%H:%M}.")


@router.command("board config hwb", usage="board config hwb @person [@person2]",
                summary="The HWB joint chairs: the last rung of the issue ladder")
async def hwb(ctx: Context, args: Args) -> Reply:
    people = await find_people(ctx.uow, tokenize(args.rest), field="hwb")
    if not people:
        raise BadArgument("Name the HWB joint chairs.", hint="For example: `board config hwb @hana @hugo`")
    await _save(ctx, "hwb", hwb_contacts=[p.handle for p in people])
    return confirm(f"Issues at the last stage go to {', '.join(p.name for p in people)}.")


def _date_range(ctx: Context, text: str) -> tuple[str, dt.date, dt.date]:
    tokens = tokenize(text)
    if len(tokens) < 4 or "to" not in [t.lower() for t in tokens[1:]]:
        raise BadArgument("Give a name, a start and an end.",
                          hint='For example: `board config term add "Spring 2027" 4/1/2027 to 26/3/2027`')
    cut = [t.lower() for t in tokens].index("to", 1)
    name = unquote(tokens[0])
    starts = read_date(ctx, " ".join(tokens[1:cut]), "starts", allow_past=True)
    ends = read_date(ctx, " ".join(tokens[cut + 1:]), "ends", allow_past=True)
    if ends < starts:
        raise BadArgument("The term ends before it starts.", field="ends")
    return name, starts, ends


@router.command("board config term add", usage='board config term add "Name" <start> to <end>',
                summary="Add school term dates (for parent-friendly meeting checks)",
                example='board config term add "Spring 2027" 4/1/2027 to 26/3/2027')
async def term_add(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "change term dates")
    name, starts, ends = _date_range(ctx, args.rest)
    await ctx.uow.calendar.add_term(TermDates(name, starts, ends))
    await ctx.audit("board.term.add", name)
    return confirm(f"Term {name}: {format_date(starts)} to {format_date(ends)}.")


@router.command("board config term remove", usage='board config term remove "Name"', summary="Remove a term")
async def term_remove(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "change term dates")
    name = unquote(args.rest.strip())
    if not await ctx.uow.calendar.remove_term(name):
        raise NotFound(f"There is no term called {name}.", hint="`/board config` lists the terms.")
    await ctx.audit("board.term.remove", name)
    return confirm(f"Term {name} removed.")


@router.command("board config closure add", usage="board config closure add <date> [reason]",
                summary="A board closure day: not a working day for deadlines",
                example="board config closure add 24/12/2026 office closed")
async def closure_add(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "change closure days")
    tokens = tokenize(args.rest)
    if not tokens:
        raise BadArgument("Which day?", hint="For example: `board config closure add 24/12/2026 office closed`")
    day = read_date(ctx, tokens[0], "day", allow_past=True)
    await ctx.uow.calendar.add_closure_day(ClosureDay(day, " ".join(tokens[1:])))
    await ctx.audit("board.closure.add", day.isoformat())
    reply = confirm(f"{format_date(day)} is now a closure day; working-day deadlines skip it.")
    if due := [a for a in await ctx.uow.actions.still_open() if a.due == day]:
        people = await everyone(ctx)
        reply.add(Items(tuple(Item(action_line(a, people), f"A{a.id}") for a in due),
                        title="These actions fall due that day: move them if they can't be done "
                              "(`/board action due A12 <date>`)"))
    return reply


@router.command("board config closure remove", usage="board config closure remove <date>",
                summary="Remove a closure day")
async def closure_remove(ctx: Context, args: Args) -> Reply:
    require_manager(ctx.require_actor(), "change closure days")
    day = read_date(ctx, args.rest, "day", allow_past=True)
    if not await ctx.uow.calendar.remove_closure_day(day):
        raise NotFound(f"{format_date(day)} is not a closure day.")
    await ctx.audit("board.closure.remove", day.isoformat())
    return confirm(f"{format_date(day)} is a working day again.")
