"""Local stand-ins for Teams' side of the wire, on 127.0.0.1 only.

* FakeConnector: the Bot Connector REST API the bot calls back (replies,
  proactive sends, card updates, personal chats, roster lookups); records
  every call and, when told to, answers 429 with Retry-After, 503, drops the
  connection, or hangs until released (a slow connector).
* OpenIdServer: OpenID metadata and JWKS like login.botframework.com's, with
  a local RSA key, plus ``token()`` to sign Bot Framework style JWTs. It runs
  in a thread because botbuilder fetches keys with blocking ``requests``.
* Activity builders shaped like what Teams sends.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from msrest.authentication import Authentication

BOT_ID = "28:partnerbot"
TENANT = "tenant-1"
ISSUER = "https://api.botframework.com"


@dataclass
class Call:
    kind: str  # send | reply | update | create | member
    conversation: str
    body: dict
    activity_id: str | None = None
    authorization: str | None = None

    def cards(self) -> list[dict]:
        return [a["content"] for a in self.body.get("attachments") or []
                if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]

    def text(self) -> str:
        """Everything readable in the activity (text and card text), for assertions."""
        return json.dumps({"text": self.body.get("text"), "cards": self.cards()}, ensure_ascii=False)


@dataclass
class FakeConnector:
    roster: dict[str, dict] = field(default_factory=dict)  # Teams user id -> TeamsChannelAccount JSON
    calls: list[Call] = field(default_factory=list)
    throttle: list[float] = field(default_factory=list)  # Retry-After of the next sends to refuse
    faults: list[str] = field(default_factory=list)  # "503" or "drop" for the next sends
    stalled: asyncio.Event | None = None  # set: every call hangs until it is released
    url: str = ""
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def of(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    def posts(self) -> list[Call]:
        """Messages the bot posted (new or in reply)."""
        return [c for c in self.calls if c.kind in ("send", "reply")]

    def _record(self, request: web.Request, kind: str, body: dict) -> Call:
        call = Call(kind, request.match_info.get("conversation", ""), body, request.match_info.get("activity"),
                    request.headers.get("Authorization"))
        self.calls.append(call)
        return call

    def stall(self) -> None:
        """From now on every call waits (a connector taking ages) until ``release``."""
        self.stalled = asyncio.Event()

    def release(self) -> None:
        if self.stalled is not None:
            self.stalled.set()
        self.stalled = None

    @web.middleware
    async def _slow(self, request: web.Request, handler):  # noqa: ANN001
        if self.stalled is not None:
            await self.stalled.wait()
        return await handler(request)

    async def _post(self, request: web.Request) -> web.Response:
        if self.faults:
            fault = self.faults.pop(0)
            self._record(request, f"failed-{fault}", await request.json())
            if fault == "drop":
                request.transport.abort()  # the connection goes away without an answer
            return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)
        if self.throttle:
            wait = self.throttle.pop(0)
            return web.json_response({"error": {"code": "TooManyRequests"}}, status=429,
                                     headers={"Retry-After": str(wait)})
        kind = "reply" if "activity" in request.match_info else "send"
        self._record(request, kind, await request.json())
        return web.json_response({"id": f"act-{next(self._ids)}"})

    async def _update(self, request: web.Request) -> web.Response:
        self._record(request, "update", await request.json())
        return web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(request, "create", body)
        return web.json_response({"id": f"a:personal-{body['members'][0]['id']}", "activityId": None})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.roster.get(request.match_info["member"])
        self._record(request, "member", {})
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._slow])
        base = "/v3/conversations"
        app.router.add_post(base, self._create)
        app.router.add_post(base + "/{conversation}/activities", self._post)
        app.router.add_post(base + "/{conversation}/activities/{activity}", self._post)
        app.router.add_put(base + "/{conversation}/activities/{activity}", self._update)
        app.router.add_get(base + "/{conversation}/members/{member}", self._member)
        return app


async def start_connector(connector: FakeConnector) -> web.AppRunner:
    runner = web.AppRunner(connector.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    connector.url = f"http://127.0.0.1:{port}/"
    return runner


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdServer:
    """Serves /openid (metadata) and /keys (JWKS) for one signing key."""

    def __init__(self, kid: str = "local-key") -> None:
        self.key = new_key()
        self.kid = kid
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", endorsements=["msteams"])
        keys = json.dumps({"keys": [jwk]}).encode()
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path == "/openid":
                    body = json.dumps({"issuer": ISSUER, "jwks_uri": f"{server_self.url}/keys"}).encode()
                elif self.path == "/keys":
                    body = keys
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/openid"

    def token(self, app_id: str, service_url: str, *, expires_in: float = 600, key: rsa.RSAPrivateKey | None = None,
              audience: str | None = None, issuer: str = ISSUER) -> str:
        """A channel-to-bot token as the Bot Framework issues them."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience or app_id, "serviceurl": service_url, "nbf": now - 60,
                  "iat": now - 60, "exp": now + int(expires_in)}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class StaticToken(Authentication):
    """Outbound credentials for tests: a fixed bearer token instead of a call to Entra ID."""

    def __init__(self, token: str) -> None:
        self.token = token

    def signed_session(self, session=None):  # type: ignore[no-untyped-def]
        session = super().signed_session(session)
        session.headers["Authorization"] = f"Bearer {self.token}"
        return session


