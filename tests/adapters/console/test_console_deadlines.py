"""`deadlines`: one date-ordered view of everything with a date; recurring
board deadlines (HWB report twice a year, MoU review every April)."""

from __future__ import annotations

from tests.adapters.console.steps import refused, reply, said, unchanged
from tests.harness import BoardConsole


async def test_deadlines_merge_everything_in_date_order(board: BoardConsole) -> None:
    await board.run(
        ":as @sec",
        "/board meeting add 7/1/2027 10:00 at Guildhall",
        "/board action add Survey special school places @owen due 20/11/2026",
        "/board action add Map waiting times @mia due 3/11/2026",
        '/board deadline add "HWB report" every 6 months from 31/1/2027 owner @lead',
        ":as @pat", "/board issue raise The transport to my son's school keeps failing",
        ":as @sec", ":now 2026-11-05T10:00",
    )
    listed = await said(board, "/board deadlines 90")
    assert listed.splitlines() == [
        "Deadlines in the next 90 days",
        "  • Thu 5 Nov 2026 — A2 Map waiting times — @mia, due Tue 3 Nov 2026  [overdue]",
        "  • Fri 20 Nov 2026 — A1 Survey special school places — @owen, due Fri 20 Nov 2026",
        "  • Mon 30 Nov 2026 — Issue I1 goes to the Chair of the board if unresolved",
        "  • Tue 29 Dec 2026 — Agenda items and papers due for M1",
        "  • Wed 30 Dec 2026 — Papers circulated for M1",
        "  • Thu 7 Jan 2027 — Meeting M1 at Thu 7 Jan 2027 10:00 — Guildhall",
        "  • Sun 31 Jan 2027 — D1 HWB report — @lead",
    ]
    assert "Deadlines in the next 30 days" in await said(board, "/board deadlines")
    assert "M1" not in await said(board, "/board deadlines")
    assert (await said(board, ":as @owen", "/board deadlines 60 mine")).splitlines() == [
        "Your deadlines in the next 60 days",
        "  • Fri 20 Nov 2026 — A1 Survey special school places — @owen, due Fri 20 Nov 2026",
    ]
    # The issue window is confidential: only those who may see the issue see its date.
    assert "I1" not in await said(board, "/board deadlines 90")
    assert "Issue I1 goes to the Chair" in await said(board, ":as @pat", "/board deadlines 90 mine")


async def test_recurring_deadlines_add_and_remove(board: BoardConsole) -> None:
    await board.run(":as @sec")
    out = await board.run('/board deadline add "HWB report" every 6 months from 31/3/2027')
    assert reply(out)["text"] == "Deadline D1 HWB report added: first due Wed 31 Mar 2027, then every 6 months."
    assert reply(out)["refs"] == ["D1"]
    assert await said(board, '/board deadline add "MoU review" every year in April owner @chair') == (
        "Deadline D2 MoU review added: first due Fri 30 Apr 2027, then every year.")
    listed = await said(board, "/board deadlines 730")
    assert [line for line in listed.splitlines() if " D" in line] == [
        "  • Wed 31 Mar 2027 — D1 HWB report",
        "  • Fri 30 Apr 2027 — D2 MoU review — @chair",
        "  • Thu 30 Sep 2027 — D1 HWB report",
        "  • Fri 31 Mar 2028 — D1 HWB report",
        "  • Sun 30 Apr 2028 — D2 MoU review — @chair",
        "  • Sat 30 Sep 2028 — D1 HWB report",
    ]
    assert await said(board, "/board deadline remove D1") == "Deadline D1 HWB report removed."
    assert "D1" not in await said(board, "/board deadlines 730")
    assert "D2 MoU review" in await said(board, ":as @chair", "/board deadlines 365 mine")


async def test_deadline_refusals(board: BoardConsole) -> None:
    await board.run(":as @sec", '/board deadline add "MoU review" every year in April')
    await board.run(":as @mia")
    assert await unchanged(board, "/board deadlines 400", '/board deadline add "X" every year in May',
                           "/board deadline remove D1") == [
        "Only the chair or secretariat can add board deadlines.\n  Ask the secretariat if you think this is wrong.",
        "Only the chair or secretariat can remove board deadlines.\n  Ask the secretariat if you think this is wrong."]
    await board.run(":as @sec")
    answers = await unchanged(
        board, "/board deadlines 400",
        '/board deadline add "X" every fortnight', "/board deadline add",
        '/board deadline add "Y" every year in Smarch',
        '/board deadline add "Z" every 6 months from 1/1/2026', '/board deadline add "Z" every 99 months from 1/1/2027',
        "/board deadline remove D9", "/board deadline remove", "/board deadlines soon", "/board deadlines 1000")
    assert answers[0] == ("I couldn't read when this deadline repeats.\n"
                          '  For example: `deadline add "HWB report" every 6 months from 31/3/2027` or '
                          '`deadline add "MoU review" every year in April`.')
    assert answers[1] == ("The deadline needs a title and when it repeats.\n"
                          '  For example: `deadline add "HWB report" every 6 months from 31/3/2027`')
    assert answers[2].startswith("“smarch” is not a month.")
    assert answers[3].startswith("“1/1/2026” is Thu 1 Jan 2026, which is in the past.")
    assert answers[4] == "Repeat every 1 to 60 months."
    assert answers[5] == "There is no deadline D9.\n  `/board deadlines 365` lists them."
    assert answers[6] == "Which deadline? A reference is missing.\n  For example: `deadline remove D5`"
    assert answers[7] == "“soon” isn't a number of days or `mine`.\n  For example: `deadlines 60 mine`"
    assert answers[8] == "Look ahead between 1 and 730 days.\n  For example: `deadlines 60`"
    assert await refused(board, ":as @stranger", "/board deadlines") == (
        "You're not a member of this board yet.\n"
        "  Ask the chair or secretariat to add you with `/board member add`.")
