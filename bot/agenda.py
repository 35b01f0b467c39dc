"""The running order of a meeting's agenda, shared by the agenda list, the pack and the minutes.

Standing items (welcome, minutes and actions, AOB) come first in the order they
were set up, then proposals in the order they arrived, unless the secretariat
has set an order with ``agenda order``: ordered items lead, the rest follow.
Declined items are not on the agenda at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.model import AgendaItem, AgendaStatus


def on_agenda(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """The items a meeting will take, in running order."""
    kept = [i for i in items if i.status != AgendaStatus.DECLINED]
    return sorted(kept, key=lambda i: (i.position is None, i.position or 0, i.standing_id is None,
                                       i.proposed_at, i.id or 0))


def total_minutes(items: Iterable[AgendaItem]) -> int:
    return sum(i.duration or 0 for i in items)
