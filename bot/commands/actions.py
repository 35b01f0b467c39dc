"""Actions: agreed at meetings, owned by people, chased until done."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from bot.commands.common import (
    confirm,
    everyone,
    first_ref,
    load_action,
    load_meeting,
    load_risk,
    load_workstream,
    read_date,
    require_text,
)
from bot.context import Context
from bot.errors import BadArgument, Conflict, NotFound
from bot.forms import MEETINGS, WORKSTREAMS, Field, Form, Kind, Values, runs
from bot.grammar import (
    any_value,
    is_mention,
    looks_like_ref,
    parse_options,
    parse_ref,
    split_mentions,
    tokenize,
)
from bot.member_lookup import find_people, find_person, mention, trailing_initials
from bot.model import (
    Action,
    ActionStatus,
    ActionUpdate,
    Member,
    Prefix,
    Risk,
    RiskEvent,
    RiskStatus,
    Workstream,
)
from bot.outbox_keys import Subject
from bot.policies import require_action_edit, require_action_rule, require_action_steer, require_contributor
from bot.reply import Fields, Heading, Item, Items, Note, Ref, Reply, When, rich
from bot.router import Args, Router
from bot.text import format_date
from bot.views import (
    action_buttons,
    action_flag,
    action_item,
    action_ref,
    people_spans,
)

router = Router("actions", "Log actions, update progress, mark them done.")

ADD_USAGE = "action add <text> @owner [@owner2] due <date> [ws W2] [meeting M4] [risk R3]"
ADD_EXAMPLE = "action add Circulate the workforce survey @owen due 15/1/2027 ws W1"


async def _workstream(ctx: Context, action: Action) -> Workstream | None:
    return await ctx.uow.workstreams.get(action.workstream_id) if action.workstream_id else None


async def _record(ctx: Context, action: Action, kind: str, note: str = "") -> None:
    """Save the action, its history line and audit entry; cancel pending reminders
    so the planner re-derives them from the new state."""
    actor = ctx.require_actor()
    action.last_update_at = ctx.now()
    await ctx.uow.actions.save(action)
    await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, ctx.now(), kind, note))
    await ctx.uow.outbox.cancel_pending(Subject.action(action.key))
    await ctx.audit(f"action.{kind}", action_ref(action))


async def _tell(ctx: Context, people: list[Member], action: Action, *text) -> None:
    """Tell the people concerned (never the person who did it)."""
    reply = Reply(summary="".join(t for t in text if isinstance(t, str)), refs=[action_ref(action)])
    reply.add(Heading(rich(*text)), action_buttons(action))
    for person in people:
        if ctx.actor is None or person.id != ctx.actor.id:
            await ctx.notify(person, reply, key=f"notice:{action_ref(action)}:{person.id}",
                             subject=Subject.notice(Subject.action(action.id)))


async def _owners(ctx: Context, action: Action) -> list[Member]:
    people = await everyone(ctx)
    return [people[i] for i in action.owner_ids if i in people]


async def card(ctx: Context, action: Action, summary: str, public: bool) -> Reply:
    people = await everyone(ctx)
    workstream = await _workstream(ctx, action)
    flag = action_flag(action, ctx.today(), ctx.calendar, ctx.settings, ctx.now())
    rows = [
        ("Owners", rich(*people_spans(action.owner_ids, people))),
        ("Due", rich(When(action.due))),
        ("Status", rich(action.status.value, f" ({flag})" if flag and flag != "done" else None)),
    ]
    if workstream:
        rows.append(("Workstream", rich(Ref(f"W{workstream.id}"), " ", workstream.name)))
    if action.meeting_id:
        rows.append(("Meeting", rich(Ref(f"M{action.meeting_id}"))))
    if action.snoozed_until and action.snoozed_until > ctx.today():
        rows.append(("Reminders", rich("snoozed until ", When(action.snoozed_until))))
    reply = confirm(summary, public=public, refs=[action_ref(action)])
    return reply.add(Heading(rich(Ref(action_ref(action)), " ", action.text)), Fields(tuple(rows)),
                     action_buttons(action))


async def _text_and_owners(ctx: Context, head: list[str]) -> tuple[str, list[str]]:
    """The action's words and its owners: trailing mentions, a quoted name, or
    initials as the minutes write them ("OP ML", "IT/ID")."""
    for tokens in (head, [*head[:-1], *head[-1].split("/")] if head and "/" in head[-1] else None):
        if tokens is None:
            continue
        text, owners = split_mentions(tokens)
        if not owners and (n := await trailing_initials(ctx.uow, tokens)):
            text, owners = " ".join(tokens[:-n]), tokens[-n:]
        if owners:
            return text, owners
    return " ".join(head), []


@router.command("action add", usage=ADD_USAGE, summary="Log an action with its owners and due date",
                example=ADD_EXAMPLE, aliases=("action new",))
async def add(ctx: Context, args: Args) -> Reply:
    actor = ctx.require_actor()
    require_contributor(actor, "log actions")
    parsed = parse_options(args.rest, {"due": any_value, "ws": looks_like_ref(Prefix.WORKSTREAM),
                                       "meeting": looks_like_ref(Prefix.MEETING), "risk": looks_like_ref(Prefix.RISK)})
    text, owner_tokens = await _text_and_owners(ctx, parsed.head)
    text = require_text(args.get("text", text), "The action's text", ADD_EXAMPLE)
    owner_tokens = args.get("owners") or owner_tokens
    if not owner_tokens:
        raise BadArgument("Who owns this action? Name at least one owner.", hint=f"For example: `{ADD_EXAMPLE}`",
                          field="owners")
    owners = await find_people(ctx.uow, owner_tokens, field="owners")
    due_text = args.get("due") or parsed.options.get("due")
    if not due_text:
        raise BadArgument("When is it due? Add `due <date>`.", hint=f"For example: `{ADD_EXAMPLE}`", field="due")
    due = read_date(ctx, due_text)
    workstream = await load_workstream(ctx, ws) if (ws := args.get("ws") or parsed.options.get("ws")) else None
    if workstream is not None and workstream.closed:
        raise Conflict(f"W{workstream.id} {workstream.name} is closed.", hint="`/board workstream list` shows the "
                       "open ones.", field="ws")
    meeting = None
    if token := args.get("meeting") or parsed.options.get("meeting"):
        meeting = await load_meeting(ctx, parse_ref(token, Prefix.MEETING, "a meeting", field="meeting"))
    risk = None
    if token := args.get("risk") or parsed.options.get("risk"):
        risk = await load_risk(ctx, parse_ref(token, Prefix.RISK, "a risk", field="risk"))
        if risk.status == RiskStatus.CLOSED:
            raise Conflict(f"R{risk.id} is closed.", hint="Link the action to a current risk, or leave `risk` out.",
                           field="risk")
    now = ctx.now()
    action = await ctx.uow.actions.add(Action(
        text=text, owner_ids=[o.key for o in owners], due=due, created_by=actor.key, created_at=now,
        workstream_id=workstream.id if workstream else None, meeting_id=meeting.id if meeting else None,
        last_update_at=now))
    await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, now, "created"))
    await ctx.audit("action.add", action_ref(action))
    if risk is not None:
        await mitigates(ctx, risk, action)
    await _tell(ctx, owners, action, mention(actor), " logged an action for you: ", Ref(action_ref(action)), " ",
                text, ", due ", When(due))
    reply = await card(ctx, action, f"Action {action_ref(action)} logged.", public=True)
    if risk is not None:
        reply.add(Note(rich("Mitigates ", Ref(f"R{risk.id}"), " ", risk.title)))
    return _warn_closed_day(ctx, due, reply)


router.form(Form("action.add", "New action", (
    Field("text", "What needs doing?", Kind.LONG_TEXT, required=True),
    Field("owners", "Owners", Kind.MEMBERS, required=True),
    Field("due", "Due", Kind.DATE, required=True),
    Field("ws", "Workstream", Kind.CHOICE, source=WORKSTREAMS, placeholder="No workstream"),
    Field("meeting", "Agreed at meeting", Kind.CHOICE, source=MEETINGS, placeholder="No meeting"),
), runs("action add"), submit="Log action"))


async def mitigates(ctx: Context, risk: Risk, action: Action) -> None:
    """Link ``action`` to the risk it mitigates, in the risk's history too."""
    risk.action_ids.append(action.key)
    await ctx.uow.risks.save(risk)
    await ctx.uow.risks.add_event(RiskEvent(risk.key, ctx.require_actor().key, ctx.now(), "action", action_ref(action)))


