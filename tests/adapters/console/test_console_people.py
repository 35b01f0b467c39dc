"""Members, roles, workstreams, whoami, dms, and bootstrapping an empty board."""

from __future__ import annotations

from tests.adapters.console.steps import flat, refused, reply, said, unchanged
from tests.harness import BoardConsole

ONLY_MANAGERS = "Only the chair or secretariat can {}.\n  Ask the secretariat if you think this is wrong."
BOOTSTRAP = ("Only the chair or secretariat can add members.\n"
             "  On a new board, the first person adds themselves with role chair or secretariat.")


async def test_on_an_empty_board_the_first_user_may_only_add_themselves_as_chair_or_secretariat(
        empty_board: BoardConsole) -> None:
    board = empty_board
    assert "You're amy on console, but not a member of this board." in await said(board, "/board whoami")
    assert await unchanged(board, "/board member list",
                           '/board member add @bob "Bob Bell" role chair',
                           '/board member add @amy "Amy Ash" role member',
                           '/board member add @amy "Amy Ash" role parent-rep') == [BOOTSTRAP] * 3
    assert await said(board, '/board member add @amy "Amy Ash" org "Borough Council" role secretariat') == (
        "Amy Ash (@amy, AA) added as secretariat.\n  Organisation: Borough Council\n  Role:         secretariat")
    # From now on only the chair and secretariat add people, and nobody else can bootstrap.
    await board.run(":as @bob")
    assert await unchanged(board, "/board member list", '/board member add @bob "Bob Bell" role chair') == [BOOTSTRAP]
    assert "Bob Bell (@bob, BB) added as chair." in await said(board, ":as @amy",
                                                                '/board member add @bob "Bob Bell" role chair')
    assert "Role: chair" in flat(await said(board, ":as @bob", "/board whoami"))


async def test_member_add_list_role_remove(board: BoardConsole) -> None:
    await board.run(":as @sec")
    out = await board.run('/board member add @kim "Kim Rowe" initials KR org "Parents\' Consortium" role parent-rep '
                          "email Kim.Rowe@Example.org")
    assert reply(out)["text"].splitlines()[0] == "Kim Rowe (@kim, KR) added as parent-rep."
    assert "Ivy Chen (@ivy, IC) added as member." in await said(board, '/board member add @ivy "Ivy Chen"')
    listed = await said(board, "/board member list")
    assert listed.splitlines()[:3] == ["Board members (9)", "  • @chair Cara Hale (CH) — chair, Borough Council",
                                       "  • @ivy Ivy Chen (IC) — member"]
    assert "  • @kim Kim Rowe (KR) — parent-rep, Parents' Consortium" in listed
    assert await said(board, "/board member role @ivy observer") == "Ivy Chen's role is now observer."
    assert await said(board, "/board member role IC member") == "Ivy Chen's role is now member."
    assert (await said(board, "/board member remove @ivy")).startswith("Ivy Chen is no longer on the board.")
    listed = await said(board, "/board member list")
    assert "Board members (8)" in listed and "@ivy" not in listed
    assert (await refused(board, "/board action add Read it @ivy due tomorrow")).startswith(
        "I don't know anyone called “@ivy”.")


async def test_member_refusals_change_nothing(board: BoardConsole) -> None:
    await board.run(":as @sec")
    answers = await unchanged(
        board, "/board member list",
        '/board member add @owen "Owen Again"',
        '/board member add @olly "Olly Pike" initials OP',
        '/board member add @bad! "Bad Handle"',
        '/board member add @ann "Ann Ash" role boss',
        "/board member add @ann",
        '/board member add @ann "Ann Ash" email nope',
        '/board member add @ann "Ann Ash" initials A1',
        '/board member add @ann "Ann Ash" org "New Org" deputy @nobody',
        "/board member role @owen", "/board member role @nobody chair", "/board member role @owen king",
        "/board member remove @nobody",
    )
    assert answers[0] == "@owen is already a member.\n  `/board member list` shows everyone."
    assert answers[1] == "Owen Pike already uses the initials OP.\n  Give different initials with `initials XY`."
    assert answers[2].startswith("“@bad!” can't be a handle.")
    assert answers[3] == "“boss” is not a role.\n  Roles are: chair, secretariat, member, parent-rep, observer."
    assert answers[4] == ('A member needs a handle and a full name.\n  For example: `member add @owen "Owen Pike" '
                          'initials OP org "Health Trust" role member`')
    assert answers[5].startswith("“nope” is not an e-mail address.")
    assert answers[6] == "“A1” can't be initials.\n  Initials are 1–4 letters, like OP."
    assert answers[7].startswith("I don't know anyone called “@nobody”.")
    assert answers[8] == "Give a person and a role.\n  For example: `member role @mia observer`"
    assert answers[9].startswith("I don't know anyone called “@nobody”.")
    assert answers[10].startswith("“king” is not a role.")
    assert answers[11].startswith("I don't know anyone called “@nobody”.")


