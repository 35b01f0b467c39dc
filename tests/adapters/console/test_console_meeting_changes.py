"""Moving and cancelling meetings: the working-day deadlines and the agenda follow."""

from tests.adapters.console.steps import flat, reply, said
from tests.harness import BoardConsole


async def test_moving_a_meeting_moves_its_deadlines_and_clears_lateness(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board meeting add 7/1/2027 10:00 at Guildhall",
                    "/board agenda propose Transport for M1",
                    ":now 2026-12-30T10:00", "/board agenda propose Short breaks for M1")
    assert "[proposed, late]" in await said(board, "/board agenda list M1")
    out = await board.run("/board meeting move M1 21/1/2027 10:00 until 12:00")
    text = flat(reply(out)["text"])
    assert text.startswith("Meeting M1 moved.")
    assert "Papers due: Wed 13 Jan 2027 (6 working days before)" in text
    assert "Circulated: Thu 14 Jan 2027 (5 working days before)" in text
    assert "Where: Guildhall" in text  # the place stays unless a new one is given
    assert "[proposed, late]" not in await said(board, "/board agenda list M1")


async def test_cancelling_sends_the_agenda_back_to_the_forward_plan(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board meeting add 7/1/2027 10:00", "/board meeting add 4/3/2027 10:00",
                    "/board agenda propose Transport for M1")
    assert await said(board, ":as @owen", "/board meeting cancel M1") == (
        "Only the chair or secretariat can cancel meetings.\n  Ask the secretariat if you think this is wrong.")
    assert await said(board, ":as @sec", "/board meeting cancel M1 not quorate") == (
        "Meeting M1 cancelled (not quorate); 1 agenda item moved to the forward plan.")
    assert "G1 Transport" in await said(board, "/board agenda list forward")
    assert (await said(board, "/board meeting next")).startswith("M2 Thu 4 Mar 2027 10:00")
    assert (await said(board, "/board meeting move M1 14/1/2027 10:00")).startswith("M1 was cancelled.")
    assert await said(board, "/board meeting cancel M1") == "M1 is already cancelled."


async def test_a_move_is_checked_like_a_new_meeting(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board meeting add 7/1/2027 10:00", "/board meeting add 14/1/2027 10:00")
    assert await said(board, "/board meeting move M1 14/1/2027 10:00") == "M2 already starts at that time."
    assert (await said(board, "/board meeting move M1 1/11/2026 10:00")).startswith("“1/11/2026” is Sun 1 Nov 2026")
    assert (await said(board, "/board meeting move M9 14/2/2027 10:00")).startswith("There is no meeting M9.")
    assert (await said(board, "/board meeting show M1")).startswith("M1 Thu 7 Jan 2027 10:00")


async def test_apologies_name_the_standing_deputy(board: BoardConsole) -> None:
    await board.run('/board member add @ravi "Ravi Shah" initials RS org "ICB" role member deputy @lead',
                    ":as @sec", "/board meeting add 7/1/2027 10:00")
    out = await board.run(":as @ravi", "/board apologies")
    assert reply(out)["text"] == "Apologies from Ravi Shah recorded for M1; Lee Moss will attend instead."
    assert [m["to"] for m in out if m["kind"] == "dm"] == ["@lead"]


async def test_an_observer_is_not_left_owning_actions_unnoticed(board: BoardConsole) -> None:
    await board.run("/board action add Survey the special schools @mia due 4/12/2026")
    text = await said(board, "/board member role @mia observer")
    assert text.startswith("Mia Lund's role is now observer.")
    assert "Observers don't own actions" in text and "A1 Survey the special schools" in text
