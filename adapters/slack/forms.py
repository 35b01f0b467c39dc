"""The core's forms (bot.forms) as Slack modals, and a submitted modal back as neutral values.

Nothing here knows a particular form: each Field becomes an input block by its
kind. A modal's ``callback_id`` is ``board.form.<form id>``; each input's
block id and action id are the field name the core uses in ``values`` and in
``BotError.field`` (``due``, ``owners``, ``text``…), so a refusal is shown on
its field (``response_action: errors``). ``private_metadata`` carries the
Origin: where the form was opened from, so the result goes back there (and a
message with buttons is updated in place).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from adapters.slack.users import user_token
from bot.forms import Field, Form, Kind, Values
from bot.reply import Reply

CALLBACK = "board.form."
ERROR_LIMIT = 150
TITLE_LIMIT = 24  # Slack refuses a modal whose title or submit label is longer
TEXT_LIMIT = 3000
CHECKED = "true"


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


def _plain(text: str, limit: int = TEXT_LIMIT) -> dict:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _element(question: Field, value: Any) -> dict:
    """The Block Kit element for one field, showing ``value`` (a default or prefill) if any."""
    placeholder = question.placeholder
    if question.kind in (Kind.TEXT, Kind.LONG_TEXT):
        element: dict[str, Any] = {"type": "plain_text_input", "multiline": question.kind == Kind.LONG_TEXT,
                                   "max_length": TEXT_LIMIT}
        if value:
            element["initial_value"] = str(value)[:TEXT_LIMIT]
    elif question.kind == Kind.URL:
        element = {"type": "url_text_input"}
        if value:
            element["initial_value"] = str(value)
    elif question.kind == Kind.DATE:
        element, placeholder = {"type": "datepicker"}, placeholder or "Pick a date"
        if value:
            element["initial_date"] = str(value)
    elif question.kind == Kind.MEMBERS:
        element, placeholder = {"type": "multi_users_select"}, placeholder or "Choose people"
    elif question.kind == Kind.CHECKBOX:
        option = {"text": _plain(question.hint or question.label), "value": CHECKED}
        element = {"type": "checkboxes", "options": [option]}
        if value is True:
            element["initial_options"] = [option]
    elif question.source:  # board data, answered live as the person types (the ``options`` listener)
        element = {"type": "external_select", "min_query_length": 0}
    else:
        options = [{"text": _plain(label, 75), "value": choice} for label, choice in question.choices]
        element = {"type": "static_select", "options": options}
        chosen = next((o for o in options if o["value"] == value), None)
        if chosen:
            element["initial_option"] = chosen
    if placeholder and question.kind != Kind.CHECKBOX:
        element["placeholder"] = _plain(placeholder, 150)
    return {**element, "action_id": question.name}


def _input(question: Field, value: Any) -> dict:
    block = {"type": "input", "block_id": question.name, "label": _plain(question.label, 2000),
             "optional": not question.required, "element": _element(question, value)}
    if question.hint and question.kind != Kind.CHECKBOX:
        block["hint"] = _plain(question.hint, 2000)
    return block


def modal(form: Form, origin: Origin, prefill: str = "") -> dict:
    """The modal for ``form``, opened on ``origin.ref``; ``prefill`` is a message's text."""
    shown = {**form.defaults(), **form.prefill(prefill)}
    blocks = [_input(question, shown.get(question.name)) for question in form.fields]
    blocks += [_context(note) for note in form.notes]
    if origin.source_link:
        blocks.append(_context(f"From <{origin.source_link}|this message>"))
    title = _plain(form.title_for(origin.ref), TITLE_LIMIT)
    return {"type": "modal", "callback_id": CALLBACK + form.id, "title": title,
            "submit": _plain(form.submit, TITLE_LIMIT), "close": _plain("Cancel"),
            "private_metadata": origin.dump(), "blocks": blocks}


def _value(element: dict) -> Any:
    """One submitted element as the core reads it (bot.forms), or None if left empty."""
    kind = element.get("type")
    if kind in ("plain_text_input", "url_text_input"):
        return element.get("value")
    if kind == "multi_users_select":
        return [user_token(user) for user in element.get("selected_users") or []]
    if kind == "datepicker":
        return element.get("selected_date")
    if kind in ("external_select", "static_select"):
        return (element.get("selected_option") or {}).get("value")
    if kind == "checkboxes":
        return bool(element.get("selected_options"))
    return None


def values(form: Form, state: dict) -> Values:
    """The submitted answers, by field name (``view.state.values``: block id -> action id -> element)."""
    found: Values = {}
    for question in form.fields:
        element = (state.get(question.name) or {}).get(question.name)
        if isinstance(element, dict):
            found[question.name] = _value(element)
    return found


def _short(message: str) -> str:
    return message if len(message) <= ERROR_LIMIT else message[: ERROR_LIMIT - 1] + "…"


def field_errors(view: dict, errors: dict[str, str], summary: str = "") -> dict[str, str]:
    """Errors placed on the fields they name (or on the first field, so a refusal
    without a field is still shown where the person is looking)."""
    inputs = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    placed: dict[str, str] = {}
    for field, message in errors.items():
        placed[field if field in inputs else inputs[0]] = _short(message)
    if not placed and inputs:
        placed[inputs[0]] = _short(summary or "That didn't work.")
    return placed


def refusal(view: dict, reply: Reply) -> dict[str, str]:
    """The core's refusal of a submission, on the modal's fields."""
    return field_errors(view, reply.field_errors, reply.summary)
