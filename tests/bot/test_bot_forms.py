"""The neutral form: answers checked once for every platform, every field's error at once,
and the one command a form becomes."""

from __future__ import annotations

import pytest

from bot.forms import REQUIRED, Field, Form, Forms, Invalid, Kind, runs
from bot.router import Router

FORM = Form("thing.add", "Add a thing to {ref}", (
    Field("title", "Title", required=True),
    Field("due", "Due", Kind.DATE, required=True),
    Field("people", "People", Kind.MEMBERS),
    Field("size", "Size", Kind.CHOICE, choices=(("Small", "s"), ("Large", "l")), default="s"),
    Field("urgent", "Urgent", Kind.CHECKBOX),
), runs("thing add"))


def errors(submitted: dict) -> dict[str, str]:
    with pytest.raises(Invalid) as refused:
        FORM.submission(submitted, "M4")
    return refused.value.errors


def test_answers_become_one_command_on_the_reference():
    text, values = FORM.submission({"title": " Venue ", "due": "2027-01-15", "people": ["@owen", " "],
                                    "size": "l", "urgent": "true"}, "M4")
    assert text == "thing add M4"
    assert values == {"title": "Venue", "due": "2027-01-15", "people": ["@owen"], "size": "l", "urgent": True}


def test_empty_answers_are_left_out_and_checkboxes_are_always_there():
    assert FORM.submission({"title": "Venue", "due": "2027-01-15", "people": "", "size": ""})[1] == {
        "title": "Venue", "due": "2027-01-15", "urgent": False}


def test_every_field_error_comes_back_at_once():
    assert errors({"title": "  ", "due": "next week", "size": "huge"}) == {
        "title": REQUIRED, "due": "Due: pick a date.", "size": "Size: pick one of the choices."}


def test_a_rule_across_fields_runs_once_each_field_is_right():
    form = Form("x.y", "X", (Field("a", "A"), Field("b", "B")), runs("x y"),
                check=lambda values: {} if values else {"a": "Fill in A or B."})
    with pytest.raises(Invalid) as refused:
        form.submission({"a": " "})
    assert refused.value.errors == {"a": "Fill in A or B."}
    assert form.submission({"b": "yes"}) == ("x y", {"b": "yes"})


def test_titles_defaults_and_prefill():
    assert FORM.title_for("M4") == "Add a thing to M4" and FORM.needs_ref
    assert FORM.defaults() == {"size": "s"}
    assert FORM.prefill("From a message") == {"title": "From a message"}


def test_forms_register_beside_commands_and_are_found_by_id():
    root, child = Router("root"), Router("things")
    child.form(FORM)
    root.include(child)
    assert root.forms().get("thing.add") is FORM and root.forms().get("nope") is None
    with pytest.raises(ValueError, match="registered twice"):
        Forms([FORM, FORM])
