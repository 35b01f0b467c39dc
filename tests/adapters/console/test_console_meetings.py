"""Meetings: scheduling with working-day paper deadlines, parent-friendly
warnings, the 2026 clock changes, apologies and the meeting pack."""

from __future__ import annotations

import datetime as dt

from tests.adapters.console.steps import dms, flat, refused, reply, said, unchanged
from tests.harness import BoardConsole

EXAMPLE = "For example: `meeting add 7/1/2027 10:00 until 12:00 at Guildhall, Kingston`"
PARENT_NOTE = "⚠ Parent reps are invited and {} (Kent PACT MoU §2.1.7: 10am–2pm, term time, virtual when possible)."


async def test_meeting_add_shows_the_working_day_paper_deadlines(board: BoardConsole) -> None:
    out = await board.run(":as @sec", "/board meeting add 7/1/2027 10:00 until 12:00 at Guildhall, Kingston")
    assert reply(out)["refs"] == ["M1"]
    assert flat(reply(out)["text"]).splitlines() == [
        "Meeting M1 scheduled.",
        "When: Thu 7 Jan 2027 10:00–12:00",
        "Where: Guildhall, Kingston",
        "Papers due: Tue 29 Dec 2026 (6 working days before)",
        "Circulated: Wed 30 Dec 2026 (5 working days before)",
    ]
    await board.run("/board meeting add 4/3/2027 2pm at https://meet.example/board")
    listed = await said(board, "/board meeting list")
    assert listed.splitlines() == ["Upcoming meetings", "  • M1 Thu 7 Jan 2027 10:00 at Guildhall, Kingston",
                                   "  • M2 Thu 4 Mar 2027 14:00 at https://meet.example/board"]
    for line in ("/board meeting next", "/board next meeting", "/board meeting show M1"):
        shown = flat(await said(board, line))
        assert shown.startswith("M1 Thu 7 Jan 2027 10:00 at Guildhall, Kingston")
        assert "Papers due: Tue 29 Dec 2026" in shown and "Agenda: 0 items" in shown and "Apologies: 0" in shown
    assert "Papers due: Wed 24 Feb 2027" in flat(await said(board, "/board meeting show M2"))


async def test_meeting_add_refusals_change_nothing(board: BoardConsole) -> None:
    assert await refused(board, "/board meeting next") == (
        "No meeting is scheduled.\n  The secretariat can add one: `/board meeting add 7/1/2027 10:00`.")
    await board.run("/board meeting add 7/1/2027 10:00")
    await board.run(":as @mia")
    assert await unchanged(board, "/board meeting list", "/board meeting add 8/1/2027 10:00") == [
        "Only the chair or secretariat can schedule meetings.\n  Ask the secretariat if you think this is wrong."]
    await board.run(":as @sec")
    answers = await unchanged(
        board, "/board meeting list",
        "/board meeting add 8/1/2027", "/board meeting add", "/board meeting add 8/1/2027 25:00",
        "/board meeting add 1/11/2026 10:00", "/board meeting add today 9:00", "/board meeting add 31/2/2027 10:00",
        "/board meeting add 8/1/2027 12:00 until 11:00", "/board meeting add 7/1/2027 10:00",
        "/board meeting show M9", "/board meeting show",
    )
    assert answers[0] == answers[1] == f"A meeting needs a date and a start time.\n  {EXAMPLE}"
    assert answers[2] == "I couldn't read “25:00” as a time.\n  Write times like 10:00, 14:30 or 2pm."
    assert answers[3].startswith("“1/11/2026” is Sun 1 Nov 2026, which is in the past.")
    assert answers[4] == f"That time has already passed.\n  {EXAMPLE}"
    assert answers[5].startswith("“31/2/2027” is not a real date.")
    assert answers[6] == f"The meeting ends before it starts.\n  {EXAMPLE}"
    assert answers[7] == "M1 already starts at that time."
    assert answers[8] == "There is no meeting M9.\n  `/board meeting list` shows the meetings there are."
    assert answers[9] == "Which meeting? A reference is missing.\n  For example: `meeting show M4`"


async def test_parent_friendly_warnings_when_a_parent_rep_is_on_the_board(board: BoardConsole) -> None:
    await board.run(":as @sec", '/board board config term add "Spring 2027" 4/1/2027 to 26/3/2027')

    async def notes(line: str) -> list[str]:
        return [n.strip() for n in reply(await board.run(line))["text"].splitlines() if "⚠" in n]

    assert await notes("/board meeting add 14/1/2027 10:00 until 14:00") == []
    assert await notes("/board meeting add 21/1/2027 9:00 until 11:00") == [PARENT_NOTE.format(
        "it is outside the parent-friendly hours of 10:00–14:00")]
    assert await notes("/board meeting add 28/1/2027 13:00 until 15:30") == [PARENT_NOTE.format(
        "it is outside the parent-friendly hours of 10:00–14:00")]
    assert await notes("/board meeting add 1/4/2027 11:00") == [PARENT_NOTE.format(
        "it is outside term time (school holidays)")]
    assert await notes("/board meeting add 28/12/2026 11:00") == [
        PARENT_NOTE.format("it falls on a non-working day (Boxing Day (observed) (bank holiday))"),
        PARENT_NOTE.format("it is outside term time (school holidays)")]
    assert "M5" in await said(board, "/board meeting list")  # warned, not refused
    await board.run("/board member role @pat member")
    assert await notes("/board meeting add 22/1/2027 18:00") == []  # no parent rep: no warnings


