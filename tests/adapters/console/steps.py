"""Small readers for the console's JSON messages, shared by the console tests."""

from __future__ import annotations

from tests.harness import BoardConsole


def replies(messages: list[dict]) -> list[dict]:
    """Replies to the typist, without the ``:as``/``:now`` confirmations."""
    return [m for m in messages if m["kind"] == "reply" and not m["text"].startswith(("You are now", "The time is"))]


def reply(messages: list[dict]) -> dict:
    """The one command reply among ``messages``."""
    found = replies(messages)
    assert len(found) == 1, found
    return found[0]


def dms(messages: list[dict], to: str | None = None) -> list[dict]:
    return [m for m in messages if m["kind"] == "dm" and (to is None or m["to"] == to)]


async def said(board: BoardConsole, *lines: str) -> str:
    """The text of the reply to the last line (earlier lines are set-up, e.g. ``:as``)."""
    return replies(await board.run(*lines))[-1]["text"]


async def refused(board: BoardConsole, *lines: str) -> str:
    """Like ``said``, for a command that must be refused: it produces no DM or post."""
    messages = await board.run(*lines)
    assert not [m for m in messages if m["kind"] != "reply"], messages
    return replies(messages)[-1]["text"]


async def unchanged(board: BoardConsole, probe: str, *lines: str) -> list[str]:
    """Run refused ``lines`` and check ``probe`` (e.g. ``/board action list all``,
    run by the same person) reads the same before and after; return the refusals."""
    before = await said(board, probe)
    answers = [await refused(board, line) for line in lines]
    assert await said(board, probe) == before
    return answers


def flat(text: str) -> str:
    """Text with runs of spaces made single, so field alignment doesn't matter."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())
