"""Data protection as the secretariat and a DPO see it: every change and every
view of a concern is in the audit trail in plain words; the trail's hash chain
names the entry someone tampered with; a person's data can be exported and
erased; old message bodies and closed concerns' words expire."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from adapters.cli import app
from bot.model import SharedFile
from storage.audit import digest_of, link
from storage.migrate import sync_engine
from tests.adapters.console.steps import refused, said, unchanged
from tests.harness import BoardConsole

CONCERN = "Leo's epilepsy medication was not given at school on Tuesday"


async def cli(db_url: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    """The operator's `partnerbot …` (in a thread: it runs its own event loop)."""
    result = await asyncio.to_thread(CliRunner().invoke, app, [*args, "--db", db_url], input=stdin)
    return result.exit_code, result.output


def sql(db_url: str, statement: str, **params: object) -> list[tuple]:
    engine = sync_engine(db_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def dump(db_url: str) -> str:
    """Every text value in the database, as a DPO searching it would see."""
    tables = [t for (t,) in sql(db_url, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                        "current_schema()")] if db_url.startswith("postgres") else [
        t for (t,) in sql(db_url, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(str(row) for table in tables for row in sql(db_url, f'SELECT * FROM "{table}"'))


async def raised_and_handled(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue ack I1", "/board issue assign I1 @owen",
                    ":as @owen", "/board issue show I1")


async def test_changes_and_views_read_in_plain_words(board: BoardConsole, db_url: str) -> None:
    await raised_and_handled(board)
    await board.run(":as @sec", "/board action add Review medication protocol @owen due 20/11/2026",
                    "/board action due A1 27/11/2026")
    trail = await said(board, "/board audit I1")
    assert "Mon 2 Nov 2026 10:00 @sec changed I1: acknowledged at — → Mon 2 Nov 2026 10:00; status open → " \
           "acknowledged" in trail
    assert "@sec changed I1: assignee — → @owen" in trail
    assert "Mon 2 Nov 2026 10:00 @owen viewed I1 [issue show]" in trail
    assert "epilepsy" not in trail and "text (withheld)" in trail  # the trail never holds a concern's words
    assert "Mon 2 Nov 2026 10:00 @sec changed A1: due Fri 20 Nov 2026 → Fri 27 Nov 2026" in await said(
        board, "/board audit A1")
    about_pat = await said(board, "/board audit @pat")
    assert "@chair created @pat" in about_pat and "@pat created I1" in about_pat
    assert "Nothing recorded since then." in await said(board, "/board audit A1 from 3/11/2026")
    code, out = await cli(db_url, "audit", "show", "I1")  # the operator reads the same sentences
    assert code == 0 and out.splitlines() == [line.removeprefix("  • ") for line in trail.splitlines()[1:]]
    code, out = await cli(db_url, "audit", "show", "@nobody")
    assert code == 1 and "I don't know anyone called “@nobody”." in out


async def test_lists_and_home_pages_that_show_a_concern_are_views_too(board: BoardConsole) -> None:
    await raised_and_handled(board)
    await board.run(":as @owen", "/board issue list", "/board home", ":as @mia", "/board home")
    trail = await said(board, ":as @sec", "/board audit I1")
    assert "@owen viewed I1 [issue list]" in trail and "@owen viewed I1 [home]" in trail
    assert "@mia" not in trail  # she saw nothing of it


async def test_only_the_secretariat_reads_the_trail_and_the_chair_once_escalated(board: BoardConsole) -> None:
    await raised_and_handled(board)
    for who in ("@chair", "@owen", "@pat", "@zoe"):
        await board.run(f":as {who}")
        answers = await unchanged(board, "/board whoami", "/board audit I1", "/board audit @pat",
                                  "/board privacy export @pat")
        assert answers[0].startswith("Only the secretariat or (once escalated) the chair can read the audit trail of "
                                     "this."), answers
        assert answers[2].startswith("Only the secretariat can export what is held about a person."), answers
    await board.run(":as @sec", "/board issue escalate I1 no progress")
    assert "viewed I1" in await said(board, ":as @chair", "/board audit I1")
    assert (await refused(board, "/board audit A99")).startswith("Only the secretariat")
    assert (await refused(board, ":as @sec", "/board audit")).startswith("What should I show the audit trail of?")


async def test_jobs_changes_are_audited_as_partnerbot(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue ack I1", ":now 2026-12-01T10:00", ":tick")
    assert "partnerbot changed I1: level 0 → 1" in await said(board, ":as @sec", "/board audit I1")


def renumber(db_url: str, from_seq: int, by: int) -> None:
    """Shift entries from ``from_seq`` on by ``by`` (in two steps: seq is unique)."""
    sql(db_url, "UPDATE audit_log SET seq = seq + 100000 WHERE seq >= :s", s=from_seq)
    sql(db_url, "UPDATE audit_log SET seq = seq - 100000 + :by WHERE seq >= 100000", by=by)


async def forge(board: BoardConsole, db_url: str, seq: int, after: int) -> None:
    """Insert a well-formed entry at ``seq`` that links to entry ``after``, as a forger would."""
    async with board.console.services.db.uow() as uow:
        model = (await uow.audit.chain())[after - 1]
    fake = dataclasses.replace(model, actor_id=None, verb="view", ref="I1", detail="", command=None, entity=None,
                               entity_id=None, changes={})
    digest = digest_of(fake)
    sql(db_url, "INSERT INTO audit_log (at, verb, ref, detail, changes, seq, prev_hash, digest, hash) "
                "SELECT at, 'view', 'I1', '', :changes, :seq, hash, :digest, :hash FROM audit_log WHERE seq = :after",
        changes="{}", seq=seq, digest=digest, hash=link(model.hash, digest), after=after)


async def test_verify_names_the_entry_altered_removed_or_inserted(board: BoardConsole, db_url: str) -> None:
    await raised_and_handled(board)
    code, out = await cli(db_url, "audit", "verify")
    assert code == 0 and out.startswith("The audit trail is intact: ")
    (count,) = sql(db_url, "SELECT count(*) FROM audit_log")[0]

    (detail,) = sql(db_url, "SELECT detail FROM audit_log WHERE seq = 5")[0]
    sql(db_url, "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 5")
    code, out = await cli(db_url, "audit", "verify")
    assert code == 1 and "broken at entry 5: it was altered" in out
    sql(db_url, "UPDATE audit_log SET detail = :d WHERE seq = 5", d=detail)
    assert (await cli(db_url, "audit", "verify"))[0] == 0

    renumber(db_url, 4, 1)
    await forge(board, db_url, 4, after=3)  # in the middle, with a hash that is right for its place
    code, out = await cli(db_url, "audit", "verify")
    assert code == 1 and "broken at entry 4: it was inserted (Mon 2 Nov 2026 10:00 partnerbot viewed I1)" in out
    sql(db_url, "DELETE FROM audit_log WHERE seq = 4")
    renumber(db_url, 5, -1)
    assert (await cli(db_url, "audit", "verify"))[0] == 0

    await forge(board, db_url, count + 1, after=count)  # at the end, past the chain head
    code, out = await cli(db_url, "audit", "verify")
    assert code == 1 and f"broken at entry {count + 1}: it was inserted" in out
    sql(db_url, "DELETE FROM audit_log WHERE seq = :s", s=count + 1)
    assert (await cli(db_url, "audit", "verify"))[0] == 0

    sql(db_url, "DELETE FROM audit_log WHERE seq = 7")
    code, out = await cli(db_url, "audit", "verify")
    assert code == 1 and "broken at entry 7: it was removed" in out
    renumber(db_url, 8, -1)  # and the gap closed up
    code, out = await cli(db_url, "audit", "verify")
    assert code == 1 and "broken at entry 7: it was removed" in out


async def test_subject_access_export_holds_what_is_held_about_them(board: BoardConsole, db_url: str,
                                                                   tmp_path: Path) -> None:
    await raised_and_handled(board)
    await board.run(":as @pat", "/board issue update I1 the school phoned me")
    board.console.shelf.folder = tmp_path / "files"
    answer = await said(board, ":as @sec", "/board privacy export @pat")
    assert answer.startswith("Here is everything partnerbot holds about @pat, as a file for you alone.")
    path = Path(answer.rsplit(" written to ", 1)[1])
    assert path.parent == tmp_path / "files" and path.stat().st_mode & 0o077 == 0  # the asker's alone
    held = json.loads(path.read_text())
    assert held["member"]["name"] == "Pat Quinn"
    assert held["issues"][0]["text"] == CONCERN
    assert {e["kind"] for e in held["issue_events"]} >= {"raised", "ack", "assign", "update"}
    assert any("Owen Pike is now handling it" in m["text"] for m in held["messages"])
    assert any(e["verb"] == "view" for e in held["audit_log"]) is False  # Pat viewed nothing
    assert any(e["ref"] == "I1" for e in held["audit_log"])
    owen = json.loads((await cli_export(db_url, "@owen", tmp_path)).read_text())
    assert owen["issues"][0]["text"] == "(raised by someone else)"  # he handled it: not his data to take away
    assert any(e["verb"] == "view" for e in owen["audit_log"])
    assert "@sec privacy export @pat" in await said(board, "/board audit @pat")


async def cli_export(db_url: str, who: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{who[1:]}.json"
    code, said_ = await cli(db_url, "privacy", "export", who, "--out", str(out))
    assert code == 0, said_
    return out


async def test_erasure_pseudonymises_everywhere_and_the_chain_still_verifies(board: BoardConsole,
                                                                              db_url: str) -> None:
    await raised_and_handled(board)
    await board.run(":as @sec", "/board action add Call Pat Quinn back about transport @owen due 20/11/2026",
                    "/board issue update I1 spoke to the school nurse", ":as @pat", "/board calendar",
                    "/board concern Zyx")  # too short to log: kept for Pat until they say more
    assert "Zyx" in dump(db_url) and sql(db_url, "SELECT count(*) FROM feed_tokens") == [(1,)]
    before = dump(db_url)
    code, out = await cli(db_url, "privacy", "erase", "@pat", "--dry-run")
    assert code == 0 and out.startswith("Dry run: erasing @pat (Pat Quinn) would change 1 concerns")
    assert dump(db_url) == before
    code, out = await cli(db_url, "privacy", "erase", "@pat")
    assert code == 1 and "add --yes" in out and dump(db_url) == before
    code, out = await cli(db_url, "privacy", "erase", "@pat", "--yes")
    assert code == 0 and out.startswith("Erased @pat (Pat Quinn): now known as former member 6")
    after = dump(db_url)
    for gone in ("Pat Quinn", "epilepsy", "school nurse", "@pat", "Zyx"):
        assert gone not in after
    assert sql(db_url, "SELECT count(*) FROM feed_tokens") == [(0,)]  # their calendar link stops
    assert (await cli(db_url, "audit", "verify"))[0] == 0
    # Counts and dates stay: the board still sees that a concern was raised and handled.
    listed = await said(board, ":as @sec", "/board issue list all")
    assert "I1" in listed and "raised by @former-member-6" in listed
    trail = await said(board, "/board audit I1")
    assert "@former-member-6 created I1" in trail and "@owen viewed I1" in trail
    assert "erased @former-member-6" in await said(board, "/board audit @former-member-6")
    assert "Call former member 6 back about transport" in await said(board, "/board action show A1")


async def test_old_message_bodies_and_closed_concerns_expire(board: BoardConsole, db_url: str) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", "/board issue resolve I1 plan agreed",
                    "/board action add Review medication protocol @owen due 20/11/2026", ":as @owen",
                    "/board action done A1")
    assert "30 days" in await said(board, ":as @sec", "/board board config retention")
    assert (await refused(board, "/board config retention messages 2")).startswith("Keep sent messages' bodies "
                                                                                      "from 7 to 3650 days.")
    assert "Resolved concerns' words: 12 months" in " ".join(
        (await said(board, "/board config retention concerns 12")).split())
    async with board.console.services.db.uow() as uow:  # a file Teams was given a link to, until 2 December
        await uow.files.add(SharedFile("hash", "board-calendar.ics", "text/calendar", b"BEGIN:VCALENDAR",
                                       dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
                                       dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)))
        await uow.commit()
    code, out = await cli(db_url, "jobs", "run-once", "--now", "2026-12-01T10:00")
    assert code == 0 and "Retention: cleared 0 message bodies, 0 concern texts, 0 expired files." in out
    assert "Review medication protocol" in dump(db_url)
    code, out = await cli(db_url, "jobs", "run-once", "--now", "2026-12-03T10:00")
    assert re.search(r"Retention: cleared [1-9]\d* message bodies, 0 concern texts, 1 expired files.", out), out
    assert sql(db_url, "SELECT count(*) FROM shared_files") == [(0,)]
    bodies = sql(db_url, "SELECT recipient, kind, status, text FROM outbox WHERE status = 'sent'")
    assert ("member:4", "notice", "sent", "") in bodies  # who, what kind and that it went stay
    assert not [r for r in sql(db_url, "SELECT text FROM outbox") if "Review medication protocol" in r[0]]
    assert CONCERN in dump(db_url)
    code, out = await cli(db_url, "jobs", "run-once", "--now", "2027-11-03T10:00")
    assert "0 message bodies, 1 concern texts, 0 expired files." in out
    assert "epilepsy" not in dump(db_url) and "plan agreed" not in dump(db_url)
    trail = await said(board, "/board audit I1")
    assert "Wed 3 Nov 2027 10:00 partnerbot applied retention to I1 (the concern's words were deleted)" in trail
