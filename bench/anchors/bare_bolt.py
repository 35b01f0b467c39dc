"""Anchor: a bare slack-bolt AsyncApp that acks /board and answers through response_url, as bolt's docs show.

The same app as /work/shared/checks/lib/bare_bolt_respond.py: ``python bare_bolt.py PORT API_URL``."""

import sys

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

SECRET = "s3cret-signing"

app = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token="xoxb-anchor", base_url=sys.argv[2]))


@app.command("/board")
async def board(ack, respond, command):
    await ack()
    await respond(f"ok {command['text']}")

web.run_app(app.web_app(path="/slack/events"), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
