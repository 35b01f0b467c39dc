"""The audit trail: every change a unit of work makes, as a hash chain.

Cross-cutting by design. storage.mapping reports each insert, update and
delete it performs to the ``AuditTrail`` of the unit of work whose
connection it runs on, with the fields' values before and after, so a new
table or command is audited without writing audit code. The actor and the
command come from the unit of work's context (``uow.act_as``), set once by
the core app, the jobs and the operator tools.

Entries are buffered and appended at commit, in the same transaction: the
chain head row (``trail_head``) is locked then (``INSERT .. ON CONFLICT DO
UPDATE`` takes a row lock on PostgreSQL; SQLite transactions already hold
the write lock), so concurrent writers append one after the other and the
head is always the last lock a transaction takes, which cannot deadlock.

Each entry's ``digest`` is the SHA-256 of its canonical content (JSON,
sorted keys) and its ``hash`` is SHA-256 of ``prev_hash + digest``. Erasure
(storage.privacy) may rewrite entries' content to pseudonymise a person; it
appends an ``erase`` entry listing each rewritten entry's new digest, so
``verify`` still proves every entry, without needing the erased words.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import AuditEntry
from storage.mapping import Mapper, conflict_insert, table_of
from storage.tables import AuditRow, TrailHeadRow

AUDIT = Mapper(AuditEntry, AuditRow, audited=False)
CHAIN = table_of(TrailHeadRow)
GENESIS = "0" * 64
WITHHELD = "(withheld)"  # what a confidential field's value reads as in the trail
CONTENT = ("at", "actor_id", "verb", "ref", "detail", "command", "entity", "entity_id", "changes")


def plain(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, enums as their value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def canonical(entry: AuditEntry) -> bytes:
    content = {name: plain(getattr(entry, name)) for name in CONTENT}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_of(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def link(prev_hash: str, digest: str) -> str:
    return hashlib.sha256((prev_hash + digest).encode()).hexdigest()


@dataclass
class Context:
    actor_id: int | None = None
    command: str | None = None


class Timed(Protocol):
    """What the trail needs of its unit of work (storage.uow): when things happen."""

    def clock_now(self) -> dt.datetime: ...


class AuditTrail:
    """Collects one unit of work's entries and appends them at commit (a
    storage.mapping ChangeListener on the unit's connection)."""

    def __init__(self, uow: Timed) -> None:
        self._uow = uow
        self.context = Context()
        self.pending: list[AuditEntry] = []

    def now(self) -> dt.datetime:
        return self._uow.clock_now()

    def record(self, verb: str, ref: str = "", detail: str = "", *, entity: str | None = None,
               entity_id: int | None = None, changes: dict | None = None, actor_id: int | None = None,
               at: dt.datetime | None = None) -> None:
        self.pending.append(AuditEntry(
            at=at or self.now(), actor_id=self.context.actor_id if actor_id is None else actor_id, verb=verb, ref=ref,
            detail=detail, command=self.context.command, entity=entity, entity_id=entity_id,
            changes=plain(changes or {})))

    def changed(self, mapper: Mapper[Any], entity_id: int, before: dict[str, Any] | None,
                after: dict[str, Any] | None) -> None:
        """One entry for a row created (before None), changed or deleted (after None)."""
        fields = sorted((before or {}).keys() | (after or {}).keys())
        diff = {}
        for name in fields:
            old, new = (before or {}).get(name), (after or {}).get(name)
            if before is not None and after is not None and plain(old) == plain(new):
                continue
            if name in mapper.withheld:
                old, new = (WITHHELD if old else old), (WITHHELD if new else new)
            diff[name] = [old, new]
        if before is not None and after is not None and not diff:
            return  # saved unchanged: nothing happened
        verb = "create" if before is None else "delete" if after is None else "change"
        self.record(verb, mapper.ref_of(entity_id, after or before or {}), entity=mapper.table.name,
                    entity_id=entity_id, changes=diff)

    async def flush(self, conn: AsyncConnection) -> None:
        """Append the buffered entries to the chain (called just before commit)."""
        if not self.pending:
            return
        entries, self.pending = self.pending, []
        seq, prev = await lock_head(conn)
        for entry in entries:
            seq += 1
            entry.seq, entry.prev_hash, entry.digest = seq, prev, digest_of(entry)
            entry.hash = prev = link(prev, entry.digest)
            entry.id = await AUDIT.insert(conn, entry)
        await conn.execute(update(CHAIN).where(CHAIN.c.id == 1).values(seq=seq, hash=prev))

    def discard(self) -> None:
        self.pending.clear()


