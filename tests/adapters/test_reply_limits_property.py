"""Any reply fits both platforms: every Slack message passes slack_sdk's Block Kit validation
within 50 blocks, every Teams activity stays under 28 KB, and no item (nor any other text) is
lost between the parts."""

from __future__ import annotations

import json
import re

from botbuilder.schema import ChannelAccount, ConversationAccount
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from adapters.slack.render import MAX_BLOCKS, render_messages
from adapters.teams.cards import CONTINUED, CardRenderer
from adapters.teams.messenger import card_activity
from bot.reply import Button, Buttons, Fields, Heading, Item, Items, Note, Paragraph, Reply, rich

TEAMS_LIMIT = 28_000
# Texts up to 4,000 characters: a random pattern repeated to a random length (long texts are the point).
WORDS = st.builds(lambda pattern, length: (pattern * length)[:length],
                  st.text(alphabet=st.sampled_from("abcdefghij KLMNOP 0123 é ü 日本 \n"), min_size=1, max_size=30),
                  st.integers(min_value=1, max_value=4000))
SHORT = st.text(alphabet=st.sampled_from("abcdefgh "), min_size=1, max_size=40)
ITEMS = st.builds(lambda texts, title: Items(tuple(Item(rich(t), ref=f"A{i}") for i, t in enumerate(texts)), title),
                  st.lists(WORDS, min_size=0, max_size=60), st.one_of(st.none(), SHORT))
BLOCKS = st.one_of(
    ITEMS,
    st.builds(lambda t: Paragraph(rich(t)), WORDS),
    st.builds(lambda t: Heading(rich(t)), WORDS),
    st.builds(lambda t: Note(rich(t)), WORDS),
    st.builds(lambda rows: Fields(tuple((label, rich(value)) for label, value in rows)),
              st.lists(st.tuples(SHORT, WORDS), min_size=1, max_size=14)),
    st.builds(lambda labels: Buttons(tuple(Button(label, command=f"action show A{i}")
                                           for i, label in enumerate(labels))),
              st.lists(SHORT, min_size=1, max_size=30)),
)
REPLIES = st.builds(lambda blocks, summary: Reply(blocks=blocks, summary=summary),
                    st.lists(BLOCKS, min_size=1, max_size=5), SHORT)


def squash(text: str) -> str:
    """Words without the spacing, bullets and markdown escapes renderers may add or cut at."""
    return re.sub(r"[\s•\\\\*_]", "", text)


def item_texts(reply: Reply) -> list[str]:
    """Every text the reply holds: list items, paragraphs, headings, notes and field values."""
    texts = []
    for block in reply.blocks:
        if isinstance(block, Items):
            texts += [span for item in block.items for span in item.text]
        elif isinstance(block, Fields):
            texts += [span for _, value in block.rows for span in value]
        elif isinstance(block, Heading | Paragraph | Note):
            texts += list(block.text)
    return [squash(text) for text in texts]


def slack_texts(block: dict) -> list[str]:
    out = [block["text"]["text"]] if "text" in block else []
    out += [f["text"] for f in block.get("fields", [])]
    out += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return out


def card_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [node[k] for k in ("text", "value") if isinstance(node.get(k), str)] + \
            [t for v in node.values() for t in card_texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in card_texts(v)]
    return []


def wire_size(card: dict, summary: str) -> int:
    """The activity as botbuilder posts it to the connector, with its envelope."""
    activity = card_activity(card, summary)
    activity.service_url = "https://smba.trafficmanager.net/emea/"
    activity.conversation = ConversationAccount(id="19:" + "c" * 60 + "@thread.tacv2;messageid=1700000000000",
                                                conversation_type="channel", tenant_id="t" * 36)
    activity.from_property = ChannelAccount(id="28:" + "b" * 36, name="partnerbot")
    activity.recipient = ChannelAccount(id="29:" + "u" * 120, name="Someone With A Long Name", aad_object_id="a" * 36)
    activity.reply_to_id, activity.channel_id, activity.locale = "1700000000000", "msteams", "en-GB"
    return len(json.dumps(activity.serialize()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(REPLIES)
def test_every_slack_message_is_valid_block_kit_and_keeps_every_item(reply):
    messages = render_messages(reply)
    shown = []
    for message in messages:
        assert 1 <= len(message.blocks) <= MAX_BLOCKS
        assert len(message.text) <= 3000
        for block in message.blocks:
            Block.parse(block).validate_json()  # raises SlackObjectFormationError past any limit
            shown += slack_texts(block)
    everything = squash("".join(shown))
    for text in item_texts(reply):
        assert text in everything


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(REPLIES)
def test_every_teams_activity_is_under_the_limit_and_keeps_every_item(reply):
    renderer = CardRenderer()
    cards = renderer.render(reply)
    for card in cards:
        assert wire_size(card, reply.summary) < TEAMS_LIMIT
    # a list's title comes again "(continued)" on the next card, maybe inside a long item that was cut
    everything = squash("".join(t for card in cards for t in card_texts(card) if not t.endswith(CONTINUED)))
    for text in item_texts(reply):
        assert text in everything
    assert sum(len(b.items) for part in renderer.parts(reply) for b in part.blocks if isinstance(b, Items)) >= \
        sum(len(b.items) for b in reply.blocks if isinstance(b, Items))
