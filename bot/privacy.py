"""Reading the audit trail and serving data-subject rights: shared by the
`/board audit` and `/board privacy` commands and the operator CLI."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.audit_text import describe
from bot.errors import BadArgument, NotFound
from bot.grammar import parse_ref
from bot.member_lookup import find_person
from bot.model import AuditEntry, Issue, Member, Prefix
from bot.ports import UnitOfWork

TARGET_HINT = "Name an action, issue or person: `audit A12`, `audit I7` or `audit @sam`, optionally `from 1/2/2027`."
REF_PREFIXES = {p.value for p in Prefix}


@dataclass
class Target:
    """What an audit question is about: a board reference or a person."""

    label: str
    refs: list[str]
    member: Member | None = None
    issue: Issue | None = None


async def find_member(uow: UnitOfWork, token: str) -> Member:
    """A member by @handle even after they left the board, else as people are usually named."""
    member = await uow.members.by_handle(token.strip().lstrip("@").lower())
    return member if member is not None else await find_person(uow, token)


async def audit_target(uow: UnitOfWork, token: str) -> Target:
    token = token.strip()
    if not token:
        raise BadArgument("What should I show the audit trail of?", hint=TARGET_HINT, field="target")
    prefix = token[:1].upper()
    if prefix in REF_PREFIXES and token[1:].isdigit():
        number = parse_ref(token, Prefix(prefix), "a reference")
        ref = f"{prefix}{number}"
        issue = await uow.issues.get(number) if prefix == Prefix.ISSUE.value else None
        if prefix == Prefix.ISSUE.value and issue is None:
            raise NotFound(f"There is no issue {ref}.", hint=TARGET_HINT)
        return Target(ref, [ref], issue=issue)
    member = await find_member(uow, token)
    return Target(f"@{member.handle}", [f"@{member.handle}"], member=member)


async def entries_for(uow: UnitOfWork, target: Target, since: dt.datetime | None) -> list[AuditEntry]:
    return await uow.audit.find(target.refs, target.member.id if target.member else None, since)


async def audit_lines(uow: UnitOfWork, entries: list[AuditEntry], tz: ZoneInfo) -> list[str]:
    people = {m.id: m for m in await uow.members.list_all() if m.id is not None}
    return [describe(e, people, tz) for e in entries]


async def subject_access(uow: UnitOfWork, member: Member, now: dt.datetime) -> str:
    """The subject access export as JSON text (UK GDPR art. 15)."""
    held = await uow.privacy.export(member.key)
    document = {"subject": f"@{member.handle}", "generated_at": now.astimezone(dt.UTC).isoformat(),
                "about": "Everything partnerbot holds about this person, by table. Dates are UTC.", **held}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def export_filename(member: Member, now: dt.datetime) -> str:
    return f"partnerbot-export-{member.handle}-{now.astimezone(dt.UTC):%Y%m%dT%H%M}.json"
