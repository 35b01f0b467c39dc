"""Board settings: the rules a board may tune, with the agreements' defaults.

Stored as key/value pairs (SettingsRepository); unknown keys are ignored and
missing ones take the defaults below, which come from the Kingston and Kent
agreements (see shared/domain/BRIEF.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BoardSettings:
    channel: str = "#board"  # where posts go; adapters map it to a platform channel
    timezone: str = "Europe/London"
    submission_offset: int = 6  # papers submitted this many working days before (Kent §2.1.2)
    circulation_offset: int = 5  # papers circulated this many working days before
    quiet_start: str = "08:00"  # nothing scheduled is sent before this local time
    quiet_end: str = "18:00"  # ... or after this
    send_time: str = "09:00"  # when day-based reminders go out
    send_on_closed_days: bool = False  # weekends, bank holidays, closure days
    informal_days: int = 28  # issue: informal resolution window (Kingston §7)
    ladder: list[list] = field(default_factory=lambda: [["chair", 28], ["hwb", 28]])
    hwb_contacts: list[str] = field(default_factory=list)  # handles of the HWB joint chairs
    ack_working_days: int = 2  # issue acknowledgement due
    due_soon_working_days: int = 3  # owner reminder before the due date
    escalate_lead_after: int = 3  # working days overdue before the workstream lead hears
    escalate_chair_after: int = 10  # working days overdue before the chair hears
    traction_days: int = 30  # no update for this long: a traction nudge
    agenda_call_working_days: int = 10  # call for agenda items before a meeting
    paper_nudge_working_days: int = 1  # nudge proposers without a paper before the cut-off
    meeting_reminder_days: list[int] = field(default_factory=lambda: [7, 1])
    deadline_reminder_working_days: list[int] = field(default_factory=lambda: [20, 5])
    digest_weekday: int = 0  # Monday
    digest_time: str = "09:00"
    rag_amber_percent: int = 10  # a measure within this % of its target is amber, not red
    risk_review_notice_working_days: int = 5  # the owner hears this long before a review is due, and on the day
    risk_escalate_after: int = 5  # working days a high risk's review is overdue before the lead (or chair) hears
    measure_due_working_days: int = 5  # a period's value is due this many working days after it ends
    measure_escalate_after: int = 5  # working days after that before the workstream lead hears
    public_url: str = ""  # where `partnerbot serve` is reached (PARTNERBOT_PUBLIC_URL), for calendar links
    parent_hours: list[str] = field(default_factory=lambda: ["10:00", "14:00"])  # Kent §2.1.7
    retention_message_days: int = 30  # sent messages' bodies are cleared after this (who, when, kind stay)
    retention_concern_months: int = 24  # a resolved concern's words are deleted this long after it closed

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> BoardSettings:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    @staticmethod
    def clock_time(text: str) -> dt.time:
        hours, minutes = text.split(":")
        return dt.time(int(hours), int(minutes))

    def never_delivered(self) -> str | None:
        """Why scheduled messages could never go out with these settings, or
        None. A message found outside the sending hours waits for the next
        working day's send-time, so a send-time outside the hours would make
        every held message (and every daily reminder) wait for ever."""
        start, end = self.clock_time(self.quiet_start), self.clock_time(self.quiet_end)
        if start <= self.clock_time(self.send_time) < end:
            return None
        return (f"Daily reminders at {self.send_time} would never go out: scheduled messages are only sent "
                f"{self.quiet_start}-{self.quiet_end}. Choose hours that include {self.send_time}, or change "
                f"`board config send-time` first.")
