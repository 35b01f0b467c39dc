"""The core's forms (bot.forms) as Adaptive Card inputs, and submitted inputs back as neutral values.

Nothing here knows a particular form: each Field becomes an input by its
kind, with the field name as the input's id, so the core's ``field_errors``
point straight back at the input to mark. A form opens as a dialog (a task
module: ``task/fetch``, answered on ``task/submit``), from a message
extension, or as a card in the chat when its bare command is typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.teams.markup import escape, plain
from adapters.teams.roster import PLATFORM
from bot.forms import MEETINGS, WORKSTREAMS, Field, Form, Kind, Values
from bot.identity import token

# Keys the bot puts in Action data; inputs never use the prefix.
KIND, COMMAND, FORM, REF = "pb_kind", "pb_command", "pb_form", "pb_ref"
TEXT_LIMIT = 4000
ON = "true"


@dataclass
class FormChoices:
    """Board data the choice inputs offer: (title, value) pairs."""

    members: list[tuple[str, str]] = field(default_factory=list)  # ("Owen Pike (@owen)", "@owen")
    workstreams: list[tuple[str, str]] = field(default_factory=list)  # ("W1 Workforce", "W1")
    meetings: list[tuple[str, str]] = field(default_factory=list)  # ("M4 Thu 7 Jan 2027 10:00", "M4")

    def offered(self, question: Field) -> list[tuple[str, str]]:
        if question.kind == Kind.MEMBERS:
            return self.members
        return {WORKSTREAMS: self.workstreams, MEETINGS: self.meetings}.get(question.source or "",
                                                                           list(question.choices))


def wants_board_data(form: Form) -> bool:
    """Whether the form offers members, workstreams or meetings (read from the board when it opens)."""
    return any(f.kind == Kind.MEMBERS or f.source for f in form.fields)


def _shown(value: object) -> str:
    if value is None:
        return ""
    return plain(", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value), TEXT_LIMIT)


def _input(question: Field, value: object, choices: FormChoices) -> dict:
    common = {"id": question.name, "label": question.label, "isRequired": question.required}
    if question.required:
        common["errorMessage"] = f"{question.label} is needed."
    text = _shown(value)
    if question.kind in (Kind.MEMBERS, Kind.CHOICE):
        element = {**common, "type": "Input.ChoiceSet", "style": "filtered", "value": text,
                   "choices": [{"title": plain(t), "value": v} for t, v in choices.offered(question)]}
        if question.placeholder:
            element["placeholder"] = question.placeholder
        if question.kind == Kind.MEMBERS:
            # Teams' people picker: static board members plus the tenant directory (AAD object ids).
            element.update(isMultiSelect=True, **{"choices.data": {"type": "Data.Query",
                                                                   "dataset": "graph.microsoft.com/users"}})
        return element
    if question.kind == Kind.DATE:
        return {**common, "type": "Input.Date", "value": text}
    if question.kind == Kind.CHECKBOX:
        return {**common, "type": "Input.Toggle", "title": question.hint or question.label,
                "value": ON if value in (True, ON) else "false"}
    element = {**common, "type": "Input.Text", "value": text, "placeholder": question.placeholder,
               "isMultiline": question.kind == Kind.LONG_TEXT, "maxLength": TEXT_LIMIT}
    if question.kind == Kind.URL:
        element["style"] = "Url"
    return element


def form_body(form: Form, ref: str | None, choices: FormChoices, values: dict | None = None,
              errors: dict[str, str] | None = None) -> list[dict]:
    """The inputs of a form, with any errors under the inputs they concern (the others at the top)."""
    values = {**form.defaults(), **(values or {})}
    errors = dict(errors or {})
    body: list[dict] = [{"type": "TextBlock", "text": escape(form.title_for(ref)), "weight": "Bolder",
                         "wrap": True}]
    known = {f.name for f in form.fields}
    body += [{"type": "TextBlock", "text": escape(msg), "color": "Attention", "wrap": True}
             for key, msg in errors.items() if key not in known]
    for question in form.fields:
        body.append(_input(question, values.get(question.name), choices))
        if question.hint and question.kind != Kind.CHECKBOX:
            body.append({"type": "TextBlock", "text": escape(question.hint), "isSubtle": True, "size": "Small",
                         "wrap": True, "spacing": "None"})
        if question.name in errors:
            body.append({"type": "TextBlock", "text": escape(errors[question.name]), "color": "Attention",
                         "size": "Small", "wrap": True, "spacing": "None"})
    body += [{"type": "TextBlock", "text": escape(note), "isSubtle": True, "size": "Small", "wrap": True}
             for note in form.notes]
    return body


def submit_data(form_id: str, ref: str | None) -> dict:
    return {KIND: "form", FORM: form_id, REF: ref}


def dialog_data(form_id: str, ref: str | None) -> dict:
    """An ``Action.Submit``'s data that opens the form as a dialog (Teams sends ``task/fetch``)."""
    return {"msteams": {"type": "task/fetch"}, **submit_data(form_id, ref)}


def opened_on(data: dict) -> str | None:
    """The reference a form was opened on (``A12``), as its submit data carries it."""
    ref = data.get(REF)
    return ref if isinstance(ref, str) and ref else None


def values_from_submit(form: Form, data: dict) -> Values:
    """The submitted inputs as the core reads them: people as account tokens (a board
    member's handle, or a directory pick's AAD object id), the rest as typed."""
    values: Values = {}
    for question in form.fields:
        raw = data.get(question.name)
        if question.kind == Kind.MEMBERS and raw is not None:
            picked = (part.strip() for part in str(raw).split(","))
            values[question.name] = [v if v.startswith("@") else token(PLATFORM, v) for v in picked if v]
        elif raw is not None:
            values[question.name] = raw if isinstance(raw, bool) else str(raw)
    return values
