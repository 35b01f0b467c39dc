"""A local stand-in for Slack, for tests and demos: point ``PARTNERBOT_SLACK_API_URL`` at it.

``FakeSlack`` serves the Web API methods the bot uses (``auth.test``,
``chat.postMessage``/``update``/``postEphemeral``, ``views.open``/``publish``/
``update``, ``users.info``, ``users.lookupByEmail``, ``conversations.open``,
``apps.connections.open``, and the three steps of ``files_upload_v2``:
``files.getUploadURLExternal``, the upload itself, ``files.completeUploadExternal``),
``response_url`` posts and a Socket Mode
websocket, on 127.0.0.1. It records every call so tests can assert on the
Block Kit that reached "Slack", and answers 429 with ``Retry-After`` on demand.

``SlackSender`` plays Slack's other half: it sends slash commands, events and
interactions to the bot signed exactly as Slack signs them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

BOT_USER = "UBOT"
JSON_FIELDS = ("blocks", "view", "attachments", "files")


@dataclass
class Call:
    method: str  # Web API method, or "response_url" for posts to a response URL
    args: dict[str, Any]
    token: str | None = None
    limited: bool = False
    url: str = ""


@dataclass
class SlackUser:
    id: str
    name: str
    email: str | None = None


@dataclass
class FakeSlack:
    tokens: tuple[str, ...] = ("xoxb-test", "xapp-test")
    calls: list[Call] = field(default_factory=list)
    users: dict[str, SlackUser] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict] = field(default_factory=dict)
    uploads: dict[str, dict] = field(default_factory=dict)  # file id -> filename, bytes, then channel and title
    socket_acks: asyncio.Queue = field(default_factory=asyncio.Queue)
    _limits: dict[str, list[float]] = field(default_factory=dict)
    _faults: dict[str, list[str]] = field(default_factory=dict)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _socket: web.WebSocketResponse | None = None
    _connected: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    base: str = ""

    # ---- control -------------------------------------------------------

    async def start(self) -> str:
        """Serve on a free port; returns the Web API base URL (ends in ``/api/``)."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._websocket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self.api_url

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, key: str = "1") -> str:
        return f"{self.base}/response/{key}"

    def add_user(self, user_id: str, name: str, email: str | None = None) -> SlackUser:
        self.users[user_id] = SlackUser(user_id, name, email)
        return self.users[user_id]

    def rate_limit(self, method: str, retry_after: float = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get 429 with ``Retry-After``."""
        self._limits.setdefault(method, []).extend([retry_after] * times)

    def fail(self, method: str, how: str = "503", times: int = 1) -> None:
        """The next ``times`` calls of ``method`` (or ``response_url``) answer 503, or ``drop``
        the connection without an answer."""
        self._faults.setdefault(method, []).extend([how] * times)

    def _fault(self, method: str, request: web.Request) -> web.Response | None:
        if not self._faults.get(method):
            return None
        how = self._faults[method].pop(0)
        if how == "drop":
            request.transport.abort()
        return web.json_response({"ok": False, "error": "service_unavailable"}, status=503)

    def calls_to(self, method: str, url: str | None = None, **match: Any) -> list[Call]:
        """Calls of ``method`` that were answered, whose arguments include ``match``
        (for ``response_url`` posts, ``url`` picks one response URL)."""
        return [c for c in self.calls if c.method == method and not c.limited and url in (None, c.url)
                and all(c.args.get(k) == v for k, v in match.items())]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10, url: str | None = None,
                       **match: Any) -> list[Call]:
        """Wait until ``count`` calls of ``method`` (matching ``match``) have arrived."""
        deadline = time.monotonic() + timeout
        while len(found := self.calls_to(method, url, **match)) < count:
            if time.monotonic() > deadline:
                seen = [(c.method, c.args.get("channel")) for c in self.calls]
                raise AssertionError(f"no {count}× {method} {match} reached Slack; saw {seen}")
            await asyncio.sleep(0.02)
        return found

    def messages_in(self, channel: str) -> list[dict]:
        """Messages posted to ``channel``, oldest first, as they now read (after any chat.update)."""
        return [{"channel": c, **m} for (c, _), m in self.messages.items() if c == channel]

    async def wait_connected(self, timeout: float = 10) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def socket_send(self, envelope: dict) -> None:
        """Push a Socket Mode envelope to the connected app."""
        assert self._socket is not None, "no Socket Mode client connected"
        await self._socket.send_json(envelope)

    # ---- Web API -------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        for key in JSON_FIELDS:
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or args.get("token")
        call = Call(method, args, token)
        self.calls.append(call)
        if (failed := self._fault(method, request)) is not None:
            call.limited = True
            return failed
        if self._limits.get(method):
            call.limited = True
            retry_after = self._limits[method].pop(0)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(int(retry_after))})
        if token not in self.tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(args))

    def _auth_test(self, args: dict) -> dict:
        return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1", "team": "Board",
                "user": "partnerbot", "url": "https://board.slack.com/"}

    def _chat_postMessage(self, args: dict) -> dict:
        ts = f"{1700000000 + next(self._ts)}.000100"
        message = {"ts": ts, "text": args.get("text"), "blocks": args.get("blocks")}
        self.messages[(args["channel"], ts)] = message
        return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}

    def files_in(self, channel: str) -> list[dict]:
        """Files shared into ``channel`` (completed uploads), oldest first."""
        return [f for f in self.uploads.values() if f.get("channel") == channel]

    def _files_getUploadURLExternal(self, args: dict) -> dict:
        file_id = f"F{len(self.uploads) + 1}"
        self.uploads[file_id] = {"filename": args.get("filename"), "length": int(args.get("length", 0)),
                                 "content": b""}
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404)
        upload["content"] = await request.read()
        return web.Response(text="OK")

    def _files_completeUploadExternal(self, args: dict) -> dict:
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        for f in files:
            if f["id"] not in self.uploads or not self.uploads[f["id"]]["content"]:
                return {"ok": False, "error": "file_not_found"}
            self.uploads[f["id"]].update(channel=args.get("channel_id"), title=f.get("title"))
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _chat_update(self, args: dict) -> dict:
        key = (args.get("channel"), args.get("ts"))
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key].update(text=args.get("text"), blocks=args.get("blocks"))  # type: ignore[index]
        return {"ok": True, "channel": key[0], "ts": key[1]}

    def _chat_postEphemeral(self, args: dict) -> dict:
        return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}

    def _view(self, args: dict) -> dict:
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(args.get("view") or {})}}

    _views_open = _views_publish = _views_update = _view

    def _user(self, user: SlackUser | None) -> dict:
        if user is None:
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True, "user": {"id": user.id, "name": user.name.split()[0].lower(), "real_name": user.name,
                                     "profile": {"real_name": user.name, "email": user.email}}}

    def _users_info(self, args: dict) -> dict:
        found = self._user(self.users.get(args.get("user", "")))
        return found if found["ok"] else {"ok": False, "error": "user_not_found"}

    def _users_lookupByEmail(self, args: dict) -> dict:
        email = (args.get("email") or "").lower()
        return self._user(next((u for u in self.users.values() if (u.email or "").lower() == email), None))

    def _conversations_open(self, args: dict) -> dict:
        return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).split(",")[0]}}

    def _apps_connections_open(self, args: dict) -> dict:
        return {"ok": True, "url": self.base.replace("http", "ws", 1) + "/socket"}

    async def _response_url(self, request: web.Request) -> web.Response:
        call = Call("response_url", await request.json(), url=str(request.url))
        self.calls.append(call)
        if (failed := self._fault("response_url", request)) is not None:
            call.limited = True
            return failed
        return web.Response(text="ok")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        self._connected.set()
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                await self.socket_acks.put(json.loads(msg.data))
        return ws


def signature(secret: str, timestamp: str, body: str) -> str:
    return "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Sent:
    status: int
    body: str
    response_url: str | None = None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class SlackSender:
    """Sends requests to the bot's ``/slack/events`` the way Slack does, signed."""

    url: str
    secret: str
    fake: FakeSlack
    team_domain: str = "board"
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def post(self, body: str, content_type: str, *, timestamp: float | None = None,
                   secret: str | None = None, sign: bool = True, tamper: bool = False,
                   headers: dict[str, str] | None = None) -> Sent:
        ts = str(int(timestamp if timestamp is not None else time.time()))
        sent_headers = {"Content-Type": content_type, **(headers or {})}
        if sign:
            sent_headers["X-Slack-Request-Timestamp"] = ts
            sent_headers["X-Slack-Signature"] = signature(secret or self.secret, ts, body)
        async with aiohttp.ClientSession() as session, session.post(
                self.url, data=(body + " " if tamper else body).encode(), headers=sent_headers) as response:
            return Sent(response.status, await response.text())

    def command_fields(self, text: str, user: str, channel: str = "C1") -> dict[str, str]:
        """A slash command as Slack describes it (form fields over HTTP, a dict over Socket Mode)."""
        return {
            "token": "legacy", "team_id": "T1", "team_domain": self.team_domain, "channel_id": channel,
            "channel_name": "board", "user_id": user, "user_name": user.lower(), "command": "/board",
            "text": text, "api_app_id": "A1", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(f"cmd{next(self._ids)}"),
            "trigger_id": f"trigger.{next(self._ids)}"}

    async def command(self, text: str, user: str, channel: str = "C1", **kw: Any) -> Sent:
        fields = self.command_fields(text, user, channel)
        sent = await self.post(urllib.parse.urlencode(fields), "application/x-www-form-urlencoded", **kw)
        sent.response_url = fields["response_url"]
        return sent

    def event_body(self, event: dict, event_id: str | None = None) -> str:
        return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                           "event_id": event_id or f"Ev{next(self._ids):08d}", "event_time": int(time.time()),
                           "authorizations": [{"team_id": "T1", "user_id": BOT_USER, "is_bot": True}],
                           "event": {"event_ts": f"{time.time():.6f}", **event}})

    async def event(self, event: dict, event_id: str | None = None, retry: int | None = None) -> Sent:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(self.event_body(event, event_id), "application/json", headers=headers)

    async def dm(self, text: str, user: str) -> Sent:
        return await self.event({"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
                                 "text": text, "ts": f"{time.time():.6f}"})

    async def interaction(self, payload: dict) -> Sent:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    def base_payload(self, kind: str, user: str) -> dict:
        return {"type": kind, "team": {"id": "T1", "domain": self.team_domain}, "api_app_id": "A1",
                "user": {"id": user, "username": user.lower(), "team_id": "T1"}, "token": "legacy",
                "trigger_id": f"trigger.{next(self._ids)}"}

    async def press(self, user: str, element: dict, message: dict | None = None, channel: str = "C1",
                    ephemeral: bool = False) -> Sent:
        """Press a button or choose a menu option (``element`` as rendered, with
        ``selected_option`` set for menus) on a message (None: the App Home)."""
        payload = self.base_payload("block_actions", user)
        action = {"action_id": element["action_id"], "block_id": "b", "type": element["type"],
                  "action_ts": f"{time.time():.6f}"}
        for key in ("value", "selected_option"):
            if key in element:
                action[key] = element[key]
        payload["actions"] = [action]
        if message is None:
            payload["container"] = {"type": "view", "view_id": "V1"}
            payload["view"] = {"id": "V1", "type": "home"}
        else:
            payload["container"] = {"type": "message", "message_ts": message.get("ts", "1.1"), "channel_id": channel,
                                    "is_ephemeral": ephemeral}
            payload["channel"] = {"id": channel}
            payload["message"] = message
            payload["response_url"] = self.fake.response_url(f"act{next(self._ids)}")
        sent = await self.interaction(payload)
        sent.response_url = payload.get("response_url")
        return sent

    async def submit(self, user: str, view: dict, values: dict[str, dict]) -> Sent:
        """Submit a modal the bot opened, with ``values`` as {field: element state}."""
        payload = self.base_payload("view_submission", user)
        state = {field: {field: value} for field, value in values.items()}
        payload["view"] = {**view, "id": "V9", "state": {"values": state}}
        return await self.interaction(payload)

    async def shortcut(self, user: str, callback_id: str, message: dict | None = None, channel: str = "C1") -> Sent:
        payload = self.base_payload("message_action" if message else "shortcut", user)
        payload["callback_id"] = callback_id
        if message:
            payload.update(message=message, channel={"id": channel, "name": "board"}, message_ts=message["ts"],
                           response_url=self.fake.response_url(f"sc{next(self._ids)}"))
        return await self.interaction(payload)

    async def options(self, user: str, field: str, value: str = "") -> Sent:
        payload = self.base_payload("block_suggestion", user)
        payload.update(action_id=field, block_id=field, value=value, view={"id": "V1", "type": "modal"})
        return await self.interaction(payload)
