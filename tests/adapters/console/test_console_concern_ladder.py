"""The ladder through every change (issue 16): reopening gives a fresh 28-day
window at the stage it was resolved at, every escalation tells everyone it
concerns with its true reason, the HWB joint chairs read the summary and
decide, withdrawing stops it, and the report names nobody."""

from __future__ import annotations

from tests.adapters.console.steps import dms, flat, refused, reply, said
from tests.harness import BoardConsole

CONCERN = "My son's EHCP review is three months late and nobody answers my emails"


def to(out: list[dict], who: str, ref: str = "I1") -> list[str]:
    return [m["text"] for m in dms(out, who) if ref in m["text"]]


async def test_reopening_returns_to_its_stage_with_a_fresh_window_and_a_true_reason(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", ":now 2026-11-20T10:00", "/board issue resolve I1 booked")
    out = await board.run(":as @pat", ":now 2026-11-25T10:00", "/board issue reopen I1 it was cancelled again")
    assert "If it isn't resolved by Wed 23 Dec 2026, it goes to the Chair of the board." in reply(out)["text"]
    # The original window (to 30 Nov) has passed: nothing climbs inside the fresh one.
    out = await board.run(":now 2026-12-01T10:00", ":tick", ":now 2026-12-22T10:00", ":tick")
    assert not to(out, "@chair")
    out = await board.run(":now 2026-12-24T10:00", ":tick")
    assert to(out, "@chair")[0].startswith(
        "Confidential issue I1 raised by @pat on Mon 2 Nov 2026 has come to the Chair of the board because it was "
        "reopened on Wed 25 Nov 2026 and was not resolved within 28 days.")
    # Resolved at the Chair's stage and reopened: back with the Chair, for a fresh 28 days.
    await board.run(":as @chair", ":now 2027-01-04T10:00", "/board issue resolve I1 meeting held")
    out = await board.run(":as @pat", ":now 2027-01-06T10:00", "/board issue reopen I1")
    assert reply(out)["text"].startswith("I1 is open again, with the Chair of the board.")
    assert "If it isn't resolved by Wed 3 Feb 2027" in reply(out)["text"]
    out = await board.run(":now 2027-02-01T10:00", ":tick")
    assert not to(out, "@sec")


async def test_every_escalation_tells_the_rung_the_secretariat_the_assignee_and_the_raiser(
        board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue ack I1", "/board issue assign I1 @owen")
    out = await board.run(":now 2026-12-01T10:00", ":tick")
    assert sorted(m["to"] for m in dms(out) if "I1" in m["text"]) == ["@chair", "@owen", "@pat", "@sec"]
    because = "because it was not resolved informally within 28 days"
    assert all(because in text for who in ("@chair", "@owen", "@pat", "@sec") for text in to(out, who))
    assert to(out, "@pat")[0].startswith("Your concern I1 has now gone to the Chair of the board, because it was")
    assert CONCERN not in to(out, "@owen")[0]  # handlers already know the words; the DM says where it went


async def test_the_hwb_joint_chairs_read_the_summary_and_decide(board: BoardConsole) -> None:
    await board.run(":as @chair", "/board board config hwb @lead @mia", ":as @pat", CONCERN)
    assert (await refused(board, ":as @lead", "/board issue show I1")).startswith("There is no issue I1")
    out = await board.run(":as @sec", "/board issue escalate I1", ":as @chair", "/board issue escalate I1 stuck")
    # Reaching the HWB, the secretariat is asked for the case summary the joint chairs will read.
    assert to(out, "@sec")[-1].endswith("Please write it: `/board issue summary I1 <summary>`.")
    assert sorted(m["to"] for m in dms(out) if "Health and Wellbeing" in m["text"]) == ["@lead", "@mia", "@pat",
                                                                                       "@sec"]
    shown = await said(board, ":as @lead", "/board issue show I1")
    assert "The secretariat has not written the case summary yet" in shown and CONCERN not in shown
    # Until the summary exists the secretariat is asked for it each working day (not at weekends).
    asks = []
    for day in ("2026-11-03", "2026-11-04", "2026-11-07"):
        out = await board.run(f":now {day}T10:00", ":tick")
        asks.append(len([m for m in dms(out, "@sec") if "needs a case summary" in m["text"]]))
    assert asks == [1, 1, 0]
    out = await board.run(":as @sec", ":now 2026-11-09T09:00", "/board issue summary I1 Annual review overdue; "
                          "school and SEN team disagree on who convenes it.")
    assert sorted(m["to"] for m in dms(out)) == ["@lead", "@mia"]
    assert not [m for m in dms(await board.run(":now 2026-11-10T10:00", ":tick"), "@sec")
                if "needs a case summary" in m["text"]]
    shown = await said(board, ":as @lead", "/board issue show I1")
    assert "school and SEN team disagree" in shown and CONCERN not in shown and "@pat" not in shown
    assert "I1 Annual review overdue" in await said(board, "/board issue list")
    assert (await refused(board, ":as @owen", "/board issue decide I1 no")).startswith("There is no issue I1")
    out = await board.run(":as @mia", "/board issue decide I1 The SEN team convenes the review within 10 days.")
    assert reply(out)["text"].startswith("Decision on I1 recorded")
    assert to(out, "@pat") == [
        "Update on your concern I1: the Joint Chairs of the Health and Wellbeing Board have made their decision, "
        "which is final: The SEN team convenes the review within 10 days. If you have questions about it, please "
        "contact the secretariat."]
    assert (await refused(board, ":as @pat", "/board issue reopen I1")).startswith(
        "The HWB joint chairs' decision on I1 is final, so it can't be reopened.\n  If something new has happened")
    assert not dms(await board.run(":now 2027-03-01T10:00", ":tick"))


async def test_withdrawing_stops_the_ladder_and_tells_the_handlers(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN)
    assert (await refused(board, ":as @sec", "/board issue withdraw I1")).startswith(
        "Only the person who raised a concern can withdraw it.")
    out = await board.run(":as @pat", "/board issue withdraw I1 we have a date now")
    assert reply(out)["text"].startswith("I1 is withdrawn")
    assert [m["to"] for m in dms(out)] == ["@sec"]
    assert not dms(await board.run(":now 2026-12-01T10:00", ":tick", ":now 2027-01-01T10:00", ":tick"))
    assert "Withdrawn by the raiser." in await said(board, ":as @sec", "/board issue show I1")


async def test_acknowledging_says_who_read_it(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue escalate I1")
    out = await board.run(":as @chair", "/board issue ack I1")
    assert to(out, "@pat") == ["Update on your concern I1: the Chair of the board has read it and is looking into "
                               "it."]


async def test_theme_outcome_and_the_report_that_names_nobody(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":now 2026-11-03T10:00", "/board issue raise The taxi never came today")
    await board.run(":as @sec", ":now 2026-11-03T11:00", "/board issue ack I1", "/board issue theme I1 EHCP",
                    "/board issue outcome I1 Review dates are now sent to families within a week.",
                    ":now 2026-11-10T10:00", "/board issue resolve I1 done")
    await board.run(":as @pat", "/board issue withdraw I2")
    assert (await refused(board, ":as @pat", "/board issue theme I1 x")).startswith("Only the secretariat")
    out = await board.run(":as @chair", "/board issue report from 1/11/2026")
    text = flat(reply(out)["text"])
    for line in ("Concerns raised: 2", "Acknowledged within 2 working days: 1", "Resolved at informal resolution: 1",
                 "Withdrawn: 1", "Median time to acknowledge: 1.0 days", "Median time to resolve: 8.0 days",
                 "ehcp: 1", "not yet tagged: 1", "Review dates are now sent to families within a week."):
        assert line in text, line
    assert not any(word in text for word in ("@pat", "Pat Quinn", "EHCP review is three", "taxi"))
    out = await board.run(":as @sec", "/board issue report from 1/11/2026 to 30/11/2026 post")
    assert [m["to"] for m in out if m["kind"] == "post"] == ["#board"]
    assert (await refused(board, "/board issue report from 30/11/2026 to 1/11/2026")).startswith(
        "The report's start is after its end.")
