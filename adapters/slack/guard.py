"""What a Slack request must be before bolt sees it, and what each kind must carry.

bolt parses a body before it checks anything and lets listeners fail after
``ack()``: a non-numeric timestamp, malformed JSON or a ``payload`` that is not
JSON became a 500 (and Slack retried), a slash command without ``user_id`` a
404 three seconds later. Here every such request gets a 4xx at once and
nothing is written: ``refusal`` runs on the raw HTTP request (signature first,
so an unsigned request learns nothing about the parser), ``problem`` on the
parsed body of any request (there, and as a bolt middleware for Socket Mode).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

from adapters.slack.forms import Origin

TIMESTAMP = "X-Slack-Request-Timestamp"
SIGNATURE = "X-Slack-Signature"


def refusal(headers: Mapping[str, str], raw: bytes, secret: str) -> tuple[int, str] | None:
    """(status, reason) for a request that must not reach bolt, or None."""
    stamp = headers.get(TIMESTAMP) or ""
    if not stamp.isdigit():
        return 401, "X-Slack-Request-Timestamp must be a number of seconds"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return 400, "The body is not UTF-8"
    if not SignatureVerifier(secret).is_valid(text, stamp, headers.get(SIGNATURE) or ""):
        return 401, "Invalid or stale Slack signature"
    body = parse(text, headers.get("Content-Type") or "")
    if body is None:
        return 400, "The body is not the JSON or form Slack sends"
    if (why := problem(body)) is not None:  # before bolt, which reads some fields before any middleware
        return 400, why
    return None


def parse(text: str, content_type: str) -> dict | None:
    """The request body as bolt will see it, or None if it is malformed."""
    try:
        if content_type.startswith("application/json"):
            body = json.loads(text)
            return body if isinstance(body, dict) else None
        form = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
        if "payload" in form:
            payload = json.loads(form["payload"])
            return payload if isinstance(payload, dict) else None
        return form
    except ValueError:
        return None


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _user(body: dict) -> bool:
    user = body.get("user")
    return isinstance(user, dict) and _text(user.get("id"))


def origin_problem(metadata: object) -> str | None:
    """private_metadata must be one of our Origins: a JSON object of known fields."""
    if metadata in (None, ""):
        return None
    try:
        data = json.loads(metadata) if isinstance(metadata, str) else None
    except ValueError:
        data = None
    fields = Origin.__dataclass_fields__
    if not isinstance(data, dict) or any(k not in fields or not isinstance(v, str | bool) for k, v in data.items()):
        return "the view's private_metadata is not partnerbot's"
    return None


def _view_problem(body: dict) -> str | None:
    view = body.get("view")
    if not _user(body):
        return "the submission has no user"
    if not isinstance(view, dict) or not _text(view.get("callback_id")) or not _text(view.get("type")):
        return "the submission has no view"
    state = view.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("values"), dict) or not all(
            isinstance(block, dict) and all(isinstance(v, dict) for v in block.values())
            for block in state["values"].values()):
        return "the submission has no state"
    return origin_problem(view.get("private_metadata"))


def _event_problem(body: dict) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not _text(event.get("type")):
        return "the event callback has no event"
    kind = event["type"]
    if kind == "message" and (event.get("subtype") or event.get("bot_id")):
        return None  # edits, joins and bots' messages are ignored, whatever they carry
    if kind in ("message", "app_mention") and not (_text(event.get("user")) and _text(event.get("channel"))):
        return f"the {kind} event has no user or channel"
    if kind == "app_home_opened" and not _text(event.get("user")):
        return "the app_home_opened event has no user"
    for name in ("text", "thread_ts"):
        if event.get(name) is not None and not isinstance(event[name], str):
            return f"the event's {name} is not a string"
    return None


def problem(body: dict) -> str | None:
    """Why bolt's listeners could not act on ``body`` (a 400), or None."""
    if "command" in body:
        if not _text(body.get("user_id")):
            return "the slash command has no user_id"
        return None
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions")
        if not _user(body):
            return "the block action has no user"
        if not isinstance(actions, list) or not actions or not all(
                isinstance(a, dict) and _text(a.get("action_id")) for a in actions):
            return "the block action has no actions"
        if not _text(body.get("trigger_id")):
            return "the block action has no trigger_id"
        return None
    if kind == "view_submission":
        return _view_problem(body)
    if kind in ("shortcut", "message_action"):
        if not (_user(body) and _text(body.get("trigger_id")) and _text(body.get("callback_id"))):
            return "the shortcut has no user, trigger_id or callback_id"
        if kind == "message_action" and not (
                isinstance(body.get("channel"), dict) and _text(body["channel"].get("id"))
                and isinstance(body.get("team"), dict) and _text(body["team"].get("domain"))
                and isinstance(body.get("message") or {}, dict)):
            return "the message shortcut has no channel, team or message"
        return None
    if kind == "event_callback":
        return _event_problem(body)
    return None


def who(body: dict) -> str | None:
    """The Slack user a command, press or message comes from (for the rate limit)."""
    if "command" in body:
        return body.get("user_id")
    if body.get("type") == "block_actions":
        return (body.get("user") or {}).get("id")
    if body.get("type") == "event_callback":
        event = body.get("event") or {}
        if event.get("type") in ("message", "app_mention") and not event.get("subtype") and not event.get("bot_id"):
            return event.get("user")
    return None
