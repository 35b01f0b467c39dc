"""Confidential issues: raised by command or by a parent rep's plain DM, seen
only by the raiser, the secretariat, the assignee and (after escalation) the
chair; the raiser hears of every change; the ladder is informal 28 days, then
the Chair, then the HWB joint chairs."""

from __future__ import annotations

from tests.adapters.console.steps import dms, flat, refused, reply, said, unchanged
from tests.harness import BoardConsole

CONCERN = "My son's EHCP review is three months late and nobody answers my emails"
HIDDEN = "There is no issue I{} that you can see.\n  `/board issue list` shows the issues shared with you."


async def test_a_parent_reps_plain_message_becomes_a_confidential_issue(board: BoardConsole) -> None:
    out = await board.run(":as @pat", CONCERN)
    assert reply(out)["refs"] == ["I1"]
    assert reply(out)["text"].splitlines() == [
        "Thank you. Your concern is logged as I1.",
        "It is confidential: only you, the secretariat and whoever is asked to help can see it.",
        "The secretariat will acknowledge it by Wed 4 Nov 2026. If it isn't resolved by Mon 30 Nov 2026, it goes to "
        "the Chair of the board.",
        "You'll hear from me each time something happens. `/board issue show I1` shows where it is.",
    ]
    # The secretariat is told there is a new issue, without its words (they may be health data).
    assert [(m["to"], m["text"]) for m in dms(out)] == [
        ("@sec", "New confidential issue I1 from @pat. Please acknowledge it: `/board issue ack I1`.")]
    # Commands still work in a DM; anything else is a concern.
    assert (await said(board, "help")).startswith("How I can help you")  # plain words for parents
    assert (await said(board, "help actions")).startswith("Actions: ")
    assert "Role: parent-rep" in flat(await said(board, "whoami"))
    assert f"I1 {CONCERN[:59]}…" in await said(board, "issue list")
    assert "(confidential)" in await said(board, "issue show I1")
    assert (await said(board, "/board issue raise The school transport keeps failing")).startswith(
        "Thank you. Your concern is logged as I2.")
    # A member's stray DM is not an issue: it's an unknown command.
    assert await said(board, ":as @mia", "hello there") == "Hello Mia. Type `help` to see what I can do."


async def test_confidential_issues_are_hidden_without_revealing_they_exist(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN)
    for who in ("@mia", "@zoe", "@lead", "@chair"):
        await board.run(f":as {who}")
        assert "No issues that you can see." in await said(board, "/board issue list all")
        answers = await unchanged(board, "/board issue list all", "/board issue show I1", "/board issue show I9",
                                  "/board issue ack I1", "/board issue assign I1 @owen", "/board issue resolve I1",
                                  "/board issue update I1 nosy", "/board issue escalate I1")
        assert answers[0] == HIDDEN.format(1)
        assert answers[1] == HIDDEN.format(9)  # the same words as for one that doesn't exist
        assert answers[2:] == [HIDDEN.format(1)] * 5
        assert "I1" not in await said(board, "/board deadlines 60")
        assert "I1" not in await said(board, "/board home")
    # The secretariat sees it; after escalation, so does the chair.
    assert CONCERN in await said(board, ":as @sec", "/board issue show I1")
    await board.run("/board issue escalate I1 no reply from the school")
    shown = await said(board, ":as @chair", "/board issue show I1")
    assert CONCERN in shown and "Stage: the Chair of the board" in flat(shown)
    assert "I1" in await said(board, "/board issue list")
    # ... but still not an ordinary member.
    assert await refused(board, ":as @mia", "/board issue show I1") == HIDDEN.format(1)


