"""Buttons, menus, modals, shortcuts and the App Home, sent as Slack sends them (``payload=``, signed)."""

from __future__ import annotations

from bot.model import OutboxMessage
from bot.reply import Button, Buttons, Paragraph, Reply, rich, to_dict
from tests.e2e.slack_harness import (
    NOW,
    SlackRig,
    element,
    option,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)

OWEN = "<@UOWEN|owen>"


def inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


async def owens_reminder(rig: SlackRig) -> dict:
    """An action for Owen, and the DM with Done / Update / Snooze / Open that tells him about it."""
    await rig.command(f"action add Circulate the workforce survey {OWEN} due 15/1/2027", count=2)
    return await rig.dm("UOWEN")


async def opened_view(rig: SlackRig, count: int = 1) -> dict:
    return (await rig.fake.wait_for("views.open", count))[-1].args["view"]


async def test_done_updates_the_message_in_place(rig: SlackRig):
    reminder = await owens_reminder(rig)
    sent = await rig.slack.press("UOWEN", element(reminder, "Done"), reminder, channel="DUOWEN")
    assert sent.status == 200
    [update] = await rig.fake.wait_for("chat.update", channel="DUOWEN", ts=reminder["ts"])
    assert "A1 is done. Thank you!" in text_of(update.args)
    assert element(update.args, "Reopen")  # the stale Done button is gone
    await rig.fake.wait_for("views.publish", user_id="UOWEN")
    async with rig.services.db.uow() as uow:
        assert (await uow.actions.get(1)).status.value == "done"


async def test_someone_else_cannot_press_done(rig: SlackRig):
    reminder = await owens_reminder(rig)
    sent = await rig.slack.press("UPAT", element(reminder, "Done"), reminder, channel="C0BOARD")
    [refusal] = await rig.fake.wait_for("response_url", url=sent.response_url)
    assert refusal.args["response_type"] == "ephemeral" and not refusal.args.get("replace_original")
    assert ":warning:" in text_of(refusal.args)
    assert not rig.fake.calls_to("chat.update")
    async with rig.services.db.uow() as uow:
        assert (await uow.actions.get(1)).status.value == "open"


async def test_snooze_menu_one_week(rig: SlackRig):
    reminder = await owens_reminder(rig)
    await rig.slack.press("UOWEN", option(element(reminder, "Snooze"), "1 week"), reminder, channel="DUOWEN")
    [update] = await rig.fake.wait_for("chat.update", ts=reminder["ts"])
    assert "paused until Mon 9 Nov 2026" in update.args["text"]


async def test_snooze_pick_a_date_opens_a_date_picker(rig: SlackRig):
    reminder = await owens_reminder(rig)
    await rig.slack.press("UOWEN", option(element(reminder, "Snooze"), "Pick a date…"), reminder, channel="DUOWEN")
    view = await opened_view(rig)
    assert inputs(view)["until"]["type"] == "datepicker" and view["title"]["text"] == "Snooze A1"
    sent = await rig.slack.submit("UOWEN", view, {"until": {"type": "datepicker", "selected_date": "2026-11-20"}})
    assert sent.status == 200 and not sent.body  # the modal closes
    [update] = await rig.fake.wait_for("chat.update", ts=reminder["ts"])
    assert "paused until Fri 20 Nov 2026" in update.args["text"]


async def test_update_opens_a_modal_and_saves_the_note(rig: SlackRig):
    reminder = await owens_reminder(rig)
    await rig.slack.press("UOWEN", element(reminder, "Update"), reminder, channel="DUOWEN")
    view = await opened_view(rig)
    assert view["title"]["text"] == "Update A1"
    assert {"note", "due", "owners"} <= set(inputs(view))
    await rig.slack.submit("UOWEN", view, {"note": {"type": "plain_text_input", "value": "12 schools replied"}})
    [update] = await rig.fake.wait_for("chat.update", ts=reminder["ts"])
    assert "Progress noted on A1" in update.args["text"]
    async with rig.services.db.uow() as uow:
        assert "12 schools replied" in [u.note for u in await uow.actions.updates(1)]


async def test_open_shows_details_only_to_the_presser(rig: SlackRig):
    reminder = await owens_reminder(rig)
    sent = await rig.slack.press("UOWEN", element(reminder, "Open"), reminder, channel="DUOWEN")
    [details] = await rig.fake.wait_for("response_url", url=sent.response_url)
    assert "History" in text_of(details.args) and details.args["response_type"] == "ephemeral"
    assert not rig.fake.calls_to("chat.update")


