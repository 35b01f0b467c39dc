"""Bounded background work for Slack: acks never wait behind answers in progress.

Slack gives up on an ack after 3 seconds, so the listener only acknowledges
and hands the answer to a ``WorkQueue``: a fixed number of workers take jobs
from a bounded queue. When the queue is full the listener says so at once
("busy, try again in a moment") instead of piling up tasks that would starve
every later ack of the event loop.

``Coalescer`` keeps App Home refreshes to one running and at most one waiting
per person: ten changes in a row publish the tab twice, not ten times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable

from adapters.background import finish

log = logging.getLogger("partnerbot.slack.work")

BUSY = "I'm busy with other requests right now: please try again in a moment."

Job = Callable[[], Awaitable[None]]


class WorkQueue:
    """``workers`` tasks draining a queue of at most ``capacity`` jobs, started with the first job."""

    def __init__(self, workers: int, capacity: int) -> None:
        self.workers = workers
        self._queue: asyncio.Queue[Job] = asyncio.Queue(capacity)
        self._tasks: list[asyncio.Task] = []

    def full(self) -> bool:
        return self._queue.full()

    def submit(self, job: Job) -> bool:
        """Queue ``job``; False (and nothing queued) when the queue is full."""
        if not self._tasks:
            self._tasks = [asyncio.ensure_future(self._work()) for _ in range(self.workers)]
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            log.warning("Slack work queue full: answered busy")
            return False
        return True

    async def join(self) -> None:
        """Wait until every queued job has run (tests and shutdown)."""
        await self._queue.join()

    async def close(self, grace: float) -> None:
        """Run the queued jobs (for at most ``grace`` seconds), then stop the workers."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), grace)
        for task in self._tasks:
            task.cancel()
        await finish(set(self._tasks), grace)
        self._tasks = []

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await job()
            except Exception:  # one failed answer must not stop the worker
                log.exception("Slack background job failed")
            finally:
                self._queue.task_done()


class Coalescer:
    """At most one job in flight per key and one waiting: a job asked for while one runs replaces the waiting one."""

    def __init__(self) -> None:
        self._waiting: dict[Hashable, Job | None] = {}  # key in flight -> the job to run after it

    async def request(self, key: Hashable, job: Job) -> None:
        """Run ``job`` now, or, if one is in flight for ``key``, leave it to run after that one (and return)."""
        if key in self._waiting:
            self._waiting[key] = job
            return
        self._waiting[key] = None
        running: Job | None = job
        try:
            while running is not None:
                await running()
                running, self._waiting[key] = self._waiting[key], None
        finally:
            del self._waiting[key]
