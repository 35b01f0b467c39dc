"""Anchor: a bare botbuilder CloudAdapter echo bot, as botbuilder's samples write it.

``python bare_teams.py PORT APP_ID OPENID_METADATA_URL``: inbound JWTs are checked against the local
OpenID server's keys (the same Bot Framework authentication settings as adapters/teams/auth.py, without
its msrest fix), outbound calls carry a fixed token (tests/e2e/conftest.py's StaticCredentialFactory)."""

import sys
from pathlib import Path

from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import (
    AuthenticationConfiguration,
    AuthenticationConstants,
    BotFrameworkAuthenticationFactory,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.adapters.teams.teams_fakes import StaticCredentialFactory  # noqa: E402

port, app_id, metadata_url = sys.argv[1:4]
adapter = CloudAdapter(BotFrameworkAuthenticationFactory.create(
    validate_authority=True,
    to_channel_from_bot_login_url=AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + "tenant-1",
    to_channel_from_bot_oauth_scope=AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
    to_bot_from_channel_token_issuer=AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
    oauth_url=AuthenticationConstants.OAUTH_URL,
    to_bot_from_channel_open_id_metadata_url=metadata_url,
    to_bot_from_emulator_open_id_metadata_url=AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
    caller_id=CallerIdConstants.public_azure_channel,
    credential_factory=StaticCredentialFactory(app_id),
    auth_configuration=AuthenticationConfiguration(),
))


class Echo(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"ok {turn_context.activity.text}"))


bot = Echo()


async def messages(request: web.Request) -> web.Response:
    return await adapter.process(request, bot)


app = web.Application()
app.router.add_post("/api/messages", messages)
web.run_app(app, host="127.0.0.1", port=int(port), print=None, access_log=None)
