"""The example board (BRIEF.md) and the scripted walk-through ``make demo`` plays.

The board is seeded through the bot's own commands at past clock times, so
its history is real: actions logged six weeks ago with no update since,
overdue ones, a concern raised a month ago. Nothing here is a real person.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.config import Settings
from adapters.console.repl import Console, open_console

LONDON = ZoneInfo("Europe/London")

MEMBERS = [
    ("cara", "Cara Hale", "CH", "Borough Council", "chair"),
    ("sam", "Sam Reed", "SR", "Children's Trust", "secretariat"),
    ("owen", "Owen Pike", "OP", "Health Trust", "member"),
    ("mia", "Mia Lund", "ML", "Riverside Primary School", "member"),
    ("lee", "Lee Moss", "LM", "Integrated Care Board", "member"),
    ("ava", "Ava Stone", "AS", "Borough Council", "member"),
    ("raj", "Raj Patel", "RP", "Integrated Care Board", "member"),
    ("nina", "Nina Ford", "NF", "Health Trust", "member"),
    ("tom", "Tom Gale", "TG", "Voluntary Action", "member"),
    ("ivy", "Ivy Chen", "IC", "Children's Trust", "member"),
    ("ben", "Ben Cole", "BC", "Oak Hill Secondary School", "member"),
    ("zoe", "Zoe Hart", "ZH", "Borough Council", "observer"),
    ("pat", "Pat Quinn", "PQ", "Parent Carer Forum", "parent-rep"),
    ("kim", "Kim Rowe", "KR", "Parents' Consortium", "parent-rep"),
]

# (owner handles, text, due in days from today, workstream, how long ago logged)
ACTIONS = [
    ("owen", "Circulate the workforce survey to all health visitors", 9, "W1", 20),
    ("mia", "Draft the local provision sufficiency paper", 3, "W3", 20),
    ("lee", "Confirm the joint commissioning budget for therapies", -6, "W2", 44),
    ("ava", "Set up the co-production charter workshop", 15, "W1", 44),
    ("raj", "Report DCO caseload figures", -2, "W2", 20),
    ("nina", "Map speech and language therapy waiting times", 25, "W2", 44),
    ("tom", "Share the voluntary sector directory with schools", 2, "W1", 44),
    ("ivy", "Publish the local offer update on short breaks", -15, "W3", 44),
    ("ben", "Collect secondary heads' views on inclusion", 30, "W3", 20),
    ("sam", "Book venues for the spring parent events", 6, "W1", 20),
    ("owen mia", "Joint letter to families on EHCP timeliness", 12, "W1", 20),
    ("lee", "Agree the written statement of action milestones", 40, "W2", 20),
    ("ava", "Refresh the SEND strategy outcomes framework", 18, None, 44),
    ("raj", "Audit health advice returns within 6 weeks", 1, "W2", 20),
    ("mia", "Survey special school places for September", 50, "W3", 20),
    ("tom", "Recruit two young people to the steering group", 21, "W1", 44),
    ("nina", "Review the autism assessment pathway", -4, "W2", 20),
    ("ivy", "Update the transitions protocol", 35, "W3", 20),
    ("ben", "Share good practice on reduced timetables", 8, "W3", 20),
    ("sam", "Prepare the HWB half-year report outline", 28, None, 20),
]


def _d(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _at(day: dt.date, hour: int = 10) -> str:
    return f":now {day.isoformat()}T{hour:02d}:00"


def _weekday(day: dt.date) -> dt.date:
    """Boards set due dates on weekdays: move a weekend date to the Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def seed_lines(today: dt.date) -> list[str]:
    """Commands that build the example board, replayed at past times."""
    start = today - dt.timedelta(days=60)
    lines = [_at(start), ":as @cara"]
    lines += [f'/board member add @{h} "{n}" initials {i} org "{o}" role {r}' for h, n, i, o, r in MEMBERS]
    lines += [
        '/board workstream add "Co-production" lead @ava',
        '/board workstream add "Joint commissioning" lead @lee',
        '/board workstream add "Local provision" lead @mia',
        ':as @sam',
        f'/board board config term add "Autumn {today.year}" {_d(dt.date(today.year, 9, 2))} to '
        f'{_d(dt.date(today.year, 12, 18))}',
        f'/board board config term add "Spring {today.year + 1}" {_d(dt.date(today.year + 1, 1, 5))} to '
        f'{_d(dt.date(today.year + 1, 3, 26))}',
        f"/board meeting add {_d(start + dt.timedelta(days=14))} 10:00 until 12:00 at Guildhall, Committee Room 1",
        f"/board deadline add \"HWB half-year report\" every 6 months from {_d(today + dt.timedelta(days=45))} "
        "owner @sam",
        '/board deadline add "MoU review" every year in April owner @cara',
    ]
    for ago in sorted({a[4] for a in ACTIONS}, reverse=True):
        logged = today - dt.timedelta(days=ago)
        lines += [_at(logged), ":as @sam"]
        for owners, text, due, ws, when in ACTIONS:
            if when == ago:
                due_day = _weekday(today + dt.timedelta(days=due))
                people = " ".join("@" + o for o in owners.split())
                lines.append(f"/board action add {text} {people} due {_d(due_day)}" + (f" ws {ws}" if ws else "")
                             + " meeting M1")
    nxt = today + dt.timedelta(days=21)
    while nxt.weekday() != 3:  # board meets on Thursdays
        nxt += dt.timedelta(days=1)
    lines += [
        _at(today - dt.timedelta(days=31)), ":as @kim",
        "The school has said my son can only attend mornings and nobody has reviewed his EHCP since March.",
        _at(today - dt.timedelta(days=10)), ":as @sam",
        f"/board meeting add {_d(nxt)} 10:00 until 13:00 at https://meet.example.org/send-board",
        f"/board meeting add {_d(nxt + dt.timedelta(days=56))} 10:00 until 12:30 at Guildhall",
        "/board issue ack I1",
        ":as @nina",
        "/board agenda propose Speech and language therapy waiting times for M2 paper "
        "https://docs.example.org/salt-waits.pdf spotlight",
        ":as @ava", "/board agenda propose Co-production charter: first draft for M2",
        ":as @owen", "/board action update A1 survey drafted, going out next week",
        _at(today - dt.timedelta(days=2)), ":as @lee", "/board apologies M2 deputy @raj",
    ]
    return lines


