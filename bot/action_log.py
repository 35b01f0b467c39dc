"""The action log as a spreadsheet: export it, and import one a board already keeps.

The columns are those of a typical board action log (ref, action, owner
initials, due, status, workstream, meeting, last update, notes), dates the
British way. An import keeps refs, statuses, dates and notes from the file, so
exporting, importing into an empty board and exporting again gives the same
file, and importing the same file twice changes nothing (rows are matched by
ref, or, without one, by the action's exact words).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence

from bot.context import Context
from bot.dates import parse_date
from bot.errors import BadArgument, BotError
from bot.grammar import parse_ref
from bot.member_lookup import find_person
from bot.model import Action, ActionStatus, ActionUpdate, Meeting, Member, Prefix, Workstream
from bot.outbox_keys import Subject
from bot.tabular import Column, Planned, SheetRow
from bot.views import action_ref, ref

COLUMNS = (
    Column("ref", "Ref", ("reference", "action ref")),  # never "No.": a sheet's row numbers are not our refs
    Column("text", "Action", ("actions", "description", "action description", "task", "what"), required=True),
    Column("owner", "Owner", ("owners", "lead", "who", "by whom", "responsible", "initials", "action owner"),
           required=True),
    Column("due", "Due", ("due date", "by when", "deadline", "target date", "date due", "when", "due by"),
           required=True),
    Column("status", "Status", ("state", "open closed")),
    Column("workstream", "Workstream", ("work stream", "ws", "theme", "priority")),
    Column("meeting", "Meeting", ("meeting date", "raised at", "agreed at", "from meeting", "date raised")),
    Column("last_update", "Last update", ("last updated", "updated", "date updated", "update date")),
    Column("notes", "Notes", ("note", "comments", "comment", "progress", "latest update", "update")),
)
STATUSES = {"open": ActionStatus.OPEN, "in progress": ActionStatus.OPEN, "ongoing": ActionStatus.OPEN,
            "not started": ActionStatus.OPEN, "overdue": ActionStatus.OPEN, "done": ActionStatus.DONE,
            "closed": ActionStatus.DONE, "complete": ActionStatus.DONE, "completed": ActionStatus.DONE}
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_OWNER_SPLIT = re.compile(r"\s*(?:/|,|&|;|\band\b)\s*")


def british(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _local_day(at: dt.datetime | None, ctx: Context) -> dt.date | None:
    return at.astimezone(ctx.tz).date() if at else None


async def latest_note(ctx: Context, action: Action) -> str:
    """The most recent words written about an action (a progress note, a done note)."""
    notes = [u.note for u in await ctx.uow.actions.updates(action.key) if u.note and u.kind in ("note", "done")]
    return notes[-1] if notes else ""


async def export_csv(ctx: Context, actions: Sequence[Action]) -> bytes:
    """The action log as a UTF-8 CSV (with the byte-order mark Excel needs to read it as UTF-8)."""
    people = {m.id: m for m in await ctx.uow.members.list_all()}
    streams = {w.id: w for w in await ctx.uow.workstreams.list_all()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in COLUMNS])
    for action in sorted(actions, key=lambda a: a.key):
        last = _local_day(action.last_update_at, ctx)
        writer.writerow([
            action_ref(action),
            action.text,
            "/".join(people[i].initials for i in action.owner_ids if i in people),
            british(action.due),
            action.status.value,
            streams[action.workstream_id].name if action.workstream_id in streams else "",
            ref(Prefix.MEETING, action.meeting_id) if action.meeting_id else "",
            british(last) if last else "",
            await latest_note(ctx, action),
        ])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


class ActionRows:
    """Checks action-log rows against the board and plans each one's change."""

    def __init__(self, ctx: Context, actions: list[Action], workstreams: list[Workstream],
                 meetings: list[Meeting]) -> None:
        self.ctx = ctx
        self.actions = {a.id: a for a in actions}
        self.workstreams = workstreams
        self.meetings = meetings
        self.seen: set[int] = set()
        self.notes: dict[int, str] = {}

    @classmethod
    async def load(cls, ctx: Context) -> ActionRows:
        uow = ctx.uow
        return cls(ctx, await uow.actions.list_all(), await uow.workstreams.list_all(), await uow.meetings.list_all())

    async def _person(self, token: str) -> Member:
        try:
            return await find_person(self.ctx.uow, token, field="owner")
        except BotError:
            raise BadArgument(f"owner “{token}” is not a board member (give their initials, e.g. OP, "
                              "or add them first)") from None

    async def _owners(self, cell: str) -> list[Member]:
        """Owners as logs write them: "OP", "OP/ML", "OP, ML", "Owen Pike & Mia Lund", "OP ML"."""
        owners: list[Member] = []
        for part in (p for p in _OWNER_SPLIT.split(cell.strip()) if p):
            try:
                found = [await find_person(self.ctx.uow, part, field="owner")]
            except BotError:
                found = [await self._person(token) for token in part.split()]
            owners += [m for m in found if m.id not in {o.id for o in owners}]
        if not owners:
            raise BadArgument("no owner: give the owner's initials, e.g. OP")
        return owners

    def _date(self, cell: str, what: str) -> dt.date:
        try:
            return parse_date(cell, self.ctx.today(), allow_past=True, field=what)
        except BotError:
            raise BadArgument(f"{what} “{cell}” is not a date (write dates like 14/2/2027)") from None

    def _workstream(self, cell: str) -> int | None:
        if not cell:
            return None
        for stream in self.workstreams:
            if _same_words(stream.name, cell) or cell.upper() == ref(Prefix.WORKSTREAM, stream.id):
                return stream.id
        raise BadArgument(f"workstream “{cell}” does not exist (`/board workstream list` shows them)")

    def _meeting(self, cell: str) -> int | None:
        if not cell:
            return None
        if cell[:1].upper() == Prefix.MEETING.value and cell[1:].isdigit():
            number = parse_ref(cell, Prefix.MEETING, "a meeting")
            if any(m.id == number for m in self.meetings):
                return number
            raise BadArgument(f"meeting {cell.upper()} does not exist (add the meeting first)")
        day = self._date(cell, "meeting date")
        found = [m for m in self.meetings if m.starts_at.astimezone(self.ctx.tz).date() == day and not m.cancelled]
        if len(found) == 1:
            return found[0].id
        raise BadArgument(f"no meeting on {british(day)} (add the meeting first, or leave the cell empty)")

    def _existing(self, row: SheetRow, text: str) -> tuple[int | None, Action | None]:
        cell = row.get("ref")
        if cell:
            number = parse_ref(cell, Prefix.ACTION, "an action")
            if number in self.seen:
                raise BadArgument(f"{cell.upper()} appears twice in the file")
            self.seen.add(number)
            return number, self.actions.get(number)
        same = [a for a in self.actions.values() if _same_words(a.text, text)]
        return None, same[0] if len(same) == 1 else None

    async def check(self, row: SheetRow) -> Planned:
        text = row.get("text")
        if not text:
            raise BadArgument("the action's text is empty")
        number, existing = self._existing(row, text)
        owners = await self._owners(row.get("owner"))
        if not row.get("due"):
            raise BadArgument("no due date (write dates like 14/2/2027)")
        due = self._date(row.get("due"), "due date")
        status_text = row.get("status").lower() or "open"
        if status_text not in STATUSES:
            raise BadArgument(f"status “{row.get('status')}” is not open or done")
        fields = {"text": text, "owner_ids": [o.id for o in owners], "due": due, "status": STATUSES[status_text]}
        if "workstream" in row.values:
            fields["workstream_id"] = self._workstream(row.get("workstream"))
        if "meeting" in row.values:
            fields["meeting_id"] = self._meeting(row.get("meeting"))
        last = self._date(row.get("last_update"), "last update") if row.get("last_update") else None
        notes = row.get("notes") if "notes" in row.values else None
        if existing is None:
            return Planned(row.line, "create", f"{ref(Prefix.ACTION, number) + ' ' if number else ''}{text}",
                           lambda: self._create(number, fields, last, notes), priority=0 if number else 1)
        return await self._plan_update(row.line, existing, fields, last, notes)

    async def _plan_update(self, line: int, action: Action, fields: dict, last: dt.date | None,
                           notes: str | None) -> Planned:
        changed = [name for name, value in fields.items() if getattr(action, name) != value]
        new_note = notes if notes and notes != await latest_note(self.ctx, action) else None
        if last and last != _local_day(action.last_update_at, self.ctx):
            changed.append("last_update_at")
        description = f"{action_ref(action)} {action.text}"
        if not changed and new_note is None:
            return Planned(line, "unchanged", description)
        return Planned(line, "update", description, lambda: self._update(action, fields, last, new_note))

    def _instant(self, day: dt.date | None) -> dt.datetime:
        """A date from the file as an instant: midday board time that day; today's is now."""
        if day is None or day == self.ctx.today():
            return self.ctx.now()
        return dt.datetime.combine(day, dt.time(12), self.ctx.tz).astimezone(dt.UTC)

    async def _create(self, number: int | None, fields: dict, last: dt.date | None, notes: str | None) -> None:
        actor, ctx = self.ctx.require_actor(), self.ctx
        at = self._instant(last)
        action = Action(created_by=actor.key, created_at=at, last_update_at=at, id=number, **fields)
        if action.status == ActionStatus.DONE:
            action.done_at = at
        action = await (ctx.uow.actions.add_keeping_id(action) if number else ctx.uow.actions.add(action))
        await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, at, "created", "imported"))
        if notes:
            await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, at, "note", notes))
        await ctx.audit("action.import", action_ref(action), "created")

    async def _update(self, action: Action, fields: dict, last: dt.date | None, note: str | None) -> None:
        actor, ctx = self.ctx.require_actor(), self.ctx
        was_done = action.status == ActionStatus.DONE
        for name, value in fields.items():
            setattr(action, name, value)
        at = self._instant(last)
        action.last_update_at = at
        if action.status == ActionStatus.DONE and not was_done:
            action.done_at = at
        elif action.status == ActionStatus.OPEN:
            action.done_at = None
        await ctx.uow.actions.save(action)
        await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, at, "import", "updated from a file"))
        if note:
            await ctx.uow.actions.add_update(ActionUpdate(action.key, actor.key, at, "note", note))
        await ctx.uow.outbox.cancel_pending(Subject.action(action.key))
        await ctx.audit("action.import", action_ref(action), "updated")
