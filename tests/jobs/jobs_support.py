"""Shared by the jobs tests: a board like the acceptance check's, local times,
and a notifier that records what would have reached people."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bot.model import Action, Member, OutboxMessage, Role, Workstream
from bot.ports import DeliveryError, FixedClock, UnitOfWorkFactory
from jobs.runner import TickReport, tick
from storage.database import Database
from storage.migrate import upgrade
from storage.outbox_delivery import SqlOutboxDelivery

LONDON = ZoneInfo("Europe/London")


def local(text: str) -> dt.datetime:
    """A board-local ISO time as an aware UTC instant."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(dt.UTC)


@dataclass
class Delivered:
    to: str  # "@handle" or "#channel"
    kind: str
    key: str
    text: str
    at: dt.datetime
    msg: OutboxMessage


@dataclass
class Recorder:
    """A notifier that records deliveries; ``fail`` maps a recipient to an error to raise."""

    clock: FixedClock
    got: list[Delivered] = field(default_factory=list)
    fail: dict[str, DeliveryError] = field(default_factory=dict)

    async def send(self, msg: OutboxMessage, member: Member | None, channel: str | None) -> None:
        to = f"@{member.handle}" if member else channel
        if to in self.fail:
            raise self.fail[to]
        self.got.append(Delivered(to, msg.kind, msg.dedupe_key, msg.text, self.clock.now(), msg))

    def to(self, who: str) -> list[Delivered]:
        return [d for d in self.got if d.to == who]

    def keys(self) -> list[str]:
        return [d.key for d in self.got]


async def seed(uow_factory: UnitOfWorkFactory) -> SimpleNamespace:
    """Chair, secretariat, a workstream lead, two members and a parent rep."""
    people = SimpleNamespace()
    async with uow_factory() as uow:
        for handle, name, initials, role in [
            ("chair", "Cara Hale", "CH", Role.CHAIR), ("sec", "Sam Reed", "SR", Role.SECRETARIAT),
            ("lead", "Lee Moss", "LM", Role.MEMBER), ("owen", "Owen Pike", "OP", Role.MEMBER),
            ("mia", "Mia Lund", "ML", Role.MEMBER), ("pat", "Pat Quinn", "PQ", Role.PARENT_REP),
        ]:
            setattr(people, handle, await uow.members.add(Member(handle, name, initials, role)))
        people.ws = await uow.workstreams.add(Workstream("Local provision", [people.lead.id]))
        await uow.commit()
    return people


async def add_action(uow_factory: UnitOfWorkFactory, owner: Member, due: dt.date, created: dt.datetime,
                     ws: Workstream | None = None, text: str = "Publish the local offer update") -> Action:
    async with uow_factory() as uow:
        action = await uow.actions.add(Action(text, [owner.id], due, owner.id, created,
                                              workstream_id=ws.id if ws else None, last_update_at=created))
        await uow.commit()
    return action


class Board:
    """A clock, a recorder and ``at(time)``: move the clock and run the jobs."""

    def __init__(self, uow_factory: UnitOfWorkFactory, start: str) -> None:
        self.uow_factory = uow_factory
        self.clock = FixedClock(local(start))
        self.sent = Recorder(self.clock)

    async def at(self, when: str) -> TickReport:
        self.clock.move_to(local(when))
        return await tick(self.uow_factory, SqlOutboxDelivery(self.uow_factory), self.clock, self.sent, "test")


@asynccontextmanager
async def scratch_database() -> AsyncIterator[Database]:
    """A fresh, migrated SQLite database for one property-test example, removed afterwards
    (hypothesis runs many examples per test, so the function-scoped fixtures do not fit)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/prop.db"
        await asyncio.to_thread(upgrade, url)
        db = Database(url)
        try:
            yield db
        finally:
            await db.dispose()
