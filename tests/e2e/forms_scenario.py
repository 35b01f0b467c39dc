"""The Update form as both platforms' end-to-end tests submit it, and what the board must show
afterwards: the same answers give the same result on Slack and on Teams."""

from __future__ import annotations

import datetime as dt

from adapters.services import Services

ADD = "action add Circulate the workforce survey @owen due 15/1/2027"
NOTE = "12 schools replied"
NEW_DUE = "2027-02-01"
UPDATED = "A1 updated: progress noted, due Mon 1 Feb 2027, new owners."
UPDATE_FIELDS = ["note", "due", "owners"]
NOT_THE_OWNER_ALONE = ("Only whoever logged the action, its workstream lead, the chair or secretariat can move this "
                       "action's due date.")


async def history(services: Services) -> list[tuple[str, str]]:
    async with services.db.uow() as uow:
        return [(u.kind, u.note) for u in await uow.actions.updates(1)]


async def assert_updated_in_one_go(services: Services) -> None:
    """The note, the new due date and the new owner (Mia) all made, by the one submission."""
    async with services.db.uow() as uow:
        action = await uow.actions.get(1)
        mia = await uow.members.by_handle("mia")
    assert action.due == dt.date(2027, 2, 1) and action.owner_ids == [mia.id]
    assert await history(services) == [("created", ""), ("note", NOTE), ("due", "Fri 15 Jan 2027 → Mon 1 Feb 2027"),
                                       ("assign", "@mia")]


async def assert_untouched(services: Services) -> None:
    """A refused submission changed nothing, not even the parts that were allowed."""
    async with services.db.uow() as uow:
        action = await uow.actions.get(1)
        owen = await uow.members.by_handle("owen")
    assert action.due == dt.date(2027, 1, 15) and action.owner_ids == [owen.id]
    assert await history(services) == [("created", "")]
