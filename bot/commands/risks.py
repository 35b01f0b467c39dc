"""The risk register: any member proposes a risk, the chair, secretariat or the
workstream's lead accepts it; owners keep score, mitigation and reviews current."""

from __future__ import annotations

import datetime as dt

from bot.commands.common import (
    confirm,
    everyone,
    first_ref,
    load_risk,
    load_workstream,
    require_text,
)
from bot.commands.measures import measures_count, reading_item
from bot.context import Context
from bot.dates import add_months
from bot.errors import BadArgument, Conflict, Forbidden
from bot.grammar import any_value, flag, looks_like_ref, parse_options, single_value, tokenize
from bot.measures import parse_every
from bot.member_lookup import find_person, mention
from bot.model import Member, Prefix, Risk, RiskEvent, RiskScore, RiskStatus, RiskStrategy, Role, Workstream
from bot.outbox_keys import Subject
from bot.policies import MANAGERS, require_contributor
from bot.register_document import RegisterView
from bot.reply import Button, Buttons, Fields, Heading, Item, Items, Ref, Reply, Rich, When, rich
from bot.risks import overdue_mitigation, register_order, review_flag, risk_flag
from bot.router import Args, Router
from bot.text import format_date
from bot.views import action_item, ref

router = Router("risks", "The risk register: propose, accept, score, review and close risks.")

ADD_USAGE = ("risk add <title> [ws W2] impact <text> strategy mitigate|accept|transfer|avoid "
             "score high|moderate|low owner @x [review every 3 months]")
ADD_EXAMPLE = ("risk add Short breaks provider may withdraw ws W1 impact Families lose respite strategy mitigate "
               "score high owner @owen review every 3 months")
DEFAULT_REVIEW_MONTHS = 3


def risk_ref(risk: Risk) -> str:
    return ref(Prefix.RISK, risk.id)


def _choice(enum_type, text: str | None, what: str, example: str):
    words = " | ".join(e.value for e in enum_type)
    if not text:
        raise BadArgument(f"The risk's {what} is missing: {words}.", hint=f"For example: `{example}`", field=what)
    try:
        return enum_type(text.lower())
    except ValueError:
        raise BadArgument(f"“{text}” is not a {what}: use {words}.", hint=f"For example: `{example}`",
                          field=what) from None


def _review_months(text: str | None) -> int:
    if text is None:
        return DEFAULT_REVIEW_MONTHS
    months = parse_every(text)
    if months is None:
        raise BadArgument(f"I couldn't read “review {text}”.", hint="For example: `review every 3 months` or "
                          "`review every month`.", field="review")
    return months


async def _workstream(ctx: Context, risk: Risk) -> Workstream | None:
    return await ctx.uow.workstreams.get(risk.workstream_id) if risk.workstream_id else None


def _approvers_text(workstream: Workstream | None) -> str:
    return "the chair, the secretariat or the workstream's lead" if workstream else "the chair or the secretariat"


def may_accept(actor: Member, workstream: Workstream | None) -> bool:
    return actor.role in MANAGERS or bool(workstream and actor.id in workstream.lead_ids)


def may_steer(actor: Member, risk: Risk, workstream: Workstream | None) -> bool:
    """Score, mitigation, owner, review and close: the owner, the workstream's lead, the managers."""
    return actor.id == risk.owner_id or may_accept(actor, workstream)


async def record(ctx: Context, risk: Risk, kind: str, note: str = "") -> None:
    """Save the risk with a history line and an audit entry; pending reminders
    are cancelled so the planner re-derives them from the new state."""
    await ctx.uow.risks.save(risk)
    await ctx.uow.risks.add_event(RiskEvent(risk.key, ctx.actor.key if ctx.actor else None, ctx.now(), kind, note))
    await ctx.uow.outbox.cancel_pending(Subject.risk(risk.key))
    await ctx.audit(f"risk.{kind}", risk_ref(risk))


