"""Work a process starts on the side and must finish, or stop, before its database closes.

Answers sent after an ack, delivery rounds kicked after a reply and warnings to
a flooder run as tasks nobody awaits. Left running at shutdown they would meet
a disposed database and wait forever for a connection that will not answer,
so the process (and a test's event loop) could never end. ``Services.close``
closes its ``Background`` first: queues finish the jobs they hold, tasks in
flight get a few seconds to finish what a person asked for, then are cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

GRACE_SECONDS = 5.0


class Background:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Future] = set()
        self._closers: list[Callable[[float], Awaitable[None]]] = []

    def spawn(self, work: Awaitable) -> asyncio.Future:
        """Run ``work`` on the side; close() waits for it."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def settle(self) -> None:
        """Wait until nothing is running on the side, including what finishing work started."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def on_close(self, closer: Callable[[float], Awaitable[None]]) -> None:
        """``closer(grace)`` runs first at close (a queue that drains its jobs, then stops its workers)."""
        self._closers.append(closer)

    async def close(self, grace: float = GRACE_SECONDS) -> None:
        for closer in self._closers:
            await closer(grace)
        await finish(set(self._tasks), grace)


async def finish(tasks: set[asyncio.Future], grace: float) -> None:
    """Let ``tasks`` end within ``grace`` seconds, then cancel what is left and wait (bounded) for it."""
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=grace)
