"""The risk register and the measures as CSV, for the spreadsheets boards keep beside the bot.

Export writes one row per current risk (or measure); import reads the same
shape back. A row with a ref updates that risk or measure, a row without one
adds a new one; every row is checked first and a file with any bad row writes
nothing (bot.csv_rows). People are named by @handle, initials or name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.csv_rows import Row, RowError, read_rows, validate_all, write_rows
from bot.dates import add_months, parse_date
from bot.errors import BotError
from bot.grammar import parse_ref
from bot.measures import CADENCES, number, period_label, read
from bot.member_lookup import find_person
from bot.model import (
    AuditEntry,
    Measure,
    MeasureValue,
    Member,
    Prefix,
    Risk,
    RiskEvent,
    RiskScore,
    RiskStatus,
    RiskStrategy,
)
from bot.ports import UnitOfWork
from bot.risks import register_order

RISK_COLUMNS = ("ref", "title", "workstream", "impact", "strategy", "score", "owner", "review every months",
                "review due", "status", "mitigation", "actions")
RISK_SYNONYMS = {"risk": "title", "description": "title", "ws": "workstream", "rag": "score", "rating": "score",
                 "lead": "owner", "who": "owner", "risk owner": "owner", "next review": "review due",
                 "review date": "review due", "mitigating actions": "actions", "controls": "mitigation"}
MEASURE_COLUMNS = ("ref", "name", "target", "unit", "better", "workstream", "owner", "every months", "baseline",
                   "latest period", "latest value")
MEASURE_SYNONYMS = {"measure": "name", "indicator": "name", "kpi": "name", "ws": "workstream", "lead": "owner",
                    "who": "owner", "period": "latest period", "value": "latest value", "actual": "latest value"}


def _initials(people: dict[int, Member], member_id: int | None) -> str:
    member = people.get(member_id) if member_id else None
    return member.initials if member else ""


async def _people(uow: UnitOfWork) -> dict[int, Member]:
    return {m.id: m for m in await uow.members.list_all() if m.id is not None}


async def export_risks(uow: UnitOfWork) -> str:
    people = await _people(uow)
    rows = [(f"R{r.id}", r.title, f"W{r.workstream_id}" if r.workstream_id else "", r.impact, r.strategy.value,
             r.score.value, _initials(people, r.owner_id), str(r.review_months), r.review_due.isoformat(),
             r.status.value, r.mitigation, " ".join(f"A{i}" for i in r.action_ids))
            for r in register_order(await uow.risks.current())]
    return write_rows(RISK_COLUMNS, rows)


async def export_measures(uow: UnitOfWork, amber_percent: float) -> str:
    people = await _people(uow)
    measures = await uow.measures.current()
    values = await uow.measures.values([m.key for m in measures])
    rows = []
    for reading in sorted((read(m, values, amber_percent) for m in measures), key=lambda r: r.measure.key):
        m, latest = reading.measure, reading.by_period[-1] if reading.by_period else None
        rows.append((f"K{m.id}", m.name, number(m.target), "%" if m.percent else "",
                     "higher" if m.higher_is_better else "lower", f"W{m.workstream_id}" if m.workstream_id else "",
                     _initials(people, m.owner_id), str(m.every_months),
                     "" if m.baseline is None else number(m.baseline), latest[0] if latest else "",
                     number(latest[1].value) if latest else ""))
    return write_rows(MEASURE_COLUMNS, rows)


def _need(row: Row, column: str) -> str:
    if not (value := row.get(column)):
        raise RowError(f"the {column} is empty")
    return value


def _enum(enum_type, row: Row, column: str):
    value = _need(row, column).lower()
    try:
        return enum_type(value)
    except ValueError:
        raise RowError(f"“{row.get(column)}” is not a {column} ({', '.join(e.value for e in enum_type)})") from None


def _number(text: str, column: str) -> float:
    try:
        return float(text.replace(",", "").rstrip("%"))
    except ValueError:
        raise RowError(f"the {column} “{text}” is not a number") from None


def _int(text: str, column: str, allowed: range) -> int:
    if not text.isdigit() or int(text) not in allowed:
        raise RowError(f"the {column} “{text}” should be a whole number from {allowed.start} to {allowed.stop - 1}")
    return int(text)


async def _existing(repo, row: Row, prefix: Prefix, what: str, seen: set[int]):
    if not (token := row.get("ref")):
        return None
    try:
        number_ = parse_ref(token, prefix, f"a {what}")
    except BotError:
        raise RowError(f"“{token}” is not a {what} reference like {prefix.value}3") from None
    if number_ in seen:
        raise RowError(f"{prefix.value}{number_} appears twice in the file")
    seen.add(number_)
    if (found := await repo.get(number_)) is None:
        raise RowError(f"there is no {what} {prefix.value}{number_}; leave the ref empty to add a new one")
    return found


async def _workstream_id(uow: UnitOfWork, row: Row) -> int | None:
    if not (token := row.get("workstream")):
        return None
    try:
        number_ = parse_ref(token, Prefix.WORKSTREAM, "a workstream")
    except BotError:
        workstream = await uow.workstreams.by_name(token)
        if workstream is None:
            raise RowError(f"there is no workstream “{token}”") from None
        return workstream.id
    if await uow.workstreams.get(number_) is None:
        raise RowError(f"there is no workstream W{number_}")
    return number_


async def _owner(uow: UnitOfWork, row: Row) -> Member:
    try:
        return await find_person(uow, _need(row, "owner"), "owner")
    except RowError:
        raise
    except BotError as error:
        raise RowError(f"owner: {error.message}") from None


@dataclass
class ImportResult:
    added: list[str]
    updated: list[str]

    def summary(self, what: str) -> str:
        return f"Imported {what}: {len(self.added)} added, {len(self.updated)} updated."


async def import_risks(uow: UnitOfWork, text: str, now: dt.datetime, today: dt.date) -> ImportResult:
    """Validate every row, then write them all (the caller commits)."""
    rows = read_rows(text, RISK_COLUMNS, RISK_SYNONYMS, required=("title", "owner"))
    seen: set[int] = set()

    async def validate(row: Row) -> tuple[Risk, str]:
        risk = await _existing(uow.risks, row, Prefix.RISK, "risk", seen)
        months = _int(row.get("review every months") or "3", "review every months", range(1, 25))
        due_text = row.get("review due")
        try:
            due = parse_date(due_text, today, allow_past=True, field="review due") if due_text \
                else add_months(today, months)
        except BotError as error:
            raise RowError(f"review due: {error.message}") from None
        action_ids = []
        for token in row.get("actions").replace(",", " ").split():
            try:
                action_id = parse_ref(token, Prefix.ACTION, "an action")
            except BotError:
                raise RowError(f"“{token}” in actions is not an action reference like A12") from None
            if await uow.actions.get(action_id) is None:
                raise RowError(f"there is no action A{action_id}")
            action_ids.append(action_id)
        fields = dict(title=_need(row, "title"), impact=_need(row, "impact"),
                      strategy=_enum(RiskStrategy, row, "strategy"), score=_enum(RiskScore, row, "score"),
                      owner_id=(await _owner(uow, row)).key, review_due=due, review_months=months,
                      workstream_id=await _workstream_id(uow, row),
                      status=_enum(RiskStatus, row, "status") if row.get("status") else RiskStatus.ACCEPTED,
                      mitigation=row.get("mitigation"), action_ids=action_ids)
        if risk is None:
            return Risk(created_at=now, accepted_at=now, **fields), ""
        kept = {"review due": "review_due", "review every months": "review_months", "status": "status",
                "mitigation": "mitigation", "actions": "action_ids", "workstream": "workstream_id"}
        old_score = risk.score
        for name, value in fields.items():
            if name not in kept.values() or next(c for c, f in kept.items() if f == name) in row.cells:
                setattr(risk, name, value)  # a column the file leaves out keeps what the board has
        return risk, f"{old_score.value} → {risk.score.value}: imported" if risk.score != old_score else ""

    result = ImportResult([], [])
    for risk, rescored in await validate_all(rows, validate):
        if risk.id is None:
            await uow.risks.add(risk)
            result.added.append(f"R{risk.id}")
        else:
            await uow.risks.save(risk)
            result.updated.append(f"R{risk.id}")
        await uow.risks.add_event(RiskEvent(risk.key, None, now, "score" if rescored else "imported",
                                            rescored or risk.score.value))
    await uow.audit.add(AuditEntry(now, None, "risk.import", detail=result.summary("risks")))
    return result


async def import_measures(uow: UnitOfWork, text: str, now: dt.datetime, today: dt.date) -> ImportResult:
    rows = read_rows(text, MEASURE_COLUMNS, MEASURE_SYNONYMS, required=("name", "target", "owner"))
    seen: set[int] = set()

    async def validate(row: Row) -> tuple[Measure, MeasureValue | None]:
        measure = await _existing(uow.measures, row, Prefix.MEASURE, "measure", seen)
        months = _int(row.get("every months") or "3", "every months", range(1, 13))
        if months not in CADENCES:
            raise RowError(f"every months must be one of {', '.join(str(c) for c in CADENCES)}")
        better = (row.get("better") or "higher").lower()
        if better not in ("higher", "lower"):
            raise RowError(f"better should be higher or lower, not “{row.get('better')}”")
        target_text = _need(row, "target")
        fields: dict[str, Any] = dict(  # Measure's keyword arguments, also set one by one on a known measure
            name=_need(row, "name"), target=_number(target_text, "target"),
            percent=row.get("unit") == "%" or target_text.endswith("%"), higher_is_better=better == "higher",
            workstream_id=await _workstream_id(uow, row), owner_id=(await _owner(uow, row)).key,
            every_months=months, baseline=_number(row.get("baseline"), "baseline") if row.get("baseline") else None)
        if measure is None:
            measure = Measure(created_at=now, **fields)
        else:
            for name, value in fields.items():
                setattr(measure, name, value)
        value = None
        if row.get("latest value") or row.get("latest period"):
            label = period_label(_need(row, "latest period"), months)
            if label is None:
                raise RowError(f"the latest period “{row.get('latest period')}” is not a period like 2026-Q3 "
                               f"for a measure reported every {CADENCES[months]}")
            value = MeasureValue(measure.id or 0, label, _number(_need(row, "latest value"), "latest value"), now)
        return measure, value

    result = ImportResult([], [])
    for measure, value in await validate_all(rows, validate):
        if measure.id is None:
            await uow.measures.add(measure)
            result.added.append(f"K{measure.id}")
        else:
            await uow.measures.save(measure)
            result.updated.append(f"K{measure.id}")
        if value is not None:
            earlier = [v for v in await uow.measures.values([measure.key]) if v.period == value.period]
            if not earlier or earlier[-1].value != value.value:
                value.measure_id = measure.key
                await uow.measures.add_value(value)
    await uow.audit.add(AuditEntry(now, None, "measure.import", detail=result.summary("measures")))
    return result
