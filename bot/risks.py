"""The risk register's rules: order, review dates and flags. Pure functions.

The register is read highest score first, then oldest first (the order the
board discusses it in). A risk is reviewed every ``review_months``; the owner
hears before the review is due, and a high risk left unreviewed goes up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from bot.calendar import WorkingCalendar
from bot.model import Action, ActionStatus, Risk, RiskScore, RiskStatus

SCORE_ORDER = {RiskScore.HIGH: 0, RiskScore.MODERATE: 1, RiskScore.LOW: 2}
REVIEW_SOON_WORKING_DAYS = 5


def register_order(risks: Iterable[Risk]) -> list[Risk]:
    return sorted(risks, key=lambda r: (SCORE_ORDER[r.score], r.created_at, r.id or 0))


def review_flag(risk: Risk, today: dt.date, calendar: WorkingCalendar) -> str | None:
    if risk.status != RiskStatus.ACCEPTED:
        return None
    if risk.review_due < today:
        return "review overdue"
    if calendar.working_days_between(today, risk.review_due) <= REVIEW_SOON_WORKING_DAYS:
        return "review due"
    return None


def overdue_mitigation(risk: Risk, actions: Mapping[int, Action], today: dt.date) -> list[Action]:
    """Mitigating actions of a high risk that are overdue: flagged on the risk."""
    if risk.score != RiskScore.HIGH:
        return []
    return [a for i in risk.action_ids if (a := actions.get(i)) and a.status == ActionStatus.OPEN and a.due < today]


def risk_flag(risk: Risk, actions: Mapping[int, Action], today: dt.date, calendar: WorkingCalendar) -> str:
    """Score first, then what needs attention: "high · review overdue · mitigating action overdue"."""
    parts = [risk.score.value]
    if risk.status == RiskStatus.PROPOSED:
        parts.append("proposed")
    elif risk.status == RiskStatus.CLOSED:
        parts.append("closed")
    if flag := review_flag(risk, today, calendar):
        parts.append(flag)
    if overdue_mitigation(risk, actions, today):
        parts.append("mitigating action overdue")
    return " · ".join(parts)
