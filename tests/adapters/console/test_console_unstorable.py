"""Text with characters a database cannot hold (NUL, lone surrogates) is
cleaned before it is stored, on SQLite and PostgreSQL alike: a parent's
concern is kept, not lost to "something went wrong"."""

from __future__ import annotations

from bot.text import storable
from tests.adapters.console.steps import flat, said
from tests.harness import BoardConsole

CONCERN = "Our son's EHCP review\x00 was cancelled twice and nobody \ud800has told us why."


async def test_a_parents_concern_with_a_nul_is_kept(board: BoardConsole) -> None:
    answer = await said(board, ":as @pat", CONCERN)
    assert answer.startswith("Thank you. Your concern is logged as I1.")
    shown = flat(await said(board, "/board issue show I1"))
    assert "Our son's EHCP review was cancelled twice and nobody \ufffdhas told us why." in shown


async def test_a_command_with_a_nul_is_answered_not_crashed(board: BoardConsole) -> None:
    answer = await said(board, ":as @sec", "/board action list \x00")
    assert "Sorry, something went wrong" not in answer
    added = await said(board, "/board action add Chase the\x00 transport team @owen due 4/12/2026")
    assert added.startswith("Action A1 logged.")
    assert "Chase the transport team" in await said(board, "/board action show A1")


def test_storable_cleans_strings_at_any_depth_and_leaves_the_rest():
    assert storable({"a\x00": ["x\x00y", ("\ud800z",)], "n": 3}) == {"a": ["xy", ("\ufffdz",)], "n": 3}