async def test_members_cannot_manage_people_or_workstreams(board: BoardConsole) -> None:
    for who in ("@mia", "@zoe", "@pat"):
        await board.run(f":as {who}")
        assert await unchanged(board, "/board member list", '/board member add @kim "Kim Rowe"',
                               "/board member role @owen chair", "/board member remove @owen") == [
            ONLY_MANAGERS.format("add members"), ONLY_MANAGERS.format("change roles"),
            ONLY_MANAGERS.format("remove members")]
        assert await unchanged(board, "/board workstream list", '/board workstream add "Data" lead @mia') == [
            ONLY_MANAGERS.format("add workstreams")]


async def test_removed_members_lose_their_powers(board: BoardConsole) -> None:
    await board.run('/board member add @sam2 "Sam Two" initials ST role secretariat', ":as @pat",
                    "/board issue raise Nobody answers", ":as @chair", "/board member remove @sam2", ":as @sam2")
    assert "not a member of this board" in await said(board, "/board whoami")
    assert "You're not a member of this board yet." in await said(board, "/board issue show I1")
    await board.run('/board member add @evil "Eve Vile" role chair')
    assert "@evil" not in await said(board, ":as @chair", "/board member list")


async def test_workstreams(board: BoardConsole) -> None:
    await board.run(":as @sec")
    out = await board.run('/board workstream add "Co-production" lead @mia lead "Owen Pike"')
    assert reply(out)["text"] == "Workstream W2 Co-production added, led by Mia Lund, Owen Pike."
    assert reply(out)["refs"] == ["W2"]
    assert (await said(board, "/board workstream list")).splitlines() == [
        "Workstreams", "  • W1 Local provision — led by @lead", "  • W2 Co-production — led by @mia, @owen"]
    example = 'For example: `workstream add "Co-production" lead @ava`'
    answers = await unchanged(board, "/board workstream list",
                              '/board workstream add "Co-production" lead @lead', '/board workstream add "Data"',
                              "/board workstream add lead @owen", '/board workstream add "Data" lead',
                              '/board workstream add "Data" lead @nobody')
    assert answers[:4] == ["There is already a workstream called Co-production.",
                           f"A workstream needs a name and a lead.\n  {example}",
                           f"The workstream's name is missing.\n  {example}", f"Who leads it?\n  {example}"]
    assert answers[4].startswith("I don't know anyone called “@nobody”.")
    assert "Leads: Co-production" in flat(await said(board, ":as @mia", "/board whoami"))


async def test_whoami_and_dms(board: BoardConsole) -> None:
    await board.run(":as @lead")
    assert flat(await said(board, "/board whoami")).splitlines() == [
        "@lead Lee Moss", "Initials: LM", "Role: member", "Organisation: ICB", "Leads: Local provision",
        "Direct messages: on"]
    assert await said(board, "/board dms off") == (
        "Reminder DMs are off; escalations and replies to your own issues still reach you.")
    assert "Direct messages: escalations only" in flat(await said(board, "/board whoami"))
    assert await said(board, "/board dms on") == "Reminder DMs are on."
    assert await refused(board, "/board dms maybe") == "Say `dms off` or `dms on`."
    assert await refused(board, ":as @stranger", "/board dms off") == (
        "You're not a member of this board yet.\n"
        "  Ask the chair or secretariat to add you with `/board member add`.")


async def test_people_by_mention_initials_and_name(board: BoardConsole) -> None:
    await board.run('/board member add @lee2 "Lee Shaw"', "/board action add Read the pack @owen due 4/1/2027")
    for token, owner in (("@mia", "@mia"), ("@ML", "@mia"), ("ml", "@mia"), ('"Mia Lund"', "@mia"),
                         ('"Owen Pike"', "@owen"), ("Owen", "@owen"), ("@LM", "@lead"), ('"lee moss"', "@lead")):
        assert f"Owners: {owner}" in flat(await said(board, f"/board action assign A1 {token}")), token
    assert await refused(board, "/board action assign A1 Lee") == (
        "“Lee” could be Lee Moss (@lead), Lee Shaw (@lee2).\n  Use their @handle.")
    assert (await refused(board, "/board action assign A1 @chat:U0NOBODY")).startswith(  # a chat account token
        "@chat:U0NOBODY isn't a member of this board yet.")
