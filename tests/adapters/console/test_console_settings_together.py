"""Board settings are checked together: a change that would leave a kind of
message never delivered is refused with the reason, and nothing changes."""

from __future__ import annotations

from tests.adapters.console.steps import said, unchanged
from tests.harness import BoardConsole


async def test_a_send_time_outside_the_hours_is_refused_with_the_reason(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board board config hours 08:00-10:00")
    answers = await unchanged(board, "/board board config", "/board board config send-time 12:00")
    assert answers == ["Daily reminders at 12:00 would never go out: scheduled messages are only sent "
                       "08:00-10:00. Choose hours that include 12:00, or change `board config send-time` first."]


async def test_hours_that_would_exclude_the_send_time_are_refused(board: BoardConsole) -> None:
    await board.run(":as @sec")
    answers = await unchanged(board, "/board board config", "/board board config hours 10:00-16:00",
                              "/board board config quiet-hours 16:00-10:00")
    assert all(a.startswith("Daily reminders at 09:00 would never go out: scheduled messages are only sent "
                            "10:00-16:00.") for a in answers)


async def test_moving_the_send_time_first_lets_the_hours_follow(board: BoardConsole) -> None:
    await board.run(":as @sec")
    assert await said(board, "/board board config send-time 11:00") == "Daily reminders go out at 11:00."
    assert (await said(board, "/board board config hours 10:00-16:00")).startswith(
        "Scheduled reminders go out 10:00-16:00")


async def test_a_refusal_still_needs_the_right_role_first(board: BoardConsole) -> None:
    await board.run(":as @mia")
    answers = await unchanged(board, "/board board config", "/board board config send-time 23:00")
    assert answers[0].startswith("Only the chair or secretariat can change board settings.")
