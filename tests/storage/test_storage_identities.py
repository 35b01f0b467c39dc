"""Members' chat accounts: one member per account, one account per member and
platform, carried over from the old member columns by migration 0009, and
part of what a subject access export holds and erasure removes."""

from __future__ import annotations

import asyncio
import json

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.model import Member
from bot.ports import UnitOfWorkFactory
from storage.migrate import alembic_config, sync_engine, upgrade


async def test_an_account_is_one_members_and_a_member_has_one_per_platform(
        uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    ann, bob, cat = people
    async with uow_factory() as uow:
        assert await uow.identities.link(ann.id, "chat", "A-1", "ann@example.org")
        assert await uow.identities.link(ann.id, "chat", "A-1")  # already hers: nothing to do
        assert not await uow.identities.link(bob.id, "chat", "A-1")  # someone else's: refused, unchanged
        assert await uow.identities.link(ann.id, "slack", "U0ANN")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.identities.member_for("chat", "A-1") == ann
        assert await uow.identities.external_ids(ann.id) == {"chat": "A-1", "slack": "U0ANN"}
        assert await uow.identities.addresses("slack", [ann.id, bob.id, cat.id]) == {ann.id: "U0ANN", bob.id: "U0BOB"}
        assert await uow.identities.addresses("slack", []) == {}
        assert await uow.identities.link(ann.id, "chat", "A-2")  # a new account replaces her old one there
        assert await uow.identities.member_for("chat", "A-1") is None
        await uow.identities.unlink(ann.id)
        assert await uow.identities.external_ids(ann.id) == {}
        assert await uow.identities.member_for("chat", "A-2") is None
        await uow.commit()


async def test_linking_is_in_the_audit_trail(uow_factory: UnitOfWorkFactory, people: list[Member]) -> None:
    async with uow_factory() as uow:
        await uow.identities.link(people[0].id, "chat", "A-1", "ann@example.org")
        await uow.commit()
        [entry] = await uow.audit.recent(limit=1)
    assert entry.verb == "create" and entry.ref == "account:chat"
    assert entry.changes["external_id"] == [None, "A-1"] and entry.changes["member_id"] == [None, people[0].id]


async def test_export_holds_and_erasure_removes_a_members_accounts(uow_factory: UnitOfWorkFactory,
                                                                   people: list[Member]) -> None:
    bob = people[1]
    async with uow_factory() as uow:
        held = await uow.privacy.export(bob.id)
        assert [(r["platform"], r["external_id"]) for r in held["member_identities"]] == [("slack", "U0BOB")]
        counts = await uow.privacy.erase(bob)
        await uow.commit()
    assert counts["chat accounts"] == 1
    async with uow_factory() as uow:
        assert await uow.identities.external_ids(bob.id) == {}
        assert await uow.identities.member_for("slack", "U0BOB") is None
        trail = json.dumps([vars(e) for e in await uow.audit.recent()], default=str)
    assert "U0BOB" not in trail  # the entry that linked the account no longer names it


def test_migration_0009_moves_the_old_id_columns_into_identities(db_url: str) -> None:
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0009_identities").down_revision
    engine = sync_engine(db_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), before)
        with engine.begin() as conn:
            for handle, email, slack, teams in (("ann", "ann@x.org", "U0ANN", "aad-ann"), ("bob", None, "U0BOB", None),
                                                ("cat", None, None, "aad-cat"), ("dee", None, None, None)):
                conn.execute(text(
                    "INSERT INTO members (handle, name, initials, role, email, slack_user_id, teams_aad_id, dm_opt_out,"
                    " active, guest) VALUES (:h, :h, 'X', 'member', :e, :s, :t, false, true, false)"),
                    {"h": handle, "e": email, "s": slack, "t": teams})
        upgrade(db_url, "0009_identities")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT m.handle, i.platform, i.external_id, i.email FROM member_identities i "
                                     "JOIN members m ON m.id = i.member_id ORDER BY m.handle, i.platform")).all()
            columns = {c["name"] for c in inspect(conn).get_columns("members")}
            if conn.dialect.name == "sqlite":  # the batch copy of the table kept the lower(email) index
                assert "ix_members_email_lower" in {r[1] for r in conn.execute(text("PRAGMA index_list(members)"))}
    finally:
        engine.dispose()
    assert rows == [("ann", "slack", "U0ANN", "ann@x.org"), ("ann", "teams", "aad-ann", "ann@x.org"),
                    ("bob", "slack", "U0BOB", None), ("cat", "teams", "aad-cat", None)]
    assert not {"slack_user_id", "teams_aad_id"} & columns


async def test_two_first_messages_at_once_link_the_account_once(uow_factory: UnitOfWorkFactory,
                                                                 people: list[Member]) -> None:
    ann = people[0]
    async with uow_factory() as first, uow_factory() as second:
        assert await first.identities.link(ann.id, "chat", "A-1")
        racing = asyncio.create_task(second.identities.link(ann.id, "chat", "A-1"))
        await asyncio.sleep(0.2)  # the second waits for the first's row (PostgreSQL) or its turn (SQLite)
        await first.commit()
        assert await racing  # hers either way: no failure for the second message
        await second.commit()
    async with uow_factory() as uow:
        assert await uow.identities.external_ids(ann.id) == {"chat": "A-1"}
