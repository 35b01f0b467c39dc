"""Text that goes into an Adaptive Card: user text escaped, people as Teams mentions.

Teams renders a markdown subset in TextBlocks and FactSets, turns ``<at>…</at>``
into mentions and ``{{DATE(…)}}`` into dates. User text reaches a card only
through ``escape``, so nobody can add a link, bold text, a list or a mention
to a message the bot sends on their behalf.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.reply import Mention, Ref, Rich, When
from bot.text import LONDON, format_when, neutralise

# Teams' markdown subset: emphasis, links ([…] is enough to break one), code and strike.
_MARKDOWN = "\\`*_[]~"
_LIST_MARKER = re.compile(r"^(\s*)([-+](?=\s)|\d+(?=[.)]\s))", re.M)
_WORD_JOINER = "\u2060"
# One pass (str.translate) for the characters escaped one by one: markdown gets a backslash, a tag
# opener a word joiner. A card's every text span goes through here, so a regex per span was costly.
_INERT = str.maketrans({**{ch: "\\" + ch for ch in _MARKDOWN}, "<": "<" + _WORD_JOINER})


def escape(text: str, limit: int | None = None) -> str:
    """User text as inert card text: neutralised, markdown escaped, no tags."""
    text = neutralise(text) if limit is None else neutralise(text, limit)
    text = text.translate(_INERT)
    return _LIST_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}", text).replace("{{", "{\\{")


def plain(text: str, limit: int = 256) -> str:
    """Text shown without markdown (button titles, choice titles, input values)."""
    return neutralise(text, limit).replace("\n", " ")


def mention_entity(mention: Mention) -> dict:
    """The entity that makes ``<at>Name</at>`` a real mention (by AAD object id)."""
    return {"type": "mention", "text": mention_text(mention),
            "mentioned": {"id": mention.address, "name": plain(mention.name)}}


def mention_text(mention: Mention) -> str:
    return f"<at>{plain(mention.name).replace('<', '')}</at>"


class RichWriter:
    """Writes rich text as card markdown and collects the mentions it used."""

    def __init__(self, tz: ZoneInfo = LONDON) -> None:
        self.tz = tz
        self.entities: list[dict] = []

    def write(self, text: Rich) -> str:
        return "".join(self._span(span) for span in text)

    def _span(self, span: object) -> str:
        if isinstance(span, str):
            return escape(span)
        if isinstance(span, When):
            return format_when(span, self.tz)
        if isinstance(span, Mention):
            if not span.address:
                return escape(f"@{span.handle}")
            entity = mention_entity(span)
            if entity not in self.entities:
                self.entities.append(entity)
            return entity["text"]
        if isinstance(span, Ref):
            return f"**{escape(span.ref)}**"
        raise TypeError(f"not a rich text span: {span!r}")