def risk_line(risk: Risk, people: dict[int, Member]) -> Rich:
    owner = people.get(risk.owner_id)
    return rich(Ref(risk_ref(risk)), " ", risk.title, " — ", mention(owner) if owner else None,
                ", review ", When(risk.review_due))


async def risk_items(ctx: Context, risks: list[Risk]) -> tuple[Item, ...]:
    people = await everyone(ctx)
    actions = {a.key: a for a in await ctx.uow.actions.still_open()}
    return tuple(Item(risk_line(r, people), risk_ref(r), risk_flag(r, actions, ctx.today(), ctx.calendar))
                 for r in register_order(risks))


def pack_items(view: RegisterView, review_by: dt.date) -> list[Items]:
    """The chat pack's risk and dashboard sections (the document pack's are in bot.register_document)."""
    blocks = [Items(tuple(Item(risk_line(r, view.people), risk_ref(r), view.flag(r)) for r in risks),
                    title=f"Risks — {title}", empty=empty) for title, risks, empty in view.pack_groups(review_by)]
    blocks.append(Items(tuple(reading_item(r, view.people) for r in view.readings),
                        title=f"Dashboard, red first ({measures_count(len(view.readings))})",
                        empty="No measures yet."))
    return blocks


def _buttons(risk: Risk) -> Buttons:
    r = risk_ref(risk)
    if risk.status == RiskStatus.PROPOSED:
        return Buttons((Button("Accept", command=f"risk accept {r}", style="primary"),
                        Button("Open", command=f"risk show {r}")))
    return Buttons((Button("Reviewed", command=f"risk review {r} reviewed, no change"),
                    Button("Open", command=f"risk show {r}")))


async def card(ctx: Context, risk: Risk, summary: str, public: bool = True) -> Reply:
    people = await everyone(ctx)
    workstream = await _workstream(ctx, risk)
    owner = people.get(risk.owner_id)
    review = review_flag(risk, ctx.today(), ctx.calendar)
    rows: list[tuple[str, Rich]] = [
        ("Score", rich(risk.score.value, f" ({risk.status.value})" if risk.status != RiskStatus.ACCEPTED else None)),
        ("Impact", rich(risk.impact)),
        ("Strategy", rich(risk.strategy.value)),
        ("Mitigation", rich(risk.mitigation or "none recorded")),
        ("Owner", rich(mention(owner) if owner else "nobody")),
        ("Workstream", rich(Ref(f"W{workstream.id}"), " ", workstream.name) if workstream else rich("board-level")),
        ("Review", rich(When(risk.review_due), f" (every {risk.review_months} month"
                        f"{'s' if risk.review_months != 1 else ''})", f" — {review}" if review else None)),
    ]
    reply = confirm(summary, public=public, refs=[risk_ref(risk)]) if summary else Reply(refs=[risk_ref(risk)])
    return reply.add(Heading(rich(Ref(risk_ref(risk)), " ", risk.title)), Fields(tuple(rows)), _buttons(risk))


async def _tell(ctx: Context, people: list[Member], risk: Risk, *text) -> None:
    """Tell the people concerned (never the person who did it)."""
    reply = Reply(summary="".join(t for t in text if isinstance(t, str)), refs=[risk_ref(risk)])
    reply.add(Heading(rich(*text)), _buttons(risk))
    for person in people:
        if ctx.actor is None or person.id != ctx.actor.id:
            await ctx.notify(person, reply, key=f"notice:{risk_ref(risk)}:{person.id}",
                             subject=Subject.notice(Subject.risk(risk.id)))


async def _approvers(ctx: Context, workstream: Workstream | None) -> list[Member]:
    people = await everyone(ctx)
    leads = [people[i] for i in (workstream.lead_ids if workstream else []) if i in people and people[i].active]
    return leads or await ctx.uow.members.with_role(Role.SECRETARIAT)


@router.command("risk add", usage=ADD_USAGE, summary="Propose a risk (the chair, secretariat or workstream lead "
                "accepts it)", example=ADD_EXAMPLE, aliases=("risk propose",))
