"""The register's reminders, the pack's risk and dashboard sections, home and the
digest, through the console (``:now`` and ``:tick``). Easter 2027: Good Friday
26 March and Easter Monday 29 March are bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.adapters.console.steps import dms, flat, said
from tests.harness import BoardConsole, open_board

HIGH = ("/board risk add Short breaks provider may withdraw ws W1 impact Families lose respite strategy mitigate "
        "score high owner @owen review every 3 months")
RESPITE = "/board measure add Respite hours delivered target 95% owner @owen ws W1 every quarter"


@pytest.fixture
async def board(db_url: str):
    console = await open_board(db_url, now="2027-01-04T10:00")
    await console.run(":as @sec")
    yield console
    await console.close()


def working_mornings(start: dt.date, end: dt.date) -> list[str]:
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [line for day in days if day.weekday() < 5 for line in (f":now {day}T10:00", ":tick")]


async def test_review_and_value_reminders_skip_easter_and_then_go_up(board: BoardConsole) -> None:
    await board.run(HIGH, RESPITE, "/board measure record K1 81% for 2026-Q4", ":as @mia",
                    "/board risk add Proposed only impact x strategy accept score high owner @mia review every month",
                    ":as @sec")  # a proposed risk is not on the register yet: no reminders
    heard: list[tuple[str, str, str]] = []
    for day in [dt.date(2027, 3, 22) + dt.timedelta(days=n) for n in range(26)]:
        out = await board.run(f":now {day}T10:00", ":tick")
        heard += [(f"{day:%a %d %b}", m["to"], m["text"].splitlines()[0]) for m in dms(out)]
    assert heard == [
        ("Thu 25 Mar", "@owen", "Reminder: R1 is due for review in 4 working days"),
        ("Mon 05 Apr", "@owen", "R1 is due for review"),  # Sun 4 Apr: the next working morning
        ("Wed 07 Apr", "@owen", "K1: the value for 2027-Q1 is due"),  # 5 working days after 31 Mar
        ("Fri 09 Apr", "@lead", "Escalation: high risk R1 is 5 working days past its review"),
        ("Wed 14 Apr", "@lead", "Escalation: K1 has no value for 2027-Q1"),
    ]


async def test_a_review_moves_the_clock_and_the_digest_counts_red_and_due(board: BoardConsole) -> None:
    await board.run(HIGH, RESPITE, "/board measure record K1 81% for 2026-Q4")
    out = await board.run(":now 2027-04-05T10:00", ":tick")
    [digest] = [m for m in out if m["kind"] == "post" and m["text"].startswith("Weekly digest")]
    assert "Measures red: 1. High risks due for review by Sun 11 Apr 2027: 1." in digest["text"]
    assert flat(await said(board, "/board risk list due-review")).splitlines() == [
        "Risk register, due for review (1)",
        "• R1 Short breaks provider may withdraw — @owen, review Sun 4 Apr 2027 [high · review overdue]"]
    home = flat(await said(board, ":as @owen", "/board home"))
    assert "Your risks due for review\n• R1 Short breaks provider may withdraw — @owen, review Sun 4 Apr 2027 " \
           "[high · review overdue]" in home
    assert "Your measures due\n• K1 Respite hours delivered: the value for 2027-Q1 is not recorded yet [due]" in home
    await board.run("/board risk review R1 provider signed a one-year extension",
                    "/board measure record K1 90% for 2027-Q1")
    home = flat(await said(board, "/board home"))
    assert "Your risks due for review\nNone due." in home and "Your measures due\nNone due." in home
    later = []
    for line in working_mornings(dt.date(2027, 4, 6), dt.date(2027, 4, 20)):
        later += dms(await board.run(line))
    assert later == []


async def test_the_pack_shows_new_rescored_due_and_high_risks_and_the_dashboard_red_first(db_url: str) -> None:
    board: BoardConsole = await open_board(db_url, now="2027-01-04T10:00")
    try:
        await board.run(":as @sec", "/board meeting add 7/1/2027 10:00", "/board meeting add 4/2/2027 10:00",
                        HIGH, "/board risk add Partners disengage impact Little system change strategy mitigate "
                        "score moderate owner @chair review every month",
                        RESPITE, "/board measure add Plans in 20 weeks target 60% owner @owen every month",
                        "/board measure record K1 81% for 2026-Q4", "/board measure record K2 64 for 2026-12",
                        ":now 2027-01-20T10:00",
                        "/board risk add Workforce gaps impact Delays strategy transfer score low owner @mia",
                        "/board risk update R2 score high because two partners missed meetings")
        pack = flat(await said(board, "/board meeting pack M2"))
        circulated = [m["text"] for m in await board.run(":now 2027-01-28T10:00", ":tick")
                      if m["kind"] == "post" and m["text"].startswith("Agenda and papers")]
    finally:
        await board.close()
    sections, attached = pack[pack.index("Risks — "):].splitlines()[:-1], pack.splitlines()[-1]
    assert attached == "📎 Meeting pack M2: `partnerbot pack M2 --format pdf`"  # the document pack goes with it
    assert sections == [
        "Risks — New risks since Thu 7 Jan 2027",
        "• R3 Workforce gaps — @mia, review Tue 20 Apr 2027 [low]",
        "Risks — Scores changed since Thu 7 Jan 2027",
        "• R2 Partners disengage — @chair, review Thu 4 Feb 2027 [high]",
        "Risks — Due for review by Thu 4 Feb 2027",
        "• R2 Partners disengage — @chair, review Thu 4 Feb 2027 [high]",
        "Risks — All high risks",
        "• R1 Short breaks provider may withdraw — @owen, review Sun 4 Apr 2027 [high]",
        "• R2 Partners disengage — @chair, review Thu 4 Feb 2027 [high]",
        "Dashboard, red first (2 measures)",
        "• K1 Respite hours delivered — 81% for 2026-Q4, target 95% (higher is better) — trend 81% — @owen [red]",
        "• K2 Plans in 20 weeks — 64% for 2026-12, target 60% (higher is better) — trend 64% — @owen [green]",
    ]
    [posted] = circulated  # the automatic pack, 5 working days before, has the same sections
    unflagged = [line.split(" [")[0] for line in sections]
    assert [line.split(" [")[0] for line in flat(posted)[flat(posted).index("Risks — "):].splitlines()] == unflagged
    assert "review Thu 4 Feb 2027 [high · review due]" in flat(posted)  # a week on, R2's review is close
