"""When scheduled messages may go out: board-local times, quiet hours, working days.

All instants are aware UTC; all rules are in board-local wall-clock time. A
reminder "at 09:00" is built from the local *date* plus the local time and
converted with zoneinfo, so it lands at 09:00 on both sides of a clock
change. Nothing here reads a clock: callers pass ``now``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.calendar import WorkingCalendar
from bot.settings import BoardSettings


@dataclass(frozen=True)
class SendWindow:
    """Working days between ``quiet_start`` and ``quiet_end`` local time."""

    tz: ZoneInfo
    calendar: WorkingCalendar
    quiet_start: dt.time
    quiet_end: dt.time
    send_time: dt.time
    closed_days_ok: bool = False

    @classmethod
    def of(cls, settings: BoardSettings, calendar: WorkingCalendar) -> SendWindow:
        clock = BoardSettings.clock_time
        return cls(ZoneInfo(settings.timezone), calendar, clock(settings.quiet_start), clock(settings.quiet_end),
                   clock(settings.send_time), settings.send_on_closed_days)

    def local(self, at: dt.datetime) -> dt.datetime:
        return at.astimezone(self.tz)

    def today(self, now: dt.datetime) -> dt.date:
        return self.local(now).date()

    def at(self, day: dt.date, time: dt.time | None = None) -> dt.datetime:
        """The UTC instant of ``time`` (default send_time) on local ``day``."""
        local = dt.datetime.combine(day, time or self.send_time, tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    def open_day(self, day: dt.date) -> bool:
        return self.closed_days_ok or self.calendar.is_working_day(day)

    def next_open_day(self, day: dt.date) -> dt.date:
        return day if self.open_day(day) else self.calendar.next_working_day(day)

    def slot(self, day: dt.date, time: dt.time | None = None) -> dt.datetime:
        """When a step meant for local ``day`` goes out: that day, or the next
        working morning if ``day`` is closed."""
        if self.open_day(day):
            return self.at(day, time)
        return self.at(self.next_open_day(day))

    def allows(self, at: dt.datetime) -> bool:
        local = self.local(at)
        return self.open_day(local.date()) and self.quiet_start <= local.time() < self.quiet_end

    def next_allowed(self, at: dt.datetime) -> dt.datetime:
        """``at`` itself when sending is allowed then, else the next working
        morning at send_time."""
        if self.allows(at):
            return at
        local = self.local(at)
        day = local.date()
        if not (self.open_day(day) and local.time() < self.send_time):
            day = self.calendar.next_working_day(day, include_today=False) if not self.closed_days_ok \
                else day + dt.timedelta(days=1)
        return self.at(day)
