"""Target 6: memory of a real ``partnerbot serve --no-jobs`` (Slack over HTTP, SQLite, the e2e board;
bench/anchors/serve.py lifts the per-person rate limit, since one client sends everything).

Resident size (VmRSS from /proc) IDLE_AFTER seconds after the server listens, before any command; then,
after a warm-up of 100 commands, its growth over COMMANDS signed ``/board help`` commands (16 at a time,
each answer awaited at its response_url, through bench.e2e's harness), sampled after every 1,000.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import board
from bench.e2e import CONC, SECRET, Harness, free_port, up
from bench.report import target, write
from storage.database import Database

SERVE = Path(__file__).resolve().parent / "anchors" / "serve.py"  # the per-person rate limit lifted
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "5000"))
COMMANDS = int(os.environ.get("BENCH_MEMORY_COMMANDS", "10000"))
IDLE_AFTER = 2.0
IDLE_MB, GROWTH_MB = 120.0, 10.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(url: str, harness: Harness) -> dict:
    db = Database(url)
    try:
        await board.seed(db, ACTIONS)
    finally:
        await db.dispose()
    port = free_port()
    env = {**os.environ, "PARTNERBOT_DATABASE_URL": url, "PARTNERBOT_SLACK_BOT_TOKEN": "xoxb-perf",
           "PARTNERBOT_SLACK_SIGNING_SECRET": SECRET, "PARTNERBOT_SLACK_API_URL": f"http://127.0.0.1:{harness.port}/api/",
           "PARTNERBOT_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, str(SERVE), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--no-jobs"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        up(port, proc)
        await asyncio.sleep(IDLE_AFTER)
        idle = rss_mb(proc.pid)
        await harness.load(port, "help", CONC, 100)  # warm-up: the first command's imports and caches
        before = rss_mb(proc.pid)
        samples, errors, done = [], 0, 0
        while done < COMMANDS:
            batch = min(1000, COMMANDS - done)
            errors += (await harness.load(port, "help", CONC, batch))["errors"]
            done += batch
            samples.append({"commands": done, "rss_mb": round(rss_mb(proc.pid), 1)})
        after = rss_mb(proc.pid)
        print(f"  memory: idle {idle:.0f} MB, {before:.0f} -> {after:.0f} MB over {COMMANDS} commands "
              f"({errors} errors)")
        return {"idle_rss_mb": idle, "before_mb": before, "after_mb": after, "growth_mb": after - before,
                "commands": COMMANDS, "errors": errors, "rss_samples": samples}
    finally:
        proc.terminate()
        proc.wait(10)


async def run_all() -> dict:
    harness = Harness()
    runner = await harness.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return await measure(board.fresh_url("sqlite", tmp, "memory"), harness)
    finally:
        await runner.cleanup()


def main() -> dict:
    result = asyncio.run(run_all())
    met = result["idle_rss_mb"] < IDLE_MB and result["growth_mb"] < GROWTH_MB and not result["errors"]
    goal = f"idle < {IDLE_MB:.0f} MB resident; growth over 10,000 commands < {GROWTH_MB:.0f} MB"
    targets = [target(6, "memory", goal,
                      f"idle {result['idle_rss_mb']:.0f} MB, growth {result['growth_mb']:.1f} MB over "
                      f"{result['commands']:,}", met)]
    inputs = {"actions": ACTIONS, "commands": COMMANDS, "command": "help", "concurrency": CONC,
              "idle_after_seconds": IDLE_AFTER,
              "server": "bench/anchors/serve.py serve --no-jobs (Slack over HTTP, SQLite)"}
    return write("memory", inputs, result, targets)