async def test_modal_refusals_show_on_the_field(rig: SlackRig):
    await rig.slack.shortcut("UOWEN", "new_action")
    view = await opened_view(rig)
    rig.fake.add_user("UNOBODY", "Nora Body", "nora@elsewhere.test")
    values = {"text": {"type": "plain_text_input", "value": "Book the venue"},
              "owners": {"type": "multi_users_select", "selected_users": ["UOWEN"]},
              "due": {"type": "datepicker", "selected_date": "2026-10-01"}}
    past = await rig.slack.submit("UOWEN", view, values)
    assert past.json()["response_action"] == "errors" and set(past.json()["errors"]) == {"due"}
    stranger = await rig.slack.submit("UOWEN", view, {
        **values, "due": {"type": "datepicker", "selected_date": "2026-12-01"},
        "owners": {"type": "multi_users_select", "selected_users": ["UNOBODY"]}})
    assert set(stranger.json()["errors"]) == {"owners"}
    async with rig.services.db.uow() as uow:
        assert await uow.actions.list_all() == []


async def test_new_action_shortcut_answers_by_dm(rig: SlackRig):
    await rig.slack.shortcut("UOWEN", "new_action")
    view = await opened_view(rig)
    assert inputs(view)["owners"]["type"] == "multi_users_select" and inputs(view)["due"]["type"] == "datepicker"
    sent = await rig.slack.submit("UOWEN", view, {
        "text": {"type": "plain_text_input", "value": "Book the venue"},
        "owners": {"type": "multi_users_select", "selected_users": ["UOWEN", "UMIA"]},
        "due": {"type": "datepicker", "selected_date": "2026-12-01"},
        "ws": {"type": "external_select", "selected_option": {"text": {"type": "plain_text", "text": "W1"},
                                                              "value": "W1"}}})
    assert sent.status == 200 and not sent.body
    card = await rig.dm("UOWEN")
    assert "*A1 Book the venue*" in text_of(card) and "<@UMIA>" in text_of(card) and "Local provision" in text_of(card)
    assert "logged an action for you" in text_of(await rig.dm("UMIA"))


async def test_log_as_action_prefills_the_message_and_links_to_it(rig: SlackRig):
    message = {"type": "message", "ts": "1700000000.000900", "user": "UMIA",
               "text": "Can someone chase the &lt;transport&gt; team?"}
    await rig.slack.shortcut("UOWEN", "log_as_action", message, channel="C0BOARD")
    view = await opened_view(rig)
    assert inputs(view)["text"]["initial_value"] == "Can someone chase the <transport> team?"
    assert "https://board.slack.com/archives/C0BOARD/p1700000000000900" in str(view["blocks"])
    await rig.slack.submit("UOWEN", view, {
        "text": {"type": "plain_text_input", "value": "Chase the <transport> team"},
        "owners": {"type": "multi_users_select", "selected_users": ["UOWEN"]},
        "due": {"type": "datepicker", "selected_date": "2026-12-01"}})
    [private] = await rig.fake.wait_for("chat.postEphemeral", channel="C0BOARD", user="UOWEN")
    assert "*A1 Chase the &lt;transport&gt; team*" in text_of(private.args)
    [public] = await rig.fake.wait_for("chat.postMessage", channel="C0BOARD")
    assert public.args["text"] == "Action A1 logged."


async def test_raise_as_issue_is_confidential(rig: SlackRig):
    message = {"type": "message", "ts": "1700000000.000500", "user": "UPAT",
               "text": "Still no transport for my daughter"}
    await rig.slack.shortcut("UPAT", "raise_as_issue", message, channel="C0BOARD")
    view = await opened_view(rig)
    assert inputs(view)["text"]["initial_value"] == "Still no transport for my daughter"
    await rig.slack.submit("UPAT", view, {"text": {"type": "plain_text_input",
                                                   "value": "Still no transport for my daughter"}})
    [receipt] = await rig.fake.wait_for("chat.postEphemeral", channel="C0BOARD", user="UPAT")
    assert "Your concern is logged as I1" in text_of(receipt.args)
    async with rig.services.db.uow() as uow:
        issue = await uow.issues.get(1)
    assert "https://board.slack.com/archives/C0BOARD/p1700000000000500" in issue.text
    assert "New confidential issue I1" in text_of(await rig.dm("USEC"))
    assert not rig.fake.calls_to("chat.postMessage", channel="C0BOARD")


async def test_menus_offer_workstreams_and_meetings(rig: SlackRig):
    workstreams = (await rig.slack.options("UOWEN", "ws", "local")).json()
    assert workstreams["options"] == [{"text": {"type": "plain_text", "text": "W1 — Local provision"}, "value": "W1"}]
    meetings = (await rig.slack.options("UOWEN", "meeting")).json()
    assert [o["value"] for o in meetings["options"]] == ["M1"]
    assert "Thu 7 Jan 2027 10:00" in meetings["options"][0]["text"]["text"]


