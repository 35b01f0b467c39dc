"""Every form the core registers opens on every platform, asking every question, and becomes a
command the core knows: a form added beside its commands needs nothing in the adapters."""

from __future__ import annotations

import json

import pytest

from adapters.slack import forms as slack
from adapters.teams.cards import CARD_VERSION, form_card
from adapters.teams.forms import FormChoices
from bot.commands import build_router
from bot.forms import Form, Kind

ROUTER = build_router()
FORMS = list(ROUTER.forms())
SLACK_ELEMENTS = {Kind.TEXT: "plain_text_input", Kind.LONG_TEXT: "plain_text_input", Kind.URL: "url_text_input",
                  Kind.DATE: "datepicker", Kind.MEMBERS: "multi_users_select", Kind.CHECKBOX: "checkboxes"}
TEAMS_INPUTS = {Kind.TEXT: "Input.Text", Kind.LONG_TEXT: "Input.Text", Kind.URL: "Input.Text", Kind.DATE: "Input.Date",
                Kind.MEMBERS: "Input.ChoiceSet", Kind.CHOICE: "Input.ChoiceSet", Kind.CHECKBOX: "Input.Toggle"}


def ref_for(form: Form) -> str | None:
    return "A123" if form.needs_ref else None


def test_the_board_has_its_forms():
    assert {f.id for f in FORMS} == {"action.add", "action.update", "action.snooze", "agenda.propose", "issue.raise"}


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_every_form_becomes_a_registered_command(form: Form):
    text, _ = form.becomes({}, ref_for(form))
    spec, _ = ROUTER.resolve(text)
    assert spec.changes_state and text.startswith(spec.name)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_every_form_opens_as_a_slack_modal(form: Form):
    view = slack.modal(form, slack.Origin(ref=ref_for(form)), prefill="From a message")
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(blocks) == [f.name for f in form.fields]
    for question in form.fields:
        element = blocks[question.name]["element"]
        expected = SLACK_ELEMENTS.get(question.kind, "external_select" if question.source else "static_select")
        assert element["type"] == expected and element["action_id"] == question.name
        assert blocks[question.name]["optional"] is not question.required
    assert view["callback_id"] == slack.CALLBACK + form.id
    assert 0 < len(view["title"]["text"]) <= 24 and 0 < len(view["submit"]["text"]) <= 24


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_every_form_opens_as_a_teams_card(form: Form):
    choices = FormChoices(members=[("Owen Pike (@owen)", "@owen")], workstreams=[("W1 Local provision", "W1")],
                          meetings=[("M1 Thu 7 Jan 2027 10:00", "M1")])
    card = form_card(form, ref_for(form), choices, values=form.prefill("From a message"), action="Action.Submit")
    found = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert list(found) == [f.name for f in form.fields]
    for question in form.fields:
        assert found[question.name]["type"] == TEAMS_INPUTS[question.kind]
        assert found[question.name]["isRequired"] is question.required
    assert card["version"] == CARD_VERSION and json.dumps(card)
    assert card["actions"] == [{"type": "Action.Submit", "title": form.submit, "style": "positive",
                                "data": {"pb_kind": "form", "pb_form": form.id, "pb_ref": ref_for(form)}}]
    assert form.title_for(ref_for(form)) in card["body"][0]["text"]
