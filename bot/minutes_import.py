"""Reading minutes written elsewhere (the Kingston shape) into attendance and actions.

Boards already keep minutes in Word; pasted as text they are tab-separated
tables: a present table (name, initials, role, organisation), an apologies
table (name, role, organisation), and the minutes table whose rows are
``item. | title – presenter | discussion | action owners``. ``read_minutes``
is pure text work; ``plan_import`` matches people to the board; ``apply_plan``
writes. Every line that fits none of the shapes is reported with its number,
so nothing is silently dropped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from bot.context import Context
from bot.model import Action, ActionUpdate, Apology, Attendance, Meeting, Member, Prefix
from bot.views import ref

_TAGS = re.compile(r"<[^>]+>")
_INITIALS = re.compile(r"^[A-Z]{2,4}(-[A-Z]{1,2})?$")
_ITEM = re.compile(r"^(?:<p>)?(\d{1,2})\.(?:</p>)?$")
_RULE = re.compile(r"^[-|\s]+$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_HEADINGS = {"present": "present", "apologies": "apologies", "minutes": "minutes"}


def plain(cell: str) -> str:
    """A cell's words without the HTML the word processor left in it."""
    return " ".join(html.unescape(_TAGS.sub(" ", cell)).split())


@dataclass
class PresentLine:
    line: int
    name: str
    initials: str
    role: str
    organisation: str


@dataclass
class ApologyLine:
    line: int
    name: str
    role: str
    organisation: str


@dataclass
class ActionLine:
    line: int
    owner: str  # initials as written
    item: str
    text: str


@dataclass
class ReadMinutes:
    present: list[PresentLine] = field(default_factory=list)
    apologies: list[ApologyLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)


def _owners(cell: str) -> list[str] | None:
    words = plain(cell).replace("/", " ").split()
    return words if words and all(_INITIALS.match(w) for w in words) else None


def _action_text(owner: str, discussion: str, item: str) -> str:
    """The sentence that says what the owner will do, as minutes put it next to their initials."""
    sentences = [s.strip() for s in _SENTENCE.split(plain(discussion)) if s.strip()]
    mine = [s for s in sentences if re.search(rf"\b{re.escape(owner)}\b", s)]
    promised = [s for s in mine if re.search(r"\b(will|agreed|to be|would)\b", s)]
    chosen = (promised or mine or sentences[-1:] or [f"Follow up {item}"])[0]
    return f"{item}: {chosen}" if item and not chosen.startswith(item) else chosen


def read_minutes(text: str) -> ReadMinutes:
    read = ReadMinutes()
    part = "header"
    item = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        cells = [c.strip() for c in line.split("\t")]
        words = plain(line)
        if not words or _RULE.match(line):
            continue
        first = plain(cells[0]).lower()
        if first in _HEADINGS and not any(plain(c) for c in cells[1:] if plain(c).lower() != "action"):
            part = _HEADINGS[first]
            continue
        if part == "header":
            continue  # the title and the date line
        if part == "present" and len(cells) >= 2 and _INITIALS.match(cells[1]):
            name = re.sub(r"\s*\(.*?\)", "", cells[0]).strip()
            role, org = (cells + ["", ""])[2:4]
            read.present.append(PresentLine(number, name, cells[1], role, org))
            continue
        if part == "apologies" and len(cells) >= 2 and cells[0]:
            name = re.sub(r"^(Cllr|Dr|Mr|Mrs|Ms|Prof)\.?\s+", "", cells[0])
            read.apologies.append(ApologyLine(number, name, cells[1], cells[2] if len(cells) > 2 else ""))
            continue
        if part == "minutes":
            if m := _ITEM.match(cells[0]):
                title = plain(cells[1]) if len(cells) > 1 else ""
                item = f"Item {m[1]} {title.split(' – ')[0].split(' a. ')[0]}".strip()  # "Item 5 Actions Workforce"
                body = cells[2:]
            elif not cells[0] and item:
                body = cells[1:]
            else:
                read.unread.append((number, words))
                continue
            owners = _owners(body[-1]) if body and len(body) > 1 else None
            discussion = " ".join(body[:-1] if owners else body)
            for owner in owners or []:
                read.actions.append(ActionLine(number, owner, item, _action_text(owner, discussion, item)))
            continue
        read.unread.append((number, words))
    return read


@dataclass
class Plan:
    """What an import would record, person by person."""

    present: list[tuple[PresentLine, Member | None]]
    apologies: list[tuple[ApologyLine, Member | None]]
    actions: list[tuple[ActionLine, Member | None]]
    due: dt.date
    unread: list[tuple[int, str]]


async def _member(ctx: Context, name: str, initials: str | None) -> Member | None:
    everyone = [m for m in await ctx.uow.members.list_all() if m.active]
    by_name = [m for m in everyone if m.name.lower() == name.lower()]
    if by_name or not initials:
        return by_name[0] if len(by_name) == 1 else None
    by_initials = [m for m in everyone if m.initials.upper() == initials.upper()]
    return by_initials[0] if len(by_initials) == 1 else None


async def plan_import(ctx: Context, meeting: Meeting, read: ReadMinutes) -> Plan:
    """Match the minutes' people to board members by name; action owners by the initials the
    present table gives them. The actions fall due at the next meeting (or four weeks on)."""
    after = await ctx.uow.meetings.next_after(meeting.starts_at)
    due = (after.starts_at.astimezone(ctx.tz).date() if after
           else meeting.starts_at.astimezone(ctx.tz).date() + dt.timedelta(days=28))
    present = [(p, await _member(ctx, p.name, None)) for p in read.present]
    apologies = [(a, await _member(ctx, a.name, None)) for a in read.apologies]
    named = {p.initials: member for p, member in present}
    # An owner's initials mean whoever the minutes list with them; only initials the present table
    # doesn't explain are looked up on the board directly.
    actions = [(a, named[a.owner] if a.owner in named else await _member(ctx, "", a.owner)) for a in read.actions]
    return Plan(present, apologies, actions, due, read.unread)


async def apply_plan(ctx: Context, meeting: Meeting, plan: Plan, actor: Member) -> dict[str, int]:
    """Record the plan: members present, others as guests; members' apologies; actions with a known owner."""
    counts = {"present": 0, "apologies": 0, "actions": 0}
    recorded = await ctx.uow.attendance.for_meeting(meeting.key)
    seen = {a.member_id for a in recorded} | {(a.guest or "").lower() for a in recorded}
    for present, member in plan.present:
        guest = ", ".join(p for p in (present.name, present.organisation) if p)
        key = member.id if member else guest.lower()
        if key not in seen:
            seen.add(key)
            await ctx.uow.attendance.add(Attendance(meeting.key, member_id=member.key if member else None,
                                                    guest=None if member else guest))
            counts["present"] += 1
    sent = {a.member_id for a in await ctx.uow.apologies.for_meeting(meeting.key)}
    for _, member in plan.apologies:
        if member is not None and member.id not in sent:
            sent.add(member.key)
            await ctx.uow.apologies.add(Apology(meeting.key, member.key, at=ctx.now()))
            counts["apologies"] += 1
    now = ctx.now()
    for line, member in plan.actions:
        if member is None:
            continue
        action = await ctx.uow.actions.add(Action(text=line.text[:4000], owner_ids=[member.key], due=plan.due,
                                                  created_by=actor.key, created_at=now, meeting_id=meeting.key,
                                                  last_update_at=now))
        await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, now, "created", "imported from minutes"))
        counts["actions"] += 1
    await ctx.audit("minutes.import", ref(Prefix.MEETING, meeting.id), ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts
