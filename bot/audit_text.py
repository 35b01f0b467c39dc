"""The audit trail in plain words, for `/board audit` and `partnerbot audit show`:

    Tue 3 Feb 2027 10:14 @dev changed A12 due Fri 6 Feb 2027 → Fri 13 Feb 2027

Storage records values as JSON (ISO dates, member ids); this turns them back
into what people read: dates the British way, members by @handle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from bot.model import AuditEntry, Member
from bot.text import format_date, format_datetime

# Fields that hold member ids, whatever the table (new tables reuse these names).
MEMBER_FIELDS = {"actor_id", "assignee_id", "author_id", "created_by", "deputy_id", "lead_ids", "member_id",
                 "owner_id", "owner_ids", "proposer_id", "raiser_id", "submitted_by"}
# Bookkeeping that says nothing to a reader.
QUIET_FIELDS = {"last_update_at", "level_since"}
VERBS = {"create": "created", "change": "changed", "delete": "deleted", "view": "viewed", "erase": "erased",
         "retention": "applied retention to"}


def who(member_id: int | None, people: Mapping[int, Member]) -> str:
    if member_id is None:
        return "partnerbot"
    member = people.get(member_id)
    return f"@{member.handle}" if member else f"member {member_id}"


def value_text(name: str, value: object, people: Mapping[int, Member], tz: ZoneInfo) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if name in MEMBER_FIELDS:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(who(i, people) if isinstance(i, int) else str(i) for i in ids)
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return format_date(dt.date.fromisoformat(value))
            if "T" in value and len(value) >= 19:
                return format_datetime(dt.datetime.fromisoformat(value), tz)
        except ValueError:
            pass
        return f"“{value}”" if " " in value else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe(entry: AuditEntry, people: Mapping[int, Member], tz: ZoneInfo) -> str:
    """One entry as a sentence: when, who, did what to which, field before → after."""
    verb = VERBS.get(entry.verb, entry.verb.replace(".", " "))
    head = f"{format_datetime(entry.at, tz)} {who(entry.actor_id, people)} {verb} {entry.ref}".rstrip()
    parts = []
    for name, (before, after) in sorted(entry.changes.items()) if entry.verb in ("create", "change") else ():
        if name in QUIET_FIELDS or (entry.verb == "create" and (after in (None, False, "", [])
                                                                 or _said_already(entry, name, after))):
            continue
        shown = name.replace("_ids", "").replace("_id", "").replace("_", " ")
        after_text = value_text(name, after, people, tz)
        parts.append(f"{shown} {after_text}" if entry.verb == "create"
                     else f"{shown} {value_text(name, before, people, tz)} → {after_text}")
    detail = f" ({entry.detail})" if entry.detail and entry.verb not in ("view",) else ""
    via = f" [{entry.command}]" if entry.command and entry.verb == "view" else ""
    return head + (": " + "; ".join(parts) if parts else "") + detail + via


def _said_already(entry: AuditEntry, name: str, value: object) -> bool:
    """A new row's fields that repeat the sentence's head: who, when, and the parent reference."""
    if name in MEMBER_FIELDS and value == entry.actor_id:
        return True
    if isinstance(value, str) and value == entry.at.astimezone(dt.UTC).isoformat():
        return True
    return name.endswith("_id") and isinstance(value, int) and entry.ref[1:] == str(value) and name != "id"
