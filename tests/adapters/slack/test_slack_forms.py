"""Modals: built with pickers, read back into the commands the core runs, refusals placed on fields."""

from __future__ import annotations

import pytest

from adapters.slack import forms
from adapters.slack.forms import Origin
from bot.reply import Reply


def state(**elements: dict) -> dict:
    return {field: {field: element} for field, element in elements.items()}


def inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def test_new_action_modal_has_user_and_date_pickers_and_keeps_its_origin():
    origin = Origin(channel="C1", source_link="https://board.slack.com/archives/C1/p1")
    view = forms.modal("action.add", origin, prefill="Send the survey to all heads")
    fields = inputs(view)
    assert fields["text"]["initial_value"] == "Send the survey to all heads"
    assert fields["owners"]["type"] == "multi_users_select"
    assert fields["due"]["type"] == "datepicker"
    assert fields["ws"]["type"] == fields["meeting"]["type"] == "external_select"
    assert Origin.load(view["private_metadata"]) == origin
    assert "https://board.slack.com/archives/C1/p1" in str(view["blocks"][-1])
    assert len(view["title"]["text"]) <= 24


def test_every_form_opens():
    for name in forms.FORMS:
        view = forms.modal(name, Origin(ref="A3"))
        assert view["callback_id"] == forms.CALLBACK + name and inputs(view)


def test_action_add_submission_becomes_one_command_with_values():
    values = state(text={"type": "plain_text_input", "value": " Circulate survey "},
                   owners={"type": "multi_users_select", "selected_users": ["UOWEN", "UMIA"]},
                   due={"type": "datepicker", "selected_date": "2027-01-15"},
                   ws={"type": "external_select", "selected_option": {"value": "W1"}},
                   meeting={"type": "external_select", "selected_option": None})
    assert forms.commands_for("action.add", values, Origin()) == [("action add", {
        "text": "Circulate survey", "owners": ["@slack:UOWEN", "@slack:UMIA"], "due": "2027-01-15", "ws": "W1"})]


def test_action_update_runs_one_command_per_change():
    values = state(note={"type": "plain_text_input", "value": "12 schools replied"},
                   due={"type": "datepicker", "selected_date": "2027-02-01"},
                   owners={"type": "multi_users_select", "selected_users": []})
    assert forms.commands_for("action.update", values, Origin(ref="A4")) == [
        ("action update A4", {"note": "12 schools replied"}), ("action due A4", {"due": "2027-02-01"})]


def test_empty_update_is_refused_on_the_note_field():
    with pytest.raises(forms.Invalid) as refused:
        forms.commands_for("action.update", state(note={"type": "plain_text_input", "value": "  "}), Origin(ref="A4"))
    assert set(refused.value.errors) == {"note"}


def test_agenda_snooze_and_issue_submissions():
    agenda = state(title={"type": "plain_text_input", "value": "Transport review"},
                   paper={"type": "url_text_input", "value": "https://docs.example/p.pdf"},
                   spotlight={"type": "checkboxes", "selected_options": [{"value": "spotlight"}]})
    assert forms.commands_for("agenda.propose", agenda, Origin()) == [("agenda propose", {
        "title": "Transport review", "paper": "https://docs.example/p.pdf", "spotlight": True})]
    snooze = state(until={"type": "datepicker", "selected_date": "2026-11-20"})
    assert forms.commands_for("action.snooze", snooze, Origin(ref="A2")) == [
        ("action snooze A2", {"until": "2026-11-20"})]
    issue = state(text={"type": "plain_text_input", "value": "No reply about transport"})
    assert forms.commands_for("issue.raise", issue, Origin()) == [("issue raise", {"text": "No reply about transport"})]


def test_core_refusals_land_on_the_named_field_or_the_first_one():
    view = forms.modal("action.add", Origin())
    reply = Reply(error=True, summary="That date is in the past.", field_errors={"due": "That date is in the past."})
    assert forms.field_errors(view, reply) == {"due": "That date is in the past."}
    elsewhere = Reply(error=True, summary="x", field_errors={"ref": "There is no action A99."})
    assert forms.field_errors(view, elsewhere) == {"text": "There is no action A99."}
    forbidden = Reply(error=True, summary="Only owners can update this action. " * 10)
    [(field, message)] = forms.field_errors(view, forbidden).items()
    assert field == "text" and len(message) <= forms.ERROR_LIMIT
