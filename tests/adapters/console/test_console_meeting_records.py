"""A meeting end to end through the console: standing items, presenters, timings
and order; forward-plan items scheduled; apologies on behalf with deputies who
are not on the board; attendance with guests; minutes, decisions and approval;
the action list by meeting and with combined filters."""

from __future__ import annotations

from tests.adapters.console.steps import flat, refused, replies, said, unchanged
from tests.harness import BoardConsole

MEETING = "/board meeting add 21/1/2027 10:00 until 12:00 at Guildhall"


async def _agenda(board: BoardConsole) -> None:
    await board.run(":as @sec", '/board agenda standing add "Welcome and apologies" presenter @chair minutes 5',
                    MEETING)


async def test_standing_items_presenters_order_and_the_forward_plan(board: BoardConsole) -> None:
    await _agenda(board)
    listed = await said(board, "/board agenda standing list")
    assert "Welcome and apologies — @chair — 5 min" in listed
    out = await said(board, "/board agenda propose Short breaks review presenter @owen minutes 20 for M1")
    assert out.startswith("Agenda item G2 proposed.")
    out = await said(board, "/board agenda propose Therapies spotlight forward")
    assert "G3 Therapies spotlight\n" in out + "\n" and "the forward plan" in out
    assert "G3 Therapies spotlight" in await said(board, "/board agenda forward")
    assert await said(board, "/board agenda schedule G3 for M1") == "G3 Therapies spotlight is on the agenda for M1."
    await board.run("/board agenda propose Not wanted for M1", "/board agenda decline G4 out of scope")
    assert (await said(board, "/board agenda order M1 G1 G3 G2")).startswith("Agenda order for M1 set.")
    lines = (await said(board, "/board agenda list M1")).splitlines()
    assert lines[1:4] == [
        "  • G1 Welcome and apologies — @chair — 5 min — standing item",
        "  • G3 Therapies spotlight — proposed by @sec — no paper  [proposed]",
        "  • G2 Short breaks review — @owen — 20 min — proposed by @sec — no paper  [proposed]",
    ]  # the declined G4 is neither listed nor counted
    assert "Agenda: 3 items" in flat(await said(board, "/board meeting show M1"))
    pack = await said(board, "/board meeting pack M1")
    assert pack.endswith("\n  📎 Meeting pack M1: `partnerbot pack M1 --format pdf`")
    shown = flat(await said(board, "/board agenda show G2"))
    assert "Presenter: @owen" in shown and "Time: 20 minutes" in shown and "For: M1 Thu 21 Jan 2027" in shown
    # a meeting added later gets the standing items too; removing one takes it off upcoming agendas
    await board.run("/board meeting add 18/3/2027 10:00")
    assert "G5 Welcome and apologies" in await said(board, "/board agenda list M2")
    assert await said(board, "/board agenda standing remove S1") == (
        "Standing item S1 “Welcome and apologies” removed from future agendas.")
    assert "Welcome" not in await said(board, "/board agenda list M2")


async def test_agenda_refusals_change_nothing(board: BoardConsole) -> None:
    await _agenda(board)
    await board.run("/board agenda propose Short breaks review for M1")
    answers = await unchanged(board, "/board agenda list M1",
                              "/board agenda order M1 G2 G9", "/board agenda order M1 G2 G2",
                              "/board agenda schedule G2", "/board agenda propose Waits minutes 999",
                              '/board agenda standing add "AOB" presenter @nobody')
    assert answers[0] == "G9 is not on the agenda of M1.\n  `/board agenda list M1` shows its items."
    assert answers[1].startswith("An item is listed twice.")
    assert answers[2] == "Which meeting? Add `for M5`.\n  For example: `agenda schedule G4 for M5`"
    assert answers[3].startswith("“999” is not a number of minutes from 1 to 240.")
    assert answers[4].startswith("I don't know anyone called “@nobody”.")
    await board.run(":as @mia")
    assert (await refused(board, "/board agenda order M1 G2 G1")).startswith(
        "Only the chair or secretariat can order the agenda.")


