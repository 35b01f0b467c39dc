"""`partnerbot import minutes`: a dry run shows what would be recorded and writes nothing; --apply records it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

KINGSTON = Path(__file__).parents[1] / "fixtures" / "kingston-board-minutes-2019-11-14.txt"
BOARD = "\n".join([
    '/board member add @cara "Cara Hale" initials CH role chair',
    '/board member add @sec "Sam Reed" initials SR role secretariat',
    '/board member add @ian "Ian Dodds" initials ID org "Achieving for Children" role member',
    '/board member add @lucy "Lucy Kourpas" initials LK role member',
    "/board meeting add 14/11/2019 09:30 until 11:30 at Guildhall",
    "/board meeting add 23/1/2020 14:00",
])


PARTNERBOT = str(Path(sys.executable).with_name("partnerbot"))


def partnerbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([PARTNERBOT, *args], input=stdin, capture_output=True, text=True, timeout=120)


def _console(db_url: str, lines: str, now: str = "2019-10-01T10:00") -> list[dict]:
    run = partnerbot("console", "--db", db_url, "--as", "@cara", "--now", now, "--json", stdin=lines + "\n")
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def test_dry_run_then_apply(db_url: str) -> None:
    _console(db_url, BOARD)
    dry = partnerbot("import", "minutes", str(KINGSTON), "--meeting", "M1", "--db", db_url, "--now", "2019-11-15T10:00")
    assert dry.returncode == 0, dry.stderr
    out = dry.stdout
    assert "Present at M1 (26):" in out
    assert "  ID   Ian Dodds, Achieving for Children — @ian" in out
    assert "  IT   Ian Thomas, Royal Borough of Kingston upon Thames — guest (not on the board)" in out
    assert "  Lucy Kourpas, Achieving for Children — @lucy" in out
    assert "Actions (3), due 23/01/2020:" in out
    assert "  line 64: ID — Item 5 Actions Workforce: ID will resend the data capsule tool" in out
    assert "  line 64: NG — " in out and "no board member with these initials: not recorded" in out
    assert "Lines I could not read (2):\n  line 73: Future meeting dates: -" in out
    assert out.rstrip().endswith("Dry run: nothing was written. Add --apply to record it.")
    assert "No actions match." in _console(db_url, "/board action list all", now="2019-11-15T10:00")[-1]["text"]

    applied = partnerbot("import", "minutes", str(KINGSTON), "--meeting", "M1", "--apply", "--db", db_url,
                         "--now", "2019-11-15T10:00")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.rstrip().endswith("Recorded 26 present, 1 apologies, 1 actions.")
    listed, shown = [m["text"] for m in _console(db_url, "/board action list meeting M1\n/board meeting attendance M1",
                                                  now="2019-11-15T10:00")[-2:]]
    assert "A1 Item 5 Actions Workforce: ID will resend the data capsule tool" in listed and "@ian" in listed
    assert "  • @ian (ID)" in shown and "  • Ian Thomas, Royal Borough of Kingston upon Thames (guest)" in shown
    assert "  • @lucy" in shown.split("Apologies")[1]


def test_an_unknown_meeting_is_refused(db_url: str) -> None:
    run = partnerbot("import", "minutes", str(KINGSTON), "--meeting", "M9", "--db", db_url)
    assert run.returncode == 1
    assert "There is no meeting M9." in run.stderr
