"""The audience rule's table: who sees a reply, and where, for every kind of place."""

from __future__ import annotations

import pytest

from bot.audience import Audience, Place, Pressed, Seen, Summary, Whisper, decide
from bot.grammar import first_ref
from bot.reply import Button, Buttons, Paragraph, Reply, rich


def card(ref: str = "A12", public: bool = True) -> Reply:
    """A12's card after a change: its summary, its refs and buttons of its own."""
    reply = Reply(summary=f"{ref} is done. Thank you!", public=public, refs=[ref])
    return reply.add(Paragraph(rich(f"{ref} is done.")), Buttons((Button("Reopen", command=f"action reopen {ref}"),)))


def read(ref: str = "A12") -> Reply:
    return Reply(summary=f"{ref} details", refs=[ref]).add(Paragraph(rich("details")))


def refusal() -> Reply:
    return Reply(error=True, summary="Only the chair can do that.")


CONSOLE = Place()
HOME = Place(conversation=False)  # Slack's App Home: nowhere to answer but the DM
SLACK_DM = Place(whisper=Whisper.FULL)
SLACK_CHANNEL = Place(shared=True, whisper=Whisper.FULL)
SLACK_THREAD = Place(shared=True, thread=True, whisper=Whisper.FULL)
SLACK_EPHEMERAL = Place(shared=True, whisper=Whisper.FULL, pressed=Pressed(shared=False, about="A12"))
SLACK_CHANNEL_POST = Place(shared=True, whisper=Whisper.FULL, pressed=Pressed(shared=True, about="A12"))
TEAMS_PERSONAL = Place()
TEAMS_CHANNEL = Place(shared=True, thread=True)
TEAMS_PERSONAL_CARD = Place(whisper=Whisper.TEXT, pressed=Pressed(shared=False, about="A12", answers_in_place=True))
TEAMS_CHANNEL_CARD = Place(shared=True, thread=True, whisper=Whisper.TEXT,
                           pressed=Pressed(shared=True, about="A12", answers_in_place=True))
TEAMS_CHANNEL_SUBMIT = Place(shared=True, thread=True, pressed=Pressed(shared=True, about="A12", answers_in_place=True))

PRIVATE_ONLY = Audience(Seen.PRIVATE)
WHISPERED = Audience(Seen.WHISPER)

TABLE = [
    # place, reply, changed, audience
    ("console read", CONSOLE, read(), False, Audience(Seen.HERE)),
    ("console change", CONSOLE, card(), True, Audience(Seen.HERE)),
    ("home press", HOME, card(), True, PRIVATE_ONLY),
    ("home refusal", HOME, refusal(), False, PRIVATE_ONLY),
    ("DM change", SLACK_DM, card(), True, Audience(Seen.HERE)),
    ("DM refusal", SLACK_DM, refusal(), False, WHISPERED),
    ("channel read", SLACK_CHANNEL, read(), False, WHISPERED),
    ("channel change", SLACK_CHANNEL, card(), True, Audience(Seen.WHISPER, Summary.CHANNEL)),
    ("channel private change", SLACK_CHANNEL, card(public=False), True, WHISPERED),
    ("channel refusal", SLACK_CHANNEL, refusal(), False, WHISPERED),
    ("thread change", SLACK_THREAD, card(), True, Audience(Seen.WHISPER, Summary.THREAD)),
    ("ephemeral press that changed", SLACK_EPHEMERAL, card(), True, Audience(Seen.PRESSED)),
    ("ephemeral press that read", SLACK_EPHEMERAL, read(), False, WHISPERED),
    ("ephemeral press refused", SLACK_EPHEMERAL, refusal(), False, WHISPERED),
    ("shared post renewed", SLACK_CHANNEL_POST, card(), True, Audience(Seen.PRIVATE, renew=True)),
    ("shared post, another thing's card", SLACK_CHANNEL_POST, card("A13"), True,
     Audience(Seen.WHISPER, Summary.THREAD)),
    ("shared post, a change with no card", SLACK_CHANNEL_POST,
     Reply(summary="Apologies recorded", public=True, refs=["A12"]), True, Audience(Seen.WHISPER, Summary.THREAD)),
    ("shared post, a private change", SLACK_CHANNEL_POST, card(public=False), True, WHISPERED),
    ("shared post refused", SLACK_CHANNEL_POST, refusal(), False, WHISPERED),
    ("Teams personal", TEAMS_PERSONAL, card(), True, Audience(Seen.HERE)),
    ("Teams personal refusal", TEAMS_PERSONAL, refusal(), False, Audience(Seen.HERE)),
    ("Teams channel read", TEAMS_CHANNEL, read(), False, PRIVATE_ONLY),
    ("Teams channel change", TEAMS_CHANNEL, card(), True, Audience(Seen.PRIVATE, Summary.THREAD)),
    ("Teams channel refusal", TEAMS_CHANNEL, refusal(), False, Audience(Seen.HERE)),
    ("Teams personal card read", TEAMS_PERSONAL_CARD, read(), False, Audience(Seen.PRESSED)),
    ("Teams personal card refused", TEAMS_PERSONAL_CARD, refusal(), False, WHISPERED),
    ("Teams channel card renewed", TEAMS_CHANNEL_CARD, card(), True, Audience(Seen.PRIVATE, renew=True)),
    ("Teams channel card read", TEAMS_CHANNEL_CARD, read(), False, PRIVATE_ONLY),
    ("Teams channel card refused", TEAMS_CHANNEL_CARD, refusal(), False, WHISPERED),
    ("Teams channel card, another thing", TEAMS_CHANNEL_CARD, card("M1"), True,
     Audience(Seen.PRIVATE, Summary.THREAD)),
    ("Teams channel submit refused", TEAMS_CHANNEL_SUBMIT, refusal(), False, Audience(Seen.HERE)),
]


@pytest.mark.parametrize(("place", "reply", "changed", "expected"), [row[1:] for row in TABLE],
                         ids=[row[0] for row in TABLE])
def test_the_audience_table(place: Place, reply: Reply, changed: bool, expected: Audience) -> None:
    assert decide(place, reply, changed) == expected


@pytest.mark.parametrize("place", [row[1] for row in TABLE], ids=[row[0] for row in TABLE])
def test_a_refusal_never_replaces_a_message_nor_reaches_the_channel(place: Place) -> None:
    audience = decide(place, refusal(), changed=False)
    assert audience.seen is not Seen.PRESSED and audience.summary is Summary.NONE and not audience.renew


@pytest.mark.parametrize("place", [row[1] for row in TABLE if row[1].shared], ids=[row[0] for row in TABLE
                                                                                 if row[1].shared])
def test_in_a_shared_place_only_a_public_change_is_seen_by_others(place: Place) -> None:
    for reply, changed in ((read(), False), (card(public=False), True)):
        audience = decide(place, reply, changed)
        assert audience.seen in (Seen.WHISPER, Seen.PRIVATE, Seen.PRESSED) and audience.summary is Summary.NONE
        assert not audience.renew


def test_the_reference_a_button_is_about() -> None:
    assert first_ref("action done A12 sent to all heads") == "A12"
    assert first_ref("agenda propose M3 Transport") == "M3"
    assert first_ref("issue show I7") == "I7"
    assert first_ref("action list mine") is None
    assert first_ref("A12B is not one") is None
