"""Block Kit rendering: what a Slack reader sees, and what nobody can smuggle into it."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from adapters.slack.render import (
    MAX_BLOCKS,
    SECTION_LIMIT,
    escape,
    render_messages,
    render_pieces,
    split_text,
    summary_message,
)
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
    rich,
)

LONDON = ZoneInfo("Europe/London")


def all_text(messages) -> str:
    return "\n".join(str(m.blocks) + m.text for m in messages)


def test_user_text_cannot_broadcast_mention_or_link():
    hostile = "<!channel> see <https://evil.example|your payslip> & <@U999>"
    reply = Reply(summary=hostile).add(Heading(rich(hostile)), Paragraph(rich(hostile)),
                                       Items((Item(rich(hostile)),), title=hostile), Note(rich(hostile)),
                                       Fields((("Owner", rich(hostile)),)))
    sent = all_text(render_messages(reply))
    assert "<!channel>" not in sent and "<https://evil" not in sent and "<@U999>" not in sent
    assert "!channel&gt;" in sent and "&lt;" in sent and "&amp;" in sent


def test_typed_broadcast_words_and_control_characters_are_defused():
    typed = "@channel please read \x1b[31m@here\u202e"
    sent = all_text(render_messages(Reply(summary=typed).add(Paragraph(rich(typed)))))
    assert not re.search(r"@(channel|here)", sent) and "\x1b" not in sent and "\u202e" not in sent
    assert "channel please read" in sent


def test_people_are_mentions_when_their_slack_id_is_known_else_names():
    linked = Mention(4, "owen", "Owen Pike", address="UOWEN")
    unlinked = Mention(5, "mia", "Mia <Lund>")
    [message] = render_messages(Reply().add(Paragraph(rich("Owners: ", linked, ", ", unlinked))))
    section = message.blocks[0]["text"]["text"]
    assert section == "Owners: <@UOWEN>, Mia &lt;Lund&gt;"


def test_dates_use_slack_date_tokens_with_a_british_fallback():
    day = When(dt.date(2027, 1, 7))
    at = When(dt.datetime(2027, 1, 7, 10, 0, tzinfo=LONDON), with_time=True)
    [message] = render_messages(Reply().add(Paragraph(rich("Meeting ", at, ", papers by ", day))))
    text = message.blocks[0]["text"]["text"]
    noon = int(dt.datetime(2027, 1, 7, 12, tzinfo=LONDON).timestamp())
    ten = int(dt.datetime(2027, 1, 7, 10, tzinfo=LONDON).timestamp())
    assert f"<!date^{ten}^{{date_short_pretty}} at {{time}}|Thu 7 Jan 2027 10:00>" in text
    assert f"<!date^{noon}^{{date_short_pretty}}|Thu 7 Jan 2027>" in text
    assert "Thu 7 Jan 2027 10:00" in message.text  # notifications read the fallback


def test_every_message_has_fallback_text():
    reply = Reply(summary="A12 is done.").add(Heading(rich(Ref("A12"), " Survey")), Buttons((Button("Open", "x"),)))
    [message] = render_messages(reply)
    assert message.text.startswith("A12 Survey")
    [bare] = render_messages(Reply(summary="Saved."))
    assert bare.text == "Saved." and bare.blocks


def test_long_lists_split_under_section_and_message_limits():
    items = tuple(Item(rich(Ref(f"A{i}"), " ", "Chase the school transport review " * 10, When(dt.date(2027, 1, 7))),
                       flag="overdue") for i in range(400))
    messages = render_messages(Reply().add(Items(items, title="Open actions (400)")))
    assert len(messages) > 1
    shown = []
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        for block in message.blocks:
            text = block["text"]["text"]
            assert len(text) <= SECTION_LIMIT
            assert text.count("<") == text.count(">")  # no date token cut in half
            shown.extend(re.findall(r"• (A\d+)", text))
    assert shown == [f"A{i}" for i in range(400)]


def test_one_long_paragraph_is_cut_between_words_not_inside_markup():
    words = " ".join(["a&b"] * 2000)  # 8,000 characters of user text, each & escaped to &amp;
    pieces = render_pieces(Reply().add(Paragraph(rich(words))))
    texts = [p.block["text"]["text"] for p in pieces]
    assert len(texts) >= 3 and all(len(t) <= SECTION_LIMIT for t in texts)
    assert all(re.fullmatch(r"(a&amp;b ?)+", t) for t in texts)


def test_split_text_keeps_tokens_whole():
    token = "<!date^1800014400^{date_short_pretty}|Fri 15 Jan 2027>"
    text = "x" * 2990 + token + " tail"
    parts = split_text(text, 3000)
    assert parts[1].startswith(token)


def test_more_than_ten_fields_spread_over_sections():
    rows = tuple((f"Field {i}", rich(str(i))) for i in range(13))
    pieces = render_pieces(Reply().add(Fields(rows)))
    assert [len(p.block["fields"]) for p in pieces] == [10, 3]


def test_buttons_commands_forms_choices_and_links():
    reply = Reply().add(Buttons((
        Button("Done", command="action done A12", style="primary"),
        Button("Update", form="action.update", ref="A12"),
        Button("Snooze", ref="A12", form="action.snooze",
               choices=(("1 day", "action snooze A12 1"), ("1 week", "action snooze A12 7"))),
        Button("Paper", url="https://docs.example/paper.pdf"),
    )))
    [message] = render_messages(reply)
    done, update, snooze, paper = message.blocks[0]["elements"]
    assert (done["value"], done["style"]) == ("run:action done A12", "primary")
    assert update["value"] == "form:action.update:A12"
    assert snooze["type"] == "static_select" and snooze["placeholder"]["text"] == "Snooze"
    assert [o["value"] for o in snooze["options"]] == ["run:action snooze A12 1", "run:action snooze A12 7",
                                                       "form:action.snooze:A12"]
    assert [o["text"]["text"] for o in snooze["options"]][-1] == "Pick a date…"
    assert paper["url"] == "https://docs.example/paper.pdf"
    ids = [e["action_id"] for e in message.blocks[0]["elements"]]
    assert len(set(ids)) == 4


def test_action_ids_stay_unique_across_several_button_rows():
    reply = Reply().add(Buttons((Button("A", "a"),)), Paragraph(rich("between")), Buttons((Button("B", "b"),)))
    [message] = render_messages(reply)
    ids = [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == len(set(ids)) == 2


def test_refusals_are_marked():
    [message] = render_messages(Reply(error=True, summary="No.").add(Paragraph(rich("Only the chair can."))))
    assert message.blocks[0]["text"]["text"].startswith(":warning: Only the chair can.")


def test_channel_summary_is_escaped():
    message = summary_message(Reply(summary="Agenda item G3 <b> accepted", public=True))
    assert message.text == "Agenda item G3 &lt;b&gt; accepted"
    assert escape("<&>") == "&lt;&amp;&gt;"
