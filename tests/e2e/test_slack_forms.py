"""The Update form over Slack, as Slack sends it (signed ``payload=`` requests against the local
fake Slack API): opened from an action's card, submitted once, applied whole or not at all.
tests/e2e/test_teams_forms.py submits the same form over Teams and expects the same board."""

from __future__ import annotations

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
from tests.e2e.slack_harness import (
    SlackRig,
    element,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)

ANSWERS = {"note": {"type": "plain_text_input", "value": NOTE},
           "due": {"type": "datepicker", "selected_date": NEW_DUE},
           "owners": {"type": "multi_users_select", "selected_users": ["UMIA"]}}


def inputs(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


async def open_update(rig: SlackRig, user: str, message: dict, channel: str, ephemeral: bool = False) -> tuple:
    pressed = await rig.slack.press(user, element(message, "Update"), message, channel=channel, ephemeral=ephemeral)
    view = (await rig.fake.wait_for("views.open"))[-1].args["view"]
    return pressed, view


async def test_the_update_form_changes_note_due_date_and_owners_in_one_go(rig: SlackRig):
    card, _ = await rig.command(ADD, count=2)  # the chair's own copy, with the action's buttons
    pressed, view = await open_update(rig, "UCHAIR", card, "C1", ephemeral=True)
    assert view["title"]["text"] == "Update A1" and inputs(view) == UPDATE_FIELDS
    sent = await rig.slack.submit("UCHAIR", view, ANSWERS)
    assert sent.status == 200 and not sent.body  # the modal closes
    [answer, *_] = await rig.fake.wait_for("response_url", url=pressed.response_url)
    assert UPDATED in text_of(answer.args) and answer.args.get("replace_original")
    await assert_updated_in_one_go(rig.services)
    assert "gave you action" in text_of(await rig.dm("UMIA"))


async def test_an_update_that_is_partly_refused_changes_nothing(rig: SlackRig):
    await rig.command(ADD, count=2)
    reminder = await rig.dm("UOWEN")  # Owen owns A1: he may note progress but not move its due date alone
    _, view = await open_update(rig, "UOWEN", reminder, "DUOWEN")
    refused = await rig.slack.submit("UOWEN", view, {"note": ANSWERS["note"], "due": ANSWERS["due"]})
    assert refused.json() == {"response_action": "errors", "errors": {"due": NOT_THE_OWNER_ALONE}}
    await assert_untouched(rig.services)
    empty = await rig.slack.submit("UOWEN", view, {"note": {"type": "plain_text_input", "value": " "}})
    assert set(empty.json()["errors"]) == {"note"}
