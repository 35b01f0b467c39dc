"""Who sees a reply, and where: one rule for every chat platform.

An adapter says where a command was asked (a ``Place``: the asker's own
conversation or a shared one, a thread, a button on a message others see or
only the presser sees, what the place can show one person alone) and the core
answers with an ``Audience``; the adapter only carries it out. The rule:

* A refusal never replaces a pressed message (the message keeps its buttons)
  and never reaches a channel's summary: whispered where the place can show
  the asker a line alone, else said where it was asked (it holds nothing
  confidential), or in their private chat where there is no conversation.
* In the asker's own conversation (a DM, the console) the answer is said there;
  where there is no conversation (a home page) it goes to their private chat.
* A press on a message only the presser sees is answered in its place when it
  changed something (a reminder turns into "A12 is done"), or on every press
  where the platform answers presses in place.
* A change everyone may see (``Reply.public``) pressed on a shared message
  that the reply renews (that thing's card, with buttons of its own) replaces
  the message for everyone; the rest goes to the presser privately.
* Otherwise in a shared place a public change shows the channel its summary
  (in the pressed message's thread, or the thread asked in), and the full answer
  goes to the asker alone: whispered where the place can hold a whole reply,
  else in their private chat. Anything else in a shared place is the asker's
  alone in the same way, because it may concern confidential issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.reply import Reply


class Seen(Enum):
    """Where the asker sees the whole reply."""

    HERE = "here"  # in the conversation it was asked in, for whoever is in it
    WHISPER = "whisper"  # in that conversation, to the asker alone
    PRIVATE = "private"  # in the asker's private chat with the bot (a shared place gets a note that it went there)
    PRESSED = "pressed"  # in place of the message they pressed, which is theirs alone


class Summary(Enum):
    """Whether, and where, a shared place sees the one-line summary of a change."""

    NONE = "none"
    CHANNEL = "channel"
    THREAD = "thread"  # the pressed message's thread, or the thread the command was asked in


class Whisper(Enum):
    """What a place can show the asker alone, without a second conversation."""

    NONE = "none"
    TEXT = "text"  # a line (Teams' answer to an invoke)
    FULL = "full"  # a whole reply (a Slack ephemeral message)


@dataclass(frozen=True)
class Pressed:
    """The message whose button was pressed (or whose form was opened)."""

    shared: bool  # others see it (a channel post), not only the presser (an ephemeral, a DM)
    about: str | None = None  # the board reference it is about (A12), if any
    answers_in_place: bool = False  # the platform answers every press on a private message in its place


@dataclass(frozen=True)
class Place:
    """Where a command was asked. The default is the console: the asker's own conversation."""

    shared: bool = False  # a channel or group chat; False: the asker's DM with the bot, the console
    conversation: bool = True  # False where there is nothing to answer in (a home page)
    thread: bool = False  # asked in a thread
    whisper: Whisper = Whisper.NONE
    pressed: Pressed | None = None


@dataclass(frozen=True)
class Audience:
    """What the adapter does with a reply: where the asker sees it, whether the
    shared place sees the summary, and whether a shared pressed message is renewed."""

    seen: Seen = Seen.HERE
    summary: Summary = Summary.NONE
    renew: bool = False  # the pressed shared message becomes the reply's public view, for everyone


def decide(place: Place, reply: Reply, changed: bool) -> Audience:
    """The audience of ``reply`` asked at ``place`` (``changed``: it changed the board)."""
    if reply.error:
        if place.whisper is not Whisper.NONE:
            return Audience(Seen.WHISPER)
        return Audience(Seen.HERE if place.conversation else Seen.PRIVATE)
    pressed = place.pressed
    if pressed is not None and not pressed.shared and (changed or pressed.answers_in_place):
        return Audience(Seen.PRESSED)
    if not place.shared:
        return Audience(_alone(place))
    public = changed and reply.public and bool(reply.summary)
    if public and pressed is not None and pressed.shared and reply.renews(pressed.about):
        return Audience(Seen.PRIVATE, renew=True)
    summary = Summary.NONE
    if public:
        summary = Summary.THREAD if pressed is not None or place.thread else Summary.CHANNEL
    return Audience(_alone(place), summary)


def _alone(place: Place) -> Seen:
    """How the asker alone sees a whole reply."""
    if not place.shared:
        return Seen.HERE if place.conversation else Seen.PRIVATE
    return Seen.WHISPER if place.whisper is Whisper.FULL else Seen.PRIVATE
