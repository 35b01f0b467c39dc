"""The spreadsheet-import helper every register uses: headers found under synonyms,
line numbers as the spreadsheet shows them, all rows checked before any is written."""

from __future__ import annotations

import pytest

from bot.errors import BadArgument
from bot.tabular import Column, ImportRefused, Planned, SheetRow, plan_import, read_sheet

COLUMNS = (Column("title", "Risk", ("risk title", "description"), required=True),
           Column("owner", "Owner", ("lead", "who"), required=True),
           Column("score", "Score"))


def test_headers_are_found_case_and_spacing_ignored_and_others_reported() -> None:
    rows, ignored = read_sheet("\ufeffRisk Title ,WHO,Colour\nFunding gap,OP,red\n".encode(), COLUMNS, "risk")
    assert rows == [SheetRow(2, {"title": "Funding gap", "owner": "OP"})]
    assert ignored == ["Colour"]


def test_line_numbers_count_blank_lines_and_cells_spanning_lines() -> None:
    data = b'Risk,Owner\n"Two\nlines",OP\n\n,\nLast,ML\n'
    rows, _ = read_sheet(data, COLUMNS, "risk")
    assert [(r.line, r.get("title")) for r in rows] == [(2, "Two\nlines"), (6, "Last")]


def test_windows_1252_files_are_read() -> None:
    rows, _ = read_sheet("Risk,Owner\nParents’ views,OP\n".encode("cp1252"), COLUMNS, "risk")
    assert rows[0].get("title") == "Parents’ views"


def test_a_missing_required_column_refuses_the_file_on_line_1() -> None:
    with pytest.raises(ImportRefused) as refused:
        read_sheet(b"Risk,Score\nFunding gap,12\n", COLUMNS, "risk")
    assert refused.value.problems == [(1, "no 'Owner' column; the header has 'Risk', 'Score'")]


async def test_every_row_is_checked_and_nothing_applied_if_one_is_bad() -> None:
    applied: list[int] = []

    async def check(row: SheetRow) -> Planned:
        if not row.get("owner"):
            raise BadArgument("no owner")

        async def apply() -> None:
            applied.append(row.line)
        return Planned(row.line, "create", row.get("title"), apply)

    rows, _ = read_sheet(b"Risk,Owner\nA,OP\nB,\nC,ML\nD,\n", COLUMNS, "risk")
    with pytest.raises(ImportRefused) as refused:
        await plan_import(rows, check, "risk")
    assert refused.value.problems == [(3, "no owner"), (5, "no owner")]
    assert refused.value.message.splitlines() == ["Nothing was imported: 2 lines of the risk file need fixing.",
                                                  "line 3: no owner", "line 5: no owner"]
    assert applied == []
    good, _ = read_sheet(b"Risk,Owner\nA,OP\nC,ML\n", COLUMNS, "risk")
    plan = await plan_import(good, check, "risk")
    await plan.apply()
    assert applied == [2, 3] and plan.totals() == "2 to create, 0 to update, 0 unchanged"
