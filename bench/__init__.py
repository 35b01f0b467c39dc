"""Benchmarks reported as ratios (``make bench``), written to bench/results/*.json."""
