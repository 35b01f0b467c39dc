"""Modals for the board's forms, and reading a submitted modal back into commands.

A form is named as the core names it on a Button (``action.update``); its
modal's ``callback_id`` is ``board.form.<name>``. Each input's block id is
the field name the core uses in ``values`` and in ``BotError.field``
(``due``, ``owners``, ``text``…), so a refusal can be shown on the field.
``private_metadata`` carries the Origin: where the form was opened from, so
the result goes back there (and a message with buttons is updated in place).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from adapters.slack.people import user_token
from bot.reply import Reply

CALLBACK = "board.form."
ERROR_LIMIT = 150


@dataclass
class Origin:
    """Where an interaction started: a channel message (``ts``), an ephemeral
    reply (``response_url``), a DM (``direct``) or the App Home (``home``)."""

    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None
    ephemeral: bool = False
    direct: bool = False
    home: bool = False
    ref: str | None = None
    source_link: str | None = None
    thread_ts: str | None = None  # the thread a message came from: the answer goes there too

    def dump(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v})

    @classmethod
    def load(cls, text: str | None) -> Origin:
        data = json.loads(text) if text else {}
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class Invalid(Exception):
    """A submission the adapter can refuse before asking the core."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _input(field: str, label: str, element: dict, optional: bool = False, hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": field, "label": _plain(label), "optional": optional,
             "element": {**element, "action_id": field}}
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text(field: str, label: str, initial: str = "", multiline: bool = True, optional: bool = False,
          hint: str | None = None) -> dict:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": 3000}
    if initial:
        element["initial_value"] = initial[:3000]
    return _input(field, label, element, optional, hint)


def _users(field: str, label: str, optional: bool = False) -> dict:
    return _input(field, label, {"type": "multi_users_select", "placeholder": _plain("Choose people")}, optional)


def _date(field: str, label: str, optional: bool = False) -> dict:
    return _input(field, label, {"type": "datepicker", "placeholder": _plain("Pick a date")}, optional)


def _lookup(field: str, label: str, placeholder: str) -> dict:
    """A menu whose options the board answers live (``options`` listener)."""
    return _input(field, label, {"type": "external_select", "placeholder": _plain(placeholder),
                                 "min_query_length": 0}, optional=True)


def _action_add(origin: Origin, prefill: str) -> tuple[str, str, list[dict]]:
    return "New action", "Log action", [
        _text("text", "What needs doing?", prefill),
        _users("owners", "Owners"),
        _date("due", "Due"),
        _lookup("ws", "Workstream", "No workstream"),
        _lookup("meeting", "Agreed at meeting", "No meeting"),
    ]


def _action_update(origin: Origin, prefill: str) -> tuple[str, str, list[dict]]:
    return f"Update {origin.ref}", "Save", [
        _text("note", "Progress note", prefill, optional=True, hint="What has happened since the last update?"),
        _date("due", "New due date", optional=True),
        _users("owners", "New owners", optional=True),
    ]


def _action_snooze(origin: Origin, prefill: str) -> tuple[str, str, list[dict]]:
    return f"Snooze {origin.ref}", "Snooze", [
        _date("until", "Pause reminders until"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "The due date stays as it is."}]},
    ]


def _agenda_propose(origin: Origin, prefill: str) -> tuple[str, str, list[dict]]:
    return "Propose agenda item", "Propose", [
        _text("title", "Title", prefill, multiline=False),
        _lookup("meeting", "For meeting", "The next meeting"),
        _input("paper", "Paper (link)", {"type": "url_text_input"}, optional=True),
        _input("spotlight", "Spotlight", {"type": "checkboxes", "options": [
            {"text": _plain("A spotlight (deep-dive) item"), "value": "spotlight"}]}, optional=True),
    ]


def _issue_raise(origin: Origin, prefill: str) -> tuple[str, str, list[dict]]:
    return "Raise an issue", "Raise", [
        _text("text", "What is wrong, in your own words?", prefill),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Issues are confidential: only you, the "
                                          "secretariat and whoever is asked to help can see them."}]},
    ]


FORMS = {
    "action.add": _action_add,
    "action.update": _action_update,
    "action.snooze": _action_snooze,
    "agenda.propose": _agenda_propose,
    "issue.raise": _issue_raise,
}


def modal(form: str, origin: Origin, prefill: str = "") -> dict:
    title, submit, blocks = FORMS[form](origin, prefill)
    if origin.source_link:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"From <{origin.source_link}|this message>"}]})
    return {"type": "modal", "callback_id": CALLBACK + form, "title": _plain(title[:24]),
            "submit": _plain(submit), "close": _plain("Cancel"), "private_metadata": origin.dump(),
            "blocks": blocks}


def _value(state: dict, field: str) -> Any:
    """The submitted value of ``field`` as the core expects it, or None if left empty."""
    element = state.get(field, {}).get(field)
    if not element:
        return None
    kind = element.get("type")
    if kind == "plain_text_input" or kind == "url_text_input":
        return (element.get("value") or "").strip() or None
    if kind == "multi_users_select":
        return [user_token(user) for user in element.get("selected_users") or []] or None
    if kind == "datepicker":
        return element.get("selected_date")
    if kind in ("external_select", "static_select"):
        return (element.get("selected_option") or {}).get("value")
    if kind == "checkboxes":
        return bool(element.get("selected_options"))
    return None


def _present(state: dict, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {f: _value(state, f) for f in fields}
    return {k: v for k, v in values.items() if v is not None}


def commands_for(form: str, state: dict, origin: Origin) -> list[tuple[str, dict[str, Any]]]:
    """The commands (text, values) a submission stands for, run in order."""
    ref = origin.ref or ""
    if form == "action.add":
        return [("action add", _present(state, ("text", "owners", "due", "ws", "meeting")))]
    if form == "action.update":
        values = _present(state, ("note", "due", "owners"))
        steps = [(f"action {verb} {ref}", {key: values[key]}) for verb, key in
                 (("update", "note"), ("due", "due"), ("assign", "owners")) if key in values]
        if not steps:
            raise Invalid({"note": "Write a progress note, or change the due date or owners."})
        return steps
    if form == "action.snooze":
        return [(f"action snooze {ref}", _present(state, ("until",)))]
    if form == "agenda.propose":
        values = _present(state, ("title", "meeting", "paper"))
        values["spotlight"] = bool(_value(state, "spotlight"))
        return [("agenda propose", values)]
    return [("issue raise", _present(state, ("text",)))]


def _short(message: str) -> str:
    return message if len(message) <= ERROR_LIMIT else message[: ERROR_LIMIT - 1] + "…"


def field_errors(view: dict, reply: Reply) -> dict[str, str]:
    """The core's refusal, placed on the field it names (or the first field,
    so a refusal without a field is still shown where the person is looking)."""
    inputs = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    errors: dict[str, str] = {}
    for field, message in reply.field_errors.items():
        errors[field if field in inputs else inputs[0]] = _short(message)
    if not errors and inputs:
        errors[inputs[0]] = _short(reply.summary or "That didn't work.")
    return errors
