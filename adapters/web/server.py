"""Builds the aiohttp application ``partnerbot serve`` runs.

Slack (``POST /slack/events``) is mounted when a bot token is configured and
Teams (``POST /api/messages``) when an app id is configured or ``--dev`` is
given; ``GET /healthz`` and ``GET /documents/<token>`` (signed, expiring
document links) are always there. Each platform's module owns its
routes; this file only decides which are mounted.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.services import Services

log = logging.getLogger("partnerbot.web")
SERVICES = web.AppKey("services", Services)


class StartupRefused(RuntimeError):
    """Configuration that would run an unauthenticated endpoint."""


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.uow() as uow:
        await uow.members.count()
    return web.json_response({"ok": True})


def build_web_app(services: Services, *, socket_mode: bool = False, teams_dev: bool = False) -> web.Application:
    from adapters.slack.http import mount as mount_slack
    from adapters.teams.endpoint import mount as mount_teams
    from adapters.web.documents import mount as mount_documents

    settings = services.settings
    app = web.Application()
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    mount_documents(app, services)
    if settings.slack_bot_token and not socket_mode:
        if not settings.slack_signing_secret:
            raise StartupRefused(
                "PARTNERBOT_SLACK_SIGNING_SECRET is not set: refusing to accept unsigned Slack requests. "
                "Set it, or use --socket-mode."
            )
        mount_slack(app, services)
    if settings.teams_app_id and not settings.teams_app_password and settings.teams_app_type != "UserAssignedMSI":
        raise StartupRefused(
            "PARTNERBOT_TEAMS_APP_ID is set but PARTNERBOT_TEAMS_APP_PASSWORD is not: the bot could not answer. "
            "Set the client secret, or PARTNERBOT_TEAMS_APP_TYPE=UserAssignedMSI when running on a managed identity."
        )
    if settings.teams_app_id or teams_dev:
        mount_teams(app, services, dev=teams_dev and not settings.teams_app_id)
    else:
        log.warning("Teams endpoint not started: PARTNERBOT_TEAMS_APP_ID is not set (use --dev for local testing)")
    return app
