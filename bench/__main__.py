"""Run every benchmark: ``python -m bench`` (``make bench``)."""

from bench.planner import main

if __name__ == "__main__":
    main()
