"""Replies survive the outbox: to_dict -> JSON -> from_dict gives the same Reply."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from bot.reply import (
    Button,
    Buttons,
    Fields,
    Heading,
    Item,
    Items,
    Mention,
    Note,
    Paragraph,
    Ref,
    Reply,
    When,
    from_dict,
    rich,
    to_dict,
)

text = st.text(max_size=30)
maybe_text = st.none() | text
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
aware = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                     timezones=st.just(dt.UTC))
when = st.builds(When, dates | aware, st.booleans())
mention = st.builds(Mention, st.none() | st.integers(1, 10**6), text, text)  # an address is never stored
ref = st.builds(Ref, st.from_regex(r"[AGMIWD][0-9]{1,4}", fullmatch=True))
spans = st.lists(text | when | mention | ref, max_size=5).map(tuple)
button = st.builds(Button, text, maybe_text, maybe_text, maybe_text, st.sampled_from([None, "primary", "danger"]),
                   st.lists(st.tuples(text, text), max_size=3).map(tuple), maybe_text)
block = st.one_of(
    st.builds(Heading, spans),
    st.builds(Paragraph, spans),
    st.builds(Note, spans),
    st.builds(Fields, st.lists(st.tuples(text, spans), max_size=4).map(tuple)),
    st.builds(Items, st.lists(st.builds(Item, spans, maybe_text, maybe_text), max_size=4).map(tuple), maybe_text, text),
    st.builds(Buttons, st.lists(button, max_size=4).map(tuple)),
)
replies = st.builds(Reply, st.lists(block, max_size=6), text, st.booleans(), st.booleans(), maybe_text,
                    st.lists(text, max_size=3))


@given(replies)
def test_reply_round_trips_through_json(reply: Reply) -> None:
    stored = json.loads(json.dumps(to_dict(reply)))
    assert from_dict(stored) == reply


def test_dates_and_times_keep_their_kind() -> None:
    reply = Reply().add(Paragraph(rich(When(dt.date(2027, 1, 7)), When(dt.datetime(2027, 1, 7, 10, tzinfo=dt.UTC),
                                                                        with_time=True))))
    back = from_dict(json.loads(json.dumps(to_dict(reply))))
    day, at = back.blocks[0].text
    assert type(day.value) is dt.date
    assert at.value == dt.datetime(2027, 1, 7, 10, tzinfo=dt.UTC) and at.with_time


def test_an_empty_payload_is_an_empty_reply() -> None:
    assert from_dict({}) == Reply()
