"""The real `partnerbot` command, as a new user runs it (subprocesses)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

PARTNERBOT = str(Path(sys.executable).with_name("partnerbot"))


def partnerbot(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PARTNERBOT, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120)


def messages(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


async def test_db_upgrade_then_console_json_on_a_new_board(db_url: str, tmp_path: Path) -> None:
    upgraded = partnerbot("db", "upgrade", "--db", db_url, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "is up to date" in upgraded.stdout
    lines = "\n".join([
        '/board member add @cara "Cara Hale" initials CH role chair',
        '/board member add @owen "Owen Pike" initials OP role member',
        "/board meeting add 7/1/2027 10:00",
        "/board action add Circulate the survey @owen due 20/11/2026",
        ":as @owen",
        "/board acton list",
        "/board action list",
    ]) + "\n"
    run = partnerbot("console", "--db", db_url, "--as", "@cara", "--now", "2026-11-02T10:00", "--json",
                     stdin=lines, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = messages(run.stdout)
    assert all(set(m) in ({"kind", "to", "text", "refs"}, {"kind", "to", "text", "refs", "buttons"}) for m in out)
    assert [(m["kind"], m["to"]) for m in out] == [
        ("reply", "@cara"), ("reply", "@cara"), ("reply", "@cara"), ("reply", "@cara"), ("dm", "@owen"),
        ("reply", "@owen"), ("reply", "@owen"), ("reply", "@owen")]
    assert "Papers due: Tue 29 Dec 2026" in out[2]["text"] and "Circulated: Wed 30 Dec 2026" in out[2]["text"]
    assert out[2]["refs"] == ["M1"] and out[3]["refs"] == ["A1"]
    assert out[4]["text"].startswith("@cara logged an action for you: A1 Circulate the survey")
    assert "/board help" in out[6]["text"] and "Did you mean `action list" in out[6]["text"]
    assert out[7]["refs"] == ["A1"]


def test_seed_then_work_the_example_board(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'example.db'}"
    seeded = partnerbot("seed", "--db", url, "--now", "2026-11-02T10:00", cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    run = partnerbot("console", "--db", url, "--as", "@sam", "--now", "2026-11-02T10:00", "--json",
                     stdin="/board member list\n/board action list all\n/board workstream list\n", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    members, actions, streams = messages(run.stdout)
    assert members["text"].startswith("Board members (14)")
    assert len(actions["refs"]) == 20
    assert len(streams["refs"]) == 3


def test_demo_without_a_terminal_plays_through_and_exits(tmp_path: Path) -> None:
    run = partnerbot("demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for shown in (r"Action A\d+ logged\.", r"Agenda item G\d+ proposed\.", r"Your concern is logged as I\d+\.",
                  r"Meeting M\d+ at "):
        assert re.search(shown, run.stdout), shown
    assert "Not a terminal, so the demo ends here." in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
