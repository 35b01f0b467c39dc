"""Conversations with the Teams bot on botbuilder's TestAdapter: every command family,
issue intake by direct message, card buttons and forms, the message extension and installs."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from adapters.config import Settings
from adapters.services import build_services
from adapters.teams.bot import NO_PRIVATE_CHAT, PRIVATE_NOTE
from bot.ports import FixedClock
from tests.adapters.teams.teams_fakes import activity, card_action
from tests.adapters.teams.teams_harness import (
    NOW,
    PEOPLE,
    SERVICE_URL,
    TeamsChat,
    cards_of,
    link_everyone,
    seed_board,
    text_of,
)

CHANNEL = "19:board@thread.tacv2"
ADD = "action add Circulate the survey @mia due 15/1/2027"


@pytest.fixture
async def chat(db_url: str) -> AsyncIterator[TeamsChat]:
    services = build_services(Settings(database_url=db_url, log_json=False), FixedClock(NOW.astimezone(dt.UTC)))
    await seed_board(services)
    await link_everyone(services)
    chat = TeamsChat(services)
    await chat.open_personal_chats()
    yield chat
    await services.close()


def to(activities, conversation: str):
    return [a for a in activities if a.conversation.id == conversation]


@pytest.mark.parametrize(("setup", "text", "expected"), [
    ([], ADD, ["Action A1 logged.", "Circulate the survey", "Fri 15 Jan 2027"]),
    ([ADD], "action list", ["Open actions (1)", "A1", "Circulate the survey"]),
    ([], "agenda propose Transport review", ["Agenda item G1 proposed.", "Papers are due by Tue 29 Dec 2026"]),
    (["agenda propose Transport review"], "agenda list", ["G1", "Transport review", "Papers due Tue 29 Dec 2026"]),
    ([], "meeting next", ["M1", "Thu 7 Jan 2027 10:00", "Civic Centre"]),
    ([ADD], "deadlines 90", ["Fri 15 Jan 2027", "Circulate the survey"]),
    ([], "member list", ["Board members (6)", "Owen Pike (OP)"]),
    ([], "whoami", ["Owen Pike", "Health Trust"]),
    ([], "help", ["action add", "agenda propose", "issue raise"]),
], ids=["action add", "action list", "agenda propose", "agenda list", "meetings", "deadlines", "members",
        "whoami", "help"])
async def test_each_command_family_in_a_personal_chat(chat, setup, text, expected):
    for line in setup:
        await chat.send(chat.say(line))
    answer = to(await chat.send(chat.say(text)), "a:personal-owen")
    assert answer and all(a.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"
                          for a in answer)
    for words in expected:
        assert words in text_of(answer)


async def test_unknown_commands_get_a_suggestion(chat):
    answer = await chat.send(chat.say("acton list"))
    assert "action list" in text_of(answer) and cards_of(answer)[0]["body"][0]["color"] == "Attention"


async def test_owners_hear_of_new_actions_with_an_at_mention_of_who_logged_it(chat):
    sent = await chat.send(chat.say(ADD))
    notice = to(sent, "a:personal-mia")
    assert "logged an action for you" in text_of(notice)
    card = cards_of(notice)[0]
    assert {"type": "mention", "text": "<at>Owen Pike</at>",
            "mentioned": {"id": "aad-owen", "name": "Owen Pike"}} in card["msteams"]["entities"]


async def test_channel_command_with_mentions_shows_the_channel_the_summary(chat):
    body = chat.in_channel("action add Circulate the survey <at>Mia Lund</at> due 15/1/2027", mentions=("mia",),
                           mention_aad=True)
    sent = await chat.send(body)
    channel = to(sent, f"{CHANNEL};messageid=1700000000")
    assert text_of(channel).startswith("Action A1 logged.")
    assert "Owners" not in text_of(channel)  # details go to the asker
    assert "Done" in text_of(channel)  # but anyone may act on it
    assert "Owners" in text_of(to(sent, "a:personal-owen"))
    assert to(sent, "a:personal-mia")


async def test_answers_that_change_nothing_go_to_the_asker_privately(chat):
    await chat.send(chat.say("My son's EHCP review is late", "pat"))
    sent = await chat.send(chat.in_channel("issue list", who="sec"))
    assert "EHCP review" in text_of(to(sent, "a:personal-sec"))
    channel = to(sent, f"{CHANNEL};messageid=1700000000")
    assert text_of(channel) == PRIVATE_NOTE and "EHCP" not in text_of(channel)


async def test_without_a_personal_chat_nothing_private_is_posted_in_the_channel(chat, monkeypatch):
    async def teams_refuses(*args, **kwargs):
        return None

    monkeypatch.setattr(chat.bot.messenger, "personal", teams_refuses)
    sent = await chat.send(chat.in_channel("whoami"))
    assert NO_PRIVATE_CHAT in text_of(sent) and "Health Trust" not in text_of(sent)


async def test_a_parent_reps_direct_message_becomes_a_confidential_issue_with_a_receipt(chat):
    sent = await chat.send(chat.say("My son's EHCP review is 3 months late and nobody answers", "pat"))
    receipt = text_of(to(sent, "a:personal-pat"))
    assert "Your concern is logged as I1" in receipt.replace("**", "")
    assert "confidential" in receipt
    assert not [a for a in sent if a.conversation.id.startswith("19:")]
    async with chat.services.db.uow() as uow:
        issue = await uow.issues.get(1)
    assert issue.text == "My son's EHCP review is 3 months late and nobody answers"


async def test_a_members_direct_message_is_a_command_not_an_issue(chat):
    sent = await chat.send(chat.say("My son's EHCP review is late", "owen"))
    assert "I1" not in text_of(sent)


async def test_done_button_runs_as_the_presser_and_refreshes_the_card(chat):
    await chat.send(chat.say(ADD))
    response, sent = await chat.invoke(card_action({"pb_kind": "command", "pb_command": "action done A1"},
                                                   PEOPLE["mia"], SERVICE_URL, conversation="a:personal-mia",
                                                   reply_to="act-42"))
    assert response.status == 200
    assert response.body["statusCode"] == 200
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Reopen" in text_of([_card(response.body["value"])])
    assert not chat.adapter.updated_activities  # the invoke response is the refreshed card: no extra PUT
    async with chat.services.db.uow() as uow:
        assert (await uow.actions.get(1)).status == "done"
    assert "Mia Lund" in text_of(to(sent, "a:personal-owen"))  # the creator hears it was done


async def test_buttons_in_a_channel_refresh_the_card_for_everyone_with_the_public_view(chat):
    await chat.send(chat.say(ADD))
    response, sent = await chat.invoke(card_action({"pb_kind": "command", "pb_command": "action done A1"},
                                                   PEOPLE["mia"], SERVICE_URL, conversation=CHANNEL,
                                                   conversation_type="channel", reply_to="act-7"))
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    card = text_of([_card(response.body["value"])])
    assert "A1" in card and "Reopen" in card and not chat.adapter.updated_activities


async def test_a_press_on_a_shared_reminder_leaves_it_for_everyone_else(chat):
    response, sent = await chat.invoke(card_action({"pb_kind": "command", "pb_command": "apologies M1"},
                                                   PEOPLE["owen"], SERVICE_URL, conversation=f"{CHANNEL};messageid=9",
                                                   conversation_type="channel", reply_to="act-9"))
    summary = "Apologies from Owen Pike recorded for M1."
    assert response.body == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                             "value": summary}
    assert not chat.adapter.updated_activities  # "Send apologies" stays on the reminder for the others
    assert summary in text_of(to(sent, f"{CHANNEL};messageid=9"))  # told in the reminder's thread


async def test_a_form_from_a_shared_reminder_answers_without_replacing_it(chat):
    sent = await chat.send(chat.in_channel("", value={"pb_kind": "form", "pb_form": "agenda.propose", "pb_ref": "M1",
                                                   "title": "Transport review"}, replyToId="act-3"))
    assert not chat.adapter.updated_activities
    assert "Agenda item G1 proposed." in text_of(to(sent, "19:board@thread.tacv2;messageid=1700000000"))
    async with chat.services.db.uow() as uow:
        assert [i.title for i in await uow.agenda.for_meeting(1)] == ["Transport review"]


async def test_private_answers_to_channel_buttons_go_to_the_presser(chat):
    await chat.send(chat.say(ADD))
    response, sent = await chat.invoke(card_action({"pb_kind": "command", "pb_command": "action show A1"},
                                                   PEOPLE["lead"], SERVICE_URL, conversation=CHANNEL,
                                                   conversation_type="channel"))
    assert response.body == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                             "value": PRIVATE_NOTE}
    assert "Circulate the survey" in text_of(to(sent, "a:personal-lead"))
    assert not chat.adapter.updated_activities


async def test_form_errors_come_back_in_the_card_next_to_the_input(chat):
    await chat.send(chat.say(ADD))
    response, _ = await chat.invoke(card_action(
        {"pb_kind": "form", "pb_form": "action.snooze", "pb_ref": "A1", "until": "2020-01-01"},
        PEOPLE["mia"], SERVICE_URL, conversation="a:personal-mia"))
    body = response.body["value"]["body"]
    until = next(i for i, e in enumerate(body) if e.get("id") == "until")
    assert body[until]["value"] == "2020-01-01"
    assert "in the past" in body[until + 1]["text"] and body[until + 1]["color"] == "Attention"
    assert not chat.adapter.updated_activities  # the card keeps its place until the form is right


async def test_forms_pass_their_values_to_the_core(chat):
    await chat.send(chat.say(ADD))
    response, _ = await chat.invoke(card_action(
        {"pb_kind": "form", "pb_form": "action.update", "pb_ref": "A1", "note": "Sent to 40 schools"},
        PEOPLE["mia"], SERVICE_URL, conversation="a:personal-mia"))
    assert response.status == 200
    async with chat.services.db.uow() as uow:
        notes = [u.note for u in await uow.actions.updates(1)]
    assert "Sent to 40 schools" in notes


async def test_action_add_form_with_people_picker_and_date(chat):
    response, sent = await chat.invoke(card_action(
        {"pb_kind": "form", "pb_form": "action.add", "text": "Book the venue", "owners": "@mia,aad-lead",
         "due": "2027-01-08", "ws": "W1", "meeting": ""}, PEOPLE["owen"], SERVICE_URL,
        conversation="a:personal-owen"))
    assert "Action A1 logged." in text_of([_card(response.body["value"])])
    async with chat.services.db.uow() as uow:
        action = await uow.actions.get(1)
        lead = await uow.identities.member_for("teams", "aad-lead")
    assert action.text == "Book the venue" and action.due == dt.date(2027, 1, 8) and lead.id in action.owner_ids
    assert to(sent, "a:personal-lead") and to(sent, "a:personal-mia")


async def test_typing_a_bare_form_command_opens_the_form(chat):
    sent = await chat.send(chat.say("agenda propose"))
    inputs = [e["id"] for e in cards_of(sent)[0]["body"] if e["type"].startswith("Input.")]
    assert inputs == ["title", "meeting", "paper", "spotlight"]
    meeting = next(e for e in cards_of(sent)[0]["body"] if e.get("id") == "meeting")
    assert meeting["choices"][0]["value"] == "M1"


async def test_action_submit_from_older_clients_updates_the_card_in_place(chat):
    await chat.send(chat.say(ADD))
    await chat.send(chat.say("", "mia", value={"pb_kind": "command", "pb_command": "action done A1"},
                             replyToId="act-9"))
    updated = chat.adapter.updated_activities[-1]
    assert updated.id == "act-9" and "Reopen" in text_of([updated])


async def test_message_extension_prefills_log_as_action_with_the_message(chat):
    response, _ = await chat.invoke(activity(
        "invoke", PEOPLE["owen"], SERVICE_URL, conversation=CHANNEL, conversation_type="channel",
        name="composeExtension/fetchTask",
        value={"commandId": "logAction", "commandContext": "message", "messagePayload": {
            "body": {"contentType": "html", "content": "<p>Can someone <b>circulate</b> the survey &amp; notes?</p>"},
            "linkToMessage": "https://teams.microsoft.com/l/message/19:board/1"}}))
    task = response.body["task"]
    assert response.status == 200 and task["type"] == "continue"
    card = task["value"]["card"]["content"]
    text = next(e for e in card["body"] if e.get("id") == "text")
    assert text["value"] == "Can someone circulate the survey & notes?"
    assert card["actions"][0]["type"] == "Action.Submit"


async def test_message_extension_submit_logs_the_action_or_shows_errors(chat):
    def submit(data: dict) -> dict:
        return activity("invoke", PEOPLE["owen"], SERVICE_URL, conversation=CHANNEL, conversation_type="channel",
                        name="composeExtension/submitAction",
                        value={"commandId": "logAction", "data": data, "messagePayload": {
                            "linkToMessage": "https://teams.microsoft.com/l/message/19:board/1"}})

    refused, _ = await chat.invoke(submit({"text": "Circulate the survey", "owners": "@mia"}))
    form = refused.body["task"]["value"]["card"]["content"]
    assert any(e.get("color") == "Attention" for e in form["body"])
    done, sent = await chat.invoke(submit({"text": "Circulate the survey", "owners": "@mia", "due": "2027-01-15"}))
    assert done.body == {"task": {"type": "message", "value": "Action A1 logged."}}
    assert "Action A1 logged." in text_of(to(sent, CHANNEL))


async def test_raise_as_issue_stays_private(chat):
    done, sent = await chat.invoke(activity(
        "invoke", PEOPLE["pat"], SERVICE_URL, conversation=CHANNEL, conversation_type="channel",
        name="composeExtension/submitAction",
        value={"commandId": "raiseIssue", "data": {"text": "Transport to school keeps failing"}}))
    assert done.status == 200
    assert not to(sent, CHANNEL)
    assert "I1" in text_of(to(sent, "a:personal-pat")).replace("**", "")


async def test_install_in_a_team_greets_and_remembers_the_channel(chat):
    sent = await chat.send(activity("conversationUpdate", PEOPLE["chair"], SERVICE_URL, conversation=CHANNEL,
                                    conversation_type="channel",
                                    membersAdded=[{"id": "28:partnerbot", "name": "partnerbot"}]))
    assert "Type help" in text_of(sent) and "@partnerbot action list" in text_of(sent)
    async with chat.services.db.uow() as uow:
        ref = await uow.platform.get_ref("teams", CHANNEL)
    assert ref["serviceUrl"] == SERVICE_URL and ref["tenantId"] == "tenant-1"
    assert ref["conversation"]["conversationType"] == "channel"


async def test_personal_install_greets_once(chat):
    sent = await chat.send(activity("installationUpdate", PEOPLE["mia"], SERVICE_URL, conversation="a:new",
                                    action="add"))
    sent += await chat.send(activity("conversationUpdate", PEOPLE["mia"], SERVICE_URL, conversation="a:new",
                                     membersAdded=[{"id": "28:partnerbot"}]))
    assert len(sent) == 1 and "action list mine" in text_of(sent)
    assert await chat.store.get("user:aad-mia")


async def test_a_redelivered_message_runs_once(chat):
    body = chat.say(ADD)
    await chat.send(body)
    again = await chat.send(dict(body))
    assert again == []
    async with chat.services.db.uow() as uow:
        assert len(await uow.actions.list_all()) == 1


def _card(content: dict):
    from botbuilder.schema import Activity, Attachment

    return Activity(attachments=[Attachment(content_type="application/vnd.microsoft.card.adaptive",
                                            content=content)])


async def test_a_privacy_export_in_teams_is_a_link_in_the_askers_personal_chat(chat):
    chat.services.settings.public_url = "https://bot.example"
    sent = to(await chat.send(chat.say("privacy export @pat", "sec")), "a:personal-sec")
    assert "as a file for you alone" in text_of(sent)
    assert "Open partnerbot-export-pat-" in text_of(sent) and "File links work for 30 days." in text_of(sent)
    assert "Pat Quinn" not in text_of(sent)  # the export itself is behind the link, never on a card
    assert "Pat Quinn" not in text_of(sent)  # the export itself never reaches a card
