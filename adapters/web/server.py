"""Builds the aiohttp application ``partnerbot serve`` runs.

Slack (``POST /slack/events``) is mounted when a bot token is configured and
Teams (``POST /api/messages``) when an app id is configured or ``--dev`` is
given; ``GET /healthz`` and ``GET /readyz`` (adapters.web.health) and ``GET /documents/<token>``
(signed, expiring document links) are always there. Each platform's module owns its
routes; this file only decides which are mounted. While the application
runs, so does the delivery loop (jobs.delivery_loop) that commands wake.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.services import Services
from adapters.web.app_keys import SERVICES
from adapters.web.files import serve_file
from adapters.web.health import mount_health

log = logging.getLogger("partnerbot.web")


class StartupRefused(RuntimeError):
    """Configuration that would run an unauthenticated endpoint."""


async def calendar_feed(request: web.Request) -> web.Response:
    """A member's private calendar feed; an unknown, replaced or removed member's link is 404."""
    from bot.commands.feeds import feed_for_token

    services = request.app[SERVICES]
    name = request.match_info["name"]
    body = None
    if name.endswith(".ics"):
        async with services.db.uow() as uow:
            body = await feed_for_token(uow, name.removesuffix(".ics"), services.clock.now())
    if body is None:
        log.info("calendar feed refused")  # never log the token: it is the member's secret
        raise web.HTTPNotFound(text="No such calendar. Ask the bot for a new link: /board calendar reset")
    return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                        headers={"Cache-Control": "private, max-age=900"})


def run_delivery_loop(app: web.Application, services: Services) -> None:
    """Deliver what commands owe while the server runs (also without ``--no-jobs``,
    so nobody waits for a worker to hear what a colleague just did)."""
    async def start(_: web.Application) -> None:
        services.delivery.start()

    async def stop(_: web.Application) -> None:
        await services.delivery.stop()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


def build_web_app(services: Services, *, socket_mode: bool = False, teams_dev: bool = False,
                  jobs: bool = True) -> web.Application:
    from adapters.web.documents import mount as mount_documents

    settings = services.settings
    app = web.Application(client_max_size=settings.max_request_bytes)  # larger bodies get 413
    app[SERVICES] = services
    run_delivery_loop(app, services)
    mount_health(app, services, jobs=jobs)
    mount_documents(app, services)
    app.router.add_get("/calendar/{name}", calendar_feed)
    app.router.add_get("/files/{token}/{name}", serve_file)
    if settings.slack_bot_token and not socket_mode:
        if not settings.slack_signing_secret:
            raise StartupRefused(
                "PARTNERBOT_SLACK_SIGNING_SECRET is not set: refusing to accept unsigned Slack requests. "
                "Set it, or use --socket-mode."
            )
        from adapters.slack.http import mount as mount_slack  # slack_bolt only where Slack is served

        mount_slack(app, services)
    if settings.teams_app_id and not settings.teams_app_password and settings.teams_app_type != "UserAssignedMSI":
        raise StartupRefused(
            "PARTNERBOT_TEAMS_APP_ID is set but PARTNERBOT_TEAMS_APP_PASSWORD is not: the bot could not answer. "
            "Set the client secret, or PARTNERBOT_TEAMS_APP_TYPE=UserAssignedMSI when running on a managed identity."
        )
    if settings.teams_app_id or teams_dev:
        # botbuilder (~40 MB resident) is imported only where Teams is served
        from adapters.teams.endpoint import mount as mount_teams

        mount_teams(app, services, dev=teams_dev and not settings.teams_app_id)
    else:
        log.warning("Teams endpoint not started: PARTNERBOT_TEAMS_APP_ID is not set (use --dev for local testing)")
    return app
