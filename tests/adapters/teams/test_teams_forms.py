"""Form submissions become the one command their form stands for; the core's field errors land
next to their inputs."""

from __future__ import annotations

from adapters.teams.cards import form_card
from adapters.teams.forms import FormChoices, values_from_submit
from bot.commands import build_router

FORMS = build_router().forms()


def submitted(form_id: str, data: dict, ref: str | None = None) -> tuple[str, dict]:
    form = FORMS.by_id[form_id]
    return form.submission(values_from_submit(form, data), ref)


def test_people_picker_values_become_mention_tokens():
    data = {"text": " Circulate the survey ", "owners": "@owen,aad-mia", "due": "2027-01-15", "ws": "",
            "meeting": "M1", "pb_kind": "form"}
    assert submitted("action.add", data) == ("action add", {
        "text": "Circulate the survey", "owners": ["@owen", "@teams:aad-mia"], "due": "2027-01-15", "meeting": "M1"})


def test_toggles_are_booleans_not_strings():
    assert submitted("agenda.propose", {"title": "Transport", "spotlight": "false"})[1]["spotlight"] is False
    assert submitted("agenda.propose", {"title": "Transport", "spotlight": "true"})[1]["spotlight"] is True


def test_form_commands_carry_the_reference():
    assert submitted("action.update", {"note": "Sent"}, "A12") == ("action update A12", {"note": "Sent"})
    assert submitted("issue.raise", {"text": "No transport"})[0] == "issue raise"


def test_the_update_form_asks_for_a_note_a_due_date_and_owners():
    card = form_card(FORMS.by_id["action.update"], "A12", FormChoices(members=[("Owen Pike (@owen)", "@owen")]))
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert list(inputs) == ["note", "due", "owners"]
    assert inputs["due"]["type"] == "Input.Date" and inputs["owners"]["isMultiSelect"]
    assert card["body"][0]["text"] == "Update A12"


def test_validation_errors_are_shown_under_their_inputs_and_values_kept():
    card = form_card(FORMS.by_id["action.add"], None, FormChoices(),
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
