"""The action log in and out as CSV, through the core commands the console and
`partnerbot export|import` run. Today is Mon 2 Nov 2026, 10:00."""

from __future__ import annotations

import re
from pathlib import Path

from bot.context import Command, Identity
from bot.reply import Reply
from bot.text import plain_text
from tests.adapters.console.steps import said
from tests.harness import BoardConsole, open_board


async def run(board: BoardConsole, text: str, who: str = "chair", **values) -> Reply:
    return (await board.console.services.bot.handle(Command(Identity("console", who), text, values=values))).reply


async def export(board: BoardConsole) -> bytes:
    reply = await run(board, "export actions all")
    assert not reply.error, plain_text(reply)
    return reply.attachments[0].data


async def test_export_import_into_an_empty_board_and_export_again_is_identical(board: BoardConsole,
                                                                                 tmp_path: Path) -> None:
    await board.run(
        "/board meeting add 7/1/2027 10:00 at Guildhall",
        "/board action add Circulate the workforce survey @owen @mia due 15/1/2027 ws W1 meeting M1",
        "/board action add Map therapy waiting times LM due 4/12/2026",
        "/board action update A2 waiting lists requested from both trusts",
        "/board action done A1 sent to 40 schools, \"12 replies\" so far",
    )
    first = await export(board)
    text = first.decode("utf-8-sig")
    assert text.splitlines()[0] == "Ref,Action,Owner,Due,Status,Workstream,Meeting,Last update,Notes"
    assert 'A1,Circulate the workforce survey,OP/ML,15/01/2027,done,Local provision,M1,02/11/2026,' \
           '"sent to 40 schools, ""12 replies"" so far"' in text
    assert ("A2,Map therapy waiting times,LM,04/12/2026,open,,,02/11/2026,"
            "waiting lists requested from both trusts") in text

    from storage.migrate import upgrade

    upgrade(url := f"sqlite:///{tmp_path / 'other.db'}")
    other = await open_board(url)
    try:
        await other.run("/board meeting add 7/1/2027 10:00 at Guildhall")
        imported = await run(other, "import actions", file=first)
        assert plain_text(imported).startswith("Imported 2 action rows: 2 created, 0 updated, 0 unchanged.")
        assert await export(other) == first
        again = await run(other, "import actions", file=first)
        assert plain_text(again).startswith("Imported 2 action rows: 0 created, 0 updated, 2 unchanged.")
        assert await export(other) == first
        assert "A3 Book the venue" in await said(other, "/board action add Book the venue @owen due 20/11/2026")
    finally:
        await other.close()


async def test_imported_refs_are_kept_and_new_actions_follow_them(board: BoardConsole) -> None:
    sheet = b"Ref,Action,Owner,Due\nA7,Book the venue,OP,20/11/2026\n,Ring the trusts,ML,27/11/2026\n"
    assert "2 created" in plain_text(await run(board, "import actions", file=sheet))
    listed = await said(board, "/board action list")
    assert "A7 Book the venue — @owen" in listed and "A8 Ring the trusts — @mia" in listed
    assert "A9 Chase the DfE" in await said(board, "/board action add Chase the DfE @owen due 4/12/2026")


async def test_a_file_with_bad_rows_writes_nothing_and_names_each_line(board: BoardConsole) -> None:
    bad = (b"Action,Owner,Due date\n"
           b"Write the SEF section,OP,14/2/2027\n"
           b"Chase the DfE,ZZ,14/2/2027\n"
           b"Book the venue,ML,31/2/2027\n"
           b",ML,1/3/2027\n"
           b"Ring the trusts,ML,soonish\n")
    reply = await run(board, "import actions", file=bad)
    assert reply.error
    assert plain_text(reply).splitlines() == [
        "Nothing was imported: 4 lines of the action file need fixing.",
        "line 3: owner “ZZ” is not a board member (give their initials, e.g. OP, or add them first)",
        "line 4: due date “31/2/2027” is not a date (write dates like 14/2/2027)",
        "line 5: the action's text is empty",
        "line 6: due date “soonish” is not a date (write dates like 14/2/2027)",
        "  Correct those lines and import the file again; every row is checked before anything is written.",
    ]
    assert "No actions match." in await said(board, "/board action list all")


