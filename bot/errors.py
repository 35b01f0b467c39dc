"""Typed, user-facing failures. Each renders as a short helpful message.

Handlers raise these; the app turns them into error Replies and rolls the
transaction back, so a refused command changes nothing.
"""

from __future__ import annotations


class BotError(Exception):
    """Base: ``message`` is shown to the user; ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field  # which form field was wrong, for modals and cards


class BadArgument(BotError):
    """Missing or malformed input: say what was expected, with an example."""


class NotFound(BotError):
    """An unknown reference or person."""


class Forbidden(BotError):
    """Permission refused: the message says who may do it."""


class UnknownCommand(BotError):
    """No command matches; the hint suggests the closest."""


class Conflict(BotError):
    """The request contradicts current state (already done, already exists)."""
