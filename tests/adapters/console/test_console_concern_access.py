"""Who may hold a concern (issue 16): assignment only to members who may
handle it, reassignment ends the previous assignee's access, removal ends
access and cancels what was queued, a reused handle is a new person."""

from __future__ import annotations

import pytest

from tests.adapters.console.steps import dms, refused, reply, said
from tests.harness import BoardConsole

CONCERN = "My son's EHCP review is three months late and nobody answers my emails"
HIDDEN = "There is no issue I1 that you can see."


@pytest.mark.parametrize("who", ["@zoe", "@pat", "@nina", "@gone"])
async def test_concerns_are_assigned_only_to_those_who_may_handle_them(board: BoardConsole, who: str) -> None:
    await board.run('/board member add @nina "Nina Shah" initials NS org "Parent Carer Forum" role parent-rep',
                    '/board member add @gone "Gil Ode" initials GO org "ICB" role member', "/board member remove @gone",
                    ":as @pat", CONCERN)
    out = await board.run(":as @sec", f"/board issue assign I1 {who}")
    assert reply(out)["text"].startswith(("There's no", "No one", "I don't", "Gil", "Zoe", "Pat", "Nina")), reply(out)
    assert reply(out)["text"] != "I1 is now with"
    assert "With: the secretariat" in " ".join((await said(board, "/board issue show I1")).split())
    assert not dms(out)


async def test_a_reassignment_tells_the_previous_assignee_who_loses_access(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue assign I1 @owen")
    out = await board.run(":as @owen", "/board issue assign I1 @mia")
    assert reply(out)["text"] == "I1 is now with Mia Lund."
    assert sorted(m["to"] for m in dms(out)) == ["@mia", "@pat", "@sec"]
    assert [m["text"] for m in dms(out, "@sec")] == ["@owen passed confidential issue I1 from Owen Pike to Mia Lund."]
    assert (await refused(board, "/board issue show I1")).startswith(HIDDEN)
    out = await board.run(":as @sec", "/board issue assign I1 @lead")
    assert [m["text"] for m in dms(out, "@mia")] == ["@sec passed confidential issue I1 from Mia Lund to Lee Moss."]


async def test_removal_ends_access_and_cancels_queued_messages(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN)
    # In the evening notices wait for working hours: one for @owen is queued.
    out = await board.run(":as @sec", ":now 2026-11-02T19:00", "/board issue assign I1 @owen")
    assert not dms(out, "@owen")
    out = await board.run(":as @chair", "/board member remove @owen")
    assert "1 confidential issue(s) they were handling are back with the secretariat." in reply(out)["text"]
    out = await board.run(":now 2026-11-03T09:00", ":tick")
    assert not dms(out, "@owen")
    assert "With: the secretariat" in " ".join((await said(board, ":as @sec", "/board issue show I1")).split())


async def test_a_removed_raiser_hears_the_outcome_and_nothing_else(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @chair", "/board member remove @pat")
    out = await board.run(":as @sec", "/board issue ack I1", "/board issue update I1 called the school")
    assert not dms(out, "@pat")
    out = await board.run("/board issue resolve I1 review booked")
    assert [m["text"].split(":")[0] for m in dms(out, "@pat")] == ["Update on your concern I1"]


async def test_a_reused_handle_is_a_new_member_with_no_access(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue assign I1 @owen", ":as @chair",
                    "/board member remove @owen")
    out = await board.run('/board member add @owen "Oona Park" initials OK org "Another Org" role member')
    assert reply(out)["text"].startswith("Oona Park (@owen, OK) added as member.")
    assert (await refused(board, ":as @owen", "/board issue show I1")).startswith(HIDDEN)
    assert "No issues that you can see." in await said(board, "/board issue list all")
    assert "I1" not in await said(board, "home")
    # The former member keeps their history under a retired handle; the same person may still rejoin.
    history = await said(board, ":as @sec", "/board issue show I1")
    assert "Owen Pike (@owen) left the board" in history and "Oona" not in history
    assert await said(board, ":as @chair", "/board member remove @owen",
                      '/board member add @owen "Oona Park" initials OK org "Another Org" role member') == (
        "Oona Park (@owen, OK) is back on the board as member.")


async def test_a_reused_email_links_to_the_new_person_only(board: BoardConsole) -> None:
    await board.run('/board member add @ola "Ola Bright" initials OB org "ICB" role member email ob@board.test',
                    "/board member remove @ola",
                    '/board member add @ben "Ben Oru" initials BO org "ICB" role member email ob@board.test')
    async with board.console.services.db.uow() as uow:
        holder = await uow.members.by_email("ob@board.test")
        former = await uow.members.by_handle("ola")
    assert holder.handle == "ben" and former.email is None and not former.active


async def test_a_reused_handle_does_not_inherit_the_hwb_joint_chairs_reading(board: BoardConsole) -> None:
    await board.run("/board board config hwb @lead", ":as @pat", CONCERN, ":as @sec", "/board issue escalate I1",
                    ":as @chair", "/board issue escalate I1", "/board member remove @lead",
                    '/board member add @lead "Lena Marsh" initials LN org "ICB" role member')
    assert (await refused(board, ":as @lead", "/board issue show I1")).startswith(HIDDEN)