async def test_a_file_without_the_needed_columns_is_refused_on_line_1(board: BoardConsole) -> None:
    reply = await run(board, "import actions", file=b"Task,Notes\nBook the venue,asap\n")
    assert plain_text(reply).splitlines()[1] == ("line 1: no 'Owner', 'Due' column; the header has 'Task', 'Notes'")


async def test_kingston_minutes_typed_into_a_spreadsheet_import_with_the_right_owners(db_url: str) -> None:
    board = await open_board(db_url, now="2019-11-15T10:00")
    try:
        await board.run(
            '/board member add @ian "Ian Thomas" initials IT org "Royal Borough" role member',
            '/board member add @ina "Ian Dodds" initials ID org "Achieving for Children" role member',
            '/board member add @alison "Alison Twynam" initials AW org "Achieving for Children" role member',
            '/board member add @nick "Nick Gerrard" initials NG org "Achieving for Children" role member',
        )
        sheet = (b"No.,Action,LEAD,By When,Status,Comments\r\n"
                 b"1,Resend the data capsule tool to agencies that have not replied,ID,13/12/19,Open,\r\n"
                 b"2,Re-issue the workforce skills and competency survey,ID / NG,13 December 2019,Open,"
                 b"Second request\r\n"
                 b"3,Circulate the inclusive schools link,AW,21/11/2019,Complete,Sent with the minutes\r\n"
                 b"4,Update the action plan with the innovation ideas,Ian Thomas,9/1/2020,in progress,\r\n")
        dry = await run(board, "import actions", file=sheet, dry_run=True)
        assert plain_text(dry).splitlines()[0] == "Would import 4 action rows: 4 to create, 0 to update, 0 unchanged."
        assert "Columns not read: No.." in plain_text(dry)
        assert "No actions match." in await said(board, "/board action list all")
        await run(board, "import actions", file=sheet)
        listed = await said(board, "/board action list all")
        assert "A1 Resend the data capsule tool to agencies that have not replied — @ina, due Fri 13 Dec 2019" in listed
        assert "A2 Re-issue the workforce skills and competency survey — @ina, @nick, due Fri 13 Dec 2019" in listed
        assert "A4 Update the action plan with the innovation ideas — @ian, due Thu 9 Jan 2020" in listed
        assert re.search(r"A3 Circulate the inclusive schools link — @alison, due Thu 21 Nov 2019\s+\[done\]", listed)
        again = await run(board, "import actions", file=sheet)
        assert "0 created, 0 updated, 4 unchanged" in plain_text(again)
        edited = sheet.replace(b"9/1/2020,in progress,", b"16/1/2020,in progress,moved to January")
        changed = await run(board, "import actions", file=edited)
        assert "0 created, 1 updated, 3 unchanged" in plain_text(changed)
        shown = await said(board, "/board action show A4")
        assert "Due:    Thu 16 Jan 2020" in shown and "note: moved to January" in shown
    finally:
        await board.close()


async def test_members_import_creates_matches_and_refuses_bad_rows(board: BoardConsole) -> None:
    sheet = (b"Full name,Initials,Organisation,Role,E-mail\n"
             b"Owen Pike,OP,Health Trust,member,owen.pike@nhs.example\n"
             b"Nia Cole,NC,Parent Carer Forum,Parent rep,nia@pcf.example\n")
    reply = await run(board, "import members", file=sheet)
    assert plain_text(reply).startswith("Imported 2 member rows: 1 created, 1 updated, 0 unchanged.")
    people = await said(board, "/board member list")
    assert "Nia Cole" in people
    assert "0 created, 0 updated, 2 unchanged" in plain_text(await run(board, "import members", file=sheet))
    bad = await run(board, "import members", file=b"Name,Initials,Role\nAl Bo,A1,member\nCy Do,CD,king\n")
    assert plain_text(bad).splitlines()[1:3] == [
        "line 2: initials “A1” should be 2 to 4 letters, e.g. OP",
        "line 3: role “king” is not one of chair, secretariat, member, parent-rep, observer",
    ]
    refused = await run(board, "import members", who="owen", file=sheet)
    assert refused.error and "chair or secretariat" in plain_text(refused)


async def test_console_export_writes_the_file_and_says_where(board: BoardConsole) -> None:
    await board.run("/board action add Map therapy waiting times LM due 4/12/2026")
    text = await said(board, ":as @owen", "/board export actions")
    path = Path(re.search(r"written to (\S+\.csv)", text)[1])
    assert "Map therapy waiting times,LM,04/12/2026" in path.read_text(encoding="utf-8-sig")