class StaticCredentialFactory:
    """A ServiceClientCredentialsFactory for one app id, handing out StaticToken."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(self, app_id, oauth_scope, login_endpoint, validate_authority):  # type: ignore
        return StaticToken(f"outbound-token-for-{app_id}")


# -- activities as Teams sends them --------------------------------------------------------------------


@dataclass(frozen=True)
class TeamsUser:
    id: str  # Teams user id (29:…)
    aad: str  # AAD object id
    name: str
    email: str | None = None

    def account(self) -> dict:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad}

    def roster_entry(self) -> dict:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad, "email": self.email,
                "userPrincipalName": self.email, "tenantId": TENANT}


_ids = itertools.count(1)
SENT_AT = "2026-11-23T10:00:00.000Z"  # the bot reads no activity timestamps; any fixed instant will do


def activity(kind: str, user: TeamsUser, service_url: str, *, conversation: str = "a:personal-1",
             conversation_type: str = "personal", **extra: object) -> dict:
    body = {
        "type": kind, "id": f"in-{next(_ids)}", "channelId": "msteams", "serviceUrl": service_url,
        "timestamp": SENT_AT,
        "from": user.account(), "recipient": {"id": BOT_ID, "name": "partnerbot"},
        "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}}, "locale": "en-GB",
    }
    body.update(extra)
    return body


def message(text: str, user: TeamsUser, service_url: str, *, mentions: tuple[TeamsUser, ...] = (),
            bot_mention: bool = False, mention_aad: bool = False, **kw: object) -> dict:
    """A message; ``mentions`` become ``<at>`` entities (with the AAD id if ``mention_aad``; Teams
    usually leaves it out), ``bot_mention`` prefixes ``@partnerbot``."""
    entities = [{"type": "mention", "text": f"<at>{u.name}</at>",
                 "mentioned": {"id": u.id, "name": u.name, **({"aadObjectId": u.aad} if mention_aad else {})}}
                for u in mentions]
    if bot_mention:
        text = "<at>partnerbot</at> " + text
        entities.insert(0, {"type": "mention", "text": "<at>partnerbot</at>",
                            "mentioned": {"id": BOT_ID, "name": "partnerbot"}})
    return activity("message", user, service_url, text=text, entities=entities, **kw)


def card_action(data: dict, user: TeamsUser, service_url: str, *, reply_to: str = "act-card", **kw: object) -> dict:
    """The invoke Teams sends when someone presses an Action.Execute button."""
    return activity("invoke", user, service_url, name="adaptiveCard/action", replyToId=reply_to,
                    value={"action": {"type": "Action.Execute", "verb": data.get("pb_kind"), "data": data},
                           "trigger": "manual"}, **kw)
