"""The jobs' pulse: what ``/readyz`` reports, and how a worker waits for a
database that went away.

Every run of the planner or the dispatcher reports here. A failed run (the
database refused, timed out or vanished) is logged once per failure with
the wait before the next try, and runs are skipped until then: the wait
grows from 1 s to ``backoff.cap`` (20 s), so a worker resumes well within a
minute of the database coming back without hammering it meanwhile. After a
successful delivery run the oldest due message's age is measured, and a
warning is logged while it is more than ``late_after`` late: messages are
piling up (no platform connected, a rate limit, a stuck worker elsewhere).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from dataclasses import dataclass, field

from bot.ports import Clock
from jobs.delivery import OutboxDelivery
from jobs.dispatcher import Backoff

log = logging.getLogger("partnerbot.jobs.health")


@dataclass
class JobHealth:
    clock: Clock
    backoff: Backoff = Backoff(base=1.0, cap=20.0)
    late_after: dt.timedelta = dt.timedelta(minutes=5)
    rng: random.Random = field(default_factory=random.Random)
    last_success: dt.datetime | None = None  # the last run that reached the database
    oldest_due_age: dt.timedelta | None = None  # measured after the last delivery run
    failures: int = 0  # consecutive failed runs
    last_error: str | None = None
    _retry_at: float = 0.0  # monotonic: no run before this

    def may_run(self) -> bool:
        """False while backing off after a failure."""
        return time.monotonic() >= self._retry_at

    def succeeded(self) -> None:
        if self.failures:
            log.info("database reachable again: jobs resumed", extra={"failed_runs": self.failures})
        self.failures, self.last_error, self._retry_at = 0, None, 0.0
        self.last_success = self.clock.now()

    def failed(self, job: str, error: BaseException) -> float:
        """Record a failed run; returns the seconds before the next try."""
        wait = self.backoff.delay(self.failures, self.rng)
        self.failures += 1
        cause = error.__cause__ or error
        self.last_error = f"{type(cause).__name__}: {str(cause).splitlines()[0][:200] if str(cause) else ''}"
        self._retry_at = time.monotonic() + wait
        log.warning("jobs cannot reach the database: retrying", extra={
            "job": job, "error": self.last_error, "failed_runs": self.failures, "retry_in_s": round(wait, 1)})
        return wait

    async def measure_lateness(self, outbox: OutboxDelivery) -> dt.timedelta | None:
        """Age of the oldest due message; warns when it is too late."""
        now = self.clock.now()
        oldest = await outbox.oldest_due(now)
        self.oldest_due_age = None if oldest is None else max(dt.timedelta(0), now - oldest)
        if self.oldest_due_age is not None and self.oldest_due_age > self.late_after:
            log.warning("the oldest due message is late", extra={
                "late_s": int(self.oldest_due_age.total_seconds())})
        return self.oldest_due_age