def _warn_closed_day(ctx: Context, due: dt.date, reply: Reply) -> Reply:
    """A due date nobody is at work on is usually a slip: say so, keep it."""
    if reason := ctx.calendar.closed_reason(due):
        before = ctx.calendar.working_days_before(due, 1)
        reply.add(Note(rich(f"⚠ {format_date(due)} is not a working day ({reason}). If that isn't what you meant, "
                            f"the working day before is {format_date(before)}.")))
    return reply


LIST_USAGE = "action list [mine|overdue|due-soon|done|all] [@person] [ws W2] [meeting M4]"
_SCOPES = {"open": "open", "all": "all", "mine": "mine", "overdue": "overdue", "due-soon": "due-soon",
           "soon": "due-soon", "due": "due-soon", "done": "done"}


@dataclass
class _Filter:
    """What ``action list`` was asked for: the words combine (``overdue ws W3``, ``@idris overdue``)."""

    scopes: set[str] = field(default_factory=set)
    owner: Member | None = None
    workstream: Workstream | None = None
    meeting: int | None = None


async def _read_filter(ctx: Context, tokens: list[str]) -> _Filter:
    wanted = _Filter()
    i = 0
    while i < len(tokens):
        word = tokens[i].lower()
        if word in ("ws", "meeting"):
            if i + 1 >= len(tokens):
                raise BadArgument(f"Which {'workstream' if word == 'ws' else 'meeting'}?",
                                  hint=f"For example: `action list {'ws W2' if word == 'ws' else 'meeting M4'}`",
                                  field=word)
            if word == "ws":
                wanted.workstream = await load_workstream(ctx, tokens[i + 1])
            else:
                wanted.meeting = (await load_meeting(ctx, parse_ref(tokens[i + 1], Prefix.MEETING, "a meeting",
                                                                    field="meeting"))).id
            i += 2
            continue
        if word in _SCOPES:
            wanted.scopes.add(_SCOPES[word])
        elif is_mention(tokens[i]) or tokens[i].startswith('"') or tokens[i].isupper():
            wanted.owner = await find_person(ctx.uow, tokens[i])
        else:
            close = difflib.get_close_matches(word, [*_SCOPES, "ws", "meeting"], n=1, cutoff=0.6)
            try:
                wanted.owner = await find_person(ctx.uow, tokens[i])
            except NotFound:
                raise BadArgument(f"I don't know the filter “{tokens[i]}”.",
                                  hint=(f"Did you mean `action list {close[0]}`? " if close else "")
                                  + f"Filters: `{LIST_USAGE}`.", field="filter") from None
        i += 1
    return wanted


