"""Action reminders and the overdue ladder, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from jobs_support import Board, add_action, local, seed

from bot.model import ActionStatus
from jobs.planner import Planner

DUE = dt.date(2026, 12, 4)  # Friday; day 1 overdue is Mon 7 Dec
OVERDUE = re.compile(r"overdue|late|past due|was due|escalat", re.I)


@pytest.fixture
async def board(uow_factory):
    b = Board(uow_factory, "2026-11-23T10:00")
    b.people = await seed(uow_factory)
    b.action = await add_action(uow_factory, b.people.owen, DUE, b.clock.now(), b.people.ws)
    return b


async def test_owner_hears_three_working_days_before_on_the_day_and_on_day_one(board):
    await board.at("2026-12-01T08:59")
    assert board.sent.got == []
    await board.at("2026-12-01T09:00")
    await board.at("2026-12-04T09:00")
    await board.at("2026-12-07T09:00")
    owen = board.sent.to("@owen")
    assert [d.at for d in owen] == [local("2026-12-01T09:00"), local("2026-12-04T09:00"), local("2026-12-07T09:00")]
    assert "due in 3 working days" in owen[0].text
    assert "due today" in owen[1].text
    assert "overdue" in owen[2].text and "A1" in owen[2].text
    assert "[Done] [Update] [Snooze] [Open]" in owen[0].text


async def test_ladder_owner_then_lead_then_chair_each_once(board):
    for day in ["2026-12-07", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-18", "2026-12-21", "2026-12-22"]:
        await board.at(f"{day}T10:30")
        await board.at(f"{day}T10:31")
    escalations = [d for d in board.sent.got if d.kind == "escalation"]
    assert [(d.to, d.at.date()) for d in escalations] == [("@lead", dt.date(2026, 12, 10)),
                                                          ("@chair", dt.date(2026, 12, 21))]
    assert "@owen" in escalations[0].text and "@owen" in escalations[1].text
    assert len(board.sent.keys()) == len(set(board.sent.keys()))


async def test_nobody_but_the_owner_hears_of_it_on_day_one(board):
    await board.at("2026-12-07T10:30")
    to_others = [d for d in board.sent.got if d.to in ("@lead", "@chair") and OVERDUE.search(d.text)]
    assert to_others == []
    digest = [d for d in board.sent.got if d.kind == "digest"]
    assert digest and "@owen" in digest[0].text and "@lead" not in digest[0].text


async def test_a_planner_that_was_down_sends_only_the_latest_nudge_but_every_escalation(board):
    await board.at("2026-12-21T10:00")
    owen = [d for d in board.sent.to("@owen")]
    assert [d.key.split(":")[2] for d in owen] == ["overdue"]
    assert sorted(d.to for d in board.sent.got if d.kind == "escalation") == ["@chair", "@lead"]


async def test_done_stops_everything(board, uow_factory):
    await board.at("2026-12-07T10:30")
    async with uow_factory() as uow:
        action = await uow.actions.get(board.action.id)
        action.status = ActionStatus.DONE
        await uow.actions.save(action)
        await uow.outbox.cancel_pending(f"action:{action.id}")
        await uow.commit()
    for day in ["2026-12-10", "2026-12-21", "2027-01-11"]:
        await board.at(f"{day}T10:30")
    assert [d for d in board.sent.got if "A1" in d.text and d.kind != "digest"][1:] == []


async def test_snoozed_action_is_silent_until_the_snooze_ends_then_escalates(board, uow_factory):
    async with uow_factory() as uow:
        action = await uow.actions.get(board.action.id)
        action.snoozed_until = dt.date(2026, 12, 15)
        await uow.actions.save(action)
        await uow.commit()
    for day in ["2026-12-01", "2026-12-04", "2026-12-07", "2026-12-10", "2026-12-14"]:
        await board.at(f"{day}T10:30")
    assert [d for d in board.sent.got if d.kind != "digest"] == []
    await board.at("2026-12-15T10:30")
    assert sorted(d.to for d in board.sent.got if d.kind != "digest") == ["@lead", "@owen"]


async def test_a_new_due_date_that_slips_again_climbs_the_ladder_again(board, uow_factory):
    await board.at("2026-12-10T10:30")
    async with uow_factory() as uow:
        action = await uow.actions.get(board.action.id)
        action.due = dt.date(2026, 12, 11)
        await uow.actions.save(action)
        await uow.commit()
    await board.at("2026-12-11T10:30")
    await board.at("2026-12-17T10:30")  # 4th working day after the new due date
    # Once for the first date, once more when the agreed new date slipped too.
    assert [d.key.split(":")[3] for d in board.sent.to("@lead")] == ["2026-12-04", "2026-12-11"]
    assert [d.key.split(":")[2:4] for d in board.sent.to("@owen")][-2:] == [["due-today", "2026-12-11"],
                                                                           ["overdue", "2026-12-11"]]


async def test_opted_out_owner_gets_no_reminders_but_escalations_still_go(board, uow_factory):
    async with uow_factory() as uow:
        owen = await uow.members.get(board.people.owen.id)
        owen.dm_opt_out = True
        await uow.members.save(owen)
        await uow.commit()
    for day in ["2026-12-01", "2026-12-04", "2026-12-07", "2026-12-10"]:
        await board.at(f"{day}T10:30")
    assert board.sent.to("@owen") == []
    assert len(board.sent.to("@lead")) == 1


async def test_without_a_workstream_the_secretariat_takes_the_first_escalation(board, uow_factory):
    orphan = await add_action(uow_factory, board.people.mia, DUE, board.clock.now(), None, "Book the venue")
    await board.at("2026-12-10T10:30")
    sec = board.sent.to("@sec")
    assert len(sec) == 1 and f"A{orphan.id}" in sec[0].text and "secretariat" in sec[0].text


async def test_the_secretariats_own_overdue_action_goes_to_the_chair_not_the_channel(board, uow_factory):
    own = await add_action(uow_factory, board.people.sec, DUE, board.clock.now(), None, "Book the venue")
    await board.at("2026-12-10T10:30")
    escalated = [d for d in board.sent.got if d.kind == "escalation" and f"A{own.id}" in d.text]
    assert [d.to for d in escalated] == ["@chair"]
    assert "the secretariat owns it, so it comes to the chair" in escalated[0].text
    assert [d for d in board.sent.got if d.to and d.to.startswith("#") and f"A{own.id}" in d.text] == []


async def test_traction_nudge_after_thirty_days_without_an_update(uow_factory):
    board = Board(uow_factory, "2026-10-01T10:00")
    people = await seed(uow_factory)
    await add_action(uow_factory, people.mia, dt.date(2027, 3, 1), board.clock.now(), people.ws)
    await board.at("2026-10-30T10:00")
    assert board.sent.to("@mia") == []
    await board.at("2026-11-02T09:00")  # 31 Oct is a Saturday: the next working morning
    await board.at("2026-11-03T09:00")
    mia = board.sent.to("@mia")
    assert len(mia) == 1 and "no update for 30+ days" in mia[0].text


async def test_replanning_is_idempotent_and_rows_wait_for_working_hours(board, uow_factory):
    planner = Planner(uow_factory, board.clock)
    board.clock.move_to(local("2026-12-10T19:30"))
    first = await planner.plan()
    again = await planner.plan()
    assert first.queued and again.queued == []
    async with uow_factory() as uow:
        row = await uow.outbox.by_key("action:1:escalate-lead:2026-12-04:m3")
    assert row.due_at == local("2026-12-11T09:00")
    await board.at("2026-12-10T19:31")
    assert board.sent.got == []
    await board.at("2026-12-11T09:00")
    assert sorted(d.to for d in board.sent.got) == ["@lead", "@owen"]


async def test_an_early_morning_run_does_not_queue_a_nudge_about_to_be_overtaken(board):
    await board.at("2026-12-07T07:00")  # Friday's due-day nudge would only go at 09:00, when day 1 begins
    await board.at("2026-12-07T09:00")
    assert [d.key.split(":")[2] for d in board.sent.to("@owen")] == ["overdue"]
