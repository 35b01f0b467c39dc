"""Run every benchmark: ``python -m bench`` (``make bench``), then write bench/results/SUMMARY.md.

Each benchmark runs its own baseline in the same run (a bare bolt app, a small board, a short history)
and writes bench/results/<name>.json. ``python -m bench tick scaling`` runs only those.
"""

import sys
import time

from bench import e2e, planner, scaling, summary, tick

BENCHMARKS = {"scaling": scaling.main, "tick": tick.main, "planner": planner.main, "e2e": e2e.main}

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHMARKS:
        began = time.perf_counter()
        print(f"{name}:")
        BENCHMARKS[name]()
        print(f"  ({time.perf_counter() - began:.0f} s)")
    summary.main()
