"""What every benchmark writes: bench/results/<name>.json with its inputs, raw samples, medians and
targets (each with "target", "measured", "met"); ``summary`` turns them all into SUMMARY.md."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def target(number: int, name: str, goal: str, measured: str, met: bool, **detail: object) -> dict:
    return {"number": number, "name": name, "target": goal, "measured": measured, "met": bool(met), **detail}


def write(name: str, inputs: dict, data: dict, targets: list[dict]) -> dict:
    RESULTS.mkdir(exist_ok=True)
    result = {"name": name, "inputs": inputs, **data, "targets": targets}
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    for t in targets:
        print(f"  target {t['number']} {t['name']}: {t['measured']} ({'met' if t['met'] else 'NOT met'}; "
              f"goal {t['target']})")
    return result
