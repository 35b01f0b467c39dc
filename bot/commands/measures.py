"""Measures: the dashboard's targets, a value per period, RAG status and trend."""

from __future__ import annotations

import re

from bot.commands.common import (
    confirm,
    everyone,
    first_ref,
    load_measure,
    load_workstream,
    read_date,
    require_text,
)
from bot.context import Context
from bot.errors import BadArgument, Conflict, Forbidden
from bot.grammar import any_value, flag, looks_like_ref, parse_options, single_value
from bot.measures import CADENCES, Reading, last_ended, number, parse_every, parse_period, read, red_first
from bot.member_lookup import find_person, mention
from bot.model import Measure, MeasureValue, Member, Prefix, Role, Workstream
from bot.outbox_keys import Subject
from bot.policies import MANAGERS
from bot.reply import Button, Buttons, Fields, Heading, Item, Items, Paragraph, Ref, Reply, Rich, When, rich
from bot.router import Args, Router
from bot.views import ref

router = Router("measures", "Dashboard measures: targets, values by period, RAG status.")

ADD_USAGE = ("measure add <name> target <number>[%] [higher|lower is better] [ws W5] owner @x "
             "[every month|quarter|6 months] [baseline <number>]")
ADD_EXAMPLE = "measure add New EHC plans within 20 weeks target 100% owner @owen every quarter baseline 52"
RECORD_EXAMPLE = "measure record K2 81% for 2026-Q4 note two late plans"
_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(%?)$")


def measure_ref(measure: Measure) -> str:
    return ref(Prefix.MEASURE, measure.id)


def read_number(text: str, what: str, example: str) -> tuple[float, bool]:
    """``95%`` -> (95.0, True); anything but a number is refused."""
    m = _NUMBER.match(text.strip().replace(",", ""))
    if not m:
        raise BadArgument(f"“{text}” is not a number for the {what}.", hint=f"For example: `{example}`", field=what)
    return float(m[1]), bool(m[2])


def measures_count(n: int) -> str:
    return f"{n} measure{'s' if n != 1 else ''}"


def cadence(months: int) -> str:
    return f"every {CADENCES.get(months, f'{months} months')}"


def _better(measure: Measure) -> str:
    return "higher is better" if measure.higher_is_better else "lower is better"


def reading_line(reading: Reading, people: dict[int, Member]) -> Rich:
    m = reading.measure
    owner = people.get(m.owner_id)
    latest = reading.by_period[-1] if reading.by_period else None
    value = (f"{number(latest[1].value, m.percent)} for {latest[0]}" if latest else "no value yet")
    return rich(Ref(measure_ref(m)), " ", m.name, f" — {value}, target {number(m.target, m.percent)} "
                f"({_better(m)}) — trend {reading.trend()} — ", mention(owner) if owner else None)


def reading_item(reading: Reading, people: dict[int, Member]) -> Item:
    return Item(reading_line(reading, people), measure_ref(reading.measure),
                reading.status.value if reading.status else "no value")


async def readings(ctx: Context, measures: list[Measure]) -> list[Reading]:
    """Each measure with its values, red first (the board looks there first)."""
    values = await ctx.uow.measures.values([m.key for m in measures])
    return red_first(read(m, values, ctx.settings.rag_amber_percent) for m in measures)


async def _workstream(ctx: Context, measure: Measure) -> Workstream | None:
    return await ctx.uow.workstreams.get(measure.workstream_id) if measure.workstream_id else None


@router.command("measure add", usage=ADD_USAGE, summary="Add a dashboard measure with its target (chair, secretariat "
                "or the workstream's lead)", example=ADD_EXAMPLE)
