"""SqlUnitOfWork: the core's UnitOfWork (bot.ports) over one Database.

``async with db.uow() as uow:`` scopes the work; the transaction itself
starts at the first query and ends at ``commit()`` or ``rollback()``.
Leaving the block without committing rolls back. After a commit the same
unit may be used again, in a new transaction.

Every repository method joins the current transaction; none commits it.
The outbox's delivery side, which commits its own transactions, is not part
of a unit of work: see storage.outbox_delivery.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.ports import Clock
from storage.audit import AuditTrail
from storage.identities import SqlIdentityRepository
from storage.mapping import listen
from storage.outbox import SqlOutboxWriter
from storage.platform import PlatformStore
from storage.privacy import SqlPrivacyStore
from storage.repositories import (
    SqlActionRepository,
    SqlAgendaRepository,
    SqlApologyRepository,
    SqlAttendanceRepository,
    SqlAuditRepository,
    SqlCalendarRepository,
    SqlDeadlineRepository,
    SqlFeedTokenRepository,
    SqlHeldMessageRepository,
    SqlIssueRepository,
    SqlMeasureRepository,
    SqlMeetingRepository,
    SqlMemberRepository,
    SqlMinutesRepository,
    SqlOrganisationRepository,
    SqlPaperRepository,
    SqlRiskRepository,
    SqlSettingsRepository,
    SqlSharedFileRepository,
    SqlStandingItemRepository,
    SqlWorkstreamRepository,
)


class Connections(Protocol):
    """What a unit of work needs of its storage.database.Database (which builds units of work)."""

    clock: Clock

    async def begin(self) -> AsyncConnection: ...
    async def end(self, conn: AsyncConnection, commit: bool) -> None: ...


class SqlUnitOfWork:
    def __init__(self, db: Connections) -> None:
        self._db = db
        self._conn: AsyncConnection | None = None
        self._entered = False
        self.trail = AuditTrail(self)
        self.members = SqlMemberRepository(self)
        self.identities = SqlIdentityRepository(self)
        self.organisations = SqlOrganisationRepository(self)
        self.workstreams = SqlWorkstreamRepository(self)
        self.meetings = SqlMeetingRepository(self)
        self.apologies = SqlApologyRepository(self)
        self.agenda = SqlAgendaRepository(self)
        self.papers = SqlPaperRepository(self)
        self.attendance = SqlAttendanceRepository(self)
        self.minutes = SqlMinutesRepository(self)
        self.standing = SqlStandingItemRepository(self)
        self.actions = SqlActionRepository(self)
        self.issues = SqlIssueRepository(self)
        self.held = SqlHeldMessageRepository(self)
        self.deadlines = SqlDeadlineRepository(self)
        self.risks = SqlRiskRepository(self)
        self.measures = SqlMeasureRepository(self)
        self.calendar = SqlCalendarRepository(self)
        self.feeds = SqlFeedTokenRepository(self)
        self.files = SqlSharedFileRepository(self)
        self.settings = SqlSettingsRepository(self)
        self.audit = SqlAuditRepository(self)
        self.outbox = SqlOutboxWriter(self)
        self.platform = PlatformStore(self)
        self.privacy = SqlPrivacyStore(self)

    @property
    def clock(self) -> Clock:
        """The application's clock, for the few time stamps storage writes itself."""
        return self._db.clock

    async def __aenter__(self) -> SqlUnitOfWork:
        self._entered = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._entered = False
        await self.rollback()

    async def connection(self) -> AsyncConnection:
        """The connection of the current transaction, beginning one if needed."""
        if not self._entered:
            # Outside the block nothing would ever end the transaction.
            raise RuntimeError("use the unit of work as `async with uow:`")
        if self._conn is None:
            self._conn = await self._db.begin()
            listen(self._conn, self.trail)  # storage.mapping reports changes here
        return self._conn

    def act_as(self, actor_id: int | None, command: str | None) -> None:
        """Who and what the following changes are for, in the audit trail."""
        self.trail.context.actor_id, self.trail.context.command = actor_id, command

    def clock_now(self) -> dt.datetime:
        """When the trail's entries happen: the Database's clock (the bot's Clock)."""
        return self._db.clock.now()

    async def commit(self) -> None:
        if self.trail.pending:
            await self.trail.flush(await self.connection())  # appended in the same transaction
        await self._end(commit=True)

    async def rollback(self) -> None:
        await self._end(commit=False)

    async def _end(self, commit: bool) -> None:
        conn, self._conn = self._conn, None
        self.trail.discard()
        if conn is not None:
            listen(conn, None)
            await self._db.end(conn, commit)
