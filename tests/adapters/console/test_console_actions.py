"""Actions through the console: log, list, show, update, done, reopen, due,
assign, snooze, with their refusals. Today is Mon 2 Nov 2026, 10:00."""

from __future__ import annotations

from tests.adapters.console.steps import dms, flat, refused, reply, said, unchanged
from tests.harness import BoardConsole

EXAMPLE = "For example: `action add Circulate the workforce survey @owen due 15/1/2027 ws W1`"


async def test_action_add_tells_owners_and_shows_in_lists(board: BoardConsole) -> None:
    out = await board.run("/board action add Circulate the survey @owen @ML due next Friday ws W1")
    card = reply(out)
    assert card["refs"] == ["A1", "W1"]  # what it is about, then what it mentions
    assert flat(card["text"]).splitlines()[:6] == [
        "Action A1 logged.",
        "A1 Circulate the survey",
        "Owners: @owen, @mia",
        "Due: Fri 6 Nov 2026",
        "Status: open",  # 4 working days away: "due soon" is within the board's due_soon_working_days (3)
        "Workstream: W1 Local provision",
    ]
    told = {m["to"]: m["text"] for m in dms(out)}
    assert set(told) == {"@owen", "@mia"}  # never the person who logged it
    assert told["@owen"].startswith("@chair logged an action for you: A1 Circulate the survey, due Fri 6 Nov 2026")
    assert "[Done] [Update] [Snooze] [Open]" in told["@owen"]
    listed = await said(board, "/board action list")
    assert listed.endswith("• A1 Circulate the survey — @owen, @mia, due Fri 6 Nov 2026")  # no flag
    shown = await said(board, "/board action show A1")
    assert "Mon 2 Nov 2026 10:00 @chair created" in shown


async def test_action_add_bad_input_is_explained_and_changes_nothing(board: BoardConsole) -> None:
    answers = await unchanged(
        board, "/board action list all",
        "/board action add",
        "/board action add Circulate the survey due tomorrow",
        "/board action add @owen due tomorrow",
        "/board action add Circulate the survey @owen",
        "/board action add Circulate the survey @nobody due tomorrow",
        "/board action add Circulate the survey @owen due 31/2",
        "/board action add Circulate the survey @owen due 1/1/2026",
        "/board action add Circulate the survey @owen due whenever",
        "/board action add Circulate the survey @owen due tomorrow ws W9",
        "/board action add Circulate the survey @owen due tomorrow meeting M3",
        "/board action add " + "x" * 4001 + " @owen due tomorrow",
        "/board action add Circulate the survey @owen due 1/11",
    )
    assert answers[0] == f"The action's text is missing.\n  {EXAMPLE}"
    assert answers[1] == f"Who owns this action? Name at least one owner.\n  {EXAMPLE}"
    assert answers[2] == f"The action's text is missing.\n  {EXAMPLE}"
    assert answers[3] == f"When is it due? Add `due <date>`.\n  {EXAMPLE}"
    assert answers[4].startswith("I don't know anyone called “@nobody”.\n  Name people by @handle, initials (AW)")
    assert answers[5].startswith("“31/2” is not a real date.\n  Write dates like 12/3/2027")
    assert answers[6].startswith("“1/1/2026” is Thu 1 Jan 2026, which is in the past.\n"
                                 "  Give a date from today (Mon 2 Nov 2026) on.")
    assert answers[7].startswith("I couldn't read “whenever” as a date.\n  Write dates like")
    assert answers[8] == "There is no workstream W9.\n  `/board workstream list` shows the workstreams there are."
    assert answers[9] == "There is no meeting M3.\n  `/board meeting list` shows the meetings there are."
    assert answers[10].startswith("The action's text is 4001 characters; the limit is 4,000.")
    assert answers[11] == ("“1/11” has no year; I read it as Mon 1 Nov 2027, nearly a year away.\n"
                           "  If you meant that, write 1/11/2027.")
    assert "All actions (0)" in await said(board, "/board action list all")


async def test_observers_cannot_log_actions_and_non_members_are_told_to_ask(board: BoardConsole) -> None:
    await board.run(":as @zoe")
    [observer] = await unchanged(board, "/board action list all", "/board action add Read the pack @zoe due tomorrow")
    assert observer == ("Observers can't log actions.\n"
                        "  Ask the member you're deputising for, or the secretariat.")
    await board.run(":as @stranger")
    [stranger] = await unchanged(board, "/board action list all", "/board action add Read it @owen due tomorrow")
    assert stranger == ("You're not a member of this board yet.\n"
                        "  Ask the chair or secretariat to add you with `/board member add`.")


