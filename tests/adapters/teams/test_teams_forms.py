"""Form submissions become Command values; the core's field errors land next to their inputs."""

from __future__ import annotations

from adapters.teams.cards import form_card
from adapters.teams.forms import FORMS, FormChoices, values_from_submit


def test_people_picker_values_become_mention_tokens():
    data = {"text": " Circulate the survey ", "owners": "@owen,aad-mia", "due": "2027-01-15", "ws": "",
            "meeting": "M1", "pb_kind": "form"}
    assert values_from_submit(FORMS["action.add"], data) == {
        "text": "Circulate the survey", "owners": ["@owen", "@teams:aad-mia"], "due": "2027-01-15", "meeting": "M1"}


def test_toggles_are_booleans_not_strings():
    form = FORMS["agenda.propose"]
    assert values_from_submit(form, {"title": "Transport", "spotlight": "false"})["spotlight"] is False
    assert values_from_submit(form, {"title": "Transport", "spotlight": "true"})["spotlight"] is True


def test_form_commands_carry_the_reference():
    assert FORMS["action.update"].command_text("A12") == "action update A12"
    assert FORMS["action.add"].command_text(None) == "action add"


def test_validation_errors_are_shown_under_their_inputs_and_values_kept():
    card = form_card(FORMS["action.add"], None, FormChoices(),
                     values={"text": "Survey", "due": "2020-01-01"},
                     errors={"due": "That date has passed.", "": "Check the form."})
    body = card["body"]
    due = next(i for i, e in enumerate(body) if e.get("id") == "due")
    assert body[due]["value"] == "2020-01-01"
    assert body[due + 1] == {"type": "TextBlock", "text": "That date has passed.", "color": "Attention",
                             "size": "Small", "wrap": True, "spacing": "None"}
    assert body[1]["text"] == "Check the form." and body[1]["color"] == "Attention"
    assert next(e for e in body if e.get("id") == "text")["value"] == "Survey"
    assert card["actions"][0]["data"] == {"pb_kind": "form", "pb_form": "action.add", "pb_ref": None}