async def test_accepting_a_deferred_item_for_a_meeting_puts_it_there(board: BoardConsole) -> None:
    await board.run(":as @sec", MEETING, "/board meeting add 18/3/2027 10:00", "/board agenda propose Transport for M1",
                    "/board agenda defer G1 next time")
    assert await said(board, "/board agenda accept G1 for M2") == "G1 Transport: accepted for M2."
    assert "G1 Transport" in await said(board, "/board agenda list M2")
    assert "G1" not in await said(board, "/board agenda forward")


async def test_apologies_on_behalf_with_deputies_on_and_off_the_board(board: BoardConsole) -> None:
    await _agenda(board)
    assert await said(board, '/board apologies M1 for @mia deputy "Jane Roe, Kingfisher School"') == (
        "Apologies from Mia Lund recorded for M1; Jane Roe, Kingfisher School will attend instead.")
    out = await said(board, '/board apologies M1 for @owen deputy "jane roe, kingfisher school"')
    assert "⚠ jane roe, kingfisher school is also deputising for Mia Lund at M1" in out
    assert await said(board, "/board apologies M1 @chair") == "Apologies from Cara Hale recorded for M1."
    shown = await said(board, "/board meeting attendance M1")
    assert "  • @mia (deputy: Jane Roe, Kingfisher School)" in shown and "  • @chair" in shown
    assert "Apologies from Sam Reed" not in shown
    assert await said(board, "/board apologies withdraw M1 for @owen") == "Apologies from Owen Pike for M1 withdrawn."
    assert "@owen" not in (await said(board, "/board meeting attendance M1")).split("Apologies")[1]
    await board.run(":as @mia")
    assert (await refused(board, "/board apologies M1 for @owen")).startswith(
        "Only the chair or secretariat can record apologies for someone else.")
    assert (await refused(board, "/board apologies withdraw M1 for @owen")).startswith("Only the chair")


async def test_attendance_minutes_decisions_and_approval(board: BoardConsole) -> None:
    await _agenda(board)
    await board.run("/board agenda propose Short breaks review for M1", "/board agenda accept G2")
    assert (await refused(board, "/board minutes M1 G2 Too early")).startswith("M1 hasn't started yet")
    await board.run(":now 2027-01-21T12:30", '/board apologies M1 for @mia deputy "Jane Roe, Kingfisher School"')
    out = await said(board, '/board meeting attendance M1 present CH SR OP @lead guest "Ann Lee, DfE"')
    assert out.startswith("Attendance for M1: 5 added.")
    assert "  • @owen (OP)" in out and "  • Ann Lee, DfE (guest)" in out
    assert out.split("Absent\n")[1].splitlines() == ["  • @pat (PQ)"]  # observers are not expected
    assert await said(board, "/board minutes M1 G2 Breaks review discussed; demand up 12%.") == (
        "Minute recorded for M1 G2.")
    assert await said(board, "/board minutes M1 decision G2 Commission a second provider.") == (
        "Decision recorded for M1 G2.")
    await board.run("/board action add Draft the short breaks tender OP due 18/2/2027 meeting M1",
                    "/board action add Unrelated @mia due 18/2/2027")
    listed = await said(board, "/board action list meeting M1")
    assert "A1 Draft the short breaks tender — @owen" in listed and "Unrelated" not in listed
    minutes = await said(board, "/board minutes M1")
    assert minutes.startswith("Minutes: M1 Thu 21 Jan 2027 10:00 at Guildhall (draft)")
    assert "G2 Short breaks review\n  • Breaks review discussed; demand up 12%.\n" \
           "  • Decision: Commission a second provider." in minutes
    assert "Actions agreed\n  • A1 Draft the short breaks tender — @owen, due Thu 18 Feb 2027" in minutes
    approved = await board.run("/board minutes M1 approve")
    assert [(m["to"], m["text"]) for m in approved if m["kind"] == "post"] == [
        ("#board", "The minutes of M1 Thu 21 Jan 2027 10:00 at Guildhall are approved.")]
    assert replies(approved)[-1]["text"] == (
        "The minutes of M1 are approved; changes from now on are audited.\n"
        "  📎 Minutes of M1: `partnerbot minutes M1 --format pdf`")
    assert "(approved Thu 21 Jan 2027)" in await said(board, "/board minutes M1")
    out = await said(board, "/board minutes M1 G2 Correction: demand up 11%.")
    assert "⚠ These minutes were approved on Thu 21 Jan 2027; the change is recorded in the audit log." in out
    answers = await unchanged(board, "/board minutes M1", "/board minutes M1 G9 text", "/board minutes M1 approve",
                              "/board minutes M1 decision G2", "/board meeting attendance M1 present @nobody")
    assert answers[0].startswith("G9 is not on the agenda of M1.")
    assert answers[1] == "The minutes of M1 were already approved."
    assert answers[2].startswith("The minute's text is missing.")
    assert answers[3].startswith("I don't know anyone called “@nobody”.")


