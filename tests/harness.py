"""Drives the real console adapter in-process, as `partnerbot console --json` would.

Tests feed the same lines a user types and read the same JSON messages back,
on whichever database the ``db_url`` fixture provides.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

from adapters.config import Settings
from adapters.console.repl import Console, open_console

LONDON = ZoneInfo("Europe/London")

BOARD = [
    ":as @chair",
    '/board member add @chair "Cara Hale" initials CH org "Borough Council" role chair',
    '/board member add @sec "Sam Reed" initials SR org "Children\'s Trust" role secretariat',
    '/board member add @lead "Lee Moss" initials LM org "ICB" role member',
    '/board member add @owen "Owen Pike" initials OP org "Health Trust" role member',
    '/board member add @mia "Mia Lund" initials ML org "School" role member',
    '/board member add @pat "Pat Quinn" initials PQ org "Parent Carer Forum" role parent-rep',
    '/board member add @zoe "Zoe Hart" initials ZH org "Borough Council" role observer',
    '/board workstream add "Local provision" lead @lead',
]


class BoardConsole:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.buffer = io.StringIO()
        console.out = self.buffer

    async def run(self, *lines: str) -> list[dict]:
        """Run lines; return the JSON messages they produced."""
        start = self.buffer.tell()
        await self.console.run_lines(lines)
        self.buffer.seek(start)
        produced = [json.loads(line) for line in self.buffer.read().splitlines() if line.strip()]
        self.buffer.seek(0, io.SEEK_END)
        return produced

    async def reply(self, line: str) -> dict:
        """The bot's reply to one command (other messages are dropped)."""
        replies = [m for m in await self.run(line) if m["kind"] == "reply"]
        assert len(replies) == 1, replies
        return replies[0]

    async def close(self) -> None:
        await self.console.services.close()


async def open_board(db_url: str, who: str = "@chair", now: str = "2026-11-02T10:00",
                     seed: bool = True) -> BoardConsole:
    settings = Settings(database_url=db_url, log_json=False)
    at = dt.datetime.fromisoformat(now).replace(tzinfo=LONDON).astimezone(dt.UTC)
    board = BoardConsole(await open_console(settings, who, at, as_json=True))
    if seed:
        await board.run(*BOARD)
    return board
