"""Agenda items: any member proposes, the chair or secretariat decides, papers
are due 6 working days before (Tue 29 Dec 2026 for the Thu 7 Jan 2027 meeting)."""

from __future__ import annotations

from tests.adapters.console.steps import dms, flat, refused, reply, said, unchanged
from tests.harness import BoardConsole

MEETING = "/board meeting add 7/1/2027 10:00 until 12:00 at Guildhall"
PAPER = "https://example.org/therapy-waits.pdf"


async def test_propose_accept_defer_decline(board: BoardConsole) -> None:
    await board.run(":as @sec", MEETING)
    out = await board.run(":as @mia", f"/board agenda propose Therapy waiting times for M1 paper {PAPER} spotlight")
    text = flat(reply(out)["text"])
    assert reply(out)["refs"] == ["G1", "M1"]
    assert text.startswith("Agenda item G1 proposed.\nG1 Therapy waiting times (spotlight)")
    assert "M1 Thu 7 Jan 2027 10:00 at Guildhall" in text
    assert "Status: proposed — the chair or secretariat will accept, defer or decline it" in text
    assert [(m["to"], m["text"]) for m in dms(out)] == [("@sec", "@mia proposed G1 Therapy waiting times")]
    out = await board.run("/board agenda propose Transport to school")  # the next meeting by default
    assert "Papers are due by Tue 29 Dec 2026: `/board agenda paper G2 <link>`." in reply(out)["text"]
    await board.run("/board agenda propose Short breaks review for M1")
    listed = await said(board, "/board agenda list M1")
    assert f"G1 Therapy waiting times (spotlight) — proposed by @mia — paper: {PAPER}  [proposed]" in listed
    assert "G2 Transport to school — proposed by @mia — no paper  [proposed]" in listed
    assert "Papers due Tue 29 Dec 2026; circulated Wed 30 Dec 2026." in listed

    await board.run(":as @sec")
    out = await board.run("/board agenda accept G1 a good spotlight")
    assert reply(out)["text"] == "G1 Therapy waiting times: accepted for M1 (a good spotlight)."
    assert [(m["to"], m["text"]) for m in dms(out)] == [
        ("@mia", "@sec accepted your agenda item G1 Therapy waiting times: a good spotlight")]
    assert await refused(board, "/board agenda accept G1") == "G1 is already accepted."
    out = await board.run("/board agenda defer G2 next time")
    assert reply(out)["text"] == "G2 Transport to school: deferred (next time)."
    assert dms(out, "@mia")
    out = await board.run(":as @chair", "/board agenda decline G3")
    assert reply(out)["text"] == "G3 Short breaks review: declined."
    assert dms(out, "@mia")[0]["text"] == "@chair declined your agenda item G3 Short breaks review."
    listed = await said(board, "/board agenda list M1")
    assert "G1 Therapy waiting times (spotlight)" in listed and "[proposed]" not in listed
    assert "G2" not in listed
    assert "G2 Transport to school — proposed by @mia — no paper  [deferred]" in await said(
        board, "/board agenda list forward")


async def test_only_the_chair_or_secretariat_decide_agenda_items(board: BoardConsole) -> None:
    await board.run(":as @sec", MEETING, ":as @mia", "/board agenda propose Therapy waiting times")
    answers = await unchanged(board, "/board agenda list", "/board agenda accept G1", "/board agenda defer G1",
                              "/board agenda decline G1 not for us")
    assert answers == [f"Only the chair or secretariat can {verb} agenda items.\n"
                       "  Ask the secretariat if you think this is wrong." for verb in ("accept", "defer", "decline")]
    await board.run(":as @zoe")
    assert await unchanged(board, "/board agenda list", "/board agenda propose Something") == [
        "Observers can't propose agenda items.\n  Ask the member you're deputising for, or the secretariat."]