async def test_action_filters_combine(board: BoardConsole) -> None:
    await board.run(":as @sec", ":now 2026-11-02T10:00",
                    "/board action add Late in W1 @owen due 5/11/2026 ws W1",
                    "/board action add Late elsewhere @owen due 5/11/2026",
                    "/board action add Later in W1 @mia due 5/1/2027 ws W1",
                    "/board action add Finished @mia due 5/1/2027", "/board action done A4",
                    ":now 2026-11-20T10:00")
    assert (await said(board, "/board action list overdue ws W1")).splitlines()[0] == (
        "Overdue actions in Local provision (1)")
    assert "A1 Late in W1" in await said(board, "/board action list overdue ws W1")
    out = await said(board, "/board action list @owen overdue")
    assert out.splitlines()[0] == "Overdue actions owned by Owen Pike (2)"
    done = await said(board, "/board action list done")
    assert done.splitlines()[0] == "Done actions (1)" and "A4 Finished" in done
    assert await refused(board, "/board action list overdu") == (
        "I don't know the filter “overdu”.\n  Did you mean `action list overdue`? "
        "Filters: `action list [mine|overdue|due-soon|done|all] [@person] [ws W2] [meeting M4]`.")


async def test_meeting_add_warns_when_the_paper_deadline_has_passed(board: BoardConsole) -> None:
    out = await said(board, ":as @sec", ":now 2027-01-18T10:00", MEETING)
    assert "⚠ The paper deadline (Wed 13 Jan 2027) has already passed" in out
    assert "paper deadline" not in await said(board, "/board meeting add 18/3/2027 10:00")


async def test_workstream_leads_name_and_closing(board: BoardConsole) -> None:
    await board.run(":as @sec")
    assert await said(board, "/board workstream lead W1 add @mia") == "Mia Lund now leads W1 Local provision."
    assert await said(board, "/board workstream lead W1 remove @lead") == (
        "Lee Moss no longer leads W1 Local provision.")
    assert await said(board, '/board workstream rename W1 "SEND provision"') == (
        "W1 Local provision is now called SEND provision.")
    assert "W1 SEND provision — led by @mia" in await said(board, "/board workstream list")
    await board.run("/board action add Map the places @owen due 5/1/2027 ws W1")
    assert await said(board, "/board workstream close W1") == (
        "W1 SEND provision is closed. Its 1 open action stays with it until done, and overdue ones still go to "
        "its lead.")
    assert "[closed]" in await said(board, "/board workstream list")
    answers = await unchanged(board, "/board workstream list", "/board action add More @owen due 5/1/2027 ws W1",
                              "/board workstream lead W1 add @owen", "/board workstream close W9")
    assert answers[0].startswith("W1 SEND provision is closed.")
    assert answers[1] == "W1 SEND provision is closed."
    assert answers[2].startswith("There is no workstream W9.")


async def test_a_workstream_keeps_at_least_one_lead(board: BoardConsole) -> None:
    await board.run(":as @sec")
    assert (await refused(board, "/board workstream lead W1 remove @lead")).startswith("W1 would have no lead.")
    assert (await refused(board, "/board workstream lead W1 add @lead")) == "Lee Moss already leads W1."
    await board.run(":as @mia")
    assert (await refused(board, "/board workstream rename W1 Mine")).startswith(
        "Only the chair or secretariat can rename workstreams.")