async def test_the_raiser_is_told_of_every_change(board: BoardConsole) -> None:
    """Each step a minute apart, as in real use (see the same-minute test below)."""
    await board.run(":as @pat", CONCERN, ":as @sec")

    async def step(minute: int, line: str, who: str = "@sec") -> list[dict]:
        out = await board.run(f":as {who}", f":now 2026-11-02T10:{minute:02d}", line)
        assert not reply(out)["text"].startswith(("There is no", "Only")), reply(out)
        return [m["text"] for m in dms(out, "@pat")]

    assert await step(1, "/board issue ack I1 we are looking into it") == [
        "Update on your concern I1: the secretariat has read it and is looking into it. We are looking into it."]
    out = await board.run(":now 2026-11-02T10:02", "/board issue assign I1 @owen")
    assert reply(out)["text"] == "I1 is now with Owen Pike."
    assert [(m["to"], m["text"]) for m in dms(out)] == [
        ("@owen", "@sec asked you to handle confidential issue I1. `/board issue show I1` shows it."),
        ("@pat", "Update on your concern I1: Owen Pike is now handling it.")]
    assert await step(3, "/board issue update I1 I have called the school", "@owen") == [
        "Update on your concern I1: I have called the school."]
    assert await step(4, "/board issue resolve I1 review booked for 12 Nov", "@owen") == [
        "Update on your concern I1: it has been marked resolved. Review booked for 12 Nov. If it isn't sorted for "
        "you, reply `/board issue reopen I1`."]
    assert await step(5, "/board issue reopen I1 still not booked") == [
        "Update on your concern I1: it has been reopened. If it isn't resolved by Mon 30 Nov 2026, it goes to the "
        "Chair of the board."]  # a fresh 28-day window from the reopen
    history = (await said(board, ":as @pat", "/board issue show I1")).split("History\n")[1].splitlines()
    assert [" ".join(line.split()[6:8]) for line in history] == [
        "@pat raised", "@sec ack:", "@sec assign:", "@owen update:", "@owen resolve:", "@sec reopen:"]


async def test_escalation_tells_the_raiser_and_the_chair_at_once(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN)
    out = await board.run(":as @sec", "/board issue escalate I1 no reply from the school")
    assert reply(out)["text"] == "I1 escalated to the Chair of the board."
    assert sorted(m["to"] for m in dms(out)) == ["@chair", "@pat"]


