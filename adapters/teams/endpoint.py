"""``POST /api/messages``: where the Bot Framework delivers Teams activities.

We authenticate and run the activity ourselves rather than through
``CloudAdapter.process``, which in botbuilder 4.17 turns invoke replies into
HTTP 500 and any token that fails to parse or verify into an unhandled
exception: here every authentication failure is a 401, and invoke responses
(card actions, message-extension dialogs) return the status and JSON body the
bot chose.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from adapters.services import Services
from adapters.teams.auth import build_authentication
from adapters.teams.bot import TeamsBot
from adapters.teams.cards import CardRenderer
from adapters.teams.conversations import ConversationStore
from adapters.teams.messenger import Messenger
from adapters.teams.notifier import TeamsNotifier
from adapters.web.documents import DocumentLinks

log = logging.getLogger("partnerbot.teams")


@dataclass
class TeamsRuntime:
    adapter: CloudAdapter
    bot: TeamsBot
    notifier: TeamsNotifier


TEAMS = web.AppKey("teams", TeamsRuntime)


def build_runtime(services: Services) -> TeamsRuntime:
    adapter = CloudAdapter(build_authentication(services.settings))
    messenger = Messenger(adapter, services.settings.teams_app_id or "", ConversationStore(services.db.uow))
    links = DocumentLinks(services.settings, services.clock).url
    return TeamsRuntime(adapter, TeamsBot(services, messenger),
                        TeamsNotifier(messenger, renderer=CardRenderer(links=links)))


def mount(app: web.Application, services: Services, dev: bool) -> None:
    """Add the Teams endpoint and register Teams delivery with the outbox."""
    if not services.settings.teams_app_id and not dev:
        raise RuntimeError("PARTNERBOT_TEAMS_APP_ID is not set: refusing to accept unauthenticated Teams "
                           "activities. Set it, or use --dev for local testing.")
    if dev:
        log.warning("TEAMS AUTHENTICATION IS OFF (--dev): /api/messages accepts unsigned activities from "
                    "anyone. Never expose this server; set PARTNERBOT_TEAMS_APP_ID for real use.")
    runtime = build_runtime(services)
    services.notifier.register("teams", runtime.notifier)
    app[TEAMS] = runtime
    app.router.add_post("/api/messages", messages)


async def messages(request: web.Request) -> web.StreamResponse:
    runtime = request.app[TEAMS]
    if request.content_type != "application/json":
        return web.Response(status=415, text="Expected application/json")
    try:
        activity = Activity().deserialize(await request.json())
    except Exception:
        return web.Response(status=400, text="Not an activity")
    if not activity.type:
        return web.Response(status=400, text="Not an activity")
    try:
        auth = await runtime.adapter.bot_framework_authentication.authenticate_request(
            activity, request.headers.get("Authorization"))
    except Exception as error:  # PermissionError, but also jwt's decode and signature errors
        log.warning("teams request refused", extra={"reason": type(error).__name__})
        return web.Response(status=401, text="Unauthorized")
    try:
        invoke = await runtime.adapter.process_activity(auth, activity, runtime.bot.on_turn)
    except Exception:
        log.exception("teams activity failed", extra={"activity_type": activity.type})
        return web.Response(status=500)
    if invoke is None:
        return web.Response(status=200)
    if invoke.body is None:
        return web.Response(status=int(invoke.status))
    return web.json_response(invoke.body, status=int(invoke.status))
