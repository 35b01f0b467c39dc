"""Adaptive Card rendering of the neutral Reply: what a Teams user sees and can press."""

from __future__ import annotations

import datetime as dt
import json

from adapters.teams.cards import CARD_VERSION, MAX_ITEMS_PER_CARD, CardRenderer, form_card
from adapters.teams.forms import FormChoices
from adapters.teams.markup import escape
from bot.commands import build_router
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


def texts(card: dict) -> list[str]:
    out = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                out.append(node["text"])
            for fact in node.get("facts", []):
                out.append(f"{fact['title']}: {fact['value']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card["body"])
    return out


def actions(card: dict) -> dict[str, dict]:
    return {a["title"]: a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]}


def test_cards_use_schema_1_5_and_full_width():
    card = CardRenderer().render(Reply().add(Paragraph(rich("Hello"))))[0]
    assert card["type"] == "AdaptiveCard" and card["version"] == CARD_VERSION == "1.5"
    assert card["msteams"]["width"] == "Full"


def test_user_text_cannot_add_markdown_links_or_mentions():
    hostile = "**urgent** [click](https://evil.example) <at>Cara Hale</at> _x_ {{DATE(2026-01-01T00:00:00Z)}}"
    card = CardRenderer().render(Reply().add(Paragraph(rich(hostile))))[0]
    text = texts(card)[0]
    assert "**urgent**" not in text and "\\*\\*urgent\\*\\*" in text
    assert "[click](" not in text and "\\[click\\](https://evil.example)" in text
    assert "<at>" not in text  # a word joiner breaks the tag
    assert "{{" not in text
    assert "entities" not in card["msteams"]


def test_list_markers_and_control_characters_are_neutralised():
    assert escape("- not a list\n1. nor this") == "\\- not a list\n\\1. nor this"
    assert escape("bell\x07 and @here") == "bell and @\u2060here"


def test_dates_read_in_london_with_the_weekday():
    summer = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # already 2 July in London (BST)
    reply = Reply().add(Fields((("Due", rich(When(dt.date(2027, 1, 7)))), ("Meeting", rich(When(summer, True))))))
    assert texts(CardRenderer().render(reply)[0]) == ["Due: Thu 7 Jan 2027", "Meeting: Thu 2 Jul 2026 00:30"]


def test_people_with_a_teams_id_are_mentioned_for_real():
    owen = Mention(4, "owen", "Owen Pike", address="aad-owen")
    mia = Mention(5, "mia", "Mia Lund")  # not on Teams: shown by handle
    reply = Reply().add(Paragraph(rich("Escalated to ", owen, " and ", mia, " about ", Ref("A12"))))
    card = CardRenderer().render(reply)[0]
    assert texts(card) == ["Escalated to <at>Owen Pike</at> and @mia about **A12**"]
    assert card["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Owen Pike</at>", "mentioned": {"id": "aad-owen", "name": "Owen Pike"}}]


def test_action_buttons_run_commands_open_forms_and_offer_choices():
    reply = Reply().add(Heading(rich("A12 due today")), Buttons((
        Button("Done", command="action done A12", style="primary"),
        Button("Update", form="action.update", ref="A12"),
        Button("Snooze", ref="A12", form="action.snooze",
               choices=(("1 day", "action snooze A12 1"), ("1 week", "action snooze A12 7"))),
        Button("Open", command="action show A12"),
        Button("Paper", url="https://sharepoint.example/paper.pdf"),
        Button("Bad link", url="javascript:alert(1)"),
    )))
    found = actions(CardRenderer().render(reply)[0])
    assert found["Done"] == {"type": "Action.Execute", "title": "Done", "verb": "command", "style": "positive",
                             "data": {"pb_kind": "command", "pb_command": "action done A12"}}
    assert found["Open"]["data"]["pb_command"] == "action show A12"
    # Forms open as dialogs now (task/fetch), no longer inline in the card.
    assert found["Update"] == {"type": "Action.Submit", "title": "Update", "data": {
        "msteams": {"type": "task/fetch"}, "pb_kind": "form", "pb_form": "action.update", "pb_ref": "A12"}}
    snooze = found["Snooze"]["card"]
    assert found["Snooze"]["type"] == "Action.ShowCard"
    assert [a["title"] for a in snooze["actions"]] == ["1 day", "1 week", "Pick a date…"]
    assert snooze["actions"][1]["data"]["pb_command"] == "action snooze A12 7"
    assert snooze["actions"][2]["data"]["msteams"] == {"type": "task/fetch"}
    assert snooze["actions"][2]["data"]["pb_form"] == "action.snooze"
    assert found["Paper"]["type"] == "Action.OpenUrl"
    assert "Bad link" not in found


def test_buttons_in_dialogs_are_submits():
    reply = Reply().add(Buttons((Button("Done", command="action done A1"),)))
    action = actions(CardRenderer(action="Action.Submit").render(reply)[0])["Done"]
    assert action["type"] == "Action.Submit" and "verb" not in action


def test_long_lists_are_split_across_cards_and_flags_shown():
    items = tuple(Item(rich(Ref(f"A{n}"), f" task {n}"), f"A{n}", "overdue 2 working days" if n == 1 else None)
                  for n in range(1, 46))
    reply = Reply().add(Heading(rich("Open actions")), Items(items, title="All"), Note(rich("45 actions")))
    cards = CardRenderer().render(reply)
    shown = [t for card in cards for t in texts(card) if t.startswith("• ")]
    assert len(cards) == 3 and len(shown) == 45
    assert all(sum(t.startswith("• ") for t in texts(card)) <= MAX_ITEMS_PER_CARD for card in cards)
    assert texts(cards[1])[0] == "All (continued)"
    assert texts(cards[-1])[-1] == "45 actions"
    first = next(e for e in cards[0]["body"] if e["text"].startswith("• **A1**"))
    assert first["text"].endswith("— _overdue 2 working days_") and first["color"] == "Attention"
    assert all(len(json.dumps(card)) < 28000 for card in cards)


def test_empty_lists_say_so():
    card = CardRenderer().render(Reply().add(Items((), title="Mine", empty="No open actions.")))[0]
    assert texts(card) == ["Mine", "No open actions."]


def test_errors_are_highlighted():
    card = CardRenderer().render(Reply(error=True).add(Paragraph(rich("There is no action A99."))))[0]
    assert card["body"][0]["color"] == "Attention"


def test_forms_offer_board_members_workstreams_and_meetings():
    choices = FormChoices(members=[("Owen Pike (@owen)", "@owen")], workstreams=[("W1 Local provision", "W1")],
                          meetings=[("M1 Thu 7 Jan 2027 10:00", "M1")])
    form = form_card(build_router().forms().by_id["action.add"], None, choices)
    inputs = {i["id"]: i for i in form["body"] if i["type"].startswith("Input.")}
    assert list(inputs) == ["text", "owners", "due", "ws", "meeting"]
    assert inputs["owners"]["isMultiSelect"] and inputs["owners"]["choices"] == [
        {"title": "Owen Pike (@owen)", "value": "@owen"}]
    assert inputs["owners"]["choices.data"]["dataset"] == "graph.microsoft.com/users"
    assert inputs["due"]["type"] == "Input.Date" and inputs["due"]["isRequired"]
    assert inputs["ws"]["choices"] == [{"title": "W1 Local provision", "value": "W1"}]
