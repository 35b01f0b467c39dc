"""A board over ten-odd weeks of simulated time, driven through
``partnerbot console --json`` as a user would, with ``:now`` and ``:tick``
every morning, noon and evening: spring 2026 (the March clock change and
Easter) and winter 2026 (the October change and Christmas). Every message
must come once, to the right person, on the right working day, at 09:00
local (or the first tick after, for the issue ladder's calendar-day clock),
and nothing scheduled at night or on closed days. Runs on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.harness import BOARD

ROOT = Path(__file__).resolve().parents[2]
CONCERN = "The school bus has not come for two weeks"


@dataclass(frozen=True)
class Sent:
    at: dt.datetime  # local time of the tick that sent it
    kind: str
    to: str
    text: str


def partnerbot() -> list[str]:
    exe = Path(sys.executable).with_name("partnerbot")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from adapters.cli import main; main()"]


def script(start: dt.date, end: dt.date, commands: dict[str, list[str]]) -> list[str]:
    """Ticks every day (08:30, 09:00, 12:00, 19:00), with commands run at their times."""
    moments = dict(commands)
    day = start
    while day <= end:
        for hour in ("08:30", "09:00", "12:00", "19:00"):
            moments.setdefault(f"{day.isoformat()}T{hour}", [])
        day += dt.timedelta(days=1)
    lines = []
    for at in sorted(moments):
        lines += [f":now {at}", *moments[at], ":tick"]
    return lines


def run(db_url: str, start: str, lines: list[str]) -> list[Sent]:
    """Feed the console; return what the jobs sent (not replies, not command notices)."""
    env = {**os.environ, "PARTNERBOT_DATABASE_URL": db_url, "PARTNERBOT_LOG_JSON": "true"}
    result = subprocess.run([*partnerbot(), "console", "--db", db_url, "--as", "@chair", "--now", start, "--json"],
                            input="\n".join(BOARD + lines) + "\n", capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    sent, now, from_tick = [], None, False
    for line in result.stdout.splitlines():
        if not line.startswith("{"):
            continue
        msg = json.loads(line)
        if msg["kind"] == "reply":
            if m := re.match(r"The time is now (\w+ \d+ \w+ \d{4} \d\d:\d\d)", msg["text"]):
                now, from_tick = dt.datetime.strptime(m[1], "%a %d %b %Y %H:%M"), True
            else:
                from_tick = msg["text"].startswith("Jobs ran at")
        elif from_tick:
            sent.append(Sent(now, msg["kind"], msg["to"], msg["text"]))
    return sent


def when(sent: list[Sent], to: str, pattern: str) -> list[dt.datetime]:
    return [s.at for s in sent if s.to == to and re.search(pattern, s.text)]


def at9(*days: str) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(f"{d}T09:00") for d in days]


def assert_quiet_and_once(sent: list[Sent]) -> None:
    from bot.calendar import WorkingCalendar

    calendar = WorkingCalendar()
    for s in sent:
        assert calendar.is_working_day(s.at.date()), f"sent on a closed day: {s}"
        assert dt.time(8, 0) <= s.at.time() < dt.time(18, 0), f"sent in quiet hours: {s}"
    repeats = [k for k, n in Counter((s.to, s.text) for s in sent).items() if n > 1]
    assert repeats == []


def test_spring_2026_march_clock_change_and_easter(db_url):
    commands = {
        "2026-03-02T10:00": [
            ":as @sec",
            "/board meeting add 16/4/2026 10:00 until 12:00 at Guildhall, Kingston",
            "/board action add Publish the local offer update @owen due 27/3/2026 ws W1",
            "/board action add Draft the sufficiency plan @mia due 2/4/2026",
            "/board action add Survey the schools @owen due 30/4/2026 ws W1",
            '/board deadline add "MoU review" every 12 months from 30/4/2026 owner @sec',
            ":as @mia", "/board agenda propose SEND sufficiency for M1",
            ":as @pat", f"/board issue raise {CONCERN}",
        ],
        "2026-04-20T10:00": [":as @owen", "/board action done A3 surveyed all schools"],
    }
    sent = run(db_url, "2026-03-02T10:00", script(dt.date(2026, 3, 3), dt.date(2026, 5, 8), commands))
    assert_quiet_and_once(sent)
    # A1: 3 working days before, on the day, day 1 overdue (after the clocks went forward), at 09:00 local.
    assert when(sent, "@owen", r"\bA1\b") == at9("2026-03-24", "2026-03-27", "2026-03-30")
    assert when(sent, "@lead", r"\bA1\b.*overdue") == at9("2026-04-02")
    assert when(sent, "@chair", r"\bA1\b.*overdue") == at9("2026-04-15")  # 11th working day, Easter skipped
    # A2 (no workstream): due Thu 2 Apr; day 1 is after Good Friday and Easter Monday.
    assert when(sent, "@mia", r"\bA2\b") == at9("2026-03-30", "2026-04-02", "2026-04-07")
    assert when(sent, "@sec", r"\bA2\b.*overdue") == at9("2026-04-10")
    assert when(sent, "@chair", r"\bA2\b.*overdue") == at9("2026-04-21")
    # A3: a month without an update earns a traction nudge; done on 20 Apr, it is never chased again.
    assert when(sent, "@owen", r"\bA3\b") == at9("2026-04-01")
    assert "no update for 30+ days" in next(s.text for s in sent if re.search(r"\bA3\b", s.text))
    # Meeting M1 on Thu 16 Apr: call, paper nudge, pack, reminders.
    assert when(sent, "#board", r"Agenda items invited") == at9("2026-03-31")
    assert "Wed 8 Apr 2026" in next(s.text for s in sent if "Agenda items invited" in s.text)
    assert when(sent, "@mia", r"paper") == at9("2026-04-07")
    assert when(sent, "#board", r"Agenda and papers") == at9("2026-04-09")
    assert when(sent, "#board", r"The board meets") == at9("2026-04-09", "2026-04-15")
    # Weekly digest: Mondays, Tuesday after Easter Monday and after the May bank holiday.
    assert when(sent, "#board", r"Weekly digest") == at9(
        "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-07", "2026-04-13", "2026-04-20",
        "2026-04-27", "2026-05-05")
    assert all(CONCERN not in s.text for s in sent if s.kind == "post")
    # Issue: ack nudge after 2 working days, chair after 28 days, HWB (the secretariat stands in) 28 more.
    assert when(sent, "@sec", r"I1 needs acknowledging") == at9("2026-03-04")
    assert when(sent, "@chair", r"I1") == [dt.datetime(2026, 3, 30, 12, 0)]
    assert CONCERN in next(s.text for s in sent if s.to == "@chair" and "I1" in s.text)
    assert when(sent, "@pat", r"I1") == [dt.datetime(2026, 3, 30, 12, 0), dt.datetime(2026, 4, 27, 12, 0)]
    assert when(sent, "@sec", r"I1.*(Health and Wellbeing|HWB)") == [dt.datetime(2026, 4, 27, 12, 0)]
    # Recurring deadline: 20 and 5 working days before 30 Apr, to the owner and the channel.
    assert when(sent, "#board", r"MoU review") == at9("2026-03-31", "2026-04-23")
    assert when(sent, "@sec", r"MoU review") == at9("2026-03-31", "2026-04-23")


def test_winter_2026_october_clock_change_and_christmas(db_url):
    commands = {
        "2026-10-19T10:00": [
            ":as @sec",
            "/board meeting add 7/1/2027 10:00 until 12:00 at https://meet.example.org/board",
            "/board action add Publish the local offer update @owen due 23/10/2026 ws W1",
            "/board action add Agree the transport policy @mia due 23/12/2026 ws W1",
            '/board deadline add "HWB progress report" every 6 months from 30/12/2026 owner @sec',
        ],
        "2026-11-02T10:00": [":as @pat", f"/board issue raise {CONCERN}"],
        "2026-12-01T10:00": [":as @owen", "/board agenda propose Short breaks review for M1"],
        "2026-12-02T10:00": [":as @owen", "/board action done A1 published"],
    }
    sent = run(db_url, "2026-10-19T10:00", script(dt.date(2026, 10, 20), dt.date(2027, 1, 15), commands))
    assert_quiet_and_once(sent)
    # A1 due Fri 23 Oct: day 1 overdue is Monday after the clocks went back, still 09:00 local.
    assert when(sent, "@owen", r"\bA1\b") == at9("2026-10-20", "2026-10-23", "2026-10-26")
    assert when(sent, "@lead", r"\bA1\b.*overdue") == at9("2026-10-29")
    assert when(sent, "@chair", r"\bA1\b.*overdue") == at9("2026-11-09")
    # A2 due Wed 23 Dec: Christmas, the Boxing Day substitute and New Year's Day are not working days.
    # (18 Nov: a month without an update.)
    assert when(sent, "@mia", r"\bA2\b") == at9("2026-11-18", "2026-12-18", "2026-12-23", "2026-12-24")
    assert when(sent, "@lead", r"\bA2\b.*overdue") == at9("2026-12-31")
    assert when(sent, "@chair", r"\bA2\b.*overdue") == at9("2027-01-12")
    # Meeting Thu 7 Jan 2027: cut-off Tue 29 Dec, circulation Wed 30 Dec (BRIEF.md's example).
    assert when(sent, "#board", r"Agenda items invited") == at9("2026-12-21")
    assert "Tue 29 Dec 2026" in next(s.text for s in sent if "Agenda items invited" in s.text)
    assert when(sent, "@owen", r"paper") == at9("2026-12-24")
    assert when(sent, "#board", r"Agenda and papers") == at9("2026-12-30")
    assert when(sent, "#board", r"The board meets") == at9("2026-12-31", "2027-01-06")
    assert "meet.example.org" in next(s.text for s in sent if "The board meets" in s.text)
    assert when(sent, "#board", r"Weekly digest")[:3] == at9("2026-10-26", "2026-11-02", "2026-11-09")
    assert at9("2026-12-29")[0] in when(sent, "#board", r"Weekly digest")  # 28 Dec is a bank holiday
    # Issue raised Mon 2 Nov: chair on 30 Nov; the next rung falls on 28 Dec (bank holiday) -> 29 Dec morning.
    assert when(sent, "@pat", r"I1") == [dt.datetime(2026, 11, 30, 12, 0), dt.datetime(2026, 12, 29, 9, 0)]
    assert when(sent, "#board", r"Coming up: HWB progress report") == at9("2026-11-30", "2026-12-21")
    # and the HWB summary card with the board's figures 10 working days before (skipping Christmas).
    assert when(sent, "#board", r"HWB progress report.*figures") == at9("2026-12-14")
