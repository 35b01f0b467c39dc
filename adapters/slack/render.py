"""The neutral Reply as Block Kit.

User text only ever arrives as ``str`` spans and is escaped (``&``, ``<``,
``>``) so nobody can inject ``<!channel>``, a mention or a link; dates become
``<!date^…>`` tokens so each reader sees their own format; people become
``<@U…>`` when their Slack id is known. Long replies are split under Slack's
limits (3,000 characters a section, 10 fields a section, 25 elements an
actions block, 50 blocks a message), and every message carries a plain
``text`` fallback for notifications and screen readers.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.forms import menu_label
from bot.reply import (
    Button,
    Buttons,
    Fields,
    Heading,
    Items,
    Mention,
    Note,
    Paragraph,
    Ref,
    Reply,
    Rich,
    When,
)
from bot.text import LONDON, format_when, neutralise, rich_text

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
FIELDS_PER_SECTION = 10
ELEMENTS_PER_ACTIONS = 25
LABEL_LIMIT = 75
OPTION_VALUE_LIMIT = 150

# Interactive element ids: listeners match these prefixes. A pressed value is
# "run:<command>" (run it as the presser) or "form:<form>:<ref>" (open a modal).
PRESS = "board.press"
LINK = "board.link"

_TOKEN = re.compile(r"<[^<>]*>|&(?:amp|lt|gt);")


def escape(text: str) -> str:
    """Slack's three control characters, so user text is shown, never interpreted; and
    a typed ``@channel``/``@here``/``@everyone`` defused, since Slack parses those words
    in mrkdwn that is not ``verbatim`` (URLs in user text stay clickable that way)."""
    text = neutralise(text, sys.maxsize)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def date_token(when: When, tz: ZoneInfo = LONDON) -> str:
    """``<!date^ts^format|fallback>``: each reader sees the date in their own locale.

    An all-day date is pinned to midday board time so it reads as the same
    day in any reader's timezone near the board.
    """
    value = when.value
    if isinstance(value, dt.datetime):
        stamp = int(value.timestamp())
        pattern = "{date_short_pretty} at {time}" if when.with_time else "{date_short_pretty}"
    else:
        stamp = int(dt.datetime.combine(value, dt.time(12), tz).timestamp())
        pattern = "{date_short_pretty}"
    return f"<!date^{stamp}^{pattern}|{escape(format_when(when, tz))}>"


def mrkdwn(text: Rich, tz: ZoneInfo = LONDON) -> str:
    parts = []
    for span in text:
        if isinstance(span, str):
            parts.append(escape(span))
        elif isinstance(span, When):
            parts.append(date_token(span, tz))
        elif isinstance(span, Mention):
            parts.append(f"<@{span.address}>" if span.address else escape(span.name))
        elif isinstance(span, Ref):
            parts.append(escape(span.ref))
    return "".join(parts)


def fallback(text: Rich, tz: ZoneInfo = LONDON) -> str:
    """Plain words for the ``text`` field, escaped because Slack reads it as mrkdwn too."""
    return escape(rich_text(text, tz))


def _safe_cut(text: str, limit: int) -> int:
    """Where to cut ``text`` at most ``limit`` characters in: at a line or word
    break, never inside a ``<…>`` token or an ``&amp;`` entity."""
    cut = text.rfind("\n", 0, limit + 1)
    if cut <= 0:
        cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:
        cut = limit
    for token in _TOKEN.finditer(text):
        if token.start() < cut < token.end():
            cut = token.start() if token.start() > 0 else token.end()
        if token.start() >= cut:
            break
    return cut


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    parts = []
    while len(text) > limit:
        cut = _safe_cut(text, limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return [p for p in parts if p]


@dataclass
class Piece:
    """One Block Kit block and the plain words it stands for."""

    block: dict
    fallback: str = ""


@dataclass
class Message:
    blocks: list[dict]
    text: str


def _section(text: str, plain: str = "") -> list[Piece]:
    chunks = split_text(text)
    return [Piece({"type": "section", "text": {"type": "mrkdwn", "text": c}}, plain if i == 0 else "")
            for i, c in enumerate(chunks)]


def _items(block: Items, tz: ZoneInfo) -> list[Piece]:
    lines = [f"*{escape(block.title)}*"] if block.title else []
    plain = [escape(block.title)] if block.title else []
    if not block.items:
        lines.append(f"_{escape(block.empty)}_")
        plain.append(escape(block.empty))
    for item in block.items:
        flag = f"  _({escape(item.flag)})_" if item.flag else ""
        lines.append(f"• {mrkdwn(item.text, tz)}{flag}")
        plain.append(f"• {fallback(item.text, tz)}" + (f" ({escape(item.flag)})" if item.flag else ""))
    pieces: list[Piece] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > SECTION_LIMIT:
            pieces.extend(_section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    pieces.extend(_section(current))
    pieces[0].fallback = "\n".join(plain)
    return pieces


def _fields(block: Fields, tz: ZoneInfo) -> list[Piece]:
    """Rows as section fields, ten to a section; a row too long for a field (2,000
    characters) becomes sections of its own, so no value is cut short."""
    pieces: list[Piece] = []
    fields: list[dict] = []

    def flush() -> None:
        for i in range(0, len(fields), FIELDS_PER_SECTION):
            pieces.append(Piece({"type": "section", "fields": fields[i:i + FIELDS_PER_SECTION]}))
        fields.clear()

    for label, value in block.rows:
        text = f"*{escape(label)}*\n{mrkdwn(value, tz)}"
        if len(text) <= FIELD_LIMIT:
            fields.append({"type": "mrkdwn", "text": text})
        else:
            flush()
            pieces.extend(_section(text))
    flush()
    if pieces:
        pieces[0].fallback = "\n".join(f"{escape(label)}: {fallback(value, tz)}" for label, value in block.rows)
    return pieces


def _label(text: str, limit: int = LABEL_LIMIT) -> dict:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _form_value(button: Button) -> str:
    return f"form:{button.form}:{button.ref or ''}"


def _element(button: Button, number: int) -> dict:
    if button.url:
        return {"type": "button", "action_id": f"{LINK}.{number}", "text": _label(button.label), "url": button.url}
    if button.choices:
        options = [{"text": _label(label), "value": f"run:{command}"[:OPTION_VALUE_LIMIT]}
                   for label, command in button.choices]
        if button.form:
            options.append({"text": _label(menu_label(button.form)),
                            "value": _form_value(button)})
        return {"type": "static_select", "action_id": f"{PRESS}.{number}", "placeholder": _label(button.label),
                "options": options}
    element = {"type": "button", "action_id": f"{PRESS}.{number}", "text": _label(button.label),
               "value": _form_value(button) if button.form else f"run:{button.command}"}
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def _buttons(block: Buttons, start: int) -> list[Piece]:
    elements = [_element(b, start + i) for i, b in enumerate(block.buttons)]
    return [Piece({"type": "actions", "elements": elements[i:i + ELEMENTS_PER_ACTIONS]})
            for i in range(0, len(elements), ELEMENTS_PER_ACTIONS)]


def render_pieces(reply: Reply, tz: ZoneInfo = LONDON) -> list[Piece]:
    pieces: list[Piece] = []
    warned = False
    pressed = 0  # element numbers run across the message so action ids stay unique
    for block in reply.blocks:
        if isinstance(block, Heading):
            pieces.extend(_section(f"*{mrkdwn(block.text, tz)}*", fallback(block.text, tz)))
        elif isinstance(block, Paragraph):
            mark = ":warning: " if reply.error and not warned else ""
            warned = warned or reply.error
            pieces.extend(_section(mark + mrkdwn(block.text, tz), fallback(block.text, tz)))
        elif isinstance(block, Note):
            for chunk in split_text(mrkdwn(block.text, tz)):
                pieces.append(Piece({"type": "context", "elements": [{"type": "mrkdwn", "text": chunk}]},
                                    fallback(block.text, tz)))
        elif isinstance(block, Fields):
            pieces.extend(_fields(block, tz))
        elif isinstance(block, Items):
            pieces.extend(_items(block, tz))
        elif isinstance(block, Buttons):
            pieces.extend(_buttons(block, pressed))
            pressed += len(block.buttons)
    if not pieces:
        summary = escape(reply.summary or "Done.")
        pieces = _section(summary, summary)
    return pieces


def _message(pieces: list[Piece], summary: str) -> Message:
    text = "\n".join(p.fallback for p in pieces if p.fallback) or escape(summary) or "partnerbot"
    return Message([p.block for p in pieces], split_text(text, SECTION_LIMIT)[0])


def render_messages(reply: Reply, tz: ZoneInfo = LONDON, max_blocks: int = MAX_BLOCKS) -> list[Message]:
    """The reply as one or more messages, each within Slack's block limit."""
    pieces = render_pieces(reply, tz)
    return [_message(pieces[i:i + max_blocks], reply.summary) for i in range(0, len(pieces), max_blocks)]


def summary_message(reply: Reply) -> Message:
    """The short confirmation the channel sees when a command changed shared state."""
    text = escape(reply.summary) or "Done."
    return Message([{"type": "section", "text": {"type": "mrkdwn", "text": split_text(text)[0]}}], text)
