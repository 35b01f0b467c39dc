"""One dispatcher process for the crash test:
``python dispatch_worker.py DB_URL API_URL NAME LEASE_S CLOCK_ANCHOR CLOCK_ORIGIN``.

Delivers outbox rows to the fake chat API until killed (the test sends
SIGKILL: no clean-up runs, exactly like a crashed replica).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from fake_chat import HttpNotifier  # noqa: E402

from jobs.dispatcher import Dispatcher  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.outbox_delivery import SqlOutboxDelivery  # noqa: E402
from tests.fakes.time import SteadyClock  # noqa: E402


async def main(url: str, api: str, name: str, lease: float, clock: SteadyClock) -> None:
    db = Database(url)
    dispatcher = Dispatcher(SqlOutboxDelivery(db.uow), db.uow, HttpNotifier(api), clock, name,
                            lease=dt.timedelta(seconds=lease), batch=20)
    print("ready", flush=True)
    while True:
        if not (await dispatcher.run_once()).claimed:
            await asyncio.sleep(0.05)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), SteadyClock.from_args(*sys.argv[5:7])))