async def test_items_and_papers_after_the_cutoff_are_late(board: BoardConsole) -> None:
    await board.run(":as @sec", MEETING, ":as @mia", ":now 2026-12-22T10:00", "/board agenda propose On time item")
    out = await board.run(":now 2026-12-29T16:00", "/board agenda propose Cut-off day item")
    assert "late" not in reply(out)["text"]
    out = await board.run(":now 2026-12-30T09:00", "/board agenda propose Late item")
    assert ("⚠ This is after the paper deadline (Tue 29 Dec 2026), so it is marked late; the chair decides whether "
            "it is taken.") in reply(out)["text"]
    assert dms(out, "@sec")[0]["text"] == "@mia proposed G3 Late item (late)"
    out = await board.run(f"/board agenda paper G1 {PAPER}")
    assert reply(out)["text"] == ("Paper added to G1 (late).\n"
                                  "  Papers were due by Tue 29 Dec 2026; it will be flagged late.")
    listed = await said(board, "/board agenda list M1")
    assert f"G1 On time item — proposed by @mia — paper: {PAPER}  [proposed, late]" in listed
    assert "G2 Cut-off day item — proposed by @mia — no paper  [proposed]" in listed
    assert "G3 Late item — proposed by @mia — no paper  [proposed, late]" in listed
    pack = await said(board, "/board meeting pack M1")
    assert "G3 Late item — proposed by @mia — no paper  [proposed, late]" in pack


async def test_papers_are_added_by_the_proposer_or_the_managers(board: BoardConsole) -> None:
    await board.run(":as @sec", MEETING, ":as @mia", "/board agenda propose Therapy waiting times")
    assert await said(board, f"/board agenda paper G1 {PAPER}") == "Paper added to G1."
    await board.run(":as @owen")
    answers = await unchanged(board, "/board agenda list", f"/board agenda paper G1 {PAPER}",
                              "/board agenda paper G9 https://example.org/x.pdf", "/board agenda paper G1",
                              "/board agenda paper G1 not-a-link", "/board agenda paper")
    assert answers[0] == ("Only its proposer, the chair or secretariat can add a paper to this item.\n"
                          "  Ask the secretariat if you think this is wrong.")
    assert answers[1] == "There is no agenda item G9.\n  `/board agenda list` shows the agenda items there are."
    assert answers[2:4] == [
        "Only its proposer, the chair or secretariat can add a paper to this item.\n"
        "  Ask the secretariat if you think this is wrong."] * 2  # permission is checked before the link
    assert answers[4].startswith("Which agenda item? A reference is missing.")
    await board.run(":as @sec")
    assert (await refused(board, "/board agenda paper G1 not-a-link")) == (
        "“not-a-link” doesn't look like a link to a paper.\n"
        "  Give a web link, e.g. `https://sharepoint.example/papers/item.pdf`.")
    assert await said(board, "/board agenda paper G1 <https://example.org/v2.docx>") == "Paper added to G1."


async def test_agenda_bad_input(board: BoardConsole) -> None:
    await board.run(":as @sec")
    answers = [await refused(board, line) for line in (
        "/board agenda propose", "/board agenda accept", "/board agenda accept X1", "/board agenda accept G7",
        "/board agenda propose Something for M5", "/board agenda list M5")]
    assert answers[0].startswith("The item's title is missing.\n  For example: `agenda propose ")
    assert answers[1] == "Which agenda item? A reference is missing.\n  For example: `agenda accept G3`"
    assert answers[2].startswith("“X1” is not an agenda item reference.")
    assert answers[3] == "There is no agenda item G7.\n  `/board agenda list` shows the agenda items there are."
    assert answers[4] == answers[5] == "There is no meeting M5.\n  `/board meeting list` shows the meetings there are."
    # With no meeting scheduled, a proposal goes to the forward plan.
    out = await board.run("/board agenda propose Forward look at transitions")
    assert "For: the forward plan (no meeting yet)" in flat(reply(out)["text"])
    assert "G1 Forward look at transitions" in await said(board, "/board agenda list")
