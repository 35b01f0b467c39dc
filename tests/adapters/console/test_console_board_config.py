"""Board settings: only the chair and secretariat change them; changes take
effect in the deadlines the board sees."""

from __future__ import annotations

from tests.adapters.console.steps import flat, said, unchanged
from tests.harness import BoardConsole

ONLY = "Only the chair or secretariat can {}.\n  Ask the secretariat if you think this is wrong."


async def test_defaults_are_the_agreements(board: BoardConsole) -> None:
    shown = flat(await said(board, ":as @mia", "/board board config"))  # anyone may read them
    for line in ("Channel: #board", "Quiet hours: nothing scheduled before 08:00 or after 18:00",
                 "Reminders at: 09:00", "HWB joint chairs: not set",
                 "submission: 6 — papers are due this many working days before a meeting",
                 "circulation: 5 — papers are circulated this many working days before",
                 "escalate-lead: 3", "escalate-chair: 10", "traction: 30",
                 "informal-days: 28 — calendar days of informal resolution before an issue escalates",
                 "No term dates set", "No closure days besides bank holidays."):
        assert line in shown, line
    assert await said(board, "/board config") == await said(board, "/board board config")


async def test_settings_change_and_take_effect(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board meeting add 7/1/2027 10:00")
    for line, answer in (
        ("channel #chat:C0BOARD", "Board posts will go to chat:C0BOARD."),  # a channel a chat adapter picked
        ("channel #send-partnership", "Board posts will go to #send-partnership."),
        ("submission 8", "From now on, papers are due this many working days before a meeting: 8."),
        ("circulation 3", "From now on, papers are circulated this many working days before: 3."),
        ("escalate-lead 4", "From now on, working days overdue before the workstream lead hears: 4."),
        ("escalate-chair 12", "From now on, working days overdue before the chair hears: 12."),
        ("traction 40", "From now on, days without an update before a traction nudge: 40."),
        ("informal-days 21", "From now on, calendar days of informal resolution before an issue escalates: 21."),
        ("hours 07:30-19:00", "Scheduled reminders go out 07:30-19:00 on working days and wait overnight "
                              "(quiet 19:00-07:30)."),
        ("quiet-hours 19:00-07:30", "Scheduled reminders go out 07:30-19:00"),  # typed as the quiet period
        ("send-time 8:30", "Daily reminders go out at 08:30."),
        ("hwb @lead @owen", "Issues at the last stage go to Lee Moss, Owen Pike."),
    ):
        assert (await said(board, f"/board board config {line}")).startswith(answer), line
    shown = flat(await said(board, "/board board config"))
    for line in ("Channel: #send-partnership", "Quiet hours: nothing scheduled before 07:30 or after 19:00",
                 "Reminders at: 08:30", "HWB joint chairs: lead, owen", "submission: 8", "circulation: 3",
                 "escalate-lead: 4", "escalate-chair: 12", "traction: 40", "informal-days: 21"):
        assert line in shown, line
    meeting = flat(await said(board, "/board meeting show M1"))
    assert "Papers due: Wed 23 Dec 2026 (8 working days before)" in meeting
    assert "Circulated: Mon 4 Jan 2027 (3 working days before)" in meeting
    assert "If it isn't resolved by Mon 23 Nov 2026" in await said(board, ":as @pat", "/board issue raise Help")


async def test_term_dates_and_closure_days(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board meeting add 7/1/2027 10:00")
    assert await said(board, '/board board config term add "Spring 2027" 4/1/2027 to 26/3/2027') == (
        "Term Spring 2027: Mon 4 Jan 2027 to Fri 26 Mar 2027.")
    assert await said(board, '/board board config term add "Autumn 2026" 2/9/2026 to 18/12/2026') == (
        "Term Autumn 2026: Wed 2 Sep 2026 to Fri 18 Dec 2026.")  # a term already under way
    assert await said(board, "/board board config closure add 29/12/2026 office closed") == (
        "Tue 29 Dec 2026 is now a closure day; working-day deadlines skip it.")
    shown = await said(board, "/board board config")
    assert ("Term dates\n  • Autumn 2026: Wed 2 Sep 2026 to Fri 18 Dec 2026\n"
            "  • Spring 2027: Mon 4 Jan 2027 to Fri 26 Mar 2027\n") in shown
    assert "Closure days\n  • Tue 29 Dec 2026 office closed" in shown
    assert "Papers due: Thu 24 Dec 2026" in flat(await said(board, "/board meeting show M1"))
    assert await said(board, '/board board config term remove "Autumn 2026"') == "Term Autumn 2026 removed."
    assert (await said(board, "/board board config closure remove 29/12/2026")
            == "Tue 29 Dec 2026 is a working day again.")
    assert "Papers due: Tue 29 Dec 2026" in flat(await said(board, "/board meeting show M1"))
    assert "Autumn 2026" not in await said(board, "/board board config")


async def test_config_refusals_change_nothing(board: BoardConsole) -> None:
    await board.run(":as @mia")
    assert await unchanged(
        board, "/board board config", "/board board config channel #x", "/board board config submission 7",
        "/board board config quiet-hours 07:00-19:00", "/board board config send-time 10:00",
        "/board board config hwb @lead", '/board board config term add "Spring" 4/1/2027 to 26/3/2027',
        '/board board config term remove "Spring"', "/board board config closure add 24/12/2026",
        "/board board config closure remove 24/12/2026",
    ) == [ONLY.format("change board settings")] * 5 + [ONLY.format("change term dates")] * 2 + [
        ONLY.format("change closure days")] * 2
    await board.run(":as @sec")
    answers = await unchanged(
        board, "/board board config",
        "/board board config channel board", "/board board config submission 99", "/board board config circulation x",
        "/board board config traction 3", "/board board config hours 10:00-10:00",
        "/board board config quiet-hours soon", "/board board config send-time noonish", "/board board config hwb",
        "/board board config hwb @nobody", '/board board config term add "Bad" 18/12/2026 to 2/9/2026',
        '/board board config term add "Spring"', '/board board config term remove "Nope"',
        "/board board config closure add", "/board board config closure add 31/2/2027",
        "/board board config closure remove 23/12/2026",
    )
    assert answers == [
        "Name a channel like #board, or say `here`.",
        "Give a whole number from 1 to 30.\n  For example: `board config submission 2`",
        "Give a whole number from 0 to 30.\n  For example: `board config circulation 1`",
        "Give a whole number from 7 to 365.\n  For example: `board config traction 8`",
        "The hours must not start and end at the same time.",
        "Give the hours reminders may go out, like 08:00-18:00.",
        "I couldn't read “noonish” as a time.\n  Write times like 10:00, 14:30 or 2pm.",
        "Name the HWB joint chairs.\n  For example: `board config hwb @hana @hugo`",
        answers[8],
        "The term ends before it starts.",
        'Give a name, a start and an end.\n  For example: `board config term add "Spring 2027" 4/1/2027 to 26/3/2027`',
        "There is no term called Nope.\n  `/board config` lists the terms.",
        "Which day?\n  For example: `board config closure add 24/12/2026 office closed`",
        answers[13],
        "Wed 23 Dec 2026 is not a closure day.",
    ]
    assert answers[8].startswith("I don't know anyone called “@nobody”.")
    assert answers[13].startswith("“31/2/2027” is not a real date.")


async def test_the_short_config_form_works_for_sub_commands(board: BoardConsole) -> None:
    await board.run(":as @sec")
    assert (await said(board, '/board config term add "Spring 2027" 4/1/2027 to 26/3/2027')).startswith(
        "Term Spring 2027")
    assert await said(board, "/board config closure add 24/12/2026") == (
        "Thu 24 Dec 2026 is now a closure day; working-day deadlines skip it.")
