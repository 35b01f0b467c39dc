"""Socket Mode: the same listeners over Slack's websocket, for a quick start
without a public URL (``partnerbot serve --socket-mode``)."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.services import Services
from adapters.slack.http import connect


async def run_socket_mode(services: Services) -> None:
    """Connect and serve until cancelled."""
    token = services.settings.slack_app_token
    if not token:
        raise ValueError("PARTNERBOT_SLACK_APP_TOKEN (xapp-…) is required for Socket Mode")
    bolt, _ = connect(services, socket_mode=True)
    handler = AsyncSocketModeHandler(bolt, token, web_client=bolt.client)
    try:
        await handler.start_async()
    finally:
        await handler.close_async()  # the answers in progress finish when the services close
