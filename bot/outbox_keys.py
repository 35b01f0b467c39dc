"""The words outbox rows are addressed and grouped by, in one place.

A row's ``subject`` says what it is about (``action:12``): a change to that
thing cancels what is still pending about it, so the command that changes it
and the planner that wrote the reminder must spell it the same way. A row's
``recipient`` is a member (``member:3``) or a channel (``channel:#board``,
``channel:slack:C1``). Its ``kind`` decides when it may go out (scheduled
kinds wait for working hours) and how reports count it.

These strings are stored, so their spelling never changes; build and read
them only through this module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class MessageKind(enum.StrEnum):
    NOTICE = "notice"  # from a command, to someone other than the asker
    REMINDER = "reminder"  # planned by the jobs
    ESCALATION = "escalation"  # an overdue action or a stalled concern, up the ladder
    DIGEST = "digest"  # to the board channel: the digest, deadline and report cards
    ALERT = "alert"  # to the secretariat: a message could not be delivered
    REPLY = "reply"  # the asker's own answer, when the platform could not take it at once


# Kinds that wait for working hours: what the planner schedules, and the
# notices a command sends to other people (someone acting at 22:15 on a
# Saturday should not wake a colleague). Only operator alerts and answers go
# at once: the person who typed a command always gets their reply straight away.
SCHEDULED_KINDS = frozenset({MessageKind.REMINDER, MessageKind.ESCALATION, MessageKind.DIGEST, MessageKind.NOTICE})


class Subject:
    """What rows are about; ``cancel_pending(subject)`` takes back everything pending about it."""

    DIGEST = "digest"

    @staticmethod
    def action(action_id: int | None) -> str:
        return f"action:{action_id}"

    @staticmethod
    def issue(issue_id: int | None) -> str:
        return f"issue:{issue_id}"

    @staticmethod
    def notice(about: str) -> str:
        """What a command tells people about ``about`` (another subject): kept apart
        from its reminders, so that re-planning or cancelling those leaves it alone."""
        return f"notice:{about}"

    @staticmethod
    def agenda(item_id: int | None) -> str:
        return f"agenda:{item_id}"

    @staticmethod
    def meeting(meeting_id: int | None) -> str:
        return f"meeting:{meeting_id}"

    @staticmethod
    def risk(risk_id: int | None) -> str:
        return f"risk:{risk_id}"

    @staticmethod
    def measure(measure_id: int | None) -> str:
        return f"measure:{measure_id}"

    @staticmethod
    def deadline(deadline_id: int | None) -> str:
        return f"deadline:{deadline_id}"

    @staticmethod
    def alert(outbox_id: int | None) -> str:
        """The secretariat's alert about dead-lettered row ``outbox_id``."""
        return f"alert:{outbox_id}"


@dataclass(frozen=True)
class Recipient:
    """Where a row goes: ``member:<id>`` or ``channel:<name>``, parsed."""

    MEMBER = "member"
    CHANNEL = "channel"

    kind: str
    value: str

    @staticmethod
    def member(member_id: int | None) -> str:
        return f"member:{member_id}"

    @staticmethod
    def channel(name: str) -> str:
        """``name`` is a board channel setting (``#board``, ``slack:C1``, ``teams:<conversation>``)."""
        return f"channel:{name}"

    @classmethod
    def parse(cls, recipient: str) -> Recipient:
        kind, _, value = recipient.partition(":")
        return cls(kind, value)

    @property
    def member_id(self) -> int | None:
        """The member's id, or None for a channel."""
        return int(self.value) if self.kind == self.MEMBER else None

    @staticmethod
    def tag(recipient: str) -> str:
        """The short form dedupe keys end with: ``m3`` for a member, the channel otherwise."""
        return recipient.replace("member:", "m")


class Key:
    """Dedupe keys that one place writes and another looks for."""

    @staticmethod
    def issue_escalation(issue_id: int | None, level: int, who: str) -> str:
        """The message to ``who`` (a member id, or ``raiser``) when a concern reaches ``level``;
        the raiser's key existing means the concern has reached that rung."""
        return f"issue:{issue_id}:escalate-{level}:{who}"

    @staticmethod
    def action_step(action_id: int | None, step: str, on: str, who: str) -> str:
        """An action's reminder or escalation ``step`` (``due-today``, ``escalate-lead``)
        for the date ``on``, to ``who`` (a recipient tag)."""
        return f"{Subject.action(action_id)}:{step}:{on}:{who}"

    @staticmethod
    def action_event(key: str) -> tuple[str, str] | None:
        """(``action:<id>:<step>:<date>``, step) of an action step's key, once per
        action and date however many people were told; None for any other key."""
        parts = key.split(":")
        if parts[0] != "action" or len(parts) < 4:
            return None
        return ":".join(parts[:4]), parts[2]

    @staticmethod
    def dead_letter_alert(outbox_id: int | None, attempt: int, recipient: str) -> str:
        return f"alert:dead:{outbox_id}:{attempt}:{recipient}"