@router.command("action list", usage=LIST_USAGE,
                summary="List actions: yours, overdue, done, a person's, a workstream's or a meeting's; "
                        "filters combine",
                example="action list overdue ws W1", changes_state=False, aliases=("actions",))
async def list_actions(ctx: Context, args: Args) -> Reply:
    wanted = await _read_filter(ctx, tokenize(args.rest))
    today, now = ctx.today(), ctx.now()
    every = {"all", "done"} & wanted.scopes or wanted.meeting is not None
    soon = ctx.settings.due_soon_working_days
    horizon = ctx.calendar.add_working_days(today, soon)
    if every:
        actions = await ctx.uow.actions.list_all()
    else:  # narrowed in SQL as far as the filters allow
        actions = await ctx.uow.actions.still_open(
            due_from=today if "due-soon" in wanted.scopes else None,
            due_to=today - dt.timedelta(days=1) if "overdue" in wanted.scopes
            else horizon if "due-soon" in wanted.scopes else None,
            workstream_id=wanted.workstream.id if wanted.workstream is not None else None)
    parts = []
    if "done" in wanted.scopes:
        actions = [a for a in actions if a.status == ActionStatus.DONE]
    if "mine" in wanted.scopes:
        wanted.owner = ctx.require_actor()
    if "overdue" in wanted.scopes:
        actions = [a for a in actions if a.status == ActionStatus.OPEN and a.due < today]
    if "due-soon" in wanted.scopes:
        actions = [a for a in actions if a.status == ActionStatus.OPEN and today <= a.due <= horizon]
    if wanted.owner is not None:
        actions = [a for a in actions if wanted.owner.id in a.owner_ids]
        parts.append("yours" if wanted.owner.id == (ctx.actor.id if ctx.actor else None) and "mine" in wanted.scopes
                     else f"owned by {wanted.owner.name}")
    if wanted.workstream is not None:
        actions = [a for a in actions if a.workstream_id == wanted.workstream.id]
        parts.append(f"in {wanted.workstream.name}")
    if wanted.meeting is not None:
        actions = [a for a in actions if a.meeting_id == wanted.meeting]
        parts.append(f"from M{wanted.meeting}")
    title = _list_title(wanted.scopes, parts, soon)
    people = await ctx.members(i for a in actions for i in a.owner_ids)
    actions.sort(key=lambda a: (a.status != ActionStatus.OPEN, a.due, a.id))
    items = tuple(action_item(a, people, today, ctx.calendar, ctx.settings, now) for a in actions)
    reply = Reply(summary=f"{title}: {len(items)}", refs=[action_ref(a) for a in actions])
    return reply.add(Items(items, title=f"{title} ({len(items)})", empty="No actions match."))