WALKTHROUGH = [
    ("Anyone can ask for help; it is generated from the commands themselves.", "/board help"),
    ("The secretariat checks the next meeting: paper deadlines count working days, skipping bank holidays.",
     "/board meeting next"),
    ("Overdue actions, with how many working days late.", "/board action list overdue"),
    ("A member logs an action with a date typed the way people type them.",
     ":as @raj", "/board action add Share therapy waiting list data with the PCF @raj @nina due next Friday ws W2"),
    ("Progress, then done.", "/board action update A21 data extract requested from the trust",
     "/board action done A21 shared at the PCF steering group"),
    ("Any member may propose an agenda item; the chair or secretariat decides.",
     ":as @tom", "/board agenda propose Short breaks sufficiency for M2", ":as @cara", "/board agenda accept G3"),
    ("One date-ordered view of everything coming up.", ":as @sam", "/board deadlines 30"),
    ("A parent rep writes to the bot in plain words: it becomes a confidential issue with a receipt.",
     ":as @pat", "Our daughter's transport to school was stopped without notice and we can't get an answer."),
    ("Only the raiser, secretariat and assignee can see it; others are told it doesn't exist for them.",
     ":as @owen", "/board issue show I2", ":as @sam", "/board issue ack I2 calling the transport team today"),
    ("The meeting pack: agenda, papers (late ones flagged), apologies, actions without traction.",
     "/board meeting pack M2"),
    ("The reminder jobs run: nudges, escalations, the digest, each once.", ":tick"),
    ("Mistakes get a helpful answer and change nothing.", "/board action add", "/board frobnicate"),
]


async def seed_board(settings: Settings, now: dt.datetime | None = None) -> Console | None:
    """Seed the example board quietly into an empty database; returns the console
    left at ``now``, or None (touching nothing) if the database has a board."""
    now = now or dt.datetime.now(dt.UTC)
    console = await open_console(settings, "@cara", now, as_json=False)
    async with console.services.db.uow() as uow:
        if await uow.members.count():
            await console.services.close()
            return None
    console.out = io.StringIO()
    await console.run_lines(seed_lines(now.astimezone(LONDON).date()))
    console.clock.move_to(now)
    console.who = "sam"
    console.notifier.pending.clear()
    return console


async def seed_database(settings: Settings, now: dt.datetime | None = None) -> bool:
    """``partnerbot seed``: False if the database already has a board."""
    console = await seed_board(settings, now)
    if console is None:
        return False
    await console.services.close()
    return True


async def run_demo(settings: Settings, interactive: bool) -> None:
    path = settings.database_url.removeprefix("sqlite:///")
    if settings.database_url.startswith("sqlite:///") and Path(path).exists():
        Path(path).unlink()
    console = await seed_board(settings)
    if console is None:
        raise RuntimeError(f"{settings.database_url} already has a board")
    console.out = sys.stdout
    print(f"Seeded an example board into {settings.database_url}: 14 members, 3 workstreams, 20 actions.\n")
    try:
        for caption, *lines in WALKTHROUGH:
            print(f"── {caption}")
            for line in lines:
                print(f"@{console.who}> {line}")
                await console.run_line(line)
        if interactive:
            from adapters.console.repl import interactive_lines

            print("\nYour turn: you are @sam, the secretariat.")
            await console.run_lines(interactive_lines(console))
        else:
            print("(Not a terminal, so the demo ends here. Run `make demo` in a terminal to try the console.)")
    finally:
        await console.services.close()
