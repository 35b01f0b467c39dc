"""Play board scenarios through the real ``partnerbot console --json``, as the
acceptance grader does, and read back what each typed line produced.

The console prints one JSON object per message and nothing that says which
input line caused it, so a ``:help`` marker is played after every line: its
reply closes that line's messages. Scenarios are independent console
processes, so :func:`play_all` runs them side by side to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness import BOARD

ROOT = Path(__file__).resolve().parents[2]
MARKER = ":help"
MARKER_TEXT = "Type /board help for commands."


def partnerbot() -> list[str]:
    """The installed console script, as a user (and the grader) runs it."""
    for exe in (ROOT / ".venv" / "bin" / "partnerbot", Path(sys.executable).with_name("partnerbot")):
        if exe.exists():
            return [str(exe)]
    return [sys.executable, "-c", "from adapters.cli import main; main()"]


@dataclass(frozen=True)
class Scenario:
    lines: list[str]
    now: str = "2026-11-02T10:00"
    seed: bool = True  # start from the grader's example board


@dataclass
class Step:
    """One typed line, who typed it, the board clock then, and what came out."""

    line: str
    who: str
    at: str
    messages: list[dict] = field(default_factory=list)

    @property
    def reply(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m["kind"] == "reply")

    @property
    def sends(self) -> list[dict]:
        """Messages to anyone but the typist: DMs and channel posts."""
        return [m for m in self.messages if m["kind"] != "reply"]


@dataclass
class Transcript:
    steps: list[Step]
    stderr: str

    def step(self, line: str, nth: int = 1) -> Step:
        """The nth step whose typed line is exactly ``line``."""
        found = [s for s in self.steps if s.line == line]
        assert len(found) >= nth, f"line not played: {line!r}\n{self.stderr[-1500:]}"
        return found[nth - 1]

    def at(self, at: str) -> list[dict]:
        """What the jobs sent at ``:tick`` lines played at board time ``at``."""
        return [m for s in self.steps if s.line == ":tick" and s.at == at for m in s.sends]

    def ticks(self) -> list[tuple[str, dict]]:
        return [(s.at, m) for s in self.steps if s.line == ":tick" for m in s.sends]

    def when(self, to: str, pattern: str) -> list[str]:
        """Board times of the ticks that sent ``to`` a message matching ``pattern``."""
        return [at for at, m in self.ticks() if m["to"] == to and re.search(pattern, m["text"])]

    def everything(self) -> list[dict]:
        return [m for s in self.steps for m in s.messages]


def play(scenario: Scenario, workdir: Path) -> Transcript:
    db_url = f"sqlite:///{workdir}/board.db"
    lines = (BOARD if scenario.seed else []) + scenario.lines
    typed = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    stdin = "".join(f"{line}\n{MARKER}\n" for line in typed)
    env = {**os.environ, "PARTNERBOT_DATABASE_URL": db_url, "PARTNERBOT_LOG_JSON": "true"}
    result = subprocess.run([*partnerbot(), "console", "--db", db_url, "--as", "@chair", "--now", scenario.now,
                             "--json"], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    chunks: list[list[dict]] = [[]]
    for raw in result.stdout.splitlines():
        if not raw.startswith("{"):
            continue
        message = json.loads(raw)
        if message["kind"] == "reply" and message["text"].startswith(MARKER_TEXT):
            chunks.append([])
        else:
            chunks[-1].append(message)
    assert len(chunks) == len(typed) + 1, f"{len(chunks) - 1} markers for {len(typed)} lines"
    steps, who, at = [], "chair", scenario.now
    for line, messages in zip(typed, chunks, strict=False):
        word, _, rest = line.strip().partition(" ")
        if word == ":as":
            who = rest.strip().lstrip("@").lower()
        elif word == ":now":
            at = rest.strip()
        steps.append(Step(line.strip(), who, at, messages))
    return Transcript(steps, result.stderr)


def play_all(scenarios: dict[str, Scenario], root: Path) -> dict[str, Transcript]:
    """Play every scenario in its own fresh SQLite board under ``root``, two or more at a time."""
    names = list(scenarios)
    for name in names:
        (root / name).mkdir()
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        played = pool.map(lambda n: play(scenarios[n], root / n), names)
        return dict(zip(names, played, strict=True))


def daily(start: str, end: str, hours: tuple[str, ...] = ("09:00",),
          at: dict[str, list[str]] | None = None) -> list[str]:
    """``:now`` + ``:tick`` at each hour of each day from start to end (ISO dates),
    with the commands in ``at`` (keyed by ISO board time) played at their moment."""
    import datetime as dt

    moments = {k: list(v) for k, v in (at or {}).items()}
    day, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    while day <= last:
        for hour in hours:
            moments.setdefault(f"{day.isoformat()}T{hour}", [])
        day += dt.timedelta(days=1)
    lines: list[str] = []
    for moment in sorted(moments):
        lines += [f":now {moment}", *moments[moment]]
        if moment[11:] in hours:
            lines.append(":tick")
    return lines


def texts(messages) -> str:
    """The texts of some console messages, one after another."""
    return "\n".join(m["text"] for m in messages)