async def test_owner_updates_and_completes_and_the_logger_is_told(board: BoardConsole) -> None:
    await board.run("/board action add Draft the sufficiency paper @mia due 20/11/2026")
    out = await board.run(":as @mia", "/board action update A1 first draft shared with heads")
    assert reply(out)["text"].startswith("Progress noted on A1.")
    out = await board.run(":now 2026-11-03T09:00", "/board action done A1 published on the local offer")
    assert reply(out)["text"].startswith("A1 is done. Thank you!")
    assert "Status: done" in flat(reply(out)["text"])
    assert [m["text"].splitlines()[0] for m in dms(out)] == [
        "@mia marked A1 done: Draft the sufficiency paper"]
    assert dms(out)[0]["to"] == "@chair"
    assert await refused(board, "/board action done A1") == (
        "A1 is already done.\n  `/board action reopen A1` if there's more to do.")
    assert "Open actions (0)" in await said(board, "/board action list")
    assert "A1 is open again." in await said(board, ":as @chair", "/board action reopen A1")
    assert await refused(board, "/board action reopen A1") == "A1 is already open."
    history = await said(board, "/board action show A1")
    assert history.split("History\n")[1].splitlines() == [
        "  • Mon 2 Nov 2026 10:00 @chair created",
        "  • Mon 2 Nov 2026 10:00 @mia note: first draft shared with heads",
        "  • Tue 3 Nov 2026 09:00 @mia done: published on the local offer",
        "  • Tue 3 Nov 2026 09:00 @chair reopen",
    ]


async def test_who_may_edit_and_steer_an_action(board: BoardConsole) -> None:
    await board.run(":as @owen", "/board action add Map therapy waiting times @mia due 27/11/2026 ws W1")
    await board.run(":as @zoe")
    only_editors = ("Only the action's owners, whoever logged it, its workstream lead, the chair or secretariat can "
                    "{}.\n  Ask the secretariat if you think this is wrong.")
    only_stewards = ("Only whoever logged the action, its workstream lead, the chair or secretariat can {}.\n"
                     "  Ask the secretariat if you think this is wrong.")
    assert await unchanged(board, "/board action show A1", "/board action update A1 looked at it",
                           "/board action done A1", "/board action snooze A1 7") == [
        only_editors.format("update this action"), only_editors.format("mark this action done"),
        only_editors.format("snooze this action")]
    await board.run(":as @mia")  # the owner may report progress but not move the date or hand it on
    assert await unchanged(board, "/board action show A1", "/board action due A1 end of month",
                           "/board action assign A1 @owen") == [
        only_stewards.format("move this action's due date"), only_stewards.format("reassign this action")]
    await board.run(":as @lead")  # W1's lead may
    assert "A1 is now due Mon 30 Nov 2026." in await said(board, "/board action due A1 end of month")


async def test_moving_the_due_date_and_reassigning_tell_the_owners(board: BoardConsole) -> None:
    await board.run("/board action add Book venues @owen due 20/11/2026")
    out = await board.run(":now 2026-11-02T10:01", "/board action due A1 in 3 working days")
    assert reply(out)["text"].startswith("A1 is now due Thu 5 Nov 2026.")
    assert [(m["to"], m["text"].splitlines()[0]) for m in dms(out)] == [
        ("@owen", "A1 Book venues is now due Thu 5 Nov 2026")]
    out = await board.run(":now 2026-11-02T10:02", "/board action assign A1 @mia @PQ")
    assert "Owners: @mia, @pat" in flat(reply(out)["text"])
    assert sorted(m["to"] for m in dms(out)) == ["@mia", "@owen", "@pat"]
    assert dms(out, "@mia")[0]["text"].startswith("@chair gave you action A1 Book venues, due Thu 5 Nov 2026")
    assert dms(out, "@owen")[0]["text"].startswith("@chair gave A1 Book venues to @mia, @pat.")
    answers = await unchanged(board, "/board action show A1", "/board action due A1", "/board action due A1 12/13",
                              "/board action assign A1", "/board action assign A1 @nobody")
    assert answers[0] == "What's the new due date?\n  For example: `action due A12 end of month`"
    assert answers[1].startswith("“12/13” is not a real date.")
    assert answers[2] == "Who should own it?\n  For example: `action assign A12 @mia`"
    assert answers[3].startswith("I don't know anyone called “@nobody”.")