async def test_the_raiser_is_told_of_every_change_at_the_same_minute(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue ack I1")
    out = await board.run("/board issue resolve I1 review booked")
    assert dms(out, "@pat")


async def test_the_escalation_ladder(board: BoardConsole) -> None:
    await board.run(":as @chair", "/board board config hwb @lead", ":as @pat", CONCERN)
    assert await refused(board, "/board issue escalate I1") == (
        "Your concern is in its informal resolution window until Mon 30 Nov 2026.\n"
        "  You can ask for it to be escalated after that, or ask the secretariat.")
    await board.run(":now 2026-12-01T10:00")  # 29 days on: the raiser may escalate
    first = await board.run("/board issue escalate I1 nobody has replied")
    assert reply(first)["text"] == "I1 escalated to the Chair of the board."
    second = await board.run(":as @sec", "/board issue escalate I1 the chair asked for it")
    assert reply(second)["text"] == "I1 escalated to the Joint Chairs of the Health and Wellbeing Board."
    told = {m["to"]: m["text"] for m in dms(first + second) if "has come to" in m["text"]
            or "gone to" in m["text"]}
    assert told["@chair"].startswith("Confidential issue I1 raised by @pat on Mon 2 Nov 2026 has come to "
                                     "the Chair of the board because Pat Quinn asked for it to go further "
                                     "(nobody has replied).")
    assert told["@lead"].startswith("Confidential concern I1, raised on Mon 2 Nov 2026, has come to "
                                    "the Joint Chairs of the Health and Wellbeing Board because Sam Reed asked")
    assert told["@pat"].startswith("Your concern I1 has now gone to the Joint Chairs of the Health and Wellbeing "
                                   "Board")
    # The HWB joint chairs are not among those who may read a family's words (BRIEF, confidentiality).
    assert CONCERN not in told["@lead"]
    assert "@pat" not in told["@lead"]
    assert "`/board issue show I1` shows the secretariat's case summary" in told["@lead"]
    assert CONCERN in told["@chair"]
    assert await refused(board, "/board issue escalate I1") == (
        "I1 is already at the final stage (the Joint Chairs of the Health and Wellbeing Board).")
    shown = await said(board, "/board issue show I1")
    assert "It is with the Joint Chairs of the Health and Wellbeing Board, the final stage." in shown
    assert "Stage: the Joint Chairs of the Health and Wellbeing Board" in flat(shown)
    await board.run("/board issue resolve I1 settled")
    assert await refused(board, "/board issue escalate I1") == (
        "I1 is resolved.\n  `/board issue reopen I1` opens it again.")


async def test_who_may_handle_an_issue(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue assign I1 @owen")
    # The assignee may handle it, the raiser may add to it and reopen it, but not close it.
    assert await said(board, ":as @owen", "/board issue ack I1") == "I1 acknowledged; the raiser has been told."
    await board.run(":as @pat")
    answers = await unchanged(board, "/board issue show I1", "/board issue resolve I1", "/board issue assign I1 @pat",
                              "/board issue ack I1")
    assert answers[:2] == [
        f"Only the secretariat, the issue's assignee or (once escalated) the chair can {verb} this issue.\n"
        "  Ask the secretariat if you think this is wrong." for verb in ("resolve", "assign")]
    out = await board.run("/board issue update I1 the school has now replied")
    assert reply(out)["text"] == "Note added to I1."
    assert sorted(m["to"] for m in dms(out)) == ["@owen", "@sec"]
    assert all(m["text"] == "The raiser added a note to confidential issue I1. `/board issue show I1` shows it."
               for m in dms(out))
    await board.run(":as @sec", "/board issue resolve I1")
    assert (await said(board, ":as @pat", "/board issue reopen I1 not really")).startswith("I1 is open again.\n")
    assert await refused(board, "/board issue reopen I1") == (
        "I1 is still open.\n  `/board issue add I1 <more>` adds to it.")


async def test_issue_bad_input(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec")
    answers = await unchanged(
        board, "/board issue show I1",
        "/board issue raise", "/board issue show", "/board issue show X1", "/board issue ack",
        "/board issue assign I1", "/board issue assign I1 @nobody", "/board issue update I1",
    )
    assert answers[0] == ("The concern is missing.\n  For example: `issue raise My son's EHCP review is three months "
                          "late and nobody answers my emails`")
    assert answers[1] == "Which issue? A reference is missing.\n  For example: `issue show I7`"
    assert answers[2].startswith("“X1” is not an issue reference.")
    assert answers[3] == "Which issue? A reference like I7 is missing.\n  For example: `issue ack I7`"
    assert answers[4] == "Who should handle it?\n  For example: `issue assign I7 @mia`"
    assert answers[5].startswith("I don't know anyone called “@nobody”.")
    assert answers[6] == "The note is missing.\n  For example: `issue update I7 called the school`"
    await board.run("/board issue ack I1")
    assert await refused(board, "/board issue ack I1") == "I1 was already acknowledged."


async def test_a_long_concern_is_kept_whole_but_echoed_shortened(board: BoardConsole) -> None:
    words = "The school has not followed the plan. " * 150  # about 5,700 characters
    out = await board.run(":as @pat", words)
    assert reply(out)["refs"] == ["I1"]
    shown = await said(board, "/board issue show I1")
    concern = shown.splitlines()[1]
    assert len(concern) == 4000 and concern.endswith("…")
    async with board.console.services.db.uow() as uow:
        assert (await uow.issues.get(1)).text == words.strip()


async def test_a_removed_secretariat_member_is_not_told_of_new_issues(board: BoardConsole) -> None:
    await board.run('/board member add @sam2 "Sam Two" initials ST role secretariat', "/board member remove @sam2")
    out = await board.run(":as @pat", CONCERN)
    assert [m["to"] for m in dms(out)] == ["@sec"]


async def test_escalation_without_a_reason_reads_well(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue escalate I1", "/board issue escalate I1")
    history = await said(board, "/board issue show I1")
    assert "the the" not in history
