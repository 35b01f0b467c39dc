"""Plain-text rendering and neutralising user text before it is echoed."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.reply import (
    Button,
    Buttons,
    Fields,
    Heading,
    Item,
    Items,
    Mention,
    Note,
    Paragraph,
    Ref,
    Reply,
    When,
    rich,
)
from bot.text import MAX_ECHO, format_date, format_datetime, neutralise, plain_text


@pytest.mark.parametrize("markup", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "@here", "@channel",
                                    "@everyone", "@HERE", "@Channel"])
def test_broadcast_markup_is_neutralised(markup: str) -> None:
    out = neutralise(f"ping {markup} now")
    assert markup not in out
    assert "<!" not in out
    assert out.replace("\u2060", "") == f"ping {markup} now"  # still readable


def test_ordinary_mentions_and_words_starting_with_here_are_left_alone() -> None:
    assert neutralise("ask @owen at @hereford") == "ask @owen at @hereford"


def test_control_characters_are_removed_but_lines_and_tabs_kept() -> None:
    assert neutralise("Bell\x07 ring\x1b[31m red\x00\nnext\tcol\u200b") == "Bell ring[31m red\nnext\tcol"


def test_long_text_is_cut_to_the_echo_limit() -> None:
    assert neutralise("x" * MAX_ECHO) == "x" * MAX_ECHO
    long = neutralise("x" * (MAX_ECHO + 500))
    assert len(long) == MAX_ECHO and long.endswith("…")
    assert neutralise("abcdef", limit=4) == "abc…"


@pytest.mark.parametrize(("day", "shown"), [(dt.date(2027, 1, 7), "Thu 7 Jan 2027"),
                                            (dt.date(2026, 12, 28), "Mon 28 Dec 2026")])
def test_format_date(day: dt.date, shown: str) -> None:
    assert format_date(day) == shown


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (dt.datetime(2026, 3, 27, 10, tzinfo=dt.UTC), "Fri 27 Mar 2026 10:00"),  # GMT
        (dt.datetime(2026, 3, 30, 9, tzinfo=dt.UTC), "Mon 30 Mar 2026 10:00"),  # BST from 29 Mar
        (dt.datetime(2026, 10, 23, 9, tzinfo=dt.UTC), "Fri 23 Oct 2026 10:00"),  # still BST
        (dt.datetime(2026, 10, 26, 10, tzinfo=dt.UTC), "Mon 26 Oct 2026 10:00"),  # GMT from 25 Oct
        (dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC), "Sun 29 Mar 2026 00:59"),
        (dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC), "Sun 29 Mar 2026 02:00"),  # clocks go forward
        (dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC), "Sun 25 Oct 2026 00:30"),  # late evening UTC, next day
    ],
)
def test_times_are_shown_in_london_time_across_the_clock_changes(utc: dt.datetime, shown: str) -> None:
    assert format_datetime(utc) == shown


def test_plain_text_renders_every_block() -> None:
    owen = Mention(4, "owen", "Owen Pike", address="U1")
    reply = Reply(summary="s").add(
        Heading(rich(Ref("A1"), " Send <!channel> the survey")),
        Paragraph(rich("Owned by ", owen, ", due ", When(dt.date(2027, 1, 7)))),
        Fields((("Due", rich(When(dt.datetime(2026, 3, 30, 9, tzinfo=dt.UTC), with_time=True))),
                ("Status", rich("open")))),
        Items((Item(rich("first"), "A1", "overdue"), Item(rich("second"))), title="Actions"),
        Items((), title="Papers", empty="No papers."),
        Buttons((Button("Done", command="action done A1"), Button("Snooze", form="action.snooze", ref="A1"))),
        Note(rich("a hint")),
    )
    assert plain_text(reply).split("\n") == [
        "A1 Send <\u2060!channel> the survey",
        "Owned by @owen, due Thu 7 Jan 2027",
        "  Due:    Mon 30 Mar 2026 10:00",
        "  Status: open",
        "Actions",
        "  • first  [overdue]",
        "  • second",
        "Papers",
        "  No papers.",
        "  [Done] [Snooze]",
        "  a hint",
    ]


def test_a_datetime_without_time_shows_its_london_date() -> None:
    late_evening = When(dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC))
    assert plain_text(Reply().add(Paragraph(rich(late_evening)))) == "Sun 25 Oct 2026"
