"""Dashboard measures through the console: add, record (a second value for a period
asks first and keeps both), list with RAG red first, show. Today is Mon 4 Jan 2027."""

from __future__ import annotations

import pytest

from tests.adapters.console.steps import flat, refused, reply, said, unchanged
from tests.harness import BoardConsole, open_board

RESPITE = "/board measure add Respite hours delivered target 95% owner @lead every quarter baseline 80"
PLANS = "/board measure add New EHC plans within 20 weeks target 100% owner @owen ws W1 every month"
WAITS = "/board measure add Weeks waiting for assessment target 6 lower is better owner @mia"


@pytest.fixture
async def board(db_url: str):
    console = await open_board(db_url, who="@sec", now="2027-01-04T10:00")
    await console.run(":as @sec")
    yield console
    await console.close()


async def test_measures_are_listed_red_first_with_value_target_and_trend(board: BoardConsole) -> None:
    await board.run(RESPITE, PLANS, WAITS)
    await board.run("/board measure record K1 81% for 2026-Q4", "/board measure record K2 100 for 2026-11",
                    "/board measure record K2 96", "/board measure record K3 6.5 for 2026-Q4 note two late")
    listed = flat(await said(board, "/board measure list")).splitlines()
    assert listed == [
        "Dashboard (3 measures)",
        "• K1 Respite hours delivered — 81% for 2026-Q4, target 95% (higher is better) — trend 81% — @lead [red]",
        "• K2 New EHC plans within 20 weeks — 96% for 2026-12, target 100% (higher is better) — trend 100% → 96% ↓ "
        "— @owen [amber]",
        "• K3 Weeks waiting for assessment — 6.5 for 2026-Q4, target 6 (lower is better) — trend 6.5 — @mia [amber]",
    ]
    assert [line.split()[1] for line in flat(await said(board, "/board measure list ws W1")).splitlines()[1:]] == \
        ["K2"]
    await board.run(":as @chair", "/board board config amber 20", ":as @sec")
    assert "@lead [amber]" in flat(await said(board, "/board measure list"))


async def test_a_second_value_for_a_period_asks_first_and_both_stay_in_history(board: BoardConsole) -> None:
    await board.run(RESPITE, "/board measure record K1 81% for 2026-Q4")
    asked = await refused(board, "/board measure record K1 84 for 2026-11")
    assert asked.startswith("K1 already has 81% for 2026-Q4, recorded Mon 4 Jan 2027. Replace it with 84%? "
                            "Both stay in the history.")
    assert "`/board measure record K1 84 for 2026-Q4 confirm`" in asked and "[Replace]" in asked
    assert "Latest: 81% for 2026-Q4" in flat(await said(board, "/board measure show K1"))
    out = await board.run("/board measure record K1 84 for 2026-Q4 confirm")
    assert reply(out)["text"].startswith("K1 84% for 2026-Q4 replaced.")
    shown = flat(await said(board, "/board measure show K1"))
    assert "Latest: 84% for 2026-Q4" in shown and "Baseline: 80%" in shown
    assert "• 2026-Q4: 81% — recorded Mon 4 Jan 2027 by @sec [replaced]" in shown
    assert "• 2026-Q4: 84% — recorded Mon 4 Jan 2027 by @sec" in shown
    assert "K1 already has 84% for 2026-Q4." in await refused(board, "/board measure record K1 84% for 2026-Q4")


async def test_bad_input_and_other_people_are_refused_and_nothing_changes(board: BoardConsole) -> None:
    await board.run(RESPITE)
    answers = await unchanged(
        board, "/board measure show K1",
        "/board measure add Respite hours owner @lead",
        "/board measure add Respite hours target lots owner @lead",
        "/board measure add Respite hours target 95%",
        "/board measure record K1 lots",
        "/board measure record K1 80 for 2027-Q2",
        "/board measure record K1 80 for someday",
        "/board measure record K9 80",
    )
    assert answers[0].startswith("What is the target? Add `target <number>` (or `target 95%`).")
    assert answers[1].startswith("“lots” is not a number for the target.")
    assert answers[2].startswith("Who owns this measure? Add `owner @person`.")
    assert answers[3].startswith("“lots” is not a number for the value.")
    assert answers[4].startswith("2027-Q2 hasn't started yet.")
    assert answers[5].startswith("I couldn't read “someday” as a date.")
    assert answers[6].startswith("There is no measure K9.")
    await board.run(":as @owen")
    [owen] = await unchanged(board, "/board measure show K1", "/board measure record K1 90")
    assert owen.startswith("Only the measure's owner or the secretariat can record values for K1.")
    assert (await refused(board, WAITS)).startswith("Only the chair, the secretariat or the workstream's lead can add")
    await board.run(":as @lead")
    assert (await said(board, "/board measure record K1 90")).startswith("K1 90% for 2026-Q4 recorded.")
