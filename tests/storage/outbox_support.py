"""What the outbox tests share: owing messages in a committed transaction, and time steps."""

from __future__ import annotations

import datetime as dt

from bot.ports import UnitOfWorkFactory

LEASE = dt.timedelta(minutes=5)
MINUTE = dt.timedelta(minutes=1)


async def add(uow_factory: UnitOfWorkFactory, *messages) -> list[int]:
    """Owe ``messages`` in one committed transaction; their ids."""
    async with uow_factory() as uow:
        for msg in messages:
            assert await uow.outbox.add_if_absent(msg)
        await uow.commit()
    return [msg.id for msg in messages]
