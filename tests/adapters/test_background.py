"""Shutdown finishes what people asked for, and never hangs on work that will not end."""

from __future__ import annotations

import asyncio

from adapters.background import Background
from adapters.slack.work import WorkQueue


async def test_close_lets_an_answer_in_flight_finish() -> None:
    background, answered = Background(), []

    async def answer() -> None:
        await asyncio.sleep(0.01)
        answered.append("sent")

    background.spawn(answer())
    await background.close(grace=5)
    assert answered == ["sent"]


async def test_close_cancels_work_that_outlives_the_grace_and_returns() -> None:
    background, stopped = Background(), asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    background.spawn(forever())
    await background.close(grace=0.05)
    assert stopped.is_set()


async def test_a_closing_queue_runs_the_jobs_it_holds_then_stops_its_workers() -> None:
    queue, ran = WorkQueue(workers=1, capacity=4), []
    background = Background()
    background.on_close(queue.close)
    for n in range(3):
        async def job(n: int = n) -> None:
            ran.append(n)
        assert queue.submit(job)
    await background.close(grace=5)
    assert ran == [0, 1, 2]
    assert all(task.done() for task in asyncio.all_tasks() if task is not asyncio.current_task())
