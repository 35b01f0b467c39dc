"""Target 3: `action list mine` costs what the asker owns, not the board.

The same asker owning 10 open actions on a board of 50 actions and on one of 5,000 (1 in 10 open), in
process (bench/board.py), alternating blocks of runs between the two so background load hits both alike.
The ratio of median times should be at most 1.3.
"""

from __future__ import annotations

import asyncio
import tempfile

from bench import board
from bench.report import RESULTS, target, write
from storage.database import Database

SIZES = {"small": 50, "large": 5000}
BLOCKS, RUNS = 5, 40
GOAL = 1.3


async def write_profile(app) -> None:
    """Where the time of each command goes on the large board (pyinstrument), for SUMMARY.md."""
    from pyinstrument import Profiler

    out = []
    for text in ("help", "action list mine", "deadlines", "home"):
        profiler = Profiler()
        profiler.start()
        await board.time_command(app, text, 50)
        profiler.stop()
        out.append(f"### 50 x {text} on 5,000 actions\n" + profiler.output_text(unicode=False, color=False))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "profile.txt").write_text("\n".join(out))


async def measure(urls: dict[str, str], profile: bool) -> dict:
    dbs = {label: Database(url) for label, url in urls.items()}
    try:
        for label, db in dbs.items():
            await board.seed(db, SIZES[label])
        apps = {label: board.bot(db) for label, db in dbs.items()}
        samples: dict[str, list[float]] = {label: [] for label in apps}
        for app in apps.values():
            await board.time_command(app, "action list mine", 10)  # warm-up
        for _ in range(BLOCKS):
            for label, app in apps.items():
                samples[label] += await board.time_command(app, "action list mine", RUNS)
        row = {label: board.summary(s) for label, s in samples.items()}
        if profile:
            await write_profile(apps["large"])
        row["ratio"] = row["large"]["median"] / row["small"]["median"]
        return row
    finally:
        for db in dbs.values():
            await db.dispose()


def main() -> dict:
    results, targets = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in board.databases():
            urls = {label: board.fresh_url(kind, tmp, f"scaling-{label}") for label in SIZES}
            try:
                row = results[kind] = asyncio.run(measure(urls, profile=kind == "sqlite"))
            finally:
                for url in urls.values():
                    board.drop_schema(url)
            print(f"  {kind}: action list mine {row['small']['median']:.1f} ms (50 actions) -> "
                  f"{row['large']['median']:.1f} ms (5,000): x{row['ratio']:.2f}")
            targets.append(target(3, f"action list mine, 5,000 / 50 actions ({kind})", f"<= {GOAL}",
                                  f"{row['ratio']:.2f}", row["ratio"] <= GOAL))
    inputs = {"actions": SIZES, "asker_owns": 10, "blocks": BLOCKS, "runs_per_block": RUNS}
    return write("scaling", inputs, {"databases": results}, targets)
