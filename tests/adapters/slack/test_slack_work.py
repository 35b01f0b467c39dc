"""The Slack adapter's bounded work queue and per-person coalescing of App Home refreshes."""

from __future__ import annotations

import asyncio

from adapters.slack.work import Coalescer, WorkQueue


async def test_the_queue_refuses_work_beyond_its_capacity_and_runs_the_rest():
    gate, ran = asyncio.Event(), []

    def job(n):
        async def run():
            await gate.wait()
            ran.append(n)
        return run
    queue = WorkQueue(workers=2, capacity=2)
    accepted = [queue.submit(job(n)) for n in range(3)]
    await asyncio.sleep(0)  # the workers take the first two jobs, making room for two more
    accepted += [queue.submit(job(n)) for n in range(3, 6)]
    assert accepted == [True, True, False, True, True, False]
    gate.set()
    await queue.join()
    assert sorted(ran) == [0, 1, 3, 4]


async def test_a_failing_job_does_not_stop_the_worker():
    ran = []

    async def boom():
        raise RuntimeError("slack down")

    async def fine():
        ran.append("fine")
    queue = WorkQueue(workers=1, capacity=4)
    assert queue.submit(boom) and queue.submit(fine)
    await queue.join()
    assert ran == ["fine"]


async def test_refreshes_asked_for_while_one_runs_collapse_into_one_more_with_the_latest():
    gate, published = asyncio.Event(), []

    def refresh(version):
        async def run():
            if version == 1:
                await gate.wait()
            published.append(version)
        return run
    coalescer = Coalescer()
    first = asyncio.ensure_future(coalescer.request("U1", refresh(1)))
    await asyncio.sleep(0)
    for version in (2, 3, 4):  # while version 1 is being built
        await coalescer.request("U1", refresh(version))
    await coalescer.request("U2", refresh(9))  # someone else's tab does not wait
    assert published == [9]
    gate.set()
    await first
    assert published == [9, 1, 4]