def _list_title(scopes: set[str], parts: list[str], soon: int) -> str:
    if parts == ["yours"]:
        return "Your open actions"
    kind = ("Overdue actions" if "overdue" in scopes else
            f"Actions due in the next {soon} working days" if "due-soon" in scopes else
            "Done actions" if "done" in scopes else "All actions" if "all" in scopes else "Open actions")
    return " ".join([kind, *parts])


@router.command("action show", usage="action show A12", summary="An action with its history",
                example="action show A12", changes_state=False)
async def show(ctx: Context, args: Args) -> Reply:
    number, _ = first_ref(args.rest, Prefix.ACTION, "action", "action show A12")
    action = await load_action(ctx, number)
    reply = await card(ctx, action, "", public=False)
    reply.blocks.pop(0)
    people = await everyone(ctx)
    history = []
    for update in await ctx.uow.actions.updates(action.key):
        who = people.get(update.author_id)
        history.append(rich(When(update.at, with_time=True), " ", mention(who) if who else None, " ", update.kind,
                            ": " if update.note else None, update.note))
    return reply.add(Items(tuple(Item(h) for h in history), title="History"))


async def _editable(ctx: Context, rest: str, example: str, what: str, steer: bool = False) -> tuple[Action, str]:
    actor = ctx.require_actor()
    number, rest = first_ref(rest, Prefix.ACTION, "action", example)
    action = await load_action(ctx, number)
    workstream = await _workstream(ctx, action)
    (require_action_steer if steer else require_action_edit)(actor, action, workstream, what)
    return action, rest


def _some_change(values: Values) -> dict[str, str]:
    if not values:
        return {"note": "Write a progress note, or change the due date or owners."}
    return {}


router.form(Form("action.update", "Update {ref}", (
    Field("note", "Progress note", Kind.LONG_TEXT, hint="What has happened since the last update?"),
    Field("due", "New due date", Kind.DATE),
    Field("owners", "New owners", Kind.MEMBERS),
), runs("action update"), check=_some_change))


@router.command("action update", usage="action update A12 <progress note>", summary="Add a progress note",
                example="action update A12 survey sent to 40 schools, 12 replies so far")
async def update(ctx: Context, args: Args) -> Reply:
    """A progress note; from the Update form also a new due date and new owners, all in this
    one command, so the form's changes are made together or not at all."""
    action, note = await _editable(ctx, args.rest, "action update A12 survey sent", "update this action")
    note, due_text, owner_tokens = args.get("note", note), args.get("due"), args.get("owners")
    workstream = await _workstream(ctx, action)
    if due_text:
        require_action_rule("action due", ctx.require_actor(), action, workstream, "move this action's due date",
                            "due")
    if owner_tokens:
        require_action_rule("action assign", ctx.require_actor(), action, workstream, "reassign this action",
                            "owners")
    if note or not (due_text or owner_tokens):
        note = require_text(note, "The progress note", "action update A12 survey sent", "note")
        await _record(ctx, action, "note", note)
    if not (due_text or owner_tokens):
        return await card(ctx, action, f"Progress noted on {action_ref(action)}.", public=True)
    changes = ["progress noted"] if note else []
    if due_text:
        await _move(ctx, action, due_text)
        changes.append(f"due {format_date(action.due)}")
    if owner_tokens:
        await _reassign(ctx, action, owner_tokens)
        changes.append("new owners")
    reply = await card(ctx, action, f"{action_ref(action)} updated: {', '.join(changes)}.", public=True)
    return _warn_closed_day(ctx, action.due, reply) if due_text else reply


@router.command("action done", usage="action done A12 [note]", summary="Mark an action done",
                example="action done A12 published on the local offer")
async def done(ctx: Context, args: Args) -> Reply:
    action, note = await _editable(ctx, args.rest, "action done A12", "mark this action done")
    if action.status == ActionStatus.DONE:
        raise Conflict(f"{action_ref(action)} is already done.", hint=f"`/board action reopen {action_ref(action)}` "
                       "if there's more to do.")
    action.status, action.done_at = ActionStatus.DONE, ctx.now()
    await _record(ctx, action, "done", args.get("note", note))
    actor = ctx.require_actor()
    people = await everyone(ctx)
    concerned = [people[i] for i in {action.created_by, *action.owner_ids} if i in people]
    await _tell(ctx, concerned, action, mention(actor), " marked ", Ref(action_ref(action)), " done: ", action.text)
    return await card(ctx, action, f"{action_ref(action)} is done. Thank you!", public=True)