async def test_notices_at_the_same_clock_time_are_not_lost(board: BoardConsole) -> None:
    """The console's clock stands still (as in `--now` and the demo): every change must still be told."""
    await board.run("/board action add Book venues @owen due 20/11/2026")
    out = await board.run("/board action due A1 27/11/2026")
    assert dms(out, "@owen"), "core bug: the notice reused the dedupe key of the earlier one and was dropped"



async def test_snooze_pauses_reminders_but_keeps_the_due_date(board: BoardConsole) -> None:
    await board.run("/board action add Audit health advice returns @owen due 4/11/2026")
    await board.run(":as @owen")
    text = await said(board, "/board action snooze A1 7")
    assert text.startswith("Reminders for A1 paused until Mon 9 Nov 2026; it is still due Wed 4 Nov 2026.")
    assert "Reminders: snoozed until Mon 9 Nov 2026" in flat(text)
    assert "[snoozed]" in await said(board, "/board action list")
    assert "paused until Fri 13 Nov 2026" in await said(board, "/board action snooze A1 13/11/2026")
    answers = await unchanged(board, "/board action show A1", "/board action snooze A1", "/board action snooze A1 0",
                              "/board action snooze A1 200", "/board action snooze A1 1/1/2026")
    assert answers[0] == "Snooze for how long?\n  Give days (`7`) or a date (`next Monday`)."
    assert answers[1] == answers[2] == "Snooze for 1 to 90 days.\n  For example: `action snooze A12 7`"
    assert answers[3].startswith("“1/1/2026” is Thu 1 Jan 2026, which is in the past.")


async def test_action_list_views(board: BoardConsole) -> None:
    await board.run(
        "/board action add Report caseload figures @owen due 3/11/2026 ws W1",
        "/board action add Review the pathway @mia due 30/11/2026",
        "/board action add Share the directory @mia @owen due 6/11/2026",
        "/board action add Closed already @lead due 30/11/2026",
        "/board action done A4",
        ":now 2026-11-05T10:00",
    )

    async def refs(scope: str, who: str = "@chair") -> list[str]:
        out = await board.run(f":as {who}", f"/board action list {scope}".strip())
        return reply(out)["refs"]

    assert await refs("") == ["A1", "A3", "A2"]  # open, by due date
    assert await refs("overdue") == ["A1"]
    assert "A1 Report caseload figures — @owen, due Tue 3 Nov 2026  [overdue 2 working days]" in await said(
        board, "/board action list overdue")
    assert await refs("due-soon") == ["A3"]
    assert await refs("mine", "@mia") == ["A3", "A2"]
    assert await refs("@owen") == ["A1", "A3"]
    assert await refs("OP") == ["A1", "A3"]
    assert await refs('"Mia Lund"') == ["A3", "A2"]
    assert await refs("ws W1") == ["A1"]
    assert await refs("all") == ["A1", "A3", "A2", "A4"]
    assert await refused(board, "/board action list ws") == "Which workstream?\n  For example: `action list ws W2`"
    assert (await refused(board, "/board action list @nobody")).startswith("I don't know anyone called “@nobody”.")


async def test_unknown_and_malformed_action_references(board: BoardConsole) -> None:
    answers = [await refused(board, line) for line in (
        "/board action show A9", "/board action update A9 progress", "/board action done X1", "/board action show")]
    assert answers[0] == answers[1] == "There is no action A9.\n  `/board action list` shows the actions there are."
    assert answers[2].startswith("“X1” is not an action reference.\n")
    assert "A12" in answers[2]
    assert answers[3] == "Which action? A reference is missing.\n  For example: `action show A12`"


async def test_mentions_inside_the_text_stay_text(board: BoardConsole) -> None:
    out = await board.run("/board action add Ask @mia about the due diligence report @owen due 12/3")
    assert flat(reply(out)["text"]).splitlines()[1:4] == [
        "A1 Ask @mia about the due diligence report", "Owners: @owen", "Due: Fri 12 Mar 2027"]
    assert [m["to"] for m in dms(out)] == ["@owen"]


async def test_owners_named_by_full_name(board: BoardConsole) -> None:
    out = await board.run('/board action add Draft the joint letter "Owen Pike" due tomorrow')
    assert "Owners: @owen" in flat(reply(out)["text"])



async def test_owners_by_initials_as_minutes_write_them(board: BoardConsole) -> None:
    out = await board.run("/board action add Book the room for the SEND forum OP ML due tomorrow")
    assert "A1 Book the room for the SEND forum" in reply(out)["text"]
    assert "Owners: @owen, @mia" in flat(reply(out)["text"])
    # An acronym that is nobody's initials stays part of the text, and then an owner is missing.
    assert "Who owns this action?" in await said(board, "/board action add Review the offer for SEND due tomorrow")
