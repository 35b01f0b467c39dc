"""Target 7: the Teams endpoint, ``help`` and ``action list mine`` through ``/api/messages``.

Signed message activities (RS256 JWTs from a local OpenID server, as tests/e2e/conftest.py signs them)
from CONC concurrent clients (closed loop), timed from the request until the answer reaches the fake Bot
Connector (what a member waits for), against a bare botbuilder CloudAdapter echo bot
(bench/anchors/bare_teams.py) alternated with it in one run. partnerbot is ``partnerbot serve --no-jobs``
(bench/anchors/serve.py: outbound tokens handed out locally, the per-person rate limit lifted) on the board of target 1
(ACTIONS actions, the asker owning 10), on SQLite; the asker is linked to their Teams account.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bench import board
from bench.e2e import free_port, up
from bench.report import target, write
from storage.database import Database
from tests.adapters.teams.teams_fakes import FakeConnector, OpenIdServer, TeamsUser, message, start_connector

HERE = Path(__file__).resolve().parent
CMDS = ["help", "action list mine"]
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "5000"))
CONC, N, ROUNDS = 16, int(os.environ.get("BENCH_TEAMS_N", "100")), 3
GOAL_RATIO = 0.5
APP_ID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"  # as tests/e2e/conftest.py
CHAIR = TeamsUser("29:chair", "aad-chair", "Chair Person", "x@example.org")  # bench.board's chair, in Teams


class AnsweringConnector(FakeConnector):
    """The Bot Connector: resolves the waiting request when the answer to its activity is posted."""

    def __init__(self) -> None:
        super().__init__(roster={CHAIR.id: CHAIR.roster_entry()})
        self.waiting: dict[str, asyncio.Future] = {}
        self.posted = 0

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posted += 1
        answered = request.match_info.get("activity") or body.get("replyToId")
        fut = self.waiting.get(answered or "")
        if body.get("type") == "message" and fut and not fut.done():
            fut.set_result(True)
        return web.json_response({"id": f"act-{time.monotonic_ns()}"})


async def load(connector: AnsweringConnector, port: int, token: str, text: str, n: int) -> dict:
    """``n`` signed activities, CONC at a time; milliseconds until each answer reached the connector."""
    lat: list[float] = []
    errors = 0
    sem = asyncio.Semaphore(CONC)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONC * 2)) as http:
        async def one() -> None:
            nonlocal errors
            async with sem:
                body = message(text, CHAIR, connector.url, conversation="a:bench-chair")
                fut = asyncio.get_running_loop().create_future()
                connector.waiting[body["id"]] = fut
                start = time.perf_counter()
                async with http.post(f"http://127.0.0.1:{port}/api/messages", json=body,
                                     headers={"Authorization": f"Bearer {token}"}) as resp:
                    await resp.read()
                    errors += resp.status >= 300
                try:
                    await asyncio.wait_for(fut, 10)
                    lat.append((time.perf_counter() - start) * 1000)
                except TimeoutError:
                    errors += 1
                connector.waiting.pop(body["id"], None)
        began, posted = time.perf_counter(), connector.posted
        await asyncio.gather(*(one() for _ in range(n)))
        wall = time.perf_counter() - began
    lat.sort()
    return {"rate": len(lat) / wall, "activities_per_answer": (connector.posted - posted) / n,
            "p50": lat[len(lat) // 2] if lat else 0,
            "p99": lat[max(0, int(len(lat) * 0.99) - 1)] if lat else 0, "errors": errors,
            "samples_ms": [round(x, 2) for x in lat]}


def profiler() -> list[str]:
    """``BENCH_TEAMS_PROFILE=1``: partnerbot runs under pyinstrument, its profile to bench/results/teams_profile.txt."""
    if not os.environ.get("BENCH_TEAMS_PROFILE"):
        return []
    return ["-m", "pyinstrument", "--interval", "0.002", "-o", str(HERE / "results" / "teams_profile.txt")]


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in ("rate", "p50", "p99", "activities_per_answer")} | {
        "errors": sum(r["errors"] for r in runs)}


async def seed(url: str) -> None:
    db = Database(url)
    try:
        await board.seed(db, ACTIONS)
        async with db.uow() as uow:
            chair = await uow.members.by_handle("chair")
            chair.teams_aad_id = CHAIR.aad
            await uow.members.save(chair)
            await uow.commit()
    finally:
        await db.dispose()


async def measure(url: str) -> dict:
    await seed(url)
    openid = OpenIdServer()
    connector = AnsweringConnector()
    connector_runner = await start_connector(connector)
    token = openid.token(APP_ID, connector.url, expires_in=3600)
    ports = {"partnerbot": free_port(), "bare CloudAdapter": free_port()}
    env = {**os.environ, "PARTNERBOT_DATABASE_URL": url, "PARTNERBOT_TEAMS_APP_ID": APP_ID,
           "PARTNERBOT_TEAMS_APP_PASSWORD": "secret", "PARTNERBOT_TEAMS_TENANT_ID": "tenant-1",
           "PARTNERBOT_TEAMS_OPENID_METADATA_URL": openid.metadata_url,
           "PARTNERBOT_TEAMS_ALLOWED_SERVICE_URLS": connector.url, "PARTNERBOT_LOG_LEVEL": "WARNING",
           "BENCH_LOCAL_TEAMS_TOKENS": "1"}
    for name in ("PARTNERBOT_SLACK_BOT_TOKEN", "PARTNERBOT_SLACK_SIGNING_SECRET"):
        env.pop(name, None)
    procs = {
        "partnerbot": subprocess.Popen([sys.executable, *profiler(), str(HERE / "anchors" / "serve.py"), "serve",
                                        "--host", "127.0.0.1", "--port", str(ports["partnerbot"]), "--no-jobs"],
                                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "bare CloudAdapter": subprocess.Popen([sys.executable, str(HERE / "anchors" / "bare_teams.py"),
                                               str(ports["bare CloudAdapter"]), APP_ID, openid.metadata_url],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)}
    try:
        for name, proc in procs.items():
            up(ports[name], proc)
        for port in ports.values():
            warm = await load(connector, port, token, "help", 50)
            if warm["errors"]:
                raise RuntimeError(f"the server on {port} did not answer its warm-up ({warm['errors']} errors)")
        out: dict = {}
        for text in CMDS:
            runs: dict[str, list[dict]] = {k: [] for k in ports}
            for _ in range(ROUNDS):
                for name, port in ports.items():
                    runs[name].append(await load(connector, port, token, text, N))
            row = {name: {"median": median_of(r), "runs": r} for name, r in runs.items()}
            row["ratio"] = row["partnerbot"]["median"]["rate"] / row["bare CloudAdapter"]["median"]["rate"]
            out[text] = row
            pb, anchor = row["partnerbot"]["median"], row["bare CloudAdapter"]["median"]
            print(f"  teams {text:17s} partnerbot {pb['rate']:6.0f}/s p99 {pb['p99']:6.1f} ms | CloudAdapter "
                  f"{anchor['rate']:6.0f}/s p99 {anchor['p99']:5.1f} ms | ratio {row['ratio']:.2f}x")
        return out
    finally:
        for proc in procs.values():
            proc.send_signal(signal.SIGINT)  # partnerbot stops cleanly (and pyinstrument writes its profile)
            proc.wait(30)
        await connector_runner.cleanup()
        openid.close()


async def run_all() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return await measure(board.fresh_url("sqlite", tmp, "teams"))


def main() -> dict:
    results = asyncio.run(run_all())
    targets = [target(7, f"Teams {text}", f">= {GOAL_RATIO}x a bare botbuilder CloudAdapter echo bot",
                      f"{row['ratio']:.2f}x ({row['partnerbot']['median']['rate']:.0f}/s against "
                      f"{row['bare CloudAdapter']['median']['rate']:.0f}/s), "
                      f"p99 {row['partnerbot']['median']['p99']:.0f} "
                      f"ms, {row['partnerbot']['median']['errors']} errors, "
                      f"{row['partnerbot']['median']['activities_per_answer']:.0f} activities an answer (the anchor 1)",
                      row["ratio"] >= GOAL_RATIO and not row["partnerbot"]["median"]["errors"])
               for text, row in results.items()]
    inputs = {"actions": ACTIONS, "open": ACTIONS // 10, "asker_owns": 10, "concurrency": CONC,
              "requests_per_run": N, "rounds": ROUNDS, "database": "sqlite", "auth": "RS256 JWTs, local OpenID keys",
              "anchor": "bench/anchors/bare_teams.py", "server": "bench/anchors/serve.py"}
    return write("teams", inputs, {"commands": results}, targets)
