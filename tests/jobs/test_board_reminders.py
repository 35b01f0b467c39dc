"""Meetings, issues, recurring deadlines and the weekly digest."""

from __future__ import annotations

import datetime as dt

from jobs_support import Board, local, seed

from bot.calendar import WorkingCalendar
from bot.model import AgendaItem, AgendaStatus, Apology, Issue, Meeting, Paper, RecurringDeadline

SECRET = "My son's EHCP review was cancelled twice"


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


async def test_the_run_up_to_a_meeting_over_christmas(uow_factory):
    board = Board(uow_factory, "2026-12-01T10:00")
    people = await seed(uow_factory)
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(Meeting(local("2027-01-07T10:00"), place="Guildhall, Room 2"))
        paperless = await uow.agenda.add(AgendaItem("SEND sufficiency", people.mia.id, board.clock.now(),
                                                    meeting.id, AgendaStatus.ACCEPTED))
        with_paper = await uow.agenda.add(AgendaItem("Co-production charter", people.owen.id, board.clock.now(),
                                                     meeting.id, AgendaStatus.ACCEPTED))
        await uow.papers.add(Paper(with_paper.id, "https://example.org/charter.pdf", people.owen.id,
                                   board.clock.now(), late=True))
        await uow.apologies.add(Apology(meeting.id, people.lead.id, at=board.clock.now()))
        await uow.commit()
    for day in days(dt.date(2026, 12, 14), dt.date(2027, 1, 7)):
        await board.at(f"{day}T09:00")
        await board.at(f"{day}T09:05")
    posts = [(d.at.astimezone(local("2026-01-01T00:00").tzinfo).date(), d.key.split(":")[2])
             for d in board.sent.to("#board") if d.key.startswith("meeting:")]
    assert posts == [(dt.date(2026, 12, 21), "agenda-call"), (dt.date(2026, 12, 30), "circulation"),
                     (dt.date(2026, 12, 31), "reminder-7d"), (dt.date(2027, 1, 6), "reminder-1d")]
    call = next(d for d in board.sent.got if "agenda-call" in d.key)
    assert "Tue 29 Dec 2026" in call.text  # the submission cut-off
    nudges = [d for d in board.sent.got if "paper-nudge" in d.key]
    assert [(d.to, d.at) for d in nudges] == [("@mia", local("2026-12-24T09:00"))]
    assert f"G{paperless.id}" in nudges[0].text
    pack = next(d for d in board.sent.got if "circulation" in d.key)
    assert "[late]" in pack.text and "charter.pdf" in pack.text and "@lead" in pack.text
    assert pack.msg.payload["attachments"] == [{"kind": "pack", "ref": "M1", "title": "Meeting pack M1"}]
    reminder = next(d for d in board.sent.got if "reminder-1d" in d.key)
    assert "Guildhall, Room 2" in reminder.text


async def board_with_issue(uow_factory) -> tuple[Board, Issue]:
    """Pat raises a concern on Mon 2 Nov 2026."""
    board = Board(uow_factory, "2026-11-02T10:00")
    people = await seed(uow_factory)
    async with uow_factory() as uow:
        issue = await uow.issues.add(Issue(SECRET, people.pat.id, board.clock.now()))
        await uow.commit()
    return board, issue


async def test_an_issue_climbs_the_ladder_and_the_raiser_hears_each_step(uow_factory):
    board, issue = await board_with_issue(uow_factory)
    for day in days(dt.date(2026, 11, 2), dt.date(2027, 1, 31)):
        await board.at(f"{day}T10:30")
    ack = [d for d in board.sent.got if "ack-nudge" in d.key]
    assert [(d.to, d.at.date()) for d in ack] == [("@sec", dt.date(2026, 11, 4))]
    escalations = [(d.to, d.at.date()) for d in board.sent.got if d.kind == "escalation"]
    # Each rung, the secretariat (the HWB fallback here) and the raiser are told.
    assert escalations == [("@chair", dt.date(2026, 11, 30)), ("@sec", dt.date(2026, 11, 30)),
                           ("@pat", dt.date(2026, 11, 30)), ("@sec", dt.date(2026, 12, 29)),
                           ("@pat", dt.date(2026, 12, 29))]
    assert SECRET in board.sent.to("@chair")[0].text
    assert all(SECRET not in d.text for d in board.sent.got if d.to.startswith("#"))
    assert "Health and Wellbeing Board" in board.sent.to("@pat")[-1].text
    async with uow_factory() as uow:
        stored = await uow.issues.get(issue.id)
        events = [e.kind for e in await uow.issues.events(issue.id)]
    assert stored.level == 2 and events.count("escalate") == 2
    digests = [d for d in board.sent.got if d.kind == "digest"]
    assert digests and all("Open issues: 1" in d.text for d in digests)


async def test_a_resolved_issue_never_escalates(uow_factory):
    board, issue = await board_with_issue(uow_factory)
    await board.at("2026-11-20T10:30")
    async with uow_factory() as uow:
        issue = await uow.issues.get(issue.id)
        issue.status, issue.resolved_at = "resolved", board.clock.now()
        await uow.issues.save(issue)
        await uow.commit()
    await board.at("2026-12-30T10:30")
    assert [d for d in board.sent.got if d.kind == "escalation"] == []


async def test_recurring_deadline_reminders_twenty_and_five_working_days_before(uow_factory):
    board = Board(uow_factory, "2026-11-01T10:00")
    people = await seed(uow_factory)
    async with uow_factory() as uow:
        await uow.deadlines.add(RecurringDeadline("HWB progress report", dt.date(2026, 6, 30), 6, people.sec.id))
        await uow.commit()
    for day in days(dt.date(2026, 11, 1), dt.date(2027, 1, 10)):
        await board.at(f"{day}T12:00")
    calendar = WorkingCalendar()
    expected = [calendar.working_days_before(dt.date(2026, 12, 30), 20),
                calendar.working_days_before(dt.date(2026, 12, 30), 5)]
    for who in ("#board", "@sec"):
        got = [d.at.date() for d in board.sent.to(who) if d.key.startswith("deadline:")]
        assert got == expected
    assert "Wed 30 Dec 2026" in board.sent.to("@sec")[0].text


async def test_weekly_digest_monday_morning_once_and_after_a_bank_holiday(uow_factory):
    board = Board(uow_factory, "2026-03-23T10:00")
    await seed(uow_factory)
    for day in days(dt.date(2026, 3, 23), dt.date(2026, 4, 14)):
        for hour in ("08:59", "09:00", "09:01", "17:00"):
            await board.at(f"{day}T{hour}")
    sent = [(d.key, d.at) for d in board.sent.got if d.kind == "digest"]
    assert sent == [("digest:2026-03-23", local("2026-03-23T09:00")), ("digest:2026-03-30", local("2026-03-30T09:00")),
                    ("digest:2026-04-06", local("2026-04-07T09:00")), ("digest:2026-04-13", local("2026-04-13T09:00"))]
