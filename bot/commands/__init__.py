"""Every /board command, gathered into one router."""

from __future__ import annotations

from bot.commands import actions, agenda, board, deadlines, home, issues, meetings, people, privacy
from bot.commands.help import build_help_router
from bot.router import Router


def build_router() -> Router:
    root = Router("board", "")
    root.include(actions.router, agenda.router, meetings.router, deadlines.router, issues.router, people.router,
                 board.router, home.router, privacy.router)
    root.include(build_help_router(root))
    return root
