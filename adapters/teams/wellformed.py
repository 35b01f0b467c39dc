"""What an activity must carry before the bot acts on it.

botbuilder deserialises almost anything into an ``Activity`` and the bot then
fails deep inside a turn, after a command may have committed. Checking the
JSON first lets every malformed activity get a 400 (an invoke, whose caller
waits for a JSON answer, a 200 with an error body) and change nothing.
"""

from __future__ import annotations

ERROR_RESPONSE = "application/vnd.microsoft.error"
_ACCOUNTS = ("from", "recipient", "conversation")


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def problem(body: object) -> str | None:
    """Why ``body`` is not an activity the bot can act on, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    if not _is_text(body.get("type")):
        return "the activity has no type"
    for name in _ACCOUNTS:
        account = body.get(name)
        if not isinstance(account, dict) or not _is_text(account.get("id")):
            return f"the activity has no {name}.id"
    if not _is_text(body.get("serviceUrl")):
        return "the activity has no serviceUrl"
    for name in ("text", "name", "replyToId", "id", "channelId"):
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"{name} must be a string"
    if body.get("channelData") is not None and not isinstance(body["channelData"], dict):
        return "channelData must be an object"
    if body.get("entities") is not None and not (isinstance(body["entities"], list)
                                                 and all(isinstance(e, dict) for e in body["entities"])):
        return "entities must be a list of objects"
    if body["type"] == "invoke":
        if not _is_text(body.get("name")):
            return "the invoke has no name"
        if body.get("value") is not None and not isinstance(body["value"], dict):
            return "the invoke's value must be an object"
    if body["type"] == "message" and body.get("value") is not None and not isinstance(body["value"], dict):
        return "a message's value must be an object"
    for name in ("membersAdded", "membersRemoved"):
        members = body.get(name)
        if members is not None and not (isinstance(members, list)
                                        and all(isinstance(m, dict) and _is_text(m.get("id")) for m in members)):
            return f"{name} must be a list of accounts"
    return None


def invoke_error(message: str, code: str = "BadRequest", status: int = 400) -> dict:
    """The body of an invoke response that refuses: Teams shows ``message``."""
    return {"statusCode": status, "type": ERROR_RESPONSE, "value": {"code": code, "message": message}}
