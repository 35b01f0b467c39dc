"""Data-subject rights and retention over every table, by the schema itself.

Generic on purpose, so a table another change adds is covered without
privacy code: a *subject access export* holds every row of every table with
a column referring to the person (``members.id`` foreign keys), plus the
messages addressed to them and the audit entries by or about them. *Erasure*
pseudonymises the member row, deletes the words of concerns they raised and
of messages sent to them and of messages the bot kept for them, drops their
chat accounts, calendar link and any export of them still shared, and replaces their name, @handle, e-mail and
platform ids wherever else they appear as text (action notes, other
messages' bodies, the audit trail). Counts, dates and references stay, so
the board's history still adds up.

The audit trail is rewritten in place where it names the person; the
``erase`` entry appended afterwards lists each rewritten entry's new digest,
which is what lets ``audit verify`` prove those entries without the erased
words (storage.audit). The rewrites are done in SQL, not through the mappers,
so the trail does not record the very values being erased.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sqlalchemy import JSON, String, Table, and_, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from bot.model import Member, OutboxStatus
from bot.outbox_keys import Recipient, Subject
from storage.audit import AUDIT, digest_of, plain
from storage.mapping import table_of
from storage.repositories import FILED, UnitPart
from storage.tables import (
    FeedTokenRow,
    HeldMessageRow,
    IssueEventRow,
    IssueRow,
    MemberIdentityRow,
    MemberRow,
    OutboxRow,
    SharedFileRow,
)
from storage.types import EnumText

_issues = table_of(IssueRow)
_events = table_of(IssueEventRow)
_outbox = table_of(OutboxRow)
_members = table_of(MemberRow)
_identities = table_of(MemberIdentityRow)
_held = table_of(HeldMessageRow)
_feeds = table_of(FeedTokenRow)
_files = table_of(SharedFileRow)
# Not personal data about anyone, or handled on their own.
_SKIP = {"alembic_version", "trail_head", "members", "processed_events", "shared_files"}


def pseudonym(member_id: int) -> tuple[str, str]:
    """(name, handle) a former member is known by after erasure."""
    return f"former member {member_id}", f"former-member-{member_id}"


def _member_columns(table: Table) -> list[Any]:
    return [c for c in table.c if any(fk.column.table.name == "members" for fk in c.foreign_keys)]


def _text_columns(table: Table) -> list[Any]:
    """Columns holding words (enums and instants are never a person's name)."""
    kind = lambda t: t.impl if isinstance(t, TypeDecorator) and not isinstance(t, EnumText) else t  # noqa: E731
    return [c for c in table.c if isinstance(kind(c.type), String | JSON) and not isinstance(c.type, EnumText)]


def _row(row: Any) -> dict[str, Any]:
    return plain(dict(row._mapping))


class SqlPrivacyStore(UnitPart):
    # --- subject access ---------------------------------------------------------

    async def export(self, member_id: int) -> dict[str, Any]:
        """Everything held about a member, as JSON-able data, by table."""
        conn = await self._conn()
        member = (await conn.execute(select(_members).where(_members.c.id == member_id))).one()
        raised = [r.id for r in (await conn.execute(select(_issues.c.id).where(_issues.c.raiser_id == member_id)))]
        held: dict[str, Any] = {"member": _row(member)}
        for table in SQLModel.metadata.sorted_tables:
            columns = _member_columns(table)
            if table.name in _SKIP | {"audit_log"} or not columns:
                continue
            where = or_(*(c == member_id for c in columns))
            if table.name == "issue_events":
                where = or_(where, _events.c.issue_id.in_(raised))
            rows = [_row(r) for r in await conn.execute(select(table).where(where))]
            if table.name == "issues":  # someone else's concern they handled: not their data to receive
                rows = [r | ({} if r["raiser_id"] == member_id else {"text": "(raised by someone else)"}) for r in rows]
            if rows:
                held[table.name] = rows
        messages = await conn.execute(select(_outbox).where(_outbox.c.recipient == Recipient.member(member_id))
                                      .order_by(_outbox.c.id))
        held["messages"] = [_row(r) for r in messages]
        held["audit_log"] = [plain(vars(e)) for e in await self._uow.audit.find(
            refs=["@" + member.handle], member_id=member_id, limit=100_000)]
        return held

    # --- erasure ----------------------------------------------------------------

    async def erase(self, member: Member) -> dict[str, int]:
        """Pseudonymise ``member`` everywhere; counts of what changed, by kind."""
        conn = await self._conn()
        name, handle = pseudonym(member.key)
        needles = {member.name: name, f"@{member.handle}": f"@{handle}"}
        accounts = [r.external_id for r in await conn.execute(
            select(_identities.c.external_id).where(_identities.c.member_id == member.id))]
        needles |= {v: "(erased)" for v in (member.email, *accounts) if v}
        raised = [r.id for r in await conn.execute(select(_issues.c.id).where(_issues.c.raiser_id == member.id))]
        counts = {"concerns": await _blank(conn, _issues, _issues.c.id.in_(raised), text=""),
                  "concern notes": await _blank(conn, _events, _events.c.issue_id.in_(raised), note="")}
        about_them = or_(_outbox.c.recipient == Recipient.member(member.id),
                         _outbox.c.subject.in_([s for i in raised for s in (Subject.issue(i),
                                                                            Subject.notice(Subject.issue(i)))]))
        counts["messages"] = await _blank(conn, _outbox, and_(about_them, _outbox.c.text != ""), text="", payload={})
        counts["kept messages"] = await _blank(conn, _held, and_(_held.c.member_id == member.id, _held.c.text != ""),
                                               text="", kind=FILED)
        counts["chat accounts"] = (await conn.execute(
            delete(_identities).where(_identities.c.member_id == member.id))).rowcount
        counts["calendar links"] = (await conn.execute(delete(_feeds).where(_feeds.c.member_id == member.id))).rowcount
        counts["shared exports"] = (await conn.execute(delete(_files).where(
            _files.c.filename.startswith(f"partnerbot-export-{member.handle}-")))).rowcount
        await conn.execute(update(_members).where(_members.c.id == member.id).values(
            name=name, handle=handle, initials="FM", email=None, deputy_id=None, dm_opt_out=True, active=False))
        counts["mentions"] = 0
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in _SKIP | {"audit_log"}:
                counts["mentions"] += await _scrub(conn, table, needles)
        rewritten = await self._rewrite_trail(conn, member, needles, name, handle)
        counts["audit entries"] = len(rewritten)
        self._uow.trail.record("erase", f"@{handle}", ", ".join(f"{n} {k}" for k, n in counts.items()),
                               entity="members", entity_id=member.id, changes={"rewritten": rewritten})
        return counts

    async def _rewrite_trail(self, conn: AsyncConnection, member: Member, needles: dict[str, str], name: str,
                             handle: str) -> dict[str, str]:
        """Scrub the person from the trail; seq -> the new digest each rewritten entry now has."""
        # (slack_user_id and teams_aad_id: members' chat accounts before member_identities, in older entries)
        identity = {"handle": handle, "name": name, "initials": "FM", "email": None, "slack_user_id": None,
                    "teams_aad_id": None}
        rewritten: dict[str, str] = {}
        for entry in await AUDIT.find(conn, order_by=[AUDIT.table.c.seq]):
            new = _replace(entry.ref, needles), _replace(entry.detail, needles), _replace(entry.changes, needles)
            changes = new[2]
            if entry.entity == "members" and entry.entity_id == member.id:
                changes = {k: [identity[k] if v is not None else None for v in pair] if k in identity else pair
                           for k, pair in changes.items()}
            if (new[0], new[1], changes) == (entry.ref, entry.detail, entry.changes):
                continue
            entry.ref, entry.detail, entry.changes = new[0], new[1], changes
            await conn.execute(update(AUDIT.table).where(AUDIT.table.c.id == entry.id).values(
                ref=entry.ref, detail=entry.detail, changes=entry.changes))
            rewritten[str(entry.seq)] = digest_of(entry)
        return rewritten

    # --- retention --------------------------------------------------------------

    async def apply_retention(self, now: dt.datetime, message_days: int, concern_months: int) -> dict[str, int]:
        """Clear sent (and cancelled) message bodies older than ``message_days`` and the
        words of concerns resolved more than ``concern_months`` ago; audit what went."""
        conn = await self._conn()
        sent_before = now - dt.timedelta(days=message_days)
        old = and_(_outbox.c.status.in_([OutboxStatus.SENT, OutboxStatus.CANCELLED]), _outbox.c.text != "",
                   or_(_outbox.c.sent_at < sent_before, and_(_outbox.c.sent_at.is_(None),
                                                            _outbox.c.created_at < sent_before)))
        ids = [r.id for r in await conn.execute(select(_outbox.c.id).where(old))]
        await _blank(conn, _outbox, _outbox.c.id.in_(ids), text="", payload={})
        closed_before = now - dt.timedelta(days=round(concern_months * 365.25 / 12))
        issues = [r.id for r in await conn.execute(select(_issues.c.id).where(
            _issues.c.resolved_at < closed_before, _issues.c.text != ""))]
        await _blank(conn, _issues, _issues.c.id.in_(issues), text="")
        await _blank(conn, _events, _events.c.issue_id.in_(issues), note="")
        files = [r.id for r in await conn.execute(select(_files.c.id).where(_files.c.expires_at <= now))]
        await conn.execute(delete(_files).where(_files.c.id.in_(files)))
        if ids:
            self._uow.trail.record("retention", "outbox", f"{len(ids)} message bodies cleared", changes={"ids": ids})
        for issue in issues:
            self._uow.trail.record("retention", f"I{issue}", "the concern's words were deleted",
                                   entity="issues", entity_id=issue)
        if files:
            self._uow.trail.record("retention", "shared files", f"{len(files)} expired files deleted",
                                   entity="shared_files", changes={"ids": files})
        return {"message bodies": len(ids), "concern texts": len(issues), "expired files": len(files)}


async def _blank(conn: AsyncConnection, table: Table, where: Any, **values: Any) -> int:
    return (await conn.execute(update(table).where(where).values(**values))).rowcount


def _replace(value: Any, needles: dict[str, str]) -> Any:
    """``value`` with every needle replaced, inside JSON structures too."""
    if isinstance(value, str):
        for needle, by in needles.items():
            pattern = re.escape(needle) + (r"\b" if needle[-1:].isalnum() else "")
            value = re.sub(pattern, by, value)
        return value
    if isinstance(value, list):
        return [_replace(v, needles) for v in value]
    if isinstance(value, dict):  # a Mention in a stored reply names the handle bare
        bare = {n[1:]: by[1:] for n, by in needles.items() if n.startswith("@")}
        return {k: bare.get(v, v) if k == "handle" and isinstance(v, str) else _replace(v, needles)
                for k, v in value.items()}
    return value


async def _scrub(conn: AsyncConnection, table: Table, needles: dict[str, str]) -> int:
    """Replace the needles in every text column of ``table``; rows changed."""
    columns = _text_columns(table)
    keys = list(table.primary_key.columns)
    if not columns or not keys:
        return 0
    bare = [n.lstrip("@") for n in needles]
    like = or_(*(cast(c, String).contains(n) for c in columns for n in bare))
    changed = 0
    for row in (await conn.execute(select(*keys, *columns).where(like))).all():
        values = {c.key: _replace(getattr(row, c.key), needles) for c in columns}
        if json.dumps(values, default=str) != json.dumps({c.key: getattr(row, c.key) for c in columns}, default=str):
            await conn.execute(update(table).where(*(k == getattr(row, k.key) for k in keys)).values(values))
            changed += 1
    return changed