async def test_agenda_item_from_the_home_tab(rig: SlackRig):
    await rig.slack.event({"type": "app_home_opened", "user": "UMIA", "channel": "DUMIA", "tab": "home"})
    [home] = await rig.fake.wait_for("views.publish", user_id="UMIA")
    view = home.args["view"]
    assert view["type"] == "home"
    assert all(title in text_of(view) for title in ("Your actions", "Your agenda items", "Open issues you can see",
                                                    "Next meeting", "Your next 14 days"))
    await rig.slack.press("UMIA", element(view, "Propose agenda item"))
    form = await opened_view(rig)
    await rig.slack.submit("UMIA", form, {
        "title": {"type": "plain_text_input", "value": "SEND transport review"},
        "meeting": {"type": "external_select", "selected_option": {"value": "M1"}},
        "spotlight": {"type": "checkboxes", "selected_options": [{"value": "spotlight"}]}})
    assert "G1" in text_of(await rig.dm("UMIA"))
    refreshed = await rig.fake.wait_for("views.publish", 2, user_id="UMIA")
    assert "SEND transport review" in text_of(refreshed[-1].args["view"])


async def test_home_for_someone_not_on_the_board(rig: SlackRig):
    rig.fake.add_user("UNEW", "Nia Ewe", "nia@elsewhere.test")
    await rig.slack.event({"type": "app_home_opened", "user": "UNEW", "channel": "DUNEW", "tab": "home"})
    [home] = await rig.fake.wait_for("views.publish", user_id="UNEW")
    assert "not a member" in text_of(home.args["view"])
    assert not [b for b in home.args["view"]["blocks"] if b["type"] == "actions"]


async def board_post(rig: SlackRig, reply: Reply) -> dict:
    """A post in the board channel, delivered as the jobs outbox delivers it."""
    sent = OutboxMessage(dedupe_key="k", subject="meeting:1", recipient="channel:slack:C0BOARD",
                         payload=to_dict(reply), text=reply.summary, due_at=NOW, kind="reminder", created_at=NOW)
    await rig.services.notifier.send(sent, None, "slack:C0BOARD")
    return rig.fake.messages_in("C0BOARD")[-1]


MEETING_REMINDER = Reply(summary="The board meets tomorrow").add(
    Paragraph(rich("The board meets tomorrow")),
    Buttons((Button("Send apologies", command="apologies M1"),
             Button("Propose an item", form="agenda.propose", ref="M1"))))


async def test_a_press_on_a_shared_post_leaves_it_for_everyone_else(rig: SlackRig):
    post = await board_post(rig, MEETING_REMINDER)
    sent = await rig.slack.press("UOWEN", element(post, "Send apologies"), post, channel="C0BOARD")
    [private] = await rig.fake.wait_for("response_url", url=sent.response_url)
    assert "Apologies from Owen Pike recorded for M1" in text_of(private.args)
    assert private.args["response_type"] == "ephemeral" and not private.args.get("replace_original")
    [thread] = await rig.fake.wait_for("chat.postMessage", channel="C0BOARD", thread_ts=post["ts"])
    assert thread.args["text"] == "Apologies from Owen Pike recorded for M1."
    assert not rig.fake.calls_to("chat.update")  # the reminder keeps its buttons for the others
    assert element(rig.fake.messages[("C0BOARD", post["ts"])], "Send apologies")


async def test_a_form_from_a_shared_post_answers_without_replacing_it(rig: SlackRig):
    post = await board_post(rig, MEETING_REMINDER)
    await rig.slack.press("UMIA", element(post, "Propose an item"), post, channel="C0BOARD")
    form = await opened_view(rig)
    await rig.slack.submit("UMIA", form, {"title": {"type": "plain_text_input", "value": "SEND transport review"}})
    [thread] = await rig.fake.wait_for("chat.postMessage", channel="C0BOARD", thread_ts=post["ts"])
    assert "G1" in thread.args["text"]
    assert not rig.fake.calls_to("chat.update")


async def test_done_on_a_shared_action_card_renews_it_for_everyone(rig: SlackRig):
    await owens_reminder(rig)
    post = await board_post(rig, Reply(summary="Escalation", refs=["A1"]).add(
        Paragraph(rich("Escalation: A1 is overdue")), Buttons((Button("Done", command="action done A1"),))))
    await rig.slack.press("UOWEN", element(post, "Done"), post, channel="C0BOARD")
    [update] = await rig.fake.wait_for("chat.update", channel="C0BOARD", ts=post["ts"])
    assert "A1 is done. Thank you!" in text_of(update.args) and element(update.args, "Reopen")
    assert not rig.fake.calls_to("chat.postMessage", channel="C0BOARD", thread_ts=post["ts"])
