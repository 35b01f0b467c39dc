"""Modals: the core's forms built with pickers, read back into the one command the core runs,
refusals placed on fields."""

from __future__ import annotations

import pytest

from adapters.slack import forms
from adapters.slack.forms import Origin
from bot.commands import build_router
from bot.forms import Invalid
from bot.reply import Reply

FORMS = build_router().forms()


def state(**elements: dict) -> dict:
    return {field: {field: element} for field, element in elements.items()}


def inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def submitted(form_id: str, values: dict, ref: str | None = None) -> tuple[str, dict]:
    form = FORMS.by_id[form_id]
    return form.submission(forms.values(form, values), ref)


def test_new_action_modal_has_user_and_date_pickers_and_keeps_its_origin():
    origin = Origin(channel="C1", source_link="https://board.slack.com/archives/C1/p1")
    view = forms.modal(FORMS.by_id["action.add"], origin, prefill="Send the survey to all heads")
    fields = inputs(view)
    assert fields["text"]["initial_value"] == "Send the survey to all heads"
    assert fields["owners"]["type"] == "multi_users_select"
    assert fields["due"]["type"] == "datepicker"
    assert fields["ws"]["type"] == fields["meeting"]["type"] == "external_select"
    assert Origin.load(view["private_metadata"]) == origin
    assert "https://board.slack.com/archives/C1/p1" in str(view["blocks"][-1])
    assert len(view["title"]["text"]) <= 24


def test_every_form_opens():
    for form in FORMS:
        view = forms.modal(form, Origin(ref="A3"))
        assert view["callback_id"] == forms.CALLBACK + form.id and inputs(view)


def test_action_add_submission_becomes_one_command_with_values():
    values = state(text={"type": "plain_text_input", "value": " Circulate survey "},
                   owners={"type": "multi_users_select", "selected_users": ["UOWEN", "UMIA"]},
                   due={"type": "datepicker", "selected_date": "2027-01-15"},
                   ws={"type": "external_select", "selected_option": {"value": "W1"}},
                   meeting={"type": "external_select", "selected_option": None})
    assert submitted("action.add", values) == ("action add", {
        "text": "Circulate survey", "owners": ["@slack:UOWEN", "@slack:UMIA"], "due": "2027-01-15", "ws": "W1"})


def test_action_update_is_one_command_with_every_change():
    # This used to run one command per change (partial success was possible); it is one command now.
    values = state(note={"type": "plain_text_input", "value": "12 schools replied"},
                   due={"type": "datepicker", "selected_date": "2027-02-01"},
                   owners={"type": "multi_users_select", "selected_users": []})
    assert submitted("action.update", values, "A4") == (
        "action update A4", {"note": "12 schools replied", "due": "2027-02-01"})


def test_empty_update_is_refused_on_the_note_field():
    with pytest.raises(Invalid) as refused:
        submitted("action.update", state(note={"type": "plain_text_input", "value": "  "}), "A4")
    assert set(refused.value.errors) == {"note"}


def test_agenda_snooze_and_issue_submissions():
    agenda = state(title={"type": "plain_text_input", "value": "Transport review"},
                   paper={"type": "url_text_input", "value": "https://docs.example/p.pdf"},
                   spotlight={"type": "checkboxes", "selected_options": [{"value": "true"}]})
    assert submitted("agenda.propose", agenda) == ("agenda propose", {
        "title": "Transport review", "paper": "https://docs.example/p.pdf", "spotlight": True})
    snooze = state(until={"type": "datepicker", "selected_date": "2026-11-20"})
    assert submitted("action.snooze", snooze, "A2") == ("action snooze A2", {"until": "2026-11-20"})
    issue = state(text={"type": "plain_text_input", "value": "No reply about transport"})
    assert submitted("issue.raise", issue) == ("issue raise", {"text": "No reply about transport"})


def test_core_refusals_land_on_the_named_field_or_the_first_one():
    view = forms.modal(FORMS.by_id["action.add"], Origin())
    reply = Reply(error=True, summary="That date is in the past.", field_errors={"due": "That date is in the past."})
    assert forms.refusal(view, reply) == {"due": "That date is in the past."}
    elsewhere = Reply(error=True, summary="x", field_errors={"ref": "There is no action A99."})
    assert forms.refusal(view, elsewhere) == {"text": "There is no action A99."}
    forbidden = Reply(error=True, summary="Only owners can update this action. " * 10)
    [(field, message)] = forms.refusal(view, forbidden).items()
    assert field == "text" and len(message) <= forms.ERROR_LIMIT
