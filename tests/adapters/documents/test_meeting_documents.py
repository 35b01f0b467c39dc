"""The pack and the minutes as a person reads them: HTML parsed, PDF text
extracted with pdftotext, built from a board worked through the console."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from adapters.cli.meeting_documents import with_board
from adapters.config import Settings
from adapters.documents import render
from bot.context import Context
from bot.document import Document, Section
from bot.meeting_documents import PACK_SECTIONS, MeetingFacts, build_minutes, build_pack
from tests.harness import LONDON, BoardConsole, open_board


@pytest.fixture
async def board(db_url: str) -> AsyncIterator[BoardConsole]:
    console = await open_board(db_url)
    yield console
    await console.close()


class _Tables(HTMLParser):
    """Table rows as lists of cell texts, plus every heading."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headings: list[str] = []
        self.classes: list[str | None] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
            self.classes.append(dict(attrs).get("class"))
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._heading):
            if part is not None:
                part.append(data)


def parsed(document: Document) -> _Tables:
    tables = _Tables()
    tables.feed(render(document, "html").decode())
    return tables


def pdf_text(document: Document, tmp_path: Path) -> str:
    pdf = tmp_path / f"{document.kind}.pdf"
    pdf.write_bytes(render(document, "pdf"))
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


async def _worked_board(board: BoardConsole) -> None:
    await board.run(
        ":as @sec", '/board agenda standing add "Welcome and apologies" presenter @chair minutes 5',
        "/board meeting add 12/11/2026 10:00 until 12:00 at Guildhall",
        "/board meeting add 21/1/2027 10:00 until 12:00 at Guildhall",
        "/board action add Circulate the workforce survey @owen due 20/11/2026 meeting M1",
        "/board action add Publish the local offer @mia due 15/1/2027 meeting M1",
        "/board agenda propose Short breaks review presenter @owen minutes 20 for M2",
        '/board apologies M2 for @mia deputy "Jane Roe, Kingfisher School"',
        ":now 2026-11-12T12:30", '/board meeting attendance M1 present CH SR OP guest "Ann Lee, DfE"',
        "/board minutes M1 G1 The chair welcomed the board.",
        "/board minutes M1 decision G1 Survey to be re-sent to schools.",
        ":now 2027-01-14T09:00", "/board agenda propose Transport to school for M2 minutes 15",
    )


async def _document(board: BoardConsole, db_url: str, build, number: int) -> Document:
    async def work(ctx: Context) -> Document:
        meeting = await ctx.uow.meetings.get(number)
        assert meeting is not None
        return await build(ctx, meeting)

    now = dt.datetime(2027, 1, 14, 10, tzinfo=LONDON).astimezone(dt.UTC)
    return await with_board(Settings(database_url=db_url, log_json=False), now, work)


async def test_the_pack_has_the_agenda_apologies_previous_minutes_and_actions(board: BoardConsole, db_url: str,
                                                                             tmp_path: Path) -> None:
    await _worked_board(board)
    pack = await _document(board, db_url, build_pack, 2)
    html = parsed(pack)
    assert html.headings[:3] == ["Agenda", "Apologies", "Minutes of the previous meeting"]
    assert ["1", "Welcome and apologies", "Cara Hale", "10:00–10:05", "—", ""] in html.rows
    assert ["2", "Short breaks review", "Owen Pike", "10:05–10:25", "—", ""] in html.rows
    late = html.rows.index(["3", "Transport to school", "Sam Reed", "10:25–10:40", "—", "late"])
    assert html.classes[late] == "flag-late"
    assert ["Mia Lund", "ML", "School", "Jane Roe, Kingfisher School"] in html.rows
    assert "1. Welcome and apologies – CH" in html.headings
    overdue = html.rows.index(["A1", "Circulate the workforce survey", "OP", "Fri 20 Nov 2026", "overdue"])
    assert html.classes[overdue] == "flag-overdue"
    assert "Issues escalated" in html.headings
    text = pdf_text(pack, tmp_path)
    for words in ("Short breaks review", "Jane Roe, Kingfisher School", "Survey to be re-sent to schools",
                  "Circulate the workforce survey", "0 confidential issues were escalated"):
        assert words in " ".join(text.split()), words


async def test_the_minutes_read_like_the_kingston_minutes(board: BoardConsole, db_url: str, tmp_path: Path) -> None:
    await _worked_board(board)
    minutes = await _document(board, db_url, build_minutes, 1)
    html = parsed(minutes)
    assert html.headings == ["Present", "Apologies", "Minutes", "1. Welcome and apologies – CH", "Actions"]
    assert ["Name", "Initials", "Role", "Organisation"] in html.rows
    assert ["Owen Pike", "OP", "Member", "Health Trust"] in html.rows
    assert ["Ann Lee", "AL", "Guest", "DfE"] in html.rows
    assert ["A1", "Circulate the workforce survey", "OP", "Fri 20 Nov 2026", "open"] in html.rows
    text = " ".join(pdf_text(minutes, tmp_path).split())
    assert "The chair welcomed the board. Decisions: • Survey to be re-sent to schools." in text
    assert "Draft: to be approved at the next meeting." in text


async def test_the_pack_takes_extra_sections_from_the_list(board: BoardConsole, db_url: str) -> None:
    await _worked_board(board)

    async def extra(ctx: Context, facts: MeetingFacts) -> Section:
        return Section("Safeguarding update", ())

    PACK_SECTIONS.append(extra)
    try:
        pack = await _document(board, db_url, build_pack, 2)
    finally:
        PACK_SECTIONS.remove(extra)
    assert [s.heading for s in pack.sections][-1] == "Safeguarding update"


async def test_the_pack_has_the_risk_section_and_the_dashboard_with_trend_charts(board: BoardConsole, db_url: str,
                                                                                tmp_path: Path) -> None:
    await _worked_board(board)
    await board.run(":as @sec", "/board risk add Workforce gaps impact Delays strategy transfer score high owner @mia",
                    "/board measure add Respite hours delivered target 95% owner @owen every quarter baseline 80",
                    "/board measure record K1 88% for 2026-Q3", "/board measure record K1 81% for 2026-Q4")
    pack = await _document(board, db_url, build_pack, 2)
    headings = [s.heading for s in pack.sections]
    assert headings.index("Action list") < headings.index("Risks") < headings.index("Dashboard")
    html = render(pack, "html").decode()
    tables = parsed(pack)
    assert any(row[:4] == ["R1", "Workforce gaps", "high", "Mia Lund"] for row in tables.rows), tables.rows
    assert any(row[:5] == ["K1", "Respite hours delivered", "81% (2026-Q4)", "95%", "red"] for row in tables.rows)
    assert html.count('src="data:image/png;base64,') == 1  # the trend chart of K1
    text = " ".join(pdf_text(pack, tmp_path).split())
    assert "Workforce gaps" in text and "1 of 1 measures are red." in text
