"""``POST /slack/events``: slash commands, events, interactivity and menu options over HTTP.

Every request is checked first (``guard.refusal``: a numeric timestamp, a
valid signature, a body that parses) and then goes through bolt, which
verifies the signature again (HMAC of the body with the signing secret,
timestamp within 5 minutes) before any listener runs. Unsigned, stale or
tampered requests get 401, malformed ones 400, oversized ones 413.
"""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp

from adapters.services import Services, document_source
from adapters.slack.command_runner import SlackBoard
from adapters.slack.guard import refusal
from adapters.slack.listeners import build_bolt_app
from adapters.slack.notifier import SlackNotifier, web_client

PATH = "/slack/events"
BOARD = web.AppKey("slack_board", SlackBoard)  # the web app's Slack board (tests wait for its work)


def connect(services: Services, *, socket_mode: bool = False) -> tuple[AsyncApp, SlackBoard]:
    """The bolt app for this process, with Slack registered as a delivery platform, and the
    board behind it."""
    settings = services.settings
    if not socket_mode and not settings.slack_signing_secret:
        raise ValueError("PARTNERBOT_SLACK_SIGNING_SECRET is required to accept Slack requests over HTTP")
    board = SlackBoard(services, web_client(settings, interactive=True))
    services.notifier.register("slack", SlackNotifier(web_client(settings, interactive=False), settings.timezone,
                                                      document_source(services), board.accounts))
    return build_bolt_app(board, None if socket_mode else settings.slack_signing_secret), board


def mount(app: web.Application, services: Services) -> None:
    bolt, board = connect(services)
    secret = services.settings.slack_signing_secret or ""

    async def slack_events(request: web.Request) -> web.Response:
        refused = refusal(request.headers, await request.read(), secret)  # read() raises 413 when too big
        if refused is not None:
            return web.Response(status=refused[0], text=refused[1])
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app[BOARD] = board
    app.router.add_post(PATH, slack_events)
