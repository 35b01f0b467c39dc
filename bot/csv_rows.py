"""CSV in and out, all or nothing: the generic part every register's import shares.

``read_rows`` reads a spreadsheet's CSV with headers matched case-insensitively
(and through synonyms); ``validate_all`` checks every row before anything is
written and, if any row is bad, refuses the whole file naming each bad line
and what is wrong with it. Line numbers are the spreadsheet's: the header is
line 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.errors import BotError

T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]  # canonical column name -> stripped text ("" when absent)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


class RowError(BotError):
    """One row's problem; raised by a row validator."""


class ImportRefused(BotError):
    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"line {line}: {message}" for line, message in self.problems)
        count = len({line for line, _ in self.problems})
        super().__init__(f"{count} row{'s' if count != 1 else ''} could not be imported, so nothing was:\n{lines}",
                         hint="Fix those lines and import the whole file again.")


def read_rows(text: str, columns: Sequence[str], synonyms: Mapping[str, str] | None = None,
              required: Sequence[str] = ()) -> list[Row]:
    """Rows of a CSV file whose header names ``columns`` (case-insensitively,
    spaces or underscores alike, or by a synonym). Blank rows are skipped."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise ImportRefused([(1, "the file is empty; the first line should name the columns")])
    known = {c.lower(): c for c in columns} | {k.lower(): v for k, v in (synonyms or {}).items()}
    names = [known.get(" ".join(h.strip().lower().replace("_", " ").split())) for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise ImportRefused([(1, f"the header has no {', '.join(missing)} column; it should name "
                                 f"{', '.join(columns)}")])
    rows = []
    for line, cells in enumerate(reader, start=2):
        if any(cell.strip() for cell in cells):
            rows.append(Row(line, {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name}))
    return rows


async def validate_all(rows: Sequence[Row], validate: Callable[[Row], Awaitable[T]]) -> list[T]:
    """Every row validated before anything is written: the values, or ImportRefused naming each bad line."""
    problems: list[tuple[int, str]] = []
    valid: list[T] = []
    for row in rows:
        try:
            valid.append(await validate(row))
        except BotError as error:
            problems.append((row.line, error.message))
    if problems:
        raise ImportRefused(problems)
    return valid


def write_rows(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
