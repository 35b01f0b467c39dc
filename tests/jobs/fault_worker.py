"""A delivery worker for the fault tests, built from the production pieces
``partnerbot worker`` runs (JobScheduler, JobHealth, Dispatcher, the
start-up retry and signal handling), delivering to the fake chat API:

    python fault_worker.py DB_URL API_URL NAME LEASE_S ANSWER_S BACKOFF_CAP_S

Prints ``ready`` once started (the database may still be down), ``stopped`` after SIGTERM.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from fake_chat import HttpNotifier  # noqa: E402

from adapters.config import Settings  # noqa: E402
from adapters.logs import configure_logging  # noqa: E402
from adapters.startup import stop_on_signals  # noqa: E402
from bot.ports import SystemClock  # noqa: E402
from jobs.dispatcher import Backoff, Dispatcher  # noqa: E402
from jobs.health import JobHealth  # noqa: E402
from jobs.scheduler import start_scheduler  # noqa: E402
from storage.database import Database, Limits  # noqa: E402
from storage.outbox_delivery import SqlOutboxDelivery  # noqa: E402


async def main(url: str, api: str, name: str, lease: float, answer: float, backoff_cap: float) -> None:
    stop = stop_on_signals()
    limits = Limits(connect=2, statement=answer, idle_in_transaction=answer * 4, answer=answer, keepalive_idle=1,
                    keepalive_interval=1, keepalive_count=2, pool_wait=answer, sqlite_busy=answer)
    db = Database(url, limits=limits)
    clock = SystemClock()  # leases need real time; the messages are alerts, deliverable at any hour
    notifier = HttpNotifier(api)
    dispatcher = Dispatcher(SqlOutboxDelivery(db.uow), db.uow, notifier, clock, name,
                            lease=dt.timedelta(seconds=lease), batch=50,
                            parallel=8, call_timeout=min(5.0, lease / 4), backoff=Backoff(base=0.2, cap=2.0))
    health = JobHealth(clock, backoff=Backoff(base=0.2, cap=backoff_cap))
    services = SimpleNamespace(settings=SimpleNamespace(plan_interval_seconds=3600, dispatch_interval_seconds=0.1),
                               db=db, clock=clock, dispatcher=dispatcher)
    scheduler = start_scheduler(services, health)
    print("ready", flush=True)
    await stop.wait()
    await scheduler.stop()
    await notifier.close()
    async with asyncio.timeout(2):
        await db.dispose()
    print("stopped", flush=True)


if __name__ == "__main__":
    configure_logging(Settings(log_level="WARNING", log_json=True))
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], *map(float, sys.argv[4:7])))
