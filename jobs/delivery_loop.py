"""Delivers soon after a commit owes someone a message, without anyone waiting.

A command that tells other people something commits its change and its
outbox rows together, then calls ``wake()``: that only sets an event, so the
asker's reply goes out at once. The loop, a task of the serving process
(``start``/``stop``), answers with a dispatcher round; wakes that arrive
during a round make one more round, not one each. A round that fails (the
database is busy) is tried again shortly; the scheduled dispatcher would
take the rows anyway, but not before its next interval.

Where no loop runs (a one-off CLI command) a wake changes nothing and the
worker delivers on its next pass. The console, which has no loop, calls
``deliver_if_woken`` once it has printed the reply.
"""

from __future__ import annotations

import asyncio
import logging

from jobs.dispatcher import Dispatcher

log = logging.getLogger("partnerbot.jobs.delivery")
ROUND_ATTEMPTS = 3


class DeliveryLoop:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """Someone is owed a message now: deliver it soon (never waits)."""
        self._woken.set()

    def start(self) -> None:
        """Answer wakes from now on, on the running event loop."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="delivery-loop")

    async def stop(self, grace: float = 2.0) -> None:
        """Stop answering wakes: a round in flight and its conversations get
        ``grace`` seconds to finish before they are cancelled."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._woken.set()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        await self.dispatcher.settle(within=grace)

    async def deliver_if_woken(self) -> None:
        """One round now if a wake is waiting (the console, after printing a reply)."""
        if self._woken.is_set():
            self._woken.clear()
            await self.round_now()

    async def _run(self) -> None:
        while True:
            await self._woken.wait()
            if self._stopping:
                return
            self._woken.clear()
            await self.round_now()

    async def round_now(self) -> None:
        """One dispatcher round, tried again shortly if it fails (the database is busy)."""
        for attempt in range(1, ROUND_ATTEMPTS + 1):
            try:
                await self.dispatcher.run_once()
                return
            except Exception:
                log.warning("delivery round failed", extra={"attempt": attempt}, exc_info=True)
                if attempt < ROUND_ATTEMPTS:
                    await asyncio.sleep(0.2 * attempt)