@router.command("action reopen", usage="action reopen A12", summary="Reopen a done action",
                example="action reopen A12")
async def reopen(ctx: Context, args: Args) -> Reply:
    action, _ = await _editable(ctx, args.rest, "action reopen A12", "reopen this action")
    if action.status == ActionStatus.OPEN:
        raise Conflict(f"{action_ref(action)} is already open.")
    action.status, action.done_at = ActionStatus.OPEN, None
    await _record(ctx, action, "reopen")
    return await card(ctx, action, f"{action_ref(action)} is open again.", public=True)


async def _move(ctx: Context, action: Action, due_text: str) -> None:
    old, action.due = action.due, read_date(ctx, due_text)
    await _record(ctx, action, "due", f"{format_date(old)} → {format_date(action.due)}")
    await _tell(ctx, await _owners(ctx, action), action, Ref(action_ref(action)), " ", action.text,
                " is now due ", When(action.due))


async def _reassign(ctx: Context, action: Action, tokens: list[str]) -> None:
    owners = await find_people(ctx.uow, tokens, field="owners")
    previous = [o for o in await _owners(ctx, action) if o.id not in {n.id for n in owners}]
    action.owner_ids = [o.key for o in owners]
    await _record(ctx, action, "assign", " ".join("@" + o.handle for o in owners))
    await _tell(ctx, previous, action, mention(ctx.require_actor()), " gave ", Ref(action_ref(action)), " ",
                action.text, " to ", *people_spans(action.owner_ids, await everyone(ctx)), ".")
    await _tell(ctx, owners, action, mention(ctx.require_actor()), " gave you action ", Ref(action_ref(action)),
                " ", action.text, ", due ", When(action.due))


@router.command("action due", usage="action due A12 <date>", summary="Move an action's due date",
                example="action due A12 end of month")
async def move_due(ctx: Context, args: Args) -> Reply:
    action, rest = await _editable(ctx, args.rest, "action due A12 12/3", "move this action's due date", steer=True)
    due_text = args.get("due", rest)
    if not due_text:
        raise BadArgument("What's the new due date?", hint="For example: `action due A12 end of month`", field="due")
    await _move(ctx, action, due_text)
    return _warn_closed_day(ctx, action.due, await card(
        ctx, action, f"{action_ref(action)} is now due {format_date(action.due)}.", public=True))


@router.command("action assign", usage="action assign A12 @person [@person2]", summary="Give an action new owners",
                example="action assign A12 @mia")
async def assign(ctx: Context, args: Args) -> Reply:
    action, rest = await _editable(ctx, args.rest, "action assign A12 @mia", "reassign this action", steer=True)
    tokens = args.get("owners") or tokenize(rest)
    if not tokens:
        raise BadArgument("Who should own it?", hint="For example: `action assign A12 @mia`", field="owners")
    await _reassign(ctx, action, tokens)
    return await card(ctx, action, f"{action_ref(action)} reassigned.", public=True)


router.form(Form("action.snooze", "Snooze {ref}", (
    Field("until", "Pause reminders until", Kind.DATE, required=True),
), runs("action snooze"), submit="Snooze", notes=("The due date stays as it is.",)))


@router.command("action snooze", usage="action snooze A12 <days|date>",
                summary="Pause reminders for an action (the due date stays)", example="action snooze A12 7")
async def snooze(ctx: Context, args: Args) -> Reply:
    action, rest = await _editable(ctx, args.rest, "action snooze A12 7", "snooze this action")
    value = str(args.get("until", rest)).strip()
    if not value:
        raise BadArgument("Snooze for how long?", hint="Give days (`7`) or a date (`next Monday`).", field="until")
    if value.isdigit():
        days = int(value)
        if not 1 <= days <= 90:
            raise BadArgument("Snooze for 1 to 90 days.", hint="For example: `action snooze A12 7`", field="until")
        until = ctx.today() + dt.timedelta(days=days)
    else:
        until = read_date(ctx, value, field="until")
    action.snoozed_until = until
    await _record(ctx, action, "snooze", f"until {format_date(until)}")
    return await card(ctx, action, f"Reminders for {action_ref(action)} paused until {format_date(until)}; "
                      f"it is still due {format_date(action.due)}.", public=False)
