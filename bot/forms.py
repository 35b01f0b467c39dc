"""Forms, written once: what a form asks, how its answers are checked, which command it becomes.

A Form is declared beside the commands it feeds (``router.form(...)``, as
commands are registered with ``router.command``) and looked up by id
(``action.update``), the id a ``Button.form`` names. Every platform renders
the same Form its own way (a modal, a dialog card, a prompt) and hands back
the submitted answers as neutral values, one per field name:

* text, long text, url, date (ISO ``2027-01-15``) and choice: a ``str``;
* members: a list of mention tokens the core's people lookup reads;
* checkbox: a ``bool``.

``Form.submission`` checks them (required fields, dates, the form's own rule)
and gives the one command they stand for, so a form either runs as a whole or
is refused with an error under each field concerned (``Invalid.errors``, the
same shape as ``Reply.field_errors``). Field names are the ``Command.values``
keys the handlers read, so the core's refusals land on the right field too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

REQUIRED = "This is needed."
# Board data a choice can offer (the adapter fetches it, live or when the form opens).
WORKSTREAMS = "workstreams"
MEETINGS = "meetings"


# What a menu of quick choices calls the form it also offers (Snooze: 1 day, 1 week, Pick a date…).
_MENU_LABELS = {"action.snooze": "Pick a date…"}


def menu_label(form_id: str) -> str:
    return _MENU_LABELS.get(form_id, "More…")


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    URL = "url"
    DATE = "date"
    MEMBERS = "members"
    CHOICE = "choice"
    CHECKBOX = "checkbox"


@dataclass(frozen=True)
class Field:
    """One question. ``choices`` are fixed (label, value) pairs; ``source`` names board
    data offered instead (WORKSTREAMS, MEETINGS). ``default`` is what it shows at first;
    a checkbox's ``hint`` is the words beside its box."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    hint: str = ""
    placeholder: str = ""
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    source: str | None = None

    @property
    def takes_text(self) -> bool:
        return self.kind in (Kind.TEXT, Kind.LONG_TEXT)


class Invalid(Exception):
    """A submission refused before any command runs: field name -> what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


Values = dict[str, Any]
Becomes = Callable[[Values, str | None], tuple[str, Values]]
Check = Callable[[Values], dict[str, str]]


def runs(words: str) -> Becomes:
    """The usual ``becomes``: the command ``words``, then the reference the form was opened
    on (``action update A12``), with the answers as the command's values."""

    def becomes(values: Values, ref: str | None) -> tuple[str, Values]:
        return (f"{words} {ref}" if ref else words), values

    return becomes


def _no_check(values: Values) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Form:
    id: str
    title: str  # "{ref}" is replaced by the reference the form was opened on
    fields: tuple[Field, ...]
    becomes: Becomes
    submit: str = "Save"
    notes: tuple[str, ...] = ()  # small print shown under the fields
    check: Check = _no_check  # a rule across fields, beyond each field's own

    @property
    def needs_ref(self) -> bool:
        """A form about one thing (an action) is opened on its reference, which its title names."""
        return "{ref}" in self.title

    def title_for(self, ref: str | None) -> str:
        return self.title.replace("{ref}", ref or "").strip()

    def prefill(self, text: str) -> Values:
        """A message's text (a shortcut on it) as the answer to the form's first text question."""
        first = next((f for f in self.fields if f.takes_text), None)
        return {first.name: text} if first and text else {}

    def defaults(self) -> Values:
        return {f.name: f.default for f in self.fields if f.default is not None}

    def submission(self, submitted: Values, ref: str | None = None) -> tuple[str, Values]:
        """The command (text, values) the answers stand for; raises Invalid with every
        field's error at once. Empty answers are left out; checkboxes are always there."""
        values: Values = {}
        errors: dict[str, str] = {}
        for question in self.fields:
            value = _cleaned(question, submitted.get(question.name))
            if value is None:
                if question.required:
                    errors[question.name] = REQUIRED
                continue
            if problem := _problem(question, value):
                errors[question.name] = problem
                continue
            values[question.name] = value
        if not errors:
            errors = self.check(values)
        if errors:
            raise Invalid(errors)
        return self.becomes(values, ref)


def _cleaned(question: Field, value: Any) -> Any:
    """The answer as the core reads it, or None when the field was left empty."""
    if question.kind == Kind.CHECKBOX:
        return value is True or str(value).lower() == "true"
    if question.kind == Kind.MEMBERS:
        tokens = [str(t).strip() for t in (value or []) if str(t).strip()] if isinstance(value, list | tuple) \
            else [t.strip() for t in str(value or "").split(",") if t.strip()]
        return tokens or None
    text = "" if value is None else str(value).strip()
    return text or None


def _problem(question: Field, value: Any) -> str | None:
    if question.kind == Kind.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"{question.label}: pick a date."
    if question.choices and value not in {v for _, v in question.choices}:
        return f"{question.label}: pick one of the choices."
    return None


class Forms:
    """Every registered form by id (what ``Router.forms()`` answers)."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self.by_id: dict[str, Form] = {}
        for form in forms:
            if form.id in self.by_id:
                raise ValueError(f"form {form.id} is registered twice")
            self.by_id[form.id] = form

    def get(self, form_id: str | None) -> Form | None:
        return self.by_id.get(form_id or "")

    def __iter__(self) -> Iterator[Form]:
        return iter(self.by_id.values())

    def __contains__(self, form_id: object) -> bool:
        return form_id in self.by_id

    def sources(self) -> dict[str, str]:
        """Field name -> the board data it offers, for platforms that fetch choices as you type."""
        return {f.name: f.source for form in self for f in form.fields if f.source}
