"""Plain-text rendering of Replies, and neutralising user text.

Used by the console, as the fallback ``text`` of chat notifications, and as
the outbox's readable copy. Dates read the British way: ``Thu 7 Jan 2027``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.reply import Buttons, Fields, Heading, Items, Mention, Note, Paragraph, Ref, Reply, Rich, When

MAX_ECHO = 4000
LONDON = ZoneInfo("Europe/London")
_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.I)
_WORD_JOINER = "\u2060"
T = TypeVar("T")


_NUL = "\x00"  # PostgreSQL text and jsonb refuse it; nobody types it on purpose
_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone half of a broken emoji: not valid UTF-8


def storable(value: T) -> T:
    """``value`` with the characters no database column can hold removed
    (NUL, and lone UTF-16 surrogates that are not valid UTF-8) mended, in strings
    at any depth of lists and dicts. Applied where text enters the core (a
    Command) and again where anything is stored, so no path can make a
    parent's words fail on PostgreSQL and work on SQLite. A NUL is dropped; a
    broken character becomes the replacement character, so the reader sees that
    something was there."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value.replace(_NUL, ""))  # type: ignore[return-value]
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        return type(value)(storable(v) for v in value)
    return value


def neutralise(text: str, limit: int = MAX_ECHO) -> str:
    """Make user text safe to echo: no control characters, no broadcast
    mentions, no platform markup such as ``<!channel>``, at most ``limit``
    characters."""
    if not text.isprintable():  # printable text has no control (category C) characters to drop
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.replace("<!", "<" + _WORD_JOINER + "!")
    text = _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def format_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_datetime(at: dt.datetime, tz: ZoneInfo = LONDON) -> str:
    local = at.astimezone(tz)
    return f"{format_date(local.date())} {local:%H:%M}"


def format_when(when: When, tz: ZoneInfo = LONDON) -> str:
    value = when.value
    if isinstance(value, dt.datetime):
        return format_datetime(value, tz) if when.with_time else format_date(value.astimezone(tz).date())
    return format_date(value)


def rich_text(text: Rich, tz: ZoneInfo = LONDON) -> str:
    parts = []
    for span in text:
        if isinstance(span, str):
            parts.append(neutralise(span))
        elif isinstance(span, When):
            parts.append(format_when(span, tz))
        elif isinstance(span, Mention):
            parts.append(f"@{span.handle}")
        elif isinstance(span, Ref):
            parts.append(span.ref)
    return "".join(parts)


def plain_text(reply: Reply, tz: ZoneInfo = LONDON) -> str:
    lines: list[str] = []
    for block in reply.blocks:
        if isinstance(block, Heading | Paragraph):
            lines.append(rich_text(block.text, tz))
        elif isinstance(block, Note):
            lines.append("  " + rich_text(block.text, tz))
        elif isinstance(block, Fields):
            width = max((len(label) for label, _ in block.rows), default=0)
            lines.extend(f"  {label + ':':<{width + 1}} {rich_text(value, tz)}" for label, value in block.rows)
        elif isinstance(block, Items):
            if block.title:
                lines.append(block.title)
            if not block.items:
                lines.append(f"  {block.empty}")
            for item in block.items:
                flag = f"  [{item.flag}]" if item.flag else ""
                lines.append(f"  • {rich_text(item.text, tz)}{flag}")
        elif isinstance(block, Buttons):
            labels = [b.label for b in block.buttons]
            lines.append("  [" + "] [".join(labels) + "]")
    return "\n".join(lines)
