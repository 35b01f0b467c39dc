"""Run every benchmark: ``python -m bench`` (``make bench``), then write bench/results/SUMMARY.md.

Each benchmark runs its own baseline in the same run (a bare bolt app, a small board, a short history)
and writes bench/results/<name>.json. ``python -m bench tick scaling`` runs only those;
``python -m bench planner`` the older 10x-history one. Targets: 1-2 e2e, 3 scaling, 4 tick, 5 delivery,
6 memory, 7 teams.
"""

import sys
import time

from bench import delivery, e2e, memory, planner, scaling, summary, teams, tick

BENCHMARKS = {"scaling": scaling.main, "tick": tick.main, "e2e": e2e.main, "planner": planner.main,
              "delivery": delivery.main, "teams": teams.main, "memory": memory.main}
# planner (10x history) is covered by tick; run it by name
DEFAULT = ["scaling", "tick", "e2e", "memory", "delivery", "teams"]

if __name__ == "__main__":
    for name in sys.argv[1:] or DEFAULT:
        began = time.perf_counter()
        print(f"{name}:")
        BENCHMARKS[name]()
        print(f"  ({time.perf_counter() - began:.0f} s)")
    summary.main()
