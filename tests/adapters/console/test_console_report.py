"""The governance report: its numbers checked against a board whose history we
made by hand, and the file `/board report` sends. The board starts Mon 2 Nov 2026."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.app import board_context
from bot.context import Command, Identity
from bot.reply import Reply
from bot.report import ReportScope, WorkstreamFigures, report_figures
from bot.text import plain_text
from tests.harness import BoardConsole

HISTORY = (
    ":as @sec",
    "/board meeting add 7/1/2027 10:00 until 12:00 at Guildhall",
    "/board action add Circulate the survey @owen due 20/11/2026 ws W1",
    "/board action add Map therapy waiting times @mia due 4/12/2026 ws W1",
    "/board action add Book the venue LM due 13/11/2026",
    ":as @pat",
    "Our son's transport was stopped without notice and nobody answers our emails.",
    "/board issue raise The school will not tell us when his annual review is, and it is overdue.",
    ":as @sec",
    ":now 2026-11-03T10:00",
    "/board issue ack I1",
    ":now 2026-11-06T10:00",
    "/board action done A1",
    ":now 2026-11-10T10:00",
    "/board issue ack I2",
    ":as @owen",
    "/board apologies M1",
    ":as @mia",
    "/board apologies M1 deputy @zoe",
    ":as @sec",
    ":now 2026-11-20T10:00",
    "/board action done A3",
    ":now 2026-12-01T10:00",
    "/board issue resolve I1 transport restored",
    ":now 2026-12-10T10:30",
    ":tick",
    ":now 2027-02-01T10:00",
)


async def run(board: BoardConsole, text: str, who: str = "chair", **values) -> Reply:
    return (await board.console.services.bot.handle(Command(Identity("console", who), text, values=values))).reply


@pytest.fixture
async def history(board: BoardConsole) -> BoardConsole:
    await board.run(*HISTORY)
    return board


async def test_the_reports_numbers_match_what_happened(history: BoardConsole) -> None:
    services = history.console.services
    async with services.db.uow() as uow:
        settings, calendar = await board_context(uow)
        figures = await report_figures(ReportScope(uow, settings, calendar, dt.date(2026, 11, 1),
                                                   dt.date(2027, 1, 31), services.clock.now()))
    assert figures.workstreams == [WorkstreamFigures("Local provision", opened=2, closed=1, overdue=1),
                                   WorkstreamFigures("No workstream", opened=1, closed=1, overdue=0)]
    # A1: Mon 2 to Fri 6 Nov, 4 working days; A3: to Fri 20 Nov, 14.
    assert figures.median_days_to_close == 9
    # A2 went to the workstream lead; I2, unresolved 28 days after 2 Nov, went to the chair.
    assert figures.escalations == {"Action to workstream lead": 1, "Concern to chair": 1}
    assert (figures.concerns_raised, figures.concerns_acknowledged_in_time) == (2, 1)
    assert figures.concerns_resolved == {"Informally": 1}
    assert figures.meetings_held == 1
    assert figures.attendance == [("Borough Council", 1, 1), ("Children's Trust", 1, 1), ("Health Trust", 0, 1),
                                  ("ICB", 1, 1), ("Parent Carer Forum", 1, 1), ("School", 1, 1)]


async def test_a_period_before_anything_happened_counts_nothing(history: BoardConsole) -> None:
    services = history.console.services
    async with services.db.uow() as uow:
        settings, calendar = await board_context(uow)
        figures = await report_figures(ReportScope(uow, settings, calendar, dt.date(2026, 10, 1),
                                                   dt.date(2026, 10, 31), services.clock.now()))
    assert figures.total("opened") == figures.total("closed") == figures.total("overdue") == 0
    assert (figures.concerns_raised, figures.meetings_held, figures.escalations) == (0, 0, {})


async def test_board_report_sends_html_with_charts_and_never_a_concerns_words(history: BoardConsole) -> None:
    reply = await run(history, "report from 1/11/2026 to 31/1/2027", who="sec")
    assert plain_text(reply).splitlines()[0] == ("The board's report for Sun 1 Nov 2026 to Sun 31 Jan 2027 is attached "
                                                 "as board-report-2026-11-01-to-2027-01-31.html.")
    html = reply.attachments[0].data.decode()
    assert html.count('src="data:image/png;base64,') >= 3  # actions, escalations, attendance
    assert "Local provision" in html and "Acknowledged within 2 working days" in html
    assert "transport" not in html.lower() and "annual review" not in html.lower()
    pdf = await run(history, "report pdf", who="chair")
    assert pdf.attachments[0].data.startswith(b"%PDF") and pdf.attachments[0].media_type == "application/pdf"


async def test_only_the_chair_and_secretariat_produce_the_report(history: BoardConsole) -> None:
    refused = await run(history, "report", who="owen")
    assert refused.error and not refused.attachments
    bad = await run(history, "report from 1/2/2027 to 1/1/2027", who="chair")
    assert plain_text(bad).startswith("The period ends (Fri 1 Jan 2027) before it starts (Mon 1 Feb 2027).")
    assert "is not a report format" in plain_text(await run(history, "report docx", who="chair"))


async def test_the_hwb_summary_card_goes_to_the_channel_10_working_days_before(board: BoardConsole) -> None:
    await board.run('/board deadline add "HWB report" every 6 months from 31/3/2027',
                    '/board deadline add "MoU review" every year in April',
                    "/board action add Circulate the survey @owen due 20/11/2026 ws W1")
    # Wed 31 Mar 2027 less 10 working days, skipping Easter (26 and 29 Mar): Mon 15 Mar.
    early = await board.run(":now 2027-03-12T10:00", ":tick")
    assert not [m for m in early if "figures" in m["text"]]
    sent = [m for m in await board.run(":now 2027-03-15T10:00", ":tick") if "figures" in m["text"]]
    assert [(m["kind"], m["to"]) for m in sent] == [("post", "#board")]
    lines = sent[0]["text"].splitlines()
    assert lines[:3] == ["HWB report (D1) is due Wed 31 Mar 2027: here are the board's figures",
                         "From Thu 1 Oct 2026 to Mon 15 Mar 2027:",
                         "  • 1 action agreed, 0 completed, 1 overdue"]
    attached = [line for line in lines if line.startswith("📎")]
    assert [line.split(" (")[0] for line in attached] == ["📎 actions-per-workstream.png",
                                                         "📎 board-report-2027-03-31.html"]
    report = Path(attached[1].rsplit("written to ", 1)[1]).read_text()
    assert "Local provision" in report and "data:image/png" in report
    assert not [m for m in await board.run(":now 2027-03-15T11:00", ":tick") if "figures" in m["text"]]


async def test_the_report_has_risks_by_score_and_measures_by_rag_once_the_board_keeps_them(
        history: BoardConsole) -> None:
    before = (await run(history, "report", who="sec")).attachments[0].data.decode()
    assert "Risks by score" not in before and "Measures by RAG" not in before  # no register: no empty sections
    await history.run(
        ":as @sec",
        "/board risk add Short breaks provider may withdraw impact Families lose respite strategy mitigate "
        "score high owner @owen",
        "/board risk add Low take-up of personal budgets impact Less choice strategy accept score low owner @mia",
        "/board measure add EHC plans within 20 weeks target 100% owner @owen every quarter",
        "/board measure record K1 62 for 2026-Q4",
    )
    html = (await run(history, "report", who="sec")).attachments[0].data.decode()
    assert "Risks by score" in html and "2 risks on the register, 1 of them high." in html
    assert "Measures by RAG" in html and "EHC plans within 20 weeks" in html
    assert '<tr class="flag-red">' in html  # 62% against 100% is red