async def add(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    parsed = parse_options(args.rest, {
        "target": single_value, "ws": looks_like_ref(Prefix.WORKSTREAM), "owner": single_value,
        "every": lambda v: parse_every(" ".join(v)) in CADENCES, "baseline": single_value,
        "higher": lambda v: [w.lower() for w in v] == ["is", "better"],
        "lower": lambda v: [w.lower() for w in v] == ["is", "better"]})
    name = require_text(parsed.text, "The measure's name", ADD_EXAMPLE, field="name", limit=300)
    if "target" not in parsed.options:
        raise BadArgument("What is the target? Add `target <number>` (or `target 95%`).",
                          hint=f"For example: `{ADD_EXAMPLE}`", field="target")
    target, percent = read_number(parsed.options["target"], "target", ADD_EXAMPLE)
    if "owner" not in parsed.options:
        raise BadArgument("Who owns this measure? Add `owner @person`.", hint=f"For example: `{ADD_EXAMPLE}`",
                          field="owner")
    owner = await find_person(ctx.uow, parsed.options["owner"], "owner")
    workstream = await load_workstream(ctx, parsed.options["ws"]) if "ws" in parsed.options else None
    if actor.role not in MANAGERS and not (workstream and actor.id in workstream.lead_ids):
        raise Forbidden("Only the chair, the secretariat or the workstream's lead can add a measure.",
                        hint="Ask them to add it, or propose it as an agenda item.")
    baseline = read_number(parsed.options["baseline"], "baseline", ADD_EXAMPLE)[0] \
        if "baseline" in parsed.options else None
    months = parse_every(parsed.options["every"]) if "every" in parsed.options else 3
    measure = await ctx.uow.measures.add(Measure(
        name=name, target=target, owner_id=owner.key, created_at=ctx.now(), every_months=months or 3,
        percent=percent, higher_is_better="lower" not in parsed.options,
        workstream_id=workstream.id if workstream else None, baseline=baseline, created_by=actor.id))
    await ctx.audit("measure.add", measure_ref(measure))
    if owner.id != actor.id:
        await ctx.notify(owner, Reply(summary=f"You own measure {measure_ref(measure)}").add(Paragraph(rich(
            mention(actor), " added measure ", Ref(measure_ref(measure)), f" {name} with you as its owner: record "
            f"each value with `/board measure record {measure_ref(measure)} <value>`."))),
            key=f"notice:{measure_ref(measure)}:{owner.id}",
            subject=Subject.notice(Subject.measure(measure.id)))
    return await card(ctx, measure, f"Measure {measure_ref(measure)} added to the dashboard.")


async def card(ctx: Context, measure: Measure, summary: str, public: bool = True) -> Reply:
    people = await everyone(ctx)
    [reading] = await readings(ctx, [measure])
    workstream = await _workstream(ctx, measure)
    owner = people.get(measure.owner_id)
    latest = reading.by_period[-1] if reading.by_period else None
    rows: list[tuple[str, Rich]] = [
        ("Target", rich(f"{number(measure.target, measure.percent)} ({_better(measure)})")),
        ("Latest", rich(f"{number(latest[1].value, measure.percent)} for {latest[0]}" if latest else "no value yet")),
        ("Status", rich(reading.status.value if reading.status else "no value yet")),
        ("Trend", rich(reading.trend())),
        ("Reported", rich(cadence(measure.every_months))),
        ("Owner", rich(mention(owner) if owner else "nobody")),
        ("Workstream", rich(Ref(f"W{workstream.id}"), " ", workstream.name) if workstream else rich("board-level")),
    ]
    if measure.baseline is not None:
        rows.insert(1, ("Baseline", rich(number(measure.baseline, measure.percent))))
    reply = confirm(summary, public=public, refs=[measure_ref(measure)]) if summary \
        else Reply(refs=[measure_ref(measure)])
    return reply.add(Heading(rich(Ref(measure_ref(measure)), " ", measure.name)), Fields(tuple(rows)))


@router.command("measure record", usage="measure record K2 <value> [for 2026-Q3|2026-11|<date>] [note <text>]",
                summary="Record a measure's value for a period (its owner or the secretariat)", example=RECORD_EXAMPLE)
async def record_value(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    number_, rest = first_ref(args.rest, Prefix.MEASURE, "measure", RECORD_EXAMPLE)
    measure = await load_measure(ctx, number_)
    if actor.id != measure.owner_id and actor.role != Role.SECRETARIAT:
        raise Forbidden(f"Only the measure's owner or the secretariat can record values for "
                        f"{measure_ref(measure)}.", hint="Send the figure to them, or ask the secretariat.")
    parsed = parse_options(rest, {"for": any_value, "note": any_value, "confirm": flag})
    if len(parsed.head) != 1:
        raise BadArgument("Give one value.", hint=f"For example: `{RECORD_EXAMPLE}`", field="value")
    value, _ = read_number(parsed.head[0], "value", RECORD_EXAMPLE)
    today = ctx.today()
    period = parse_period(parsed.options["for"], measure.every_months, today,
                          lambda text: read_date(ctx, text, field="period", allow_past=True)) \
        if "for" in parsed.options else last_ended(measure.every_months, today)
    note = parsed.options.get("note", "")
    earlier = [v for v in await ctx.uow.measures.values([measure.key]) if v.period == period.label]
    shown = f"{number(value, measure.percent)} for {period.label}"
    if earlier and "confirm" not in parsed.options:
        old = earlier[-1]
        if old.value == value:
            raise Conflict(f"{measure_ref(measure)} already has {shown}.")
        command = f"measure record {measure_ref(measure)} {number(value)} for {period.label}" + \
            (f" note {note}" if note else "") + " confirm"
        return Reply(summary=f"{measure_ref(measure)} already has a value for {period.label}").add(
            Paragraph(rich(f"{measure_ref(measure)} already has {number(old.value, measure.percent)} for "
                           f"{period.label}, recorded ", When(old.recorded_at), ". Replace it with "
                           f"{number(value, measure.percent)}? Both stay in the history.")),
            Paragraph(rich(f"To replace it: `/board {command}`")),
            Buttons((Button("Replace", command=command, style="primary"),)))
    await ctx.uow.measures.add_value(MeasureValue(measure.key, period.label, value, ctx.now(), actor.key, note))
    await ctx.uow.outbox.cancel_pending(Subject.measure(measure.key))
    await ctx.audit("measure.record", measure_ref(measure), detail=period.label)
    verb = "replaced" if earlier else "recorded"
    return await card(ctx, measure, f"{measure_ref(measure)} {shown} {verb}.")


@router.command("measure list", usage="measure list [ws W5]", summary="Every measure: latest value, target, RAG "
                "status and trend, red first", changes_state=False, aliases=("measures", "dashboard"))
async def list_measures(ctx: Context, args: Args) -> Reply:
    parsed = parse_options(args.rest, {"ws": looks_like_ref(Prefix.WORKSTREAM)})
    if parsed.head:
        raise BadArgument(f"“{parsed.head[0]}” isn't a measure list filter.", hint="For example: `measure list ws W5`")
    measures = await ctx.uow.measures.current()
    title = "Dashboard"
    if "ws" in parsed.options:
        workstream = await load_workstream(ctx, parsed.options["ws"])
        measures, title = [m for m in measures if m.workstream_id == workstream.id], f"Dashboard: {workstream.name}"
    people = await everyone(ctx)
    items = tuple(reading_item(r, people) for r in await readings(ctx, measures))
    return Reply(summary=f"{title}: {measures_count(len(items))}").add(
        Items(items, title=f"{title} ({measures_count(len(items))})",
              empty="No measures yet: `/board " + ADD_EXAMPLE + "`"))


@router.command("measure show", usage="measure show K2", summary="A measure with every value recorded",
                changes_state=False)
async def show(ctx: Context, args: Args) -> Reply:
    number_, _ = first_ref(args.rest, Prefix.MEASURE, "measure", "measure show K2")
    measure = await load_measure(ctx, number_)
    reply = await card(ctx, measure, "", public=False)
    people = await everyone(ctx)
    values = await ctx.uow.measures.values([measure.key])
    latest = {v.period: v.id for v in values}
    history = []
    for v in sorted(values, key=lambda v: (v.period, v.recorded_at)):
        who = people.get(v.recorded_by) if v.recorded_by else None
        history.append(Item(rich(f"{v.period}: {number(v.value, measure.percent)} — recorded ", When(v.recorded_at),
                                 " by " if who else None, mention(who) if who else None,
                                 f" — {v.note}" if v.note else None),
                            flag=None if latest[v.period] == v.id else "replaced"))
    return reply.add(Items(tuple(history), title="History", empty="No values recorded yet."))
