"""Starting ``serve`` and ``worker`` while the database may be down.

A worker started during an outage must not exit: it retries the start-up
steps (migrating a SQLite file, recording the board's timezone) with the
jobs' backoff until they succeed or it is asked to stop. Shutdown is
bounded the same way: nothing here waits on a database that does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from adapters.services import Services, apply_board_defaults, upgrade_sqlite

log = logging.getLogger("partnerbot.startup")
CLOSE_WITHIN = 1.5  # seconds to close pooled connections at exit


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM (install before anything can block)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def prepare_database(services: Services, stop: asyncio.Event) -> bool:
    """Run the start-up steps once the database answers; False if stopped first."""
    while not stop.is_set():
        try:
            await upgrade_sqlite(services)
            await apply_board_defaults(services)
            if services.health.failures:
                services.health.succeeded()
            return True
        except Exception as error:
            wait = services.health.failed("startup", error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
    return False


async def close_services(services: Services) -> None:
    try:
        async with asyncio.timeout(CLOSE_WITHIN):
            await services.close()
    except TimeoutError:
        log.warning("database connections did not close in time")
