"""The pack's risk and dashboard Sections, built from one RegisterView."""

from __future__ import annotations

import datetime as dt

from bot.calendar import WorkingCalendar
from bot.document import Chart, Para, Table
from bot.measures import read, red_first
from bot.model import (
    Action,
    Measure,
    MeasureValue,
    Member,
    Risk,
    RiskEvent,
    RiskScore,
    RiskStatus,
    RiskStrategy,
)
from bot.register_document import RegisterView, dashboard_section, register_document, risk_section

AT = dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC)
LAST_MEETING = dt.datetime(2027, 1, 7, 10, tzinfo=dt.UTC)
PEOPLE = {1: Member("owen", "Owen Pike", "OP", id=1), 2: Member("cara", "Cara Hale", "CH", id=2)}


def risk(id: int, title: str, score: RiskScore, created: dt.datetime, review: dt.date, **kw) -> Risk:
    return Risk(title, "impact", RiskStrategy.MITIGATE, score, 1, created, review, id=id,
                status=kw.pop("status", RiskStatus.ACCEPTED), **kw)


def view() -> RegisterView:
    risks = [risk(1, "Provider may withdraw", RiskScore.HIGH, LAST_MEETING - dt.timedelta(days=30),
                  dt.date(2027, 4, 4), action_ids=[5]),
             risk(2, "Partners disengage", RiskScore.HIGH, LAST_MEETING - dt.timedelta(days=20), dt.date(2027, 2, 1)),
             risk(3, "Workforce gaps", RiskScore.LOW, AT, dt.date(2027, 4, 20), status=RiskStatus.PROPOSED)]
    measures = [Measure("Plans in 20 weeks", 60, 1, AT, percent=True, id=1),
                Measure("Respite hours", 95, 2, AT, percent=True, id=2), Measure("Waits", 6, 2, AT, id=3)]
    values = [MeasureValue(1, "2026-Q4", 64, AT), MeasureValue(2, "2026-Q3", 88, AT),
              MeasureValue(2, "2026-Q4", 81, AT)]
    action = Action("Sign a second provider", [1], dt.date(2027, 1, 15), 2, AT, id=5)
    return RegisterView(risks, [RiskEvent(2, 2, AT, "score", "moderate → high")], {5: action}, PEOPLE,
                        red_first(read(m, values, 10) for m in measures), dt.date(2027, 1, 20), WorkingCalendar(),
                        LAST_MEETING)


def test_the_risk_section_has_new_rescored_due_and_high_risks() -> None:
    section = risk_section(view(), dt.date(2027, 2, 4))
    tables = {sub.heading: sub.blocks[0] for sub in section.subsections}
    assert list(tables) == ["New risks since Thu 7 Jan 2027", "Scores changed since Thu 7 Jan 2027",
                            "Due for review by Thu 4 Feb 2027", "All high risks"]
    assert [row[0] for row in tables["New risks since Thu 7 Jan 2027"].rows] == ["R3"]
    assert tables["New risks since Thu 7 Jan 2027"].flags == ("low · proposed",)
    assert [row[0] for row in tables["Scores changed since Thu 7 Jan 2027"].rows] == ["R2"]
    assert [row[0] for row in tables["Due for review by Thu 4 Feb 2027"].rows] == ["R2"]
    high = tables["All high risks"]
    assert high.rows[0] == ("R1", "Provider may withdraw", "high", "Owen Pike", "Sun 4 Apr 2027", "A5 (overdue)")
    assert high.flags[0] == "high · mitigating action overdue"


def test_the_dashboard_lists_every_measure_red_first_with_a_chart_for_each_with_values() -> None:
    section = dashboard_section(view())
    summary, table, *charts = section.blocks
    assert summary == Para("1 of 3 measures are red.", muted=False)
    assert isinstance(table, Table)
    assert [row[0] for row in table.rows] == ["K2", "K1", "K3"]
    assert table.rows[0] == ("K2", "Respite hours", "81% (2026-Q4)", "95%", "red", "88% → 81% ↓", "Cara Hale")
    assert table.flags == ("red", "green", None)
    assert all(isinstance(c, Chart) for c in charts)
    assert [(c.title, c.target, c.series[0].points) for c in charts] == [
        ("K2 Respite hours", 95, (("2026-Q3", 88), ("2026-Q4", 81))), ("K1 Plans in 20 weeks", 60, (("2026-Q4", 64),))]


def test_the_register_document_holds_both() -> None:
    doc = register_document(view())
    assert [s.heading for s in doc.sections] == ["Risk register", "Dashboard"]
    assert "R3 | Workforce gaps | low | Owen Pike" in doc.text()
