"""Every repository method of bot.ports, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.model import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    AgendaStatus,
    Apology,
    AuditEntry,
    ClosureDay,
    Issue,
    IssueEvent,
    IssueStatus,
    Meeting,
    Member,
    Organisation,
    Paper,
    RecurringDeadline,
    Role,
    TermDates,
    Workstream,
)
from bot.ports import UnitOfWorkFactory

LONDON = ZoneInfo("Europe/London")
DAY = dt.timedelta(days=1)


async def test_every_entity_round_trips_with_all_fields(
    uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime
) -> None:
    ann, bob, cat = people
    summer = dt.datetime(2026, 7, 1, 18, 0, tzinfo=LONDON)  # BST: stored and returned as 17:00 UTC
    async with uow_factory() as uow:
        org = await uow.organisations.add(Organisation(name="Kingston Council"))
        member = await uow.members.add(
            Member(
                handle="dee", name="Dee Dunn", initials="DD", role=Role.SECRETARIAT, org_id=org.id,
                email="dee@example.org",
                deputy_id=bob.id, dm_opt_out=True, active=False,
            )
        )
        stream = await uow.workstreams.add(Workstream(name="Transitions", lead_ids=[cat.id, ann.id]))
        meeting = await uow.meetings.add(
            Meeting(starts_at=summer, ends_at=summer + dt.timedelta(hours=2), place="Room 4", created_by=ann.id)
        )
        item = await uow.agenda.add(
            AgendaItem(
                title="SEND review", proposer_id=bob.id, proposed_at=now, meeting_id=meeting.id,
                status=AgendaStatus.ACCEPTED, spotlight=True, late=True, reason="urgent",
            )
        )
        stored = {
            "organisations": org,
            "members": member,
            "workstreams": stream,
            "meetings": meeting,
            "agenda": item,
            "apologies": await uow.apologies.add(Apology(meeting.id, bob.id, deputy_id=cat.id, at=now)),
            "papers": await uow.papers.add(Paper(item.id, "https://x/p", bob.id, now, late=True)),
            "actions": await uow.actions.add(
                Action(
                    text="Draft MoU", owner_ids=[bob.id, ann.id], due=dt.date(2026, 3, 20), created_by=ann.id,
                    created_at=now, workstream_id=stream.id, meeting_id=meeting.id, status=ActionStatus.DONE,
                    last_update_at=now, snoozed_until=dt.date(2026, 3, 10), done_at=now + DAY,
                )
            ),
            "issues": await uow.issues.add(
                Issue(
                    text="No reply from school", raiser_id=cat.id, raised_at=now, status=IssueStatus.ACKNOWLEDGED,
                    assignee_id=ann.id, level=1, level_since=now, acknowledged_at=now, resolved_at=now + DAY,
                )
            ),
            "deadlines": await uow.deadlines.add(
                RecurringDeadline("HWB report", dt.date(2026, 4, 30), 6, ann.id, bob.id)
            ),
        }
        await uow.commit()

    async with uow_factory() as uow:
        for repository, original in stored.items():
            assert await getattr(uow, repository).get(original.id) == original
        meeting_back = await uow.meetings.get(meeting.id)
    assert meeting_back is not None
    assert meeting_back.starts_at.tzinfo is dt.UTC
    assert meeting_back.starts_at.hour == 17


@pytest.mark.parametrize(
    "written",
    [
        dt.datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 2, 30, 0, 123_456, tzinfo=LONDON),  # the morning clocks go forward
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1),  # the second 01:30 when they go back
        dt.datetime(2026, 1, 1, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    ],
)
async def test_instants_come_back_as_the_same_instant_in_utc(
    uow_factory: UnitOfWorkFactory, written: dt.datetime
) -> None:
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(Meeting(starts_at=written))
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.meetings.get(meeting.id)
        just_after = written.astimezone(dt.UTC) + dt.timedelta(microseconds=1)  # (local arithmetic drops fold)
        assert await uow.meetings.between(written, just_after) == [stored]
    assert stored is not None
    # (PEP 495: an ambiguous local time never equals a time in another zone, so compare in UTC.)
    assert stored.starts_at == written.astimezone(dt.UTC)
    assert stored.starts_at.tzinfo is dt.UTC


async def test_get_unknown_id_is_none_and_list_is_by_id(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    async with uow_factory() as uow:
        assert await uow.members.get(999) is None
        assert [m.handle for m in await uow.members.list_all()] == ["ann", "bob", "cat"]
        assert await uow.members.count() == 3


async def test_save_writes_every_field_back(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    ann, bob, _ = people
    async with uow_factory() as uow:
        member = await uow.members.get(bob.id)
        assert member is not None
        member.name, member.role, member.deputy_id, member.active = "Robert Brown", Role.OBSERVER, ann.id, False
        await uow.members.save(member)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.members.get(bob.id) == member


async def test_save_refuses_unstored_objects(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(ValueError):
            await uow.organisations.save(Organisation(name="never added"))
        with pytest.raises(LookupError):
            await uow.organisations.save(Organisation(name="gone", id=42))


async def test_reads_return_fresh_instances(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    async with uow_factory() as uow:
        first = await uow.members.get(people[0].id)
        assert first is not None
        first.name = "changed, not saved"
        again = await uow.members.get(people[0].id)
        assert again is not None and again is not first
        assert again.name == "Ann Abbot"


async def test_member_lookups(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    ann, bob, cat = people
    async with uow_factory() as uow:
        await uow.members.add(Member(handle="alf", name="Alf Ayres", initials="AA"))
        assert await uow.members.by_handle("bob") == bob
        assert await uow.members.by_handle("nobody") is None
        assert [m.handle for m in await uow.members.by_initials("aa")] == ["ann", "alf"]
        assert await uow.identities.member_for("slack", "U0BOB") == bob
        assert await uow.identities.member_for("teams", "aad-cat") == cat
        assert await uow.identities.member_for("teams", "U0BOB") is None
        assert await uow.identities.member_for("console", "bob") is None
        assert await uow.members.by_email("ann.abbot@EXAMPLE.org") == ann
        assert await uow.members.by_email("nobody@example.org") is None
        assert await uow.members.with_role("chair") == [ann]
        assert await uow.members.with_role(Role.PARENT_REP) == [cat]
        assert await uow.members.count() == 4
        assert await uow.members.many([cat.id, 999, ann.id]) == [ann, cat]
        assert await uow.members.many([]) == []


async def test_organisations_and_workstreams_by_name(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    ann, bob, cat = people
    async with uow_factory() as uow:
        org = await uow.organisations.add(Organisation(name="Kent CC"))
        stream = await uow.workstreams.add(Workstream(name="Early Years", lead_ids=[bob.id, ann.id]))
        assert await uow.organisations.by_name("kent cc") == org
        assert await uow.organisations.by_name("Surrey") is None
        assert await uow.workstreams.by_name("EARLY YEARS") == stream
        assert stream.lead_ids == [bob.id, ann.id]


async def test_save_replaces_join_rows(uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime) -> None:
    ann, bob, cat = people
    async with uow_factory() as uow:
        stream = await uow.workstreams.add(Workstream(name="Transitions", lead_ids=[ann.id]))
        action = await uow.actions.add(Action("x", [ann.id, bob.id], dt.date(2026, 4, 1), ann.id, now))
        stream.lead_ids = [cat.id, bob.id]
        action.owner_ids = [cat.id]
        await uow.workstreams.save(stream)
        await uow.actions.save(action)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.workstreams.get(stream.id)).lead_ids == [cat.id, bob.id]  # type: ignore[union-attr]
        assert (await uow.actions.get(action.id)).owner_ids == [cat.id]  # type: ignore[union-attr]
        assert await uow.actions.owned_by(ann.id) == []


async def test_meetings_between_and_next_after(uow_factory: UnitOfWorkFactory, now: dt.datetime) -> None:
    async with uow_factory() as uow:
        past = await uow.meetings.add(Meeting(starts_at=now - DAY))
        soon = await uow.meetings.add(Meeting(starts_at=now + 2 * DAY))
        await uow.meetings.add(Meeting(starts_at=now + DAY, cancelled=True))
        later = await uow.meetings.add(Meeting(starts_at=now + 9 * DAY))
        at_end = await uow.meetings.add(Meeting(starts_at=now + 10 * DAY))
        assert await uow.meetings.between(now - DAY, now + 10 * DAY) == [past, soon, later]
        assert await uow.meetings.between(now, now + DAY) == []
        assert await uow.meetings.next_after(now) == soon
        assert await uow.meetings.next_after(past.starts_at) == soon  # strictly after
        assert await uow.meetings.next_after(at_end.starts_at) is None
        # The same instant written in another zone finds the same meetings.
        assert await uow.meetings.between(now.astimezone(LONDON), (now + 3 * DAY).astimezone(LONDON)) == [soon]


async def test_apologies_for_meeting(uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime) -> None:
    ann, bob, _ = people
    async with uow_factory() as uow:
        first, second = await uow.meetings.add(Meeting(now)), await uow.meetings.add(Meeting(now + DAY))
        sorry = [await uow.apologies.add(Apology(first.id, who.id, at=now)) for who in (bob, ann)]
        await uow.apologies.add(Apology(second.id, ann.id))
        assert await uow.apologies.for_meeting(first.id) == sorry
        assert await uow.apologies.for_meeting(999) == []


async def test_agenda_for_meeting_forward_plan_and_proposer(
    uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime
) -> None:
    ann, bob, _ = people
    async with uow_factory() as uow:
        meeting = await uow.meetings.add(Meeting(now + 7 * DAY))
        late = await uow.agenda.add(AgendaItem("Budget", bob.id, now, meeting.id))
        early = await uow.agenda.add(AgendaItem("Minutes", ann.id, now - DAY, meeting.id))
        planned = await uow.agenda.add(AgendaItem("Someday", bob.id, now, status=AgendaStatus.DEFERRED))
        assert await uow.agenda.for_meeting(meeting.id) == [early, late]
        assert await uow.agenda.for_meeting(None) == [planned]
        assert await uow.agenda.by_proposer(bob.id) == [late, planned]


async def test_papers_for_items(uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime) -> None:
    _, bob, _ = people
    async with uow_factory() as uow:
        items = [await uow.agenda.add(AgendaItem(f"item {i}", bob.id, now)) for i in range(3)]
        papers = [await uow.papers.add(Paper(item.id, f"https://x/{item.id}", bob.id, now)) for item in items]
        assert await uow.papers.for_items([items[0].id, items[2].id]) == [papers[0], papers[2]]
        assert await uow.papers.for_items([]) == []


async def test_actions_open_owned_by_and_history(
    uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime
) -> None:
    ann, bob, cat = people
    async with uow_factory() as uow:
        later = await uow.actions.add(Action("later", [bob.id], dt.date(2026, 5, 1), ann.id, now))
        sooner = await uow.actions.add(Action("sooner", [ann.id, bob.id], dt.date(2026, 4, 1), ann.id, now))
        done = await uow.actions.add(
            Action("done", [bob.id], dt.date(2026, 3, 1), ann.id, now, status=ActionStatus.DONE, done_at=now)
        )
        assert await uow.actions.still_open() == [sooner, later]
        assert await uow.actions.owned_by(bob.id) == [sooner, later]
        assert await uow.actions.owned_by(bob.id, include_done=True) == [done, sooner, later]
        assert await uow.actions.owned_by(cat.id) == []
        assert await uow.actions.owned_by(bob.id, due_to=dt.date(2026, 4, 30)) == [sooner]

        note = await uow.actions.add_update(ActionUpdate(sooner.id, bob.id, now + DAY, "note", "drafted"))
        created = await uow.actions.add_update(ActionUpdate(sooner.id, ann.id, now, "created"))
        await uow.actions.add_update(ActionUpdate(later.id, ann.id, now, "created"))
        assert note.id is not None
        assert await uow.actions.updates(sooner.id) == [created, note]


async def test_open_actions_filtered_by_due_dates_and_workstream(
    uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime
) -> None:
    ann, bob, _ = people
    async with uow_factory() as uow:
        stream = await uow.workstreams.add(Workstream(name="Transitions", lead_ids=[ann.id]))
        march = await uow.actions.add(Action("march", [bob.id], dt.date(2026, 3, 1), ann.id, now))
        april = await uow.actions.add(Action("april", [bob.id], dt.date(2026, 4, 1), ann.id, now,
                                             workstream_id=stream.id))
        may = await uow.actions.add(Action("may", [bob.id], dt.date(2026, 5, 1), ann.id, now, workstream_id=stream.id))
        await uow.actions.add(Action("done", [bob.id], dt.date(2026, 4, 2), ann.id, now, workstream_id=stream.id,
                                     status=ActionStatus.DONE, done_at=now))
        assert await uow.actions.still_open(due_to=dt.date(2026, 4, 1)) == [march, april]
        assert await uow.actions.still_open(due_from=dt.date(2026, 4, 1)) == [april, may]
        assert await uow.actions.still_open(due_from=dt.date(2026, 3, 2), due_to=dt.date(2026, 4, 30)) == [april]
        assert await uow.actions.still_open(workstream_id=stream.id) == [april, may]



async def test_issues_unresolved_and_events(
    uow_factory: UnitOfWorkFactory, people: list[Member], now: dt.datetime
) -> None:
    ann, _, cat = people
    async with uow_factory() as uow:
        newer = await uow.issues.add(Issue("second", cat.id, now))
        older = await uow.issues.add(Issue("first", cat.id, now - DAY, status=IssueStatus.ACKNOWLEDGED))
        await uow.issues.add(Issue("fixed", cat.id, now - 2 * DAY, status=IssueStatus.RESOLVED, resolved_at=now))
        assert await uow.issues.unresolved() == [older, newer]

        raised = await uow.issues.add_event(IssueEvent(older.id, cat.id, now - DAY, "raised"))
        ack = await uow.issues.add_event(IssueEvent(older.id, None, now, "ack", "by the chair"))
        assert await uow.issues.events(older.id) == [raised, ack]
        assert await uow.issues.events(newer.id) == []


async def test_deadlines(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    async with uow_factory() as uow:
        mou = await uow.deadlines.add(RecurringDeadline("MoU review", dt.date(2026, 9, 1), 12))
        hwb = await uow.deadlines.add(RecurringDeadline("HWB report", dt.date(2026, 4, 30), 6, people[0].id))
        hwb.every_months = 3
        await uow.deadlines.save(hwb)
        assert await uow.deadlines.list_all() == [mou, hwb]


async def test_calendar_closures_and_terms(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        inset = await uow.calendar.add_closure_day(ClosureDay(dt.date(2026, 6, 1), "INSET"))
        first = await uow.calendar.add_closure_day(ClosureDay(dt.date(2026, 5, 1)))
        again = await uow.calendar.add_closure_day(ClosureDay(dt.date(2026, 6, 1), "INSET day"))
        assert again.id == inset.id
        assert await uow.calendar.closure_days() == [first, again]
        assert await uow.calendar.remove_closure_day(dt.date(2026, 5, 1)) is True
        assert await uow.calendar.remove_closure_day(dt.date(2026, 5, 1)) is False
        assert await uow.calendar.closure_days() == [again]

        summer = await uow.calendar.add_term(TermDates("Summer 2026", dt.date(2026, 4, 20), dt.date(2026, 7, 22)))
        spring = await uow.calendar.add_term(TermDates("Spring 2026", dt.date(2026, 1, 5), dt.date(2026, 3, 27)))
        moved = await uow.calendar.add_term(TermDates("Summer 2026", dt.date(2026, 4, 21), dt.date(2026, 7, 22)))
        assert moved.id == summer.id
        assert await uow.calendar.terms() == [spring, moved]
        assert await uow.calendar.remove_term("Spring 2026") is True
        assert await uow.calendar.remove_term("Spring 2026") is False
        assert await uow.calendar.terms() == [moved]


async def test_settings_all_and_set(uow_factory: UnitOfWorkFactory) -> None:
    values: dict[str, object] = {
        "channel": "#board",
        "submission_offset": 6,
        "send_on_closed_days": True,
        "ladder": [["chair", 28], ["hwb", 28]],
        "extra": {"nested": [1, 2]},
        "unset": None,
    }
    async with uow_factory() as uow:
        assert await uow.settings.stored() == {}
        for key, value in values.items():
            await uow.settings.store(key, value)
        await uow.settings.store("channel", "#partnership")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.settings.stored() == values | {"channel": "#partnership"}


async def test_audit_recent_is_newest_first(uow_factory: UnitOfWorkFactory, people: list[Member],
                                            now: dt.datetime) -> None:
    async with uow_factory() as uow:
        entries = [AuditEntry(now + i * DAY, people[0].id, "action.add", f"A{i}") for i in range(5)]
        entries.append(AuditEntry(now, None, "job.digest"))
        for entry in entries:
            await uow.audit.add(entry)
        await uow.commit()
        assert [(e.verb, e.ref) for e in await uow.audit.recent(limit=3)] == [
            ("job.digest", ""), ("action.add", "A4"), ("action.add", "A3")]
        events = [e for e in await uow.audit.recent() if e.verb != "create"]  # the people fixture's members, accounts
        assert [(e.at, e.actor_id, e.ref) for e in events] == [(e.at, e.actor_id, e.ref) for e in entries[::-1]]
        assert [e.seq for e in events] == list(range(11, 5, -1))

