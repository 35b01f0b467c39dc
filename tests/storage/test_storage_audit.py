"""The audit trail in storage: row changes are recorded by the mappers with the
unit of work's actor and command, confidential fields withheld, and a board
upgraded from before the chain existed verifies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from bot.model import HeldMessage, Issue, Member, Risk, RiskScore, RiskStrategy
from bot.ports import UnitOfWorkFactory
from storage.database import Database
from storage.migrate import sync_engine, upgrade


async def test_changes_are_recorded_field_by_field_with_actor_and_command(uow_factory: UnitOfWorkFactory,
                                                                          now: dt.datetime) -> None:
    async with uow_factory() as uow:
        uow.act_as(None, "member add")
        ann = await uow.members.add(Member(handle="ann", name="Ann Abbot", initials="AA"))
        uow.act_as(ann.id, "issue raise")
        issue = await uow.issues.add(Issue(text="My son's medication", raiser_id=ann.id, raised_at=now))
        issue.text = "My son's medication, again"
        await uow.issues.save(issue)
        await uow.issues.save(issue)  # unchanged: nothing to record
        await uow.commit()
        created, raised, edited = await uow.audit.find(member_id=ann.id)  # oldest first
        everything = str(await uow.audit.recent())
    assert (created.verb, created.ref, created.command, created.changes["name"]) == (
        "create", "@ann", "member add", [None, "Ann Abbot"])
    assert (raised.verb, raised.ref, raised.actor_id, raised.command) == ("create", "I1", ann.id, "issue raise")
    assert raised.changes["text"] == [None, "(withheld)"] and edited.changes == {"text": ["(withheld)", "(withheld)"]}
    assert "medication" not in everything


async def test_registers_and_kept_messages_are_audited_and_a_parents_kept_words_withheld(
        uow_factory: UnitOfWorkFactory, now: dt.datetime) -> None:
    async with uow_factory() as uow:
        uow.act_as(None, "concern")
        ann = await uow.members.add(Member(handle="ann", name="Ann Abbot", initials="AA"))
        held = await uow.held.add(HeldMessage(ann.id, "My daughter's seizures", now, "draft"))
        await uow.held.forget(held.id)  # filed: the words go, the row stays
        uow.act_as(ann.id, "risk add")
        await uow.risks.add(Risk("Transport fails", "Children miss school", RiskStrategy.MITIGATE, RiskScore.HIGH,
                                 ann.id, now, now.date()))
        await uow.commit()
        entries = await uow.audit.recent()
    kept, filed, risk = (e for e in reversed(entries) if e.entity in ("held_messages", "risks"))
    assert (kept.verb, kept.changes["text"]) == ("create", [None, "(withheld)"])
    assert filed.changes == {"kind": ["draft", "filed"], "text": ["(withheld)", ""]}  # that the words went
    assert (risk.ref, risk.command, risk.changes["title"]) == ("R1", "risk add", [None, "Transport fails"])
    assert "seizures" not in str(entries)


async def test_a_rolled_back_change_leaves_no_entry(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.members.add(Member(handle="ann", name="Ann Abbot", initials="AA"))
    async with uow_factory() as uow:
        assert await uow.audit.recent() == [] and (await uow.audit.verify()).ok


async def test_entries_from_before_the_chain_are_chained_by_the_upgrade(tmp_path, now: dt.datetime) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = sync_engine(url)
    with engine.begin() as conn:
        for i in range(3):
            conn.execute(text("INSERT INTO audit_log (at, verb, ref, detail) VALUES (:at, 'action.add', :ref, '')"),
                         {"at": now.replace(tzinfo=None), "ref": f"A{i}"})
    engine.dispose()
    upgrade(url)
    db = Database(url)
    try:
        async with db.uow() as uow:
            finding = await uow.audit.verify()
            refs = [e.ref for e in await uow.audit.recent()]
        assert finding.ok and finding.checked == 3 and refs == ["A2", "A1", "A0"]
    finally:
        await db.dispose()
