"""Spreadsheet imports: read a CSV the way boards write them, check every row,
then write all of it or none of it.

Any register a board keeps in a spreadsheet (action log, members, risks,
measures) imports the same way: columns are found by their header, case
and spacing ignored, under common synonyms ("Owner", "Lead", "Who"); each
row is checked first and every bad row is reported with its line number and
what is wrong; only when every row is good is anything written. A dry run
stops after the checks and says what would happen.

A register describes its ``Column``s and gives ``plan_import`` a function
that checks one ``SheetRow`` and returns a ``Planned`` change (or raises a
``BotError``, which becomes that line's problem).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.errors import BadArgument, BotError
from bot.reply import Item, Items, Note, Paragraph, Reply, rich

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Column:
    """A column a register reads: ``key`` in code, ``label`` in exports and messages."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    qualified: bool = False  # a header that qualifies the key ("Chat handle", "Workspace handle") counts too

    def names(self) -> set[str]:
        return {_normal(n) for n in (self.key, self.label, *self.synonyms)}

    def matches(self, header: str) -> bool:
        name = _normal(header)
        return name in self.names() or (self.qualified and name.endswith(" " + _normal(self.key)))


@dataclass(frozen=True)
class SheetRow:
    line: int  # line number in the file, the header being line 1
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()


@dataclass(frozen=True)
class Planned:
    """What one row will do: ``verb`` is "create", "update" or "unchanged"."""

    line: int
    verb: str
    description: str
    apply: Callable[[], Awaitable[None]] | None = None
    priority: int = 0  # lower first: rows that keep a reference go before rows given a new one


@dataclass
class ImportPlan:
    what: str  # "action", "member"
    rows: list[Planned] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, verb: str) -> int:
        return sum(1 for row in self.rows if row.verb == verb)

    async def apply(self) -> None:
        for row in sorted(self.rows, key=lambda r: r.priority):
            if row.apply is not None:
                await row.apply()

    def totals(self) -> str:
        return (f"{self.count('create')} to create, {self.count('update')} to update, "
                f"{self.count('unchanged')} unchanged")


class ImportRefused(BadArgument):
    """The file has problems; nothing was written. ``problems`` are (line, message)."""

    def __init__(self, problems: Sequence[tuple[int, str]], what: str) -> None:
        self.problems = list(problems)
        shown = [f"line {line}: {message}" for line, message in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(self.problems) - MAX_PROBLEMS_SHOWN} more")
        count = len(self.problems)
        super().__init__(
            f"Nothing was imported: {count} line{'s' if count != 1 else ''} of the {what} file "
            f"need{'s' if count == 1 else ''} fixing.\n" + "\n".join(shown),
            hint="Correct those lines and import the file again; every row is checked before anything is written.",
            field="file",
        )


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def decode(data: bytes) -> str:
    """Spreadsheets save UTF-8 (often with a byte-order mark) or Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_sheet(data: bytes, columns: Sequence[Column], what: str) -> tuple[list[SheetRow], list[str]]:
    """The rows of a CSV file by column key, and the headers nobody asked for.

    Blank lines are skipped; a missing required column refuses the file.
    """
    reader = csv.reader(io.StringIO(decode(data)))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ImportRefused([(1, "the file is empty; the first line should name the columns")], what)
    keys: list[str | None] = []
    ignored: list[str] = []
    for name in header:
        column = next((c for c in columns if c.matches(name)), None)
        if column is not None and column.key in keys:
            column = None
        keys.append(column.key if column else None)
        if column is None and name.strip():
            ignored.append(name.strip())
    missing = [c.label for c in columns if c.required and c.key not in keys]
    if missing:
        raise ImportRefused([(1, f"no {', '.join(repr(m) for m in missing)} column; the header has "
                                 f"{', '.join(repr(h.strip()) for h in header if h.strip())}")], what)
    rows, line = [], reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(SheetRow(start, {k: v for k, v in zip(keys, cells, strict=False) if k is not None}))
    return rows, ignored


async def plan_import(rows: Iterable[SheetRow], check: Callable[[SheetRow], Awaitable[Planned]],
                      what: str) -> ImportPlan:
    """Check every row; refuse the whole file, naming each bad line, if any is wrong."""
    plan, problems = ImportPlan(what), []
    for row in rows:
        try:
            plan.rows.append(await check(row))
        except BotError as error:
            problems.append((row.line, error.message))
    if problems:
        raise ImportRefused(problems, what)
    return plan


def plan_reply(plan: ImportPlan, dry_run: bool) -> Reply:
    """What was (or, for a dry run, would be) created and changed."""
    verb = "Would import" if dry_run else "Imported"
    done = {"create": "created", "update": "updated"}
    summary = (f"{verb} {len(plan.rows)} {plan.what} row{'s' if len(plan.rows) != 1 else ''}: "
               + (plan.totals() if dry_run else f"{plan.count('create')} created, {plan.count('update')} updated, "
                  f"{plan.count('unchanged')} unchanged") + ".")
    items = tuple(Item(rich(f"line {row.line}: {'would be ' if dry_run else ''}{done[row.verb]} ",
                            row.description)) for row in plan.rows if row.verb in done)
    reply = Reply(summary=summary, public=not dry_run).add(Paragraph(rich(summary)))
    if items:
        reply.add(Items(items))
    if plan.ignored_columns:
        reply.add(Note(rich("Columns not read: ", ", ".join(plan.ignored_columns), ".")))
    if dry_run:
        reply.add(Note(rich("Dry run: nothing was written.")))
    return reply
