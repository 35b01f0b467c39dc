"""Reading the free text after a command word.

Commands read like sentences (``action add Send survey @owen due next Friday
ws W1``), so we tokenise respecting quotes and chat mentions, then take
keyword options off the end, right to left. Words that merely look like a
keyword inside the free text ("the due diligence report") stay text, because
only the rightmost valid occurrence of each keyword counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import BadArgument
from bot.model import Prefix

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_TOKEN = re.compile(r'"[^"]*"|<[^>]*>|\S+')
_REF = re.compile(r"^([A-Za-z])(\d{1,7})$")
REF_IN_TEXT = re.compile(r"\b[A-Z]\d+\b")  # A12, I7, M3… anywhere in a command's text


def first_ref(text: str) -> str | None:
    """The first board reference in ``text`` (``action done A12`` -> ``A12``): what a
    button's command is about, so a platform knows which message the answer renews."""
    found = REF_IN_TEXT.search(text)
    return found.group() if found else None


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_QUOTES))


def unquote(token: str) -> str:
    return token[1:-1] if len(token) >= 2 and token[0] == token[-1] == '"' else token


def is_mention(token: str) -> bool:
    """``@owen``, ``@OP`` or an account token (bot.identity): adapters write every mention so."""
    return token.startswith("@")


def parse_ref(token: str, prefix: Prefix, what: str, field: str = "ref") -> int:
    """``A12`` -> 12 for prefix A; anything else is refused with an example."""
    m = _REF.match(token.strip().rstrip(".,"))
    if not m or m[1].upper() != prefix.value:
        raise BadArgument(
            f"“{token}” is not {what} reference.",
            hint=f"{what.split(' ', 1)[-1].capitalize()} references look like {prefix.value}12.",
            field=field,
        )
    return int(m[2])


def looks_like_ref(prefix: Prefix) -> Callable[[list[str]], bool]:
    return lambda value: len(value) == 1 and bool(_REF.match(value[0])) and value[0][0].upper() == prefix.value


def any_value(value: list[str]) -> bool:
    return bool(value)


def single_value(value: list[str]) -> bool:
    return len(value) == 1


def flag(value: list[str]) -> bool:
    return not value


@dataclass
class Parsed:
    head: list[str]
    options: dict[str, str]

    @property
    def text(self) -> str:
        return " ".join(self.head)


def parse_options(text: str, options: dict[str, Callable[[list[str]], bool]]) -> Parsed:
    """Split ``text`` into leading words and trailing ``keyword value`` options.

    ``options`` maps each keyword to a check of its value tokens; ``flag``
    options take none. Flags are returned with the value "yes".
    """
    tokens = tokenize(text)
    found: dict[str, str] = {}
    end = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i].lower()
        check = options.get(word)
        if check is None or word in found:
            continue
        value = tokens[i + 1 : end]
        if check(value):
            found[word] = " ".join(unquote(v) for v in value) if value else "yes"
            end = i
    return Parsed(tokens[:end], found)


def split_mentions(tokens: list[str]) -> tuple[str, list[str]]:
    """Free text, then the run of person tokens that ends it.

    ``Ask @mia about the pathway @owen`` is text "Ask @mia about the pathway"
    owned by @owen: only the trailing mentions name owners. With no trailing
    mention, a final quoted name (``"Owen Pike"``) names the owner.
    """
    cut = len(tokens)
    while cut and is_mention(tokens[cut - 1]):
        cut -= 1
    if cut == len(tokens) and cut > 1 and tokens[-1].startswith('"'):
        cut -= 1
    return " ".join(tokens[:cut]), tokens[cut:]
