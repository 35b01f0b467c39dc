"""Reading the Kingston minutes: the present and apologies tables, action owners by initials,
and every line that fits no shape reported with its number."""

from __future__ import annotations

from pathlib import Path

from bot.minutes_import import read_minutes

KINGSTON = Path(__file__).parents[1] / "fixtures" / "kingston-board-minutes-2019-11-14.txt"


def test_the_kingston_minutes_are_read_table_by_table() -> None:
    read = read_minutes(KINGSTON.read_text(encoding="utf-8"))
    assert len(read.present) == 26
    assert (read.present[0].name, read.present[0].initials, read.present[0].role) == (
        "Ian Thomas", "IT", "Chief Executive")  # "(Chair)" is a note, not part of the name
    assert [p.initials for p in read.present if p.name == "Jo Sullivan-Lyons"] == ["JSL"]
    assert [a.name for a in read.apologies][:2] == ["Diane White", "Lucy Kourpas"]  # "Cllr" dropped
    assert len(read.apologies) == 7
    assert [(a.line, a.owner) for a in read.actions] == [(64, "ID"), (64, "NG"), (71, "AW")]
    assert read.actions[0].text == "Item 5 Actions Workforce: ID will resend the data capsule tool to those who " \
                                   "have not replied."
    assert read.unread == [(73, "Future meeting dates: -"), (75, "23 January 2020, 2-4pm, Queen Anne Suite, Kingston")]


def test_a_stray_line_is_reported_not_dropped() -> None:
    read = read_minutes("Present\nAnn Lee\tAL\tChair\tDfE\nthis is not a row\nMinutes\tAction\nhello there\n")
    assert [p.name for p in read.present] == ["Ann Lee"]
    assert read.unread == [(3, "this is not a row"), (5, "hello there")]
