"""Every /board command, gathered into one router."""

from __future__ import annotations

from bot.commands import (
    actions,
    agenda,
    board_settings,
    concern_report,
    concerns,
    data,
    deadlines,
    feeds,
    home,
    intake,
    issues,
    measures,
    meetings,
    membership,
    minutes,
    privacy,
    report,
    risks,
    standing,
    workstreams,
)
from bot.commands.help import build_help_router
from bot.router import Router


def build_router() -> Router:
    root = Router("board", "")
    root.include(actions.router, agenda.router, standing.router, meetings.router, minutes.router, deadlines.router,
                 issues.router, concerns.router, concern_report.router, intake.router, membership.router,
                 workstreams.router, risks.router, measures.router, board_settings.router, home.router, data.router,
                 feeds.router, report.router, privacy.router)
    root.include(build_help_router(root))
    return root
