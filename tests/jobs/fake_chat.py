"""A local fake chat API (aiohttp on 127.0.0.1) that records every delivery,
optionally answering some requests 429 + Retry-After or 500, and the
notifier the crash and fault tests' dispatchers use to reach it."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from bot.model import Member, OutboxMessage
from bot.ports import DeliveryError


@dataclass
class FakeChat:
    rate_limited: float = 0.0  # share of requests answered 429
    failing: float = 0.0  # share answered 500
    retry_after: int = 1
    seed: int = 0
    delay: float = 0.0  # seconds each answer takes
    hanging: set[str] = field(default_factory=set)  # conversations whose requests are never answered
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (dedupe key, conversation)
    early: list[str] = field(default_factory=list)  # requests that came before their Retry-After
    refused: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._not_before: dict[str, float] = {}
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        to, now = body["to"], time.monotonic()
        if to in self.hanging:
            await self._closing.wait()  # never answered (the client gives up first)
            return web.json_response({"ok": False}, status=503)
        if self.delay:
            await asyncio.sleep(self.delay)
        if now < self._not_before.get(to, 0.0):
            self.early.append(body["key"])
        roll = self._rng.random()
        if roll < self.rate_limited:
            self.refused += 1
            self._not_before[to] = now + self.retry_after
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(self.retry_after)})
        if roll < self.rate_limited + self.failing:
            self.refused += 1
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        self.delivered.append((body["key"], to))
        return web.json_response({"ok": True})

    async def start(self) -> FakeChat:
        app = web.Application()
        app.router.add_post("/post", self._post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/post"
        return self

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def keys(self) -> list[str]:
        return [key for key, _ in self.delivered]


class HttpNotifier:
    """Posts each message to the fake API, turning its answers into DeliveryErrors."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session: aiohttp.ClientSession | None = None

    async def send(self, msg: OutboxMessage, member: Member | None, channel: str | None) -> None:
        if self.session is None:
            self.session = aiohttp.ClientSession()
        to = channel or f"@{member.handle}"
        async with self.session.post(self.url, json={"key": msg.dedupe_key, "to": to}) as response:
            if response.status == 429:
                raise DeliveryError("rate limited", retry_after=float(response.headers["Retry-After"]))
            if response.status >= 400:
                raise DeliveryError(f"HTTP {response.status}")

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