async def lock_head(conn: AsyncConnection) -> tuple[int, str]:
    """Lock the chain head for this transaction; return its (seq, hash)."""
    query = conflict_insert(conn, CHAIN).values(id=1, seq=0, hash=GENESIS)
    query = query.on_conflict_do_update(index_elements=["id"], set_={"seq": CHAIN.c.seq})
    row = (await conn.execute(query.returning(CHAIN.c.seq, CHAIN.c.hash))).one()
    return row.seq, row.hash


async def read_head(conn: AsyncConnection) -> tuple[int, str]:
    row = (await conn.execute(select(CHAIN.c.seq, CHAIN.c.hash).where(CHAIN.c.id == 1))).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


@dataclass(frozen=True)
class Finding:
    """The first break in the chain, or none: ``problem`` is None when it verifies."""

    checked: int
    seq: int | None = None
    problem: str | None = None  # "altered", "removed", "inserted"
    entry: AuditEntry | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def rewrites(entries: list[AuditEntry]) -> dict[int, str]:
    """seq -> the digest an erasure entry vouches for (the latest wins)."""
    vouched: dict[int, str] = {}
    for entry in entries:
        if entry.verb == "erase":
            vouched.update({int(seq): digest for seq, digest in entry.changes.get("rewritten", {}).items()})
    return vouched


def verify(entries: list[AuditEntry], head: tuple[int, str]) -> Finding:
    """Walk the chain in seq order; name the first entry altered, removed or inserted."""
    vouched = rewrites(entries)
    prev, expected_seq = GENESIS, 1
    for i, entry in enumerate(entries):
        if entry.seq != expected_seq or entry.prev_hash != prev:
            return Finding(i, *_break(entries, i, prev, expected_seq))
        content = digest_of(entry)
        if entry.hash != link(entry.prev_hash or "", entry.digest or "") or (
                content != entry.digest and vouched.get(entry.seq) != content):
            return Finding(i, entry.seq, "altered", entry)
        prev, expected_seq = entry.hash or "", expected_seq + 1
    if head[0] > expected_seq - 1:
        return Finding(len(entries), expected_seq, "removed")
    if head[0] < expected_seq - 1:  # entries beyond the head were never appended by partnerbot
        return Finding(head[0], entries[head[0]].seq, "inserted", entries[head[0]])
    if head[1] != prev:
        return Finding(len(entries) - 1, entries[-1].seq, "altered", entries[-1])
    return Finding(len(entries))


def _break(entries: list[AuditEntry], i: int, prev: str,
           expected_seq: int) -> tuple[int | None, str, AuditEntry | None]:
    """Why entry ``i`` does not follow on: (seq, problem, entry)."""
    entry = entries[i]
    before_previous = entries[i - 2].hash if i >= 2 else GENESIS
    if i >= 1 and entry.prev_hash == before_previous:
        return entries[i - 1].seq, "inserted", entries[i - 1]  # the chain skips the previous one
    follower = entries[i + 1] if i + 1 < len(entries) else None
    if follower is not None and follower.prev_hash == prev:
        return entry.seq, "inserted", entry  # the chain skips this one
    if entry.seq is not None and entry.seq > expected_seq:
        return expected_seq, "removed", None
    if entry.hash == link(entry.prev_hash or "", entry.digest or ""):
        return expected_seq, "removed", None  # a sound entry whose predecessor is gone (renumbered)
    return entry.seq, "altered", entry
