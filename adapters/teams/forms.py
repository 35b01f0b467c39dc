"""Forms as Adaptive Card inputs, and their submissions as Commands' ``values``.

A form is named like the neutral Reply's ``Button.form`` (``action.update``)
and runs one board command; its inputs carry the field names the core reads
from ``Command.values`` (``text``, ``owners``, ``due``…), so the core's
``field_errors`` point straight back at the input to mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.teams.markup import escape, plain
from adapters.teams.people import PLATFORM
from bot.identity import token

# Keys the bot puts in Action data; inputs never use the prefix.
KIND, COMMAND, FORM, REF = "pb_kind", "pb_command", "pb_form", "pb_ref"


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: str = "text"  # text | multiline | date | people | choice | toggle | url
    required: bool = False
    placeholder: str = ""


@dataclass(frozen=True)
class Form:
    name: str
    title: str
    command: str  # command words; the ref (if any) follows
    fields: tuple[Field, ...]
    submit: str = "Save"

    def command_text(self, ref: str | None) -> str:
        return f"{self.command} {ref}" if ref else self.command


@dataclass
class FormChoices:
    """Board data the choice inputs offer: (title, value) pairs."""

    members: list[tuple[str, str]] = field(default_factory=list)  # ("Owen Pike", "@owen")
    workstreams: list[tuple[str, str]] = field(default_factory=list)  # ("W1 Workforce", "W1")
    meetings: list[tuple[str, str]] = field(default_factory=list)  # ("M4 Thu 7 Jan 2027 10:00", "M4")


FORMS: dict[str, Form] = {f.name: f for f in (
    Form("action.add", "Log an action", "action add", (
        Field("text", "What needs doing", "multiline", required=True),
        Field("owners", "Owners", "people", required=True),
        Field("due", "Due", "date", required=True),
        Field("ws", "Workstream", "choice"),
        Field("meeting", "Agreed at meeting", "choice"),
    ), submit="Log action"),
    Form("agenda.propose", "Propose an agenda item", "agenda propose", (
        Field("title", "Title", "text", required=True),
        Field("meeting", "Meeting (default: the next one)", "choice"),
        Field("paper", "Paper link", "url", placeholder="https://…"),
        Field("spotlight", "Spotlight item", "toggle"),
    ), submit="Propose"),
    Form("action.update", "Progress update", "action update", (
        Field("note", "What has happened", "multiline", required=True),
    ), submit="Add update"),
    Form("action.snooze", "Snooze reminders", "action snooze", (
        Field("until", "Quiet until", "date", required=True),
    ), submit="Snooze"),
    Form("issue.raise", "Raise a confidential issue", "issue raise", (
        Field("text", "The concern, in your own words", "multiline", required=True),
    ), submit="Raise issue"),
)}

# Forms a bare command opens instead of refusing for missing text.
BARE_COMMAND_FORMS = {f.command: f for f in FORMS.values() if f.name in ("action.add", "agenda.propose")}


def _choices(form_field: Field, choices: FormChoices) -> list[tuple[str, str]]:
    if form_field.kind == "people":
        return choices.members
    return {"ws": choices.workstreams, "meeting": choices.meetings}.get(form_field.id, [])


def _input(form_field: Field, value: object, choices: FormChoices) -> dict:
    common = {"id": form_field.id, "label": form_field.label, "isRequired": form_field.required}
    if form_field.required:
        common["errorMessage"] = f"{form_field.label} is needed."
    text = "" if value is None else plain(", ".join(value) if isinstance(value, list) else str(value), 4000)
    if form_field.kind in ("people", "choice"):
        element = {**common, "type": "Input.ChoiceSet", "style": "filtered", "value": text,
                   "choices": [{"title": plain(t), "value": v} for t, v in _choices(form_field, choices)]}
        if form_field.kind == "people":
            # Teams' people picker: static board members plus the tenant directory (AAD object ids).
            element.update(isMultiSelect=True, **{"choices.data": {"type": "Data.Query",
                                                                   "dataset": "graph.microsoft.com/users"}})
        return element
    if form_field.kind == "date":
        return {**common, "type": "Input.Date", "value": text}
    if form_field.kind == "toggle":
        return {**common, "type": "Input.Toggle", "title": form_field.label,
                "value": "true" if value in (True, "true") else "false"}
    element = {**common, "type": "Input.Text", "value": text, "placeholder": form_field.placeholder,
               "isMultiline": form_field.kind == "multiline", "maxLength": 4000}
    if form_field.kind == "url":
        element["style"] = "Url"
    return element


def form_body(form: Form, ref: str | None, choices: FormChoices, values: dict | None = None,
              errors: dict[str, str] | None = None) -> list[dict]:
    """The inputs of a form, with any server-side errors under the inputs they concern."""
    values, errors = values or {}, dict(errors or {})
    body: list[dict] = [{"type": "TextBlock", "text": escape(form.title + (f" — {ref}" if ref else "")),
                         "weight": "Bolder", "wrap": True}]
    known = {f.id for f in form.fields}
    stray = [msg for key, msg in errors.items() if key not in known]
    body += [{"type": "TextBlock", "text": escape(msg), "color": "Attention", "wrap": True} for msg in stray]
    for form_field in form.fields:
        body.append(_input(form_field, values.get(form_field.id), choices))
        if form_field.id in errors:
            body.append({"type": "TextBlock", "text": escape(errors[form_field.id]), "color": "Attention",
                         "size": "Small", "wrap": True, "spacing": "None"})
    return body


def submit_data(form: Form, ref: str | None) -> dict:
    return {KIND: "form", FORM: form.name, REF: ref}


def values_from_submit(form: Form, data: dict) -> dict:
    """Command values from submitted inputs: people as mention tokens, toggles as booleans."""
    values: dict[str, object] = {}
    for form_field in form.fields:
        raw = data.get(form_field.id)
        if form_field.kind == "toggle":
            values[form_field.id] = str(raw).lower() == "true"
            continue
        raw = "" if raw is None else str(raw).strip()
        if not raw:
            continue
        if form_field.kind == "people":
            values[form_field.id] = [v if v.startswith("@") else token(PLATFORM, v)
                                     for v in (part.strip() for part in raw.split(",")) if v]
        else:
            values[form_field.id] = raw
    return values
