"""``POST /api/messages``: where the Bot Framework delivers Teams activities.

We authenticate and run the activity ourselves rather than through
``CloudAdapter.process``, which in botbuilder 4.17 turns invoke replies into
HTTP 500 and any token that fails to parse or verify into an unhandled
exception: here every authentication failure is a 401, and invoke responses
(card actions, message-extension dialogs) return the status and JSON body the
bot chose. Before any of that, the activity must be well formed
(``wellformed``) and its ``serviceUrl`` an allowed host (``trust``), so a
malformed or forged activity is refused before anything is called or stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from adapters.accounts import Accounts
from adapters.services import Services
from adapters.teams.auth import build_authentication
from adapters.teams.bot import TeamsBot
from adapters.teams.conversations import ConversationStore
from adapters.teams.messenger import Messenger
from adapters.teams.notifier import TeamsNotifier
from adapters.teams.trust import ServiceUrlPolicy
from adapters.teams.wellformed import invoke_error, problem
from adapters.web.files import share_files

log = logging.getLogger("partnerbot.teams")


@dataclass
class TeamsRuntime:
    adapter: CloudAdapter
    bot: TeamsBot
    notifier: TeamsNotifier
    policy: ServiceUrlPolicy


TEAMS = web.AppKey("teams", TeamsRuntime)


def build_runtime(services: Services, dev: bool = False) -> TeamsRuntime:
    settings = services.settings
    policy = ServiceUrlPolicy.from_setting(settings.teams_allowed_service_urls, dev=dev)
    adapter = CloudAdapter(build_authentication(settings))
    messenger = Messenger(adapter, settings.teams_app_id or "", ConversationStore(services.db.uow), policy)
    notifier = TeamsNotifier(messenger, share=partial(share_files, services),
                             accounts=Accounts(services.db.uow, "teams"))
    return TeamsRuntime(adapter, TeamsBot(services, messenger), notifier, policy)


def mount(app: web.Application, services: Services, dev: bool) -> None:
    """Add the Teams endpoint and register Teams delivery with the outbox."""
    if not services.settings.teams_app_id and not dev:
        raise RuntimeError("PARTNERBOT_TEAMS_APP_ID is not set: refusing to accept unauthenticated Teams "
                           "activities. Set it, or use --dev for local testing.")
    if dev:
        log.warning("TEAMS AUTHENTICATION IS OFF (--dev): /api/messages accepts unsigned activities from "
                    "anyone. Never expose this server; set PARTNERBOT_TEAMS_APP_ID for real use.")
    runtime = build_runtime(services, dev)
    services.notifier.register("teams", runtime.notifier)
    app[TEAMS] = runtime
    app.router.add_post("/api/messages", messages)


def refused(body: object, status: int, why: str) -> web.Response:
    """A 4xx, or for an invoke (its caller waits for JSON) a 200 whose body refuses."""
    if isinstance(body, dict) and body.get("type") == "invoke":
        return web.json_response(invoke_error(why, "Forbidden" if status == 403 else "BadRequest", status))
    return web.Response(status=status, text=why)


async def messages(request: web.Request) -> web.StreamResponse:
    runtime = request.app[TEAMS]
    if request.content_type != "application/json":
        return web.Response(status=415, text="Expected application/json")
    try:
        body = await request.json()
    except web.HTTPException:
        raise  # 413: the body is over PARTNERBOT_MAX_REQUEST_BYTES
    except ValueError:
        return web.Response(status=400, text="Not JSON")
    if (why := problem(body)) is not None:
        return refused(body, 400, f"Not an activity the bot can answer: {why}")
    if not runtime.policy.allows(body["serviceUrl"]):
        # Checked before anything is called or stored: a forged activity must not make the bot post elsewhere.
        log.warning("teams activity refused: serviceUrl not allowed", extra={"activity_type": body["type"]})
        return refused(body, 403, "serviceUrl is not an allowed Bot Framework host")
    try:
        activity = Activity().deserialize(body)
    except Exception:  # msrest's DeserializationError and type errors alike
        return refused(body, 400, "Not an activity")
    try:
        auth = await runtime.adapter.bot_framework_authentication.authenticate_request(
            activity, request.headers.get("Authorization"))
    except Exception as error:  # PermissionError, but also jwt's decode and signature errors
        log.warning("teams request refused", extra={"reason": type(error).__name__})
        return web.Response(status=401, text="Unauthorized")
    try:
        invoke = await runtime.adapter.process_activity(auth, activity, runtime.bot.on_turn)
    except Exception:
        # The bot answers every failure it can foresee itself (sends that fail go to the outbox), so this
        # is a bug; a 500 would only make the Bot Framework redeliver what has been handled once already.
        log.exception("teams activity failed", extra={"activity_type": activity.type})
        if activity.type == "invoke":
            return web.json_response(invoke_error("Sorry, something went wrong.", "InternalError", 500))
        return web.Response(status=202)
    if invoke is None:
        return web.Response(status=200)
    if invoke.body is None:
        return web.json_response({}, status=int(invoke.status))
    return web.json_response(invoke.body, status=int(invoke.status))
