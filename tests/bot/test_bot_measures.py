"""Reporting periods, RAG status and trends, by table."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dates import parse_date
from bot.errors import BadArgument
from bot.measures import Rag, last_ended, number, parse_every, parse_period, period_of, rag, read
from bot.model import Measure, MeasureValue

TODAY = dt.date(2027, 1, 4)
AT = dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC)


def dates(text: str) -> dt.date:
    return parse_date(text, TODAY, allow_past=True)


@pytest.mark.parametrize(("text", "months", "label"), [
    ("2026-Q3", 3, "2026-Q3"), ("2026q4", 3, "2026-Q4"), ("2026-11", 3, "2026-Q4"), ("2026-11", 1, "2026-11"),
    ("15/8/2026", 6, "2026-H2"), ("2026-H1", 6, "2026-H1"), ("2026-Q2", 12, "2026"), ("2027-01-02", 1, "2027-01"),
])
def test_periods_are_read_in_the_measures_cadence(text: str, months: int, label: str) -> None:
    assert parse_period(text, months, TODAY, dates).label == label


@pytest.mark.parametrize(("text", "months", "message"), [
    ("2026-Q3", 1, "“2026-Q3” is longer than this measure's period (every month)."),
    ("2027-Q2", 3, "2027-Q2 hasn't started yet."),
])
def test_periods_that_do_not_fit_are_refused(text: str, months: int, message: str) -> None:
    with pytest.raises(BadArgument) as refused:
        parse_period(text, months, TODAY, dates)
    assert refused.value.message == message


def test_the_value_owed_is_for_the_last_period_that_ended() -> None:
    assert last_ended(3, TODAY).label == "2026-Q4"
    assert last_ended(3, TODAY).end == dt.date(2026, 12, 31)
    assert last_ended(1, TODAY).label == "2026-12"
    assert last_ended(6, dt.date(2027, 7, 1)).label == "2027-H1"
    assert period_of(dt.date(2027, 3, 31), 3).end == dt.date(2027, 3, 31)


@pytest.mark.parametrize(("value", "target", "higher", "band", "status"), [
    (95, 95, True, 10, Rag.GREEN), (100, 95, True, 10, Rag.GREEN), (86, 95, True, 10, Rag.AMBER),
    (85.5, 95, True, 10, Rag.AMBER), (81, 95, True, 10, Rag.RED), (81, 95, True, 15, Rag.AMBER),
    (18, 20, False, 10, Rag.GREEN), (21.9, 20, False, 10, Rag.AMBER), (23, 20, False, 10, Rag.RED),
])
def test_rag_green_meets_the_target_amber_is_within_the_band(value, target, higher, band, status) -> None:
    assert rag(value, target, higher, band) is status


def test_the_latest_value_of_a_period_counts_and_the_trend_reads_oldest_first() -> None:
    measure = Measure("Respite hours", 95, 1, AT, percent=True, id=1)
    values = [MeasureValue(1, "2026-Q4", 81, AT), MeasureValue(1, "2026-Q2", 70, AT),
              MeasureValue(1, "2026-Q3", 88, AT), MeasureValue(1, "2026-Q4", 90, AT), MeasureValue(2, "2026-Q4", 1, AT)]
    reading = read(measure, values, 10)
    assert [label for label, _ in reading.by_period] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert reading.latest.value == 90 and reading.status is Rag.AMBER
    assert reading.trend() == "70% → 88% → 90% ↑"
    assert read(measure, [], 10).trend() == "no values yet" and read(measure, [], 10).status is None


def test_cadences_and_numbers_read_as_people_write_them() -> None:
    assert [parse_every(t) for t in ("every quarter", "monthly", "every 6 months", "every 3 months", "soon")] == \
        [3, 1, 6, 3, None]
    assert (number(81.0, True), number(12.5), number(-3)) == ("81%", "12.5", "-3")
