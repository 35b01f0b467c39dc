"""FeedEvents as an iCalendar file (RFC 5545), made with the ``icalendar`` package.

Times are written in the board's timezone (``TZID=Europe/London``) with its
VTIMEZONE (always present, even in a feed of all-day dates), so a calendar
shows a 10:00 meeting at 10:00 on both sides of the clock change; all-day
dates stay dates. Cancelled events keep their UID and
say ``STATUS:CANCELLED``, which removes them from a subscriber's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.feeds import FeedEvent

if TYPE_CHECKING:  # icalendar (~7 MB) is imported when a feed is first asked for, not at start-up
    import icalendar

PRODID = "-//partnerbot//board calendar//EN"
UID_DOMAIN = "partnerbot"
ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"


def _event(item: FeedEvent, tz: ZoneInfo, stamp: dt.datetime) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"{item.uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", item.summary)
    if isinstance(item.start, dt.datetime):
        event.add("dtstart", item.start.astimezone(tz))
        if isinstance(item.end, dt.datetime):
            event.add("dtend", item.end.astimezone(tz))
    else:
        event.add("dtstart", item.start)
        event.add("dtend", (item.end if isinstance(item.end, dt.date) else item.start) + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def to_ics(events: Sequence[FeedEvent], name: str, timezone: str, now: dt.datetime) -> bytes:
    """An iCalendar file named ``name`` holding ``events``, times in ``timezone``."""
    import icalendar

    tz = ZoneInfo(timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    # The board's timezone, with its transitions over the years the feed covers (not since 1970).
    year = now.astimezone(tz).year
    cal.add_component(icalendar.Timezone.from_tzid(timezone, first_date=dt.date(year - 2, 1, 1),
                                                   last_date=dt.date(year + 4, 1, 1)))
    for item in sorted(events, key=lambda e: (_sort_key(e.start), e.uid)):
        cal.add_component(_event(item, tz, stamp))
    return cal.to_ical()


def _sort_key(start: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(start, dt.datetime):
        return start.astimezone(dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(start, dt.time())
