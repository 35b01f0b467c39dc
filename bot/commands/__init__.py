"""Every /board command, gathered into one router."""

from __future__ import annotations

from bot.commands import (
    actions,
    agenda,
    board,
    deadlines,
    home,
    issues,
    meetings,
    minutes,
    people,
    standing,
    workstreams,
)
from bot.commands.help import build_help_router
from bot.router import Router


def build_router() -> Router:
    root = Router("board", "")
    root.include(actions.router, agenda.router, standing.router, meetings.router, minutes.router, deadlines.router,
                 issues.router, people.router, workstreams.router, board.router, home.router)
    root.include(build_help_router(root))
    return root
