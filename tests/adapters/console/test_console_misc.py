"""Help, home, unknown commands, and what the bot echoes back."""

from __future__ import annotations

from bot.app import BotApp
from bot.commands import build_router
from bot.context import Command, Identity
from bot.model import Member
from bot.permissions import EVERYONE, RULES, Rule
from bot.router import Router
from tests.adapters.console.steps import dms, reply, said, unchanged
from tests.harness import BoardConsole

ROOT = build_router()


async def test_help_is_generated_from_the_commands(board: BoardConsole) -> None:
    overview = await said(board, ":as @zoe", "/board help")
    assert overview.startswith("partnerbot: what I can do")
    assert overview.splitlines()[-1] == (
        "  `/board help <topic>` for more: actions, agenda, meetings, minutes, deadlines, "
        "issues, people, risks, measures, board, home, data, calendar, report, privacy, help.")
    assert await said(board, "/board") == overview
    for topic, (description, specs) in ROOT.topics().items():
        page = await said(board, f"/board help {topic}")
        assert page.splitlines()[0] == f"{topic.capitalize()}: {description}"
        for spec in specs:
            example = f". Example: `{spec.example}`" if spec.example != spec.usage else ""
            assert f"`{spec.usage}` — {spec.summary}{example}" in page
    assert await said(board, "/board help action") == await said(board, "/board help actions")
    assert await said(board, "/board help action snooze") == (
        "`action snooze A12 <days|date>`\nPause reminders for an action (the due date stays).\n"
        "  Example: `/board action snooze A12 7`")
    assert await said(board, "/board help nonsense") == (
        "There's no help topic “nonsense”.\n"
        "  Topics: actions, agenda, meetings, minutes, deadlines, issues, people, risks, measures, board, home, data, "
        "calendar, report, privacy, help.")


async def test_unknown_commands_suggest_the_closest_and_help(board: BoardConsole) -> None:
    answers = await unchanged(board, "/board action list all", "/board acton add Send it @owen due tomorrow",
                              "/board frobnicate", "/board action", "/board isue raise help")
    assert answers[0] == ("I don't know the command “acton add”.\n  Did you mean `action add <text> @owner [@owner2] "
                          "due <date> [ws W2] [meeting M4] [risk R3]`? Type `/board help` to see every command.")
    assert answers[1] == "I don't know the command “frobnicate”.\n  Type `/board help` to see every command."
    assert answers[2].startswith("“action” needs a second word.\n  `action` needs one of: add, list, show, update")
    assert answers[3].startswith("I don't know the command “isue raise”.\n  Did you mean `issue raise")


async def test_what_the_bot_echoes_is_neutralised(board: BoardConsole) -> None:
    out = await board.run("/board action add Tell <!channel> and @here and @everyone\x07 now\x1b[2J @owen "
                          "due tomorrow")
    echoed = [reply(out)["text"], dms(out, "@owen")[0]["text"]]
    out = await board.run("/board <!channel> please @here")
    echoed.append(reply(out)["text"])
    await board.run(":as @pat", "Please tell <!everyone>: @channel \x00 nobody listens")
    echoed.append(await said(board, "/board issue show I1"))
    echoed.append(await said(board, ":as @chair", "/board action show A1"))
    for text in echoed:
        for raw in ("<!channel>", "<!everyone>", "@here", "@everyone", "@channel", "\x07", "\x1b", "\x00"):
            assert raw not in text, (raw, text)
    assert "Tell <\u2060!channel> and @\u2060here and @\u2060everyone now[2J" in echoed[0]
    assert echoed[2].startswith("I don't know the command “<\u2060!channel> please")


async def test_home_is_one_persons_board(board: BoardConsole) -> None:
    await board.run(
        ":as @sec", "/board meeting add 7/1/2027 10:00 at Guildhall",
        "/board action add Share the directory @owen due 10/11/2026",
        "/board action add Someone else's @mia due 10/11/2026",
        ":as @owen", "/board agenda propose Therapy waits", "/board issue raise The referral form is broken",
    )
    home = await said(board, "/board home")
    assert home.splitlines() == [
        "Your board, Mon 2 Nov 2026",
        "Your actions",
        "  • A1 Share the directory — @owen, due Tue 10 Nov 2026",
        "Your agenda items",
        "  • G1 Therapy waits — proposed by @owen — no paper  [proposed]",
        "Open issues you can see",
        "  • I1 The referral form is broken — raised by @owen on Mon 2 Nov 2026  [open]",
        "Your risks due for review",
        "  None due.",
        "Your measures due",
        "  None due.",
        "Next meeting",
        "  • M1 Thu 7 Jan 2027 10:00 at Guildhall",
        "Your next 14 days",
        "  • Tue 10 Nov 2026 — A1 Share the directory — @owen, due Tue 10 Nov 2026",
    ]
    assert await said(board, "/board me") == home
    assert "No open actions." in await said(board, ":as @zoe", "/board home")
    assert (await said(board, ":as @stranger", "/board home")).startswith("You're not a member of this board yet.")


async def test_non_members_cannot_read_the_board(board: BoardConsole) -> None:
    await board.run("/board action add Share the directory @owen due 10/11/2026", ":as @stranger")
    for line in ("/board action list", "/board action show A1", "/board member list", "/board meeting list"):
        assert (await said(board, line)).startswith("You're not a member of this board yet."), line


async def test_an_unexpected_failure_apologises_with_a_reference_and_writes_nothing(board: BoardConsole,
                                                                                     monkeypatch) -> None:
    services = board.console.services
    monkeypatch.setitem(RULES, "break", Rule("break", EVERYONE))
    broken = Router("broken")

    @broken.command("break", usage="break", summary="Fails half way")
    async def half_way(ctx, args):
        await ctx.uow.members.add(Member(handle="ghost", name="Ghost Writer", initials="GW"))
        raise RuntimeError("disk on fire")

    app = BotApp(broken, services.db.uow, services.clock)
    answer = (await app.handle(Command(Identity("console", "chair"), "/board break"))).reply
    assert answer.error and answer.error_id and len(answer.error_id) == 6
    assert answer.summary == "Sorry, something went wrong."
    assert f"quote reference {answer.error_id}" in answer.blocks[1].text[0]
    assert "disk on fire" not in str(answer.blocks)
    assert "@ghost" not in await said(board, "/board member list")


async def test_home_shows_leads_their_workstreams_overdue_and_the_chair_what_was_escalated(board: BoardConsole) -> None:
    await board.run(":as @sec", ":now 2026-11-02T10:00",
                    "/board action add Map the places @owen due 5/11/2026 ws W1",
                    "/board action add Book the venue @mia due 5/11/2026",
                    "/board action add Not yet due @owen due 5/1/2027 ws W1",
                    ":now 2026-11-25T10:00")
    lead = await said(board, ":as @lead", "/board home")
    assert "Overdue in the workstreams you lead\n  • A1 Map the places — @owen" in lead and "A3" not in lead
    chair = await said(board, ":as @chair", "/board home")
    escalated = chair.split("Escalated to you\n")[1]
    assert "A1 Map the places" in escalated and "A2 Book the venue" in escalated
    assert "Escalated to you" not in await said(board, ":as @owen", "/board home")
