"""The risk register through the console: propose, accept, update, review, close,
link mitigating actions, list and show. Today is Mon 2 Nov 2026, 10:00."""

from __future__ import annotations

from tests.adapters.console.steps import dms, flat, refused, reply, said, unchanged
from tests.harness import BoardConsole

PROVIDER = ("/board risk add Short breaks provider may withdraw ws W1 impact Families lose respite "
            "strategy mitigate score moderate owner @owen")
PARTNERS = ("/board risk add Partners disengage impact No traction on system change strategy mitigate "
            "score high owner @chair review every 3 months")


async def test_a_member_proposes_and_only_the_lead_chair_or_secretariat_accepts(board: BoardConsole) -> None:
    out = await board.run(":as @owen", PROVIDER)
    assert flat(reply(out)["text"]).splitlines()[:3] == [
        "Risk R1 proposed; the chair, the secretariat or the workstream's lead will accept it onto the register.",
        "R1 Short breaks provider may withdraw", "Score: moderate (proposed)"]
    [to_lead] = dms(out)
    assert to_lead["to"] == "@lead" and "Accept it with `/board risk accept R1`" in to_lead["text"]
    assert "R1 Short breaks provider may withdraw — @owen, review Tue 2 Feb 2027  [moderate · proposed]" in \
        await said(board, "/board risk list")
    await board.run(":as @mia")
    [mia] = await unchanged(board, "/board risk show R1", "/board risk accept R1")
    assert mia.startswith(
        "Only the chair, the secretariat or the workstream's lead (@lead) can accept a proposed risk.")
    out = await board.run(":as @lead", "/board risk accept R1")
    assert reply(out)["text"].startswith("R1 is on the register.")
    assert [m["to"] for m in dms(out)] == ["@owen"]
    assert "R1 is already accepted." in await refused(board, "/board risk accept R1")


async def test_managers_add_straight_onto_the_register_ordered_by_score_then_age(board: BoardConsole) -> None:
    await board.run(":as @sec", PROVIDER, PARTNERS,
                    "/board risk add Low take-up of personal budgets impact Less choice strategy accept score low "
                    "owner @mia", "/board risk add Workforce gaps in therapies impact Delays strategy transfer "
                    "score high owner @lead")
    listed = flat(await said(board, "/board risk list")).splitlines()
    assert [line.split()[1] for line in listed[1:]] == ["R2", "R4", "R1", "R3"]
    assert listed[0] == "Risk register (4)"
    assert [line.split()[1] for line in flat(await said(board, "/board risk list high")).splitlines()[1:]] == \
        ["R2", "R4"]
    assert [line.split()[1] for line in flat(await said(board, "/board risk list ws W1")).splitlines()[1:]] == ["R1"]
    assert "No risks match." in await said(board, "/board risk list due-review")


async def test_score_mitigation_owner_review_and_close_are_kept_in_history(board: BoardConsole) -> None:
    await board.run(":as @sec", PROVIDER, ":as @owen")
    assert (await said(board, "/board risk update R1 score high because the provider gave notice")).startswith(
        "R1 is now scored high.")
    await board.run("/board risk update R1 mitigation Second provider being commissioned")
    out = await board.run("/board risk owner R1 @mia")
    assert [m["to"] for m in dms(out)] == ["@mia"]
    await board.run(":now 2026-12-01T10:00", ":as @mia")
    assert (await said(board, "/board risk review R1 provider confirmed contract to March")).startswith(
        "Review of R1 recorded; the next is due Mon 1 Mar 2027.")
    shown = flat(await said(board, "/board risk show R1"))
    for line in ("Score: high", "Mitigation: Second provider being commissioned", "Owner: @mia",
                 "Review: Mon 1 Mar 2027 (every 3 months)",
                 "• Mon 2 Nov 2026 10:00 @owen score: moderate → high: the provider gave notice",
                 "• Tue 1 Dec 2026 10:00 @mia review: provider confirmed contract to March"):
        assert line in shown, line
    assert (await said(board, "/board risk close R1 second provider in place")).startswith("R1 closed.")
    assert "No risks match." in await said(board, "/board risk list")
    assert "R1 Short breaks" in await said(board, "/board risk list closed")
    assert "R1 is closed." in await refused(board, "/board risk review R1 again")


async def test_mitigating_actions_are_listed_and_an_overdue_one_flags_a_high_risk(board: BoardConsole) -> None:
    await board.run(PARTNERS)
    out = await board.run("/board action add Hold a partner summit @lead due 20/11/2026 risk R1")
    assert "Mitigates R1 Partners disengage" in reply(out)["text"]
    shown = await said(board, "/board risk show R1")
    assert "Mitigating actions (1)\n  • A1 Hold a partner summit — @lead, due Fri 20 Nov 2026" in shown
    await board.run(":now 2026-11-25T10:00")
    assert "[high · mitigating action overdue]" in await said(board, "/board risk list")
    assert "A1 is overdue on a high risk" in await said(board, "/board risk show R1")
    await board.run("/board risk close R1 done")
    assert "R1 is closed." in await refused(board, "/board action add Another @lead due 30/11/2026 risk R1")


async def test_bad_input_is_explained_and_changes_nothing(board: BoardConsole) -> None:
    await board.run(PROVIDER)
    answers = await unchanged(
        board, "/board risk list",
        "/board risk add impact x strategy mitigate score high owner @owen",
        "/board risk add A risk strategy mitigate score high owner @owen",
        "/board risk add A risk impact x strategy hope score high owner @owen",
        "/board risk add A risk impact x strategy mitigate score severe owner @owen",
        "/board risk add A risk impact x strategy mitigate score high",
        "/board risk add A risk impact x strategy mitigate score high owner @owen review sometimes",
        "/board risk update R1 colour red",
        "/board risk update R1 score moderate",
        "/board risk show R9",
    )
    assert answers[0].startswith("The risk's title is missing.")
    assert answers[1].startswith("The risk's impact is missing.")
    assert answers[2].startswith("“hope” is not a strategy: use mitigate | accept | transfer | avoid.")
    assert answers[3].startswith("“severe” is not a score: use high | moderate | low.")
    assert answers[4].startswith("Who owns this risk? Add `owner @person`.")
    assert answers[5].startswith("I couldn't read “review sometimes”.")
    assert answers[6].startswith("Update the risk's `score` or its `mitigation`.")
    assert answers[7] == "R1 is already scored moderate."
    assert answers[8].startswith("There is no risk R9.\n  `/board risk list` shows the risks there are.")
    await board.run(":as @mia")
    [mia] = await unchanged(board, "/board risk show R1", "/board risk update R1 score high")
    assert mia.startswith("Only the risk's owner, the chair, the secretariat or the workstream's lead can")
    await board.run(":as @zoe")
    assert (await refused(board, PROVIDER)).startswith("Observers can't propose risks.")