async def add(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    require_contributor(actor, "propose risks")
    parsed = parse_options(args.rest, {"ws": looks_like_ref(Prefix.WORKSTREAM), "impact": any_value,
                                       "strategy": single_value, "score": single_value, "owner": single_value,
                                       "review": any_value})
    title = require_text(parsed.text, "The risk's title", ADD_EXAMPLE, field="title", limit=300)
    impact = require_text(parsed.options.get("impact", ""), "The risk's impact", ADD_EXAMPLE, field="impact")
    strategy = _choice(RiskStrategy, parsed.options.get("strategy"), "strategy", ADD_EXAMPLE)
    score = _choice(RiskScore, parsed.options.get("score"), "score", ADD_EXAMPLE)
    if "owner" not in parsed.options:
        raise BadArgument("Who owns this risk? Add `owner @person`.", hint=f"For example: `{ADD_EXAMPLE}`",
                          field="owner")
    owner = await find_person(ctx.uow, parsed.options["owner"], "owner")
    months = _review_months(parsed.options.get("review"))
    workstream = await load_workstream(ctx, parsed.options["ws"]) if "ws" in parsed.options else None
    now, accepted = ctx.now(), may_accept(actor, workstream)
    risk = await ctx.uow.risks.add(Risk(
        title=title, impact=impact, strategy=strategy, score=score, owner_id=owner.key, created_at=now,
        review_due=add_months(ctx.today(), months), review_months=months,
        workstream_id=workstream.id if workstream else None, created_by=actor.id,
        status=RiskStatus.ACCEPTED if accepted else RiskStatus.PROPOSED, accepted_at=now if accepted else None))
    await ctx.uow.risks.add_event(RiskEvent(risk.key, actor.key, now, "accepted" if accepted else "proposed",
                                            score.value))
    await ctx.audit("risk.add", risk_ref(risk))
    r = risk_ref(risk)
    if accepted:
        await _tell(ctx, [owner], risk, mention(actor), " added a risk for you to own: ", Ref(r), " ", title)
        return await card(ctx, risk, f"Risk {r} added to the register.")
    await _tell(ctx, await _approvers(ctx, workstream), risk, mention(actor), " proposed a risk: ", Ref(r), " ",
                title, f" ({score.value}). Accept it with `/board risk accept {r}`.")
    return await card(ctx, risk, f"Risk {r} proposed; {_approvers_text(workstream)} will accept it onto the "
                      "register.")


async def _steerable(ctx: Context, rest: str, example: str, what: str) -> tuple[Risk, Workstream | None, str]:
    actor = ctx.require_actor()
    number, rest = first_ref(rest, Prefix.RISK, "risk", example)
    risk = await load_risk(ctx, number)
    workstream = await _workstream(ctx, risk)
    if not may_steer(actor, risk, workstream):  # who may comes first: a refusal always says who may
        raise Forbidden(f"Only the risk's owner, {_approvers_text(workstream)} can {what}.",
                        hint="Ask the secretariat if you think this is wrong.")
    if risk.status == RiskStatus.CLOSED:
        raise Conflict(f"{risk_ref(risk)} is closed.", hint="Add a new risk if it has come back.")
    return risk, workstream, rest


@router.command("risk accept", usage="risk accept R3", summary="Accept a proposed risk onto the register (chair, "
                "secretariat or the workstream's lead)")
async def accept(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    number, _ = first_ref(args.rest, Prefix.RISK, "risk", "risk accept R3")
    risk = await load_risk(ctx, number)
    workstream = await _workstream(ctx, risk)
    if not may_accept(actor, workstream):
        lead = " (" + ", ".join(f"@{p.handle}" for p in await _approvers(ctx, workstream)) + ")" if workstream else ""
        raise Forbidden(f"Only {_approvers_text(workstream)}{lead} can accept a proposed risk.",
                        hint=f"Your proposal stays on the list as proposed: `/board risk show {risk_ref(risk)}`.")
    if risk.status != RiskStatus.PROPOSED:
        raise Conflict(f"{risk_ref(risk)} is already {risk.status.value}.")
    risk.status, risk.accepted_at = RiskStatus.ACCEPTED, ctx.now()
    await record(ctx, risk, "accepted")
    people = await everyone(ctx)
    concerned = [people[i] for i in {risk.owner_id, risk.created_by} if i in people]
    await _tell(ctx, concerned, risk, mention(actor), " accepted ", Ref(risk_ref(risk)), " ", risk.title,
                " onto the risk register.")
    return await card(ctx, risk, f"{risk_ref(risk)} is on the register.")


UPDATE_EXAMPLE = "risk update R3 score high because the provider gave notice"


@router.command("risk update", usage="risk update R3 score high|moderate|low [because <text>] | "
                "risk update R3 mitigation <text>", summary="Change a risk's score or its mitigation",
                example=UPDATE_EXAMPLE)
async def update(ctx: Context, args: Args) -> Reply:
    risk, _, rest = await _steerable(ctx, args.rest, UPDATE_EXAMPLE, "update this risk")
    words = tokenize(rest)
    what = words[0].lower() if words else ""
    if what == "mitigation":
        text = require_text(rest.strip()[len(words[0]):], "The mitigation", "risk update R3 mitigation second "
                            "provider being commissioned", field="mitigation")
        risk.mitigation = text
        await record(ctx, risk, "mitigation", text)
        return await card(ctx, risk, f"Mitigation of {risk_ref(risk)} updated.")
    if what != "score":
        raise BadArgument("Update the risk's `score` or its `mitigation`.", hint=f"For example: `{UPDATE_EXAMPLE}`")
    parsed = parse_options(rest.strip()[len(words[0]):], {"because": any_value})
    score = _choice(RiskScore, parsed.text or None, "score", UPDATE_EXAMPLE)
    if score == risk.score:
        raise Conflict(f"{risk_ref(risk)} is already scored {score.value}.")
    note = f"{risk.score.value} → {score.value}" + (f": {parsed.options['because']}" if "because" in parsed.options
                                                   else "")
    risk.score = score
    await record(ctx, risk, "score", note)
    return await card(ctx, risk, f"{risk_ref(risk)} is now scored {score.value}.")


@router.command("risk owner", usage="risk owner R3 @person", summary="Give a risk a new owner",
                example="risk owner R3 @mia")
async def owner(ctx: Context, args: Args) -> Reply:
    risk, _, rest = await _steerable(ctx, args.rest, "risk owner R3 @mia", "change this risk's owner")
    if not rest:
        raise BadArgument("Who should own it?", hint="For example: `risk owner R3 @mia`", field="owner")
    person = await find_person(ctx.uow, rest, "owner")
    risk.owner_id = person.key
    await record(ctx, risk, "owner", f"@{person.handle}")
    await _tell(ctx, [person], risk, mention(ctx.require_actor()), " gave you risk ", Ref(risk_ref(risk)), " ",
                risk.title, " to own; its next review is ", When(risk.review_due))
    return await card(ctx, risk, f"{risk_ref(risk)} is now owned by {person.name}.")


@router.command("risk review", usage="risk review R3 <note>",
                summary="Record that a risk was reviewed; its next review is due a period on",
                example="risk review R3 provider confirmed contract to March")
async def review(ctx: Context, args: Args) -> Reply:
    risk, _, note = await _steerable(ctx, args.rest, "risk review R3 no change", "record a review of this risk")
    note = require_text(note, "A review note", "risk review R3 provider confirmed contract to March", field="note")
    if risk.status != RiskStatus.ACCEPTED:
        raise Conflict(f"{risk_ref(risk)} is still proposed.", hint=f"Accept it first: `/board risk accept "
                       f"{risk_ref(risk)}`.")
    risk.review_due = add_months(ctx.today(), risk.review_months)
    await record(ctx, risk, "review", note)
    return await card(ctx, risk, f"Review of {risk_ref(risk)} recorded; the next is due "
                      f"{format_date(risk.review_due)}.")


@router.command("risk close", usage="risk close R3 <reason>", summary="Close a risk that has passed or been dealt with",
                example="risk close R3 second provider in place")
async def close(ctx: Context, args: Args) -> Reply:
    risk, _, reason = await _steerable(ctx, args.rest, "risk close R3 second provider in place", "close this risk")
    reason = require_text(reason, "The reason for closing", "risk close R3 second provider in place", field="reason")
    risk.status, risk.closed_at = RiskStatus.CLOSED, ctx.now()
    await record(ctx, risk, "closed", reason)
    reply = await card(ctx, risk, f"{risk_ref(risk)} closed.")
    reply.blocks.pop()  # no buttons on a closed risk
    return reply


@router.command("risk show", usage="risk show R3", summary="A risk with its mitigating actions and history",
                changes_state=False)
async def show(ctx: Context, args: Args) -> Reply:
    number, _ = first_ref(args.rest, Prefix.RISK, "risk", "risk show R3")
    risk = await load_risk(ctx, number)
    reply = await card(ctx, risk, "", public=False)
    people = await everyone(ctx)
    today, now = ctx.today(), ctx.now()
    actions = [a for i in risk.action_ids if (a := await ctx.uow.actions.get(i))]
    reply.add(Items(tuple(action_item(a, people, today, ctx.calendar, ctx.settings, now) for a in actions),
                    title=f"Mitigating actions ({len(actions)})",
                    empty=f"None linked: `/board action add … risk {risk_ref(risk)}` links one."))
    if overdue := overdue_mitigation(risk, {a.key: a for a in actions}, today):
        reply.add(Items(tuple(Item(rich(Ref(f"A{a.id}"), " is overdue on a high risk")) for a in overdue),
                        title="⚠ Needs attention"))
    history = []
    for event in await ctx.uow.risks.events(risk.key):
        who = people.get(event.actor_id) if event.actor_id else None
        history.append(Item(rich(When(event.at, with_time=True), " ", mention(who) if who else None, " ",
                                 event.kind, ": " if event.note else None, event.note)))
    return reply.add(Items(tuple(history), title="History"))


LIST_USAGE = "risk list [ws W2] [high] [due-review] [closed]"


@router.command("risk list", usage=LIST_USAGE, summary="The risk register, highest score first (proposed ones marked)",
                example="risk list ws W1 high", changes_state=False, aliases=("risks",))
async def list_risks(ctx: Context, args: Args) -> Reply:
    parsed = parse_options(args.rest, {"ws": looks_like_ref(Prefix.WORKSTREAM), "high": flag, "due-review": flag,
                                       "closed": flag})
    if parsed.head:
        raise BadArgument(f"“{parsed.head[0]}” isn't a risk list filter.", hint=f"Use `{LIST_USAGE}`.")
    risks = await ctx.uow.risks.list_all() if "closed" in parsed.options else await ctx.uow.risks.current()
    title = "Risk register"
    if "closed" in parsed.options:
        risks, title = [r for r in risks if r.status == RiskStatus.CLOSED], "Closed risks"
    if "ws" in parsed.options:
        workstream = await load_workstream(ctx, parsed.options["ws"])
        risks, title = [r for r in risks if r.workstream_id == workstream.id], f"{title}: {workstream.name}"
    if "high" in parsed.options:
        risks, title = [r for r in risks if r.score == RiskScore.HIGH], f"{title}, high risks"
    if "due-review" in parsed.options:
        risks = [r for r in risks if review_flag(r, ctx.today(), ctx.calendar)]
        title += ", due for review"
    items = await risk_items(ctx, risks)
    reply = Reply(summary=f"{title}: {len(items)}")
    return reply.add(Items(items, title=f"{title} ({len(items)})", empty="No risks match."))
