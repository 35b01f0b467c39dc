"""The daily retention pass: message bodies and closed concerns' words are
kept only as long as the board's settings say (UK GDPR storage limitation).

Who was sent what kind of message when, and that a concern existed and how
it went, stay: only the words go. Storage audits what it cleared.
"""

from __future__ import annotations

from bot.ports import Clock, UnitOfWorkFactory
from bot.settings import BoardSettings


async def apply_retention(uow_factory: UnitOfWorkFactory, clock: Clock) -> dict[str, int]:
    """Clear what has outlived the board's retention settings; what went, counted."""
    async with uow_factory() as uow:
        uow.act_as(None, "jobs: retention")
        settings = BoardSettings.from_values(await uow.settings.stored())
        counts = await uow.privacy.apply_retention(clock.now(), settings.retention_message_days,
                                                   settings.retention_concern_months)
        await uow.commit()
    return counts