async def test_a_removed_parent_rep_no_longer_counts(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board member remove @pat")
    out = await board.run("/board meeting add 22/1/2027 18:00")
    assert "⚠" not in reply(out)["text"]


async def test_meetings_across_the_2026_clock_changes_keep_their_local_time(board: BoardConsole) -> None:
    await board.run(":now 2026-03-02T09:00")
    for day in ("27/3/2026", "30/3/2026", "23/10/2026", "26/10/2026"):
        assert "10:00" in await said(board, f"/board meeting add {day} 10:00")
    listed = await said(board, "/board meeting list")
    assert listed.splitlines()[1:] == ["  • M1 Fri 27 Mar 2026 10:00", "  • M2 Mon 30 Mar 2026 10:00",
                                       "  • M3 Fri 23 Oct 2026 10:00", "  • M4 Mon 26 Oct 2026 10:00"]
    async with board.console.services.db.uow() as uow:
        stored = [(await uow.meetings.get(n)).starts_at.astimezone(dt.UTC) for n in (1, 2, 3, 4)]
    assert [at.strftime("%d %b %H:%M") for at in stored] == ["27 Mar 10:00", "30 Mar 09:00", "23 Oct 09:00",
                                                              "26 Oct 10:00"]
    # A meeting the day after the clocks go forward: papers due before the change.
    assert "Papers due: Fri 20 Mar 2026" in flat(await said(board, "/board meeting show M2"))


async def test_apologies_and_deputies(board: BoardConsole) -> None:
    assert await refused(board, "/board apologies") == (
        "No meeting is scheduled.\n  The secretariat can add one: `/board meeting add 7/1/2027 10:00`.")
    await board.run("/board meeting add 7/1/2027 10:00", "/board meeting add 4/3/2027 10:00")
    out = await board.run(":as @mia", "/board apologies M1 deputy @owen")
    assert reply(out)["text"] == "Apologies from Mia Lund recorded for M1; Owen Pike will attend instead."
    [deputy] = dms(out)
    assert deputy["to"] == "@owen"
    assert deputy["text"].startswith("@mia has named you as their deputy for M1")
    assert "Thu 7 Jan 2027 10:00" in deputy["text"]
    assert await said(board, ":as @lead", "/board apologies") == "Apologies from Lee Moss recorded for M1."
    await board.run(":as @zoe")
    assert await unchanged(board, "/board meeting show M1", "/board apologies M1 deputy @owen") == [
        "Observers can't name a deputy.\n  Ask the member you're deputising for, or the secretariat."]
    assert await said(board, "/board apologies M2") == "Apologies from Zoe Hart recorded for M2."
    answers = await unchanged(board, "/board meeting show M1", "/board apologies M9", "/board apologies X1",
                              "/board apologies M1 deputy @nobody")
    assert answers[0] == "There is no meeting M9.\n  `/board meeting list` shows the meetings there are."
    assert answers[1].startswith("“X1” is not a meeting reference.")
    assert answers[2].startswith("I don't know anyone called “@nobody”.")
    shown = flat(await said(board, "/board meeting show M1"))
    assert "Apologies: 2" in shown
    pack = await said(board, "/board meeting pack M1")
    assert "Apologies\n  • @mia (deputy: @owen)\n  • @lead\n" in pack


async def test_meeting_pack_has_agenda_late_papers_and_actions_without_traction(board: BoardConsole) -> None:
    await board.run(
        ":now 2026-11-02T10:00", "/board meeting add 7/1/2027 10:00 at Guildhall",
        "/board action add Stalled action @owen due 31/1/2027",
        "/board action add Fresh action @mia due 31/1/2027",
        ":as @mia", "/board agenda propose Therapy waiting times spotlight",
        ":now 2026-12-30T09:00", "/board action update A2 on track",
        "/board agenda propose Late business",
        ":as @sec", "/board agenda accept G1", "/board agenda decline G2 not this time",
        "/board agenda propose Transport paper https://example.org/transport.pdf",
    )
    pack = await said(board, "/board meeting pack")
    lines = pack.splitlines()
    assert lines[0] == "Meeting pack: M1 Thu 7 Jan 2027 10:00 at Guildhall"
    agenda = pack.split("Agenda\n")[1].split("Apologies")[0]
    assert agenda.splitlines() == [
        "  • G1 Therapy waiting times (spotlight) — proposed by @mia — no paper",
        "  • G3 Transport — proposed by @sec — paper: https://example.org/transport.pdf  [proposed, late]",
    ]  # the declined item is left out
    stalled = pack.split("Actions without traction\n")[1].splitlines()
    assert stalled[0].startswith("  • A1 Stalled action — @owen, due Sun 31 Jan 2027")
    assert not any("A2" in line for line in stalled)
    assert reply(await board.run("/board meeting pack M1"))["refs"] == ["M1", "G1", "G3", "A1"]
