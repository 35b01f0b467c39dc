"""Reading a parent's direct message: is it small talk, too short to act on,
a question about the board, or a concern? Pure functions, unit-tested by
table, so the intake (bot.commands.intake) reads as a list of rules.

When in doubt a message is a concern: a worry logged by mistake is one
button from being dropped, a worry dropped by mistake is a family unheard.
"""

from __future__ import annotations

import re
import unicodedata

from bot.text import storable

# Kept whole up to this many characters; anything beyond is kept as further parts.
PART_CHARS = 100_000
MERGE_SECONDS = 120  # messages this close together, with no open concern, are one concern
REOPEN_DAYS = 28  # "it's not resolved" within this many days of resolution offers a reopen

_SMALL_TALK_WORDS = {
    "hi", "hello", "hey", "hiya", "morning", "afternoon", "evening", "good", "thanks", "thank", "thankyou", "you",
    "many", "cheers", "ok", "okay", "okey", "great", "bye", "goodbye", "there", "all", "lovely", "much", "so", "very",
    "ta", "brilliant", "fine", "cool", "nice", "and", "again", "day", "have", "a"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_QUESTION_START = re.compile(r"^\s*(when|what|where|who|how|is|are|can|could|do|does|will|which|why)\b", re.I)
# What a board question is about, and the command that answers it.
_BOARD_TOPICS = (
    (re.compile(r"\bmeetings?\b", re.I), "meeting next"),
    (re.compile(r"\bdeadlines?\b|\bpapers?\b|\bdue\b", re.I), "deadlines"),
    (re.compile(r"\bagenda\b", re.I), "agenda list"),
    (re.compile(r"\b(board|bot|you)\b.*\b(do|work|help)\b|\bcommands?\b", re.I), "help"),
)
# Words that mean someone's life is in it: then it is a concern, question or not.
_CONCERN_MARKERS = re.compile(
    r"\b(my|our|his|her|their)\s+(son|daughter|child|children|kid|kids|boy|girl|family|grandson|granddaughter)\b|"
    r"\b(son|daughter|child|ehcp?|ehc|plan|school|transport|taxi|excluded|exclusion|nurse|therapy|therap\w*|"
    r"diagnos\w*|assessment|waiting|waited|appointment|camhs|social worker|respite|placement|tribunal|"
    r"complain\w*|upset|worried|worry|nobody|no one|refused|cancelled|stopped)\b", re.I)
_NOT_RESOLVED = re.compile(
    r"\b(not|isn't|isnt|hasn't|hasnt|wasn't|never)\b.{0,20}\b(resolved|sorted|fixed|solved|happened|came|done)\b|"
    r"\bstill\s+(not|no|waiting|hasn't|happening|going on)\b|\breopen\b|\bstarted again\b|\bstopped again\b", re.I)


def clean(text: str) -> str:
    """Text as it may be stored and shown (see bot.text.storable): never an error."""
    return storable(text)


def parts(text: str, limit: int = PART_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters: the first is the
    concern, the rest are kept as further parts of it."""
    return [text[i:i + limit] for i in range(0, len(text), limit)] or [""]


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def is_small_talk(text: str) -> bool:
    """Only a greeting or thanks ("Hi!", "thanks so much", "ok 👍"), perhaps with a name.

    "Hi, my son was excluded" is not: that is a concern with a greeting in front.
    """
    found = words(text)
    if not found:
        return False
    unknown = [w for w in found if w not in _SMALL_TALK_WORDS]
    return not unknown or (len(found) <= 3 and len(unknown) == 1 and found[0] in _SMALL_TALK_WORDS
                           and _capitalised(text, unknown[0]))


def _capitalised(text: str, word: str) -> bool:
    """A name typed after a greeting ("Thanks Sam")."""
    return any(w[:1].isupper() for w in _WORD.findall(text) if w.lower() == word)


def is_tiny(text: str) -> bool:
    """A few characters or emoji only: too little to log as a concern."""
    letters = [c for c in text if unicodedata.category(c)[0] in "LN"]
    return len(letters) < 4 or (len(words(text)) == 1 and len(letters) < 10)


def is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(_QUESTION_START.match(text))


def names_a_concern(text: str) -> bool:
    return bool(_CONCERN_MARKERS.search(text))


def board_question(text: str) -> str | None:
    """The command that answers a question about the board itself, if it is one."""
    if not is_question(text) or names_a_concern(text):
        return None
    return next((command for pattern, command in _BOARD_TOPICS if pattern.search(text)), None)


def unsure_question(text: str) -> bool:
    """A question that names no one's situation: perhaps asking, perhaps a concern."""
    return is_question(text) and not names_a_concern(text) and len(words(text)) <= 30


def says_not_resolved(text: str) -> bool:
    return bool(_NOT_RESOLVED.search(text))
