"""Targets 1 and 2: what a member waits for, and acks under load, against `partnerbot serve`.

As /work/shared/checks/speed-e2e.py measures it: signed ``/board`` slash commands from CONC concurrent clients
(closed loop), timed from the request until the answer reaches ``response_url``, with partnerbot and a bare
slack-bolt app that acks and responds (bench/anchors/bare_bolt.py) alternated in one run. The board (25
members, ACTIONS actions of which 1 in 10 open, the asker owning 10) is seeded straight through the
repositories. Acks: ACK_CONC concurrent clients each sending its next command as soon as the last was acknowledged,
timed until the HTTP answer (the ack) only, while the answers are worked on. (Memory, target 6, is
bench/memory.py.)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import aiohttp
from aiohttp import web

from bench import board
from bench.report import target, write
from storage.database import Database

HERE = Path(__file__).resolve().parent
CMDS = ["help", "action list mine", "deadlines", "home"]
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "5000"))
CONC, N, ROUNDS = 16, int(os.environ.get("BENCH_N", "200")), 3
ACK_CONC, ACK_N = 64, int(os.environ.get("BENCH_ACK_N", "640"))
GOAL_RATIO, GOAL_P99, ACK_RATIO, ACK_P99 = 0.5, 100.0, 0.8, 50.0
SECRET = "s3cret-signing"  # as bench/anchors/bare_bolt.py


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harness:
    """The fake Slack Web API and the response_url sink, in this process's event loop."""

    def __init__(self) -> None:
        self.arrived: dict[str, asyncio.Future] = {}
        self.port = free_port()

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/r/{key}", self._sink)
        app.router.add_route("*", "/api/{method}", self._api)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        return runner

    async def _sink(self, request: web.Request) -> web.Response:
        await request.read()
        fut = self.arrived.get(request.match_info["key"])
        if fut and not fut.done():
            fut.set_result(True)
        return web.json_response({"ok": True})

    async def _api(self, request: web.Request) -> web.Response:
        await request.read()
        if request.match_info["method"] == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1",
                                      "user": "partnerbot", "team": "Board", "url": "https://board.slack.com/"})
        if request.match_info["method"] == "users.info":
            return web.json_response({"ok": True, "user": {"id": "U1", "name": "chair", "real_name": "Chair Person",
                                                           "profile": {"email": "x@example.org"}}})
        return web.json_response({"ok": True, "ts": f"{time.time():.6f}", "channel": "C1"})

    async def load(self, port: int, text: str, conc: int, n: int, until_answer: bool = True) -> dict:
        """``n`` signed commands, ``conc`` at a time; latencies until the answer (or only the ack)."""
        ts = str(int(time.time()))
        lat: list[float] = []
        errors = busy = 0
        sem = asyncio.Semaphore(conc)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=conc * 2)) as http:
            async def one(i: int) -> None:
                nonlocal errors, busy
                async with sem:
                    key = f"{port}-{i}-{time.monotonic_ns()}"
                    fut = asyncio.get_running_loop().create_future()
                    self.arrived[key] = fut
                    body = urllib.parse.urlencode({
                        "token": "x", "team_id": "T1", "team_domain": "board", "channel_id": "D1",
                        "channel_name": "directmessage", "user_id": "U1", "user_name": "chair", "command": "/board",
                        "text": text, "response_url": f"http://127.0.0.1:{self.port}/r/{key}", "trigger_id": "1.2.3",
                        "api_app_id": "A1"})
                    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
                    start = time.perf_counter()
                    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers={
                            "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                            "X-Slack-Signature": sig}) as resp:
                        answered = await resp.read()
                        errors += resp.status != 200
                    if answered.startswith(b"I'm busy"):  # beyond the queue: told at once, no answer follows
                        busy += 1
                        fut.set_result(True)
                    try:
                        if until_answer:
                            await asyncio.wait_for(fut, 10)
                        lat.append((time.perf_counter() - start) * 1000)
                    except TimeoutError:
                        errors += 1
                    if until_answer:
                        self.arrived.pop(key, None)
            began = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(n)))
            wall = time.perf_counter() - began
            if not until_answer:  # answers (or "busy" acks) still on their way: let them land before the next run
                for _ in range(600):
                    if all(f.done() for f in self.arrived.values()):
                        break
                    await asyncio.sleep(0.05)
                self.arrived.clear()
        lat.sort()
        return {"rate": len(lat) / wall, "p50": lat[len(lat) // 2] if lat else 0,
                "p99": lat[max(0, int(len(lat) * 0.99) - 1)] if lat else 0, "errors": errors, "busy": busy,
                "samples_ms": [round(x, 2) for x in lat]}


def up(port: int, proc: subprocess.Popen) -> None:
    for _ in range(240):
        if proc.poll() is not None:
            sys.exit(f"server on {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    sys.exit(f"server on {port} did not start")


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in ("rate", "p50", "p99")} | {
        "errors": sum(r["errors"] for r in runs), "busy": sum(r["busy"] for r in runs)}


async def measure(url: str, kind: str, harness: Harness) -> dict:
    db = Database(url)
    try:
        await board.seed(db, ACTIONS)
    finally:
        await db.dispose()
    api = f"http://127.0.0.1:{harness.port}/api/"
    ports = {"partnerbot": free_port(), "bolt+respond": free_port()}
    env = {**os.environ, "PARTNERBOT_DATABASE_URL": url, "PARTNERBOT_SLACK_BOT_TOKEN": "xoxb-perf",
           "PARTNERBOT_SLACK_SIGNING_SECRET": SECRET, "PARTNERBOT_SLACK_API_URL": api,
           "PARTNERBOT_LOG_LEVEL": "WARNING"}
    # bench/anchors/serve.py: partnerbot serve with the per-person rate limit lifted (one client sends everything)
    procs = {"partnerbot": subprocess.Popen([sys.executable, str(HERE / "anchors" / "serve.py"), "serve",
                                             "--host", "127.0.0.1", "--port",
                                             str(ports["partnerbot"]), "--no-jobs"], env=env,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
             "bolt+respond": subprocess.Popen([sys.executable, str(HERE / "anchors" / "bare_bolt.py"),
                                               str(ports["bolt+respond"]), api],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)}
    try:
        for name, proc in procs.items():
            up(ports[name], proc)
        await asyncio.sleep(2)
        out: dict = {"commands": {}}
        for port in ports.values():
            await harness.load(port, "help", CONC, 100)  # warm-up
        for text in CMDS:
            runs: dict[str, list[dict]] = {k: [] for k in ports}
            for _ in range(ROUNDS):
                for name, port in ports.items():
                    runs[name].append(await harness.load(port, text, CONC, N))
            row = {name: {"median": median_of(r), "runs": r} for name, r in runs.items()}
            row["ratio"] = row["partnerbot"]["median"]["rate"] / row["bolt+respond"]["median"]["rate"]
            out["commands"][text] = row
            pb, anchor = row["partnerbot"]["median"], row["bolt+respond"]["median"]
            print(f"  {kind} /board {text:17s} partnerbot {pb['rate']:6.0f}/s p99 {pb['p99']:6.1f} ms | bolt "
                  f"{anchor['rate']:6.0f}/s p99 {anchor['p99']:5.1f} ms | ratio {row['ratio']:.2f}x")
        runs = {k: [] for k in ports}
        for _ in range(ROUNDS):
            for name, port in ports.items():
                runs[name].append(await harness.load(port, "help", ACK_CONC, ACK_N, until_answer=False))
        acks = {name: {"median": median_of(r), "runs": r} for name, r in runs.items()}
        acks["ratio"] = acks["partnerbot"]["median"]["rate"] / acks["bolt+respond"]["median"]["rate"]
        out["acks"] = acks
        p99 = acks["partnerbot"]["median"]["p99"]
        print(f"  {kind} acks @{ACK_CONC}: ratio {acks['ratio']:.2f}x, p99 {p99:.1f} ms")
        return out
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(10)


async def run_all() -> dict:
    harness = Harness()
    runner = await harness.start()
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for kind in board.databases():
                url = board.fresh_url(kind, tmp, "e2e")
                try:
                    results[kind] = await measure(url, kind, harness)
                finally:
                    board.drop_schema(url)
    finally:
        await runner.cleanup()
    return results


def main() -> dict:
    results = asyncio.run(run_all())
    targets = []
    for kind, row in results.items():
        for text, cmd in row["commands"].items():
            pb = cmd["partnerbot"]["median"]
            targets.append(target(1, f"{text} ({kind})", f">= {GOAL_RATIO}x bare bolt+respond, p99 < {GOAL_P99:.0f} ms",
                                  f"{cmd['ratio']:.2f}x, p99 {pb['p99']:.0f} ms, {pb['errors']} errors",
                                  cmd["ratio"] >= GOAL_RATIO and pb["p99"] < GOAL_P99 and not pb["errors"]))
        acks = row["acks"]
        p99 = acks["partnerbot"]["median"]["p99"]
        busy = acks["partnerbot"]["median"]["busy"]
        targets.append(target(2, f"acks @{ACK_CONC} ({kind})",
                              f">= {ACK_RATIO}x bare bolt ack rate, p99 < {ACK_P99:.0f} ms",
                              f"{acks['ratio']:.2f}x, p99 {p99:.0f} ms, {busy} answered busy",
                              acks["ratio"] >= ACK_RATIO and p99 < ACK_P99))
    inputs = {"actions": ACTIONS, "open": ACTIONS // 10, "members": 25, "asker_owns": 10, "concurrency": CONC,
              "requests_per_run": N, "rounds": ROUNDS, "ack_concurrency": ACK_CONC, "ack_requests": ACK_N,
              "anchor": "bench/anchors/bare_bolt.py"}
    return write("e2e", inputs, {"databases": results}, targets)
