"""The Update form over Teams, as Teams sends it (activities to /api/messages with Bot Framework
JWTs signed by the local OpenID keys): opened as a dialog from an action's card (``task/fetch``),
submitted once (``task/submit``), applied whole or not at all. tests/e2e/test_slack_forms.py
submits the same form over Slack and expects the same board."""

from __future__ import annotations

import pytest

from tests.adapters.teams.teams_fakes import OpenIdServer, TeamsUser, activity, message
from tests.adapters.teams.teams_harness import PEOPLE, Server
from tests.e2e.conftest import APP_ID
from tests.e2e.forms_scenario import (
    ADD,
    NEW_DUE,
    NOT_THE_OWNER_ALONE,
    NOTE,
    UPDATE_FIELDS,
    UPDATED,
    assert_untouched,
    assert_updated_in_one_go,
)


@pytest.fixture
def server(signed_server: Server) -> Server:
    return signed_server


async def send(server: Server, openid: OpenIdServer, body: dict) -> object:
    status, answer = await server.post(body, openid.token(APP_ID, server.connector.url))
    assert status == 200, answer
    return answer


def button(card: dict, title: str) -> dict:
    found = [a for block in card.get("body", []) for a in block.get("actions", []) if a.get("title") == title]
    assert found, card
    return found[0]


async def update_button(server: Server, openid: OpenIdServer) -> dict:
    """The chair logs an action in their personal chat; its card's Update button."""
    await send(server, openid, message(ADD, PEOPLE["chair"], server.connector.url))
    card = server.connector.posts()[-1].cards()[0]
    update = button(card, "Update")
    assert update["type"] == "Action.Submit" and update["data"]["msteams"] == {"type": "task/fetch"}
    return update["data"]


def dialog(name: str, user: TeamsUser, server: Server, data: dict) -> dict:
    return activity("invoke", user, server.connector.url, name=name, replyToId="act-1",
                    value={"type": name, "data": data, "context": {"theme": "default"}})


def inputs(task: dict) -> dict[str, dict]:
    card = task["task"]["value"]["card"]["content"]
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def attention(task: dict) -> list[str]:
    return [e["text"] for e in task["task"]["value"]["card"]["content"]["body"] if e.get("color") == "Attention"]


async def test_the_update_form_changes_note_due_date_and_owners_in_one_go(server, openid):
    data = await update_button(server, openid)
    opened = await send(server, openid, dialog("task/fetch", PEOPLE["chair"], server, data))
    assert opened["task"]["type"] == "continue" and opened["task"]["value"]["title"] == "Update A1"
    assert list(inputs(opened)) == UPDATE_FIELDS
    assert {"title": "Mia Lund (@mia)", "value": "@mia"} in inputs(opened)["owners"]["choices"]
    done = await send(server, openid, dialog("task/submit", PEOPLE["chair"], server,
                                             {**data, "note": NOTE, "due": NEW_DUE, "owners": "@mia"}))
    assert done == {"task": {"type": "message", "value": UPDATED}}
    await assert_updated_in_one_go(server.services)
    [refreshed] = server.connector.of("update")  # the card it was opened from shows the new state
    assert refreshed.activity_id == "act-1" and UPDATED in refreshed.text()


async def test_an_update_that_is_partly_refused_changes_nothing(server, openid):
    data = await update_button(server, openid)
    # Owen owns A1: he may note progress but not move its due date alone.
    refused = await send(server, openid, dialog("task/submit", PEOPLE["owen"], server,
                                                {**data, "note": NOTE, "due": NEW_DUE}))
    assert refused["task"]["type"] == "continue" and attention(refused) == [NOT_THE_OWNER_ALONE]
    assert inputs(refused)["note"]["value"] == NOTE  # what they typed is kept
    await assert_untouched(server.services)
    empty = await send(server, openid, dialog("task/submit", PEOPLE["owen"], server, {**data, "note": " "}))
    assert attention(empty) == ["Write a progress note, or change the due date or owners."]
