"""Every command family through Slack: signed slash commands, DMs and mentions, against the real server.

Answers are asserted on the Block Kit that reached the fake Slack Web API.
"""

from __future__ import annotations

from tests.e2e.slack_harness import (
    SlackRig,
    element,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)
from tests.fakes.slack_api import BOT_USER

OWEN = "<@UOWEN|owen>"


def shown(answers: list[dict]) -> str:
    return "\n".join(text_of(a) for a in answers)


def kinds(answers: list[dict]) -> list[str | None]:
    return [a.get("response_type") for a in answers]


async def test_help_lists_every_family_privately(rig: SlackRig):
    [answer] = await rig.command("help", "UOWEN")
    assert answer["response_type"] == "ephemeral"
    for family in ("action add", "agenda propose", "meeting next", "deadlines", "issue raise", "member list"):
        assert family in answer["text"] or family in text_of(answer)


async def test_unknown_command_suggests_the_closest(rig: SlackRig):
    [answer] = await rig.command("acton lst", "UOWEN")
    assert ":warning:" in text_of(answer) and "action list" in text_of(answer)


async def test_actions_from_logging_to_done(rig: SlackRig):
    added = await rig.command(f"action add Circulate the workforce survey {OWEN} due 15/1/2027 ws W1", count=2)
    assert kinds(added) == ["ephemeral", "in_channel"]
    card, summary = added
    assert "*A1 Circulate the workforce survey*" in text_of(card) and "<@UOWEN>" in text_of(card)
    assert "<!date^" in text_of(card) and "Fri 15 Jan 2027" in text_of(card)
    assert [e.get("text", e.get("placeholder"))["text"] for e in card["blocks"][-1]["elements"]] == [
        "Done", "Update", "Snooze", "Open"]
    assert text_of(summary) == "Action A1 logged."
    notice = await rig.dm("UOWEN")  # the owner hears about it in their DM with the bot
    assert "logged an action for you" in text_of(notice) and element(notice, "Done")

    [mine] = await rig.command("action list mine", "UOWEN")
    assert "A1 Circulate the workforce survey" in text_of(mine) and mine["response_type"] == "ephemeral"
    noted = await rig.command("action update A1 sent to 40 schools, 12 replies", "UOWEN", count=2)
    assert "Progress noted on A1" in shown(noted)
    moved = await rig.command("action due A1 29/1/2027", count=2)
    assert "now due Fri 29 Jan 2027" in shown(moved)
    assigned = await rig.command("action assign A1 @mia", count=2)
    assert "A1 reassigned" in shown(assigned) and "<@UMIA>" in text_of(assigned[0])
    [snoozed] = await rig.command("action snooze A1 7", "UMIA")
    assert "paused until" in text_of(snoozed)  # only the asker: snoozing changes nothing others see
    done = await rig.command("action done A1 sent to every head", "UMIA", count=2)
    assert text_of(done[1]) == "A1 is done. Thank you!"
    [history] = await rig.command("action show A1", "UOWEN")
    assert "History" in text_of(history) and "done" in text_of(history)
    reopened = await rig.command("action reopen A1", count=2)
    assert "A1 is open again" in shown(reopened)
    [overdue] = await rig.command("action list overdue", "UOWEN")
    assert "No actions match" in text_of(overdue)


async def test_refusal_is_private_and_changes_nothing(rig: SlackRig):
    await rig.command(f"action add Review transport policy {OWEN} due 20/1/2027", count=2)
    [refused] = await rig.command("action done A1", "UPAT")
    assert refused["response_type"] == "ephemeral" and ":warning:" in text_of(refused)
    async with rig.services.db.uow() as uow:
        assert (await uow.actions.get(1)).status.value == "open"


async def test_agenda_meetings_and_deadlines(rig: SlackRig):
    proposed = await rig.command("agenda propose Home to school transport for M1 paper https://docs.example/t.pdf "
                                 "spotlight", "UMIA", count=2)
    assert "G1" in shown(proposed) and kinds(proposed) == ["ephemeral", "in_channel"]
    [listed] = await rig.command("agenda list M1", "UOWEN")
    assert "Home to school transport" in text_of(listed)
    [not_chair] = await rig.command("agenda accept G1", "UMIA")
    assert ":warning:" in text_of(not_chair)
    accepted = await rig.command("agenda accept G1", count=2)
    assert "accepted" in shown(accepted).lower()

    [upcoming] = await rig.command("meeting next", "UOWEN")
    assert "M1" in text_of(upcoming) and "Thu 7 Jan 2027 10:00" in text_of(upcoming)
    [shown_meeting] = await rig.command("meeting show M1", "UOWEN")
    assert "Civic Centre" in text_of(shown_meeting)
    apologies = await rig.command("apologies M1 deputy @mia", "UOWEN", count=1)
    assert "M1" in shown(apologies)
    [pack] = await rig.command("meeting pack M1", "UOWEN")
    assert "Home to school transport" in text_of(pack)
    [deadlines] = await rig.command("deadlines 90", "UOWEN")
    assert "Tue 29 Dec 2026" in text_of(deadlines) and "Wed 30 Dec 2026" in text_of(deadlines)
    added = await rig.command('deadline add "HWB report" every 6 months from 1/3/2027', count=1)
    assert "HWB report" in shown(added)


async def test_issues_by_command_stay_out_of_the_channel(rig: SlackRig):
    [raised] = await rig.command("issue raise The school has not replied about transport for 6 weeks", "UMIA")
    assert "I1" in text_of(raised) and "confidential" in text_of(raised)
    notice = await rig.dm("USEC")
    assert "New confidential issue I1" in text_of(notice)
    [listed] = await rig.command("issue list", "USEC")
    assert "I1" in text_of(listed)
    acked = await rig.command("issue ack I1 calling the school today", "USEC")
    assert "I1" in shown(acked)
    [hidden] = await rig.command("issue show I1", "UOWEN")
    assert ":warning:" in text_of(hidden)
    in_channel = [c.args for c in rig.fake.calls_to("response_url") if c.args.get("response_type") == "in_channel"]
    assert not any("transport" in text_of(a) for a in in_channel)


async def test_people_and_email_linking(rig: SlackRig):
    rig.fake.add_user("UZOE", "Zoe Hart", "zoe@board.test")
    added = await rig.command('member add @zoe "Zoe Hart" initials ZH org "Borough Council" role observer '
                              "email <mailto:zoe@board.test|zoe@board.test>", count=2)
    assert "Zoe Hart (@zoe, ZH) added as observer" in shown(added)
    assert rig.fake.calls_to("users.lookupByEmail", email="zoe@board.test")
    assert (await rig.member_for("UZOE")).handle == "zoe"
    [me] = await rig.command("whoami", "UZOE")
    assert "Zoe Hart" in text_of(me) and ":warning:" not in text_of(me)
    [members] = await rig.command("member list", "UOWEN")
    assert "<@UZOE>" in text_of(members) and "<@UCHAIR>" in text_of(members)
    [streams] = await rig.command("workstream list", "UOWEN")
    assert "Local provision" in text_of(streams)


async def test_board_channel_here_sends_board_posts_to_that_slack_channel(rig: SlackRig):
    set_here = await rig.command("board config channel here", channel="C0BOARD", count=1)
    assert "slack:C0BOARD" in shown(set_here)
    async with rig.services.db.uow() as uow:
        assert (await uow.settings.stored())["channel"] == "slack:C0BOARD"


async def test_parent_rep_dm_becomes_a_confidential_issue_with_a_receipt(rig: SlackRig):
    concern = "My son's EHCP review is 3 weeks late & nobody <answers>"
    sent = await rig.slack.dm(concern, "UPAT")
    assert sent.status == 200
    receipt = await rig.dm("UPAT")
    assert "Your concern is logged as I1" in text_of(receipt) and "confidential" in text_of(receipt)
    async with rig.services.db.uow() as uow:
        issue = await uow.issues.get(1)
    assert issue.text == concern  # Slack's &amp; &lt; &gt; arrive as the words the parent typed
    assert "New confidential issue I1" in text_of(await rig.dm("USEC"))
    assert not rig.fake.calls_to("chat.postMessage", channel="C1")
    home = await rig.fake.wait_for("views.publish", user_id="UPAT")
    assert "I1" in str(home[-1].args["view"])


async def test_member_dm_uses_the_same_grammar_without_board(rig: SlackRig):
    await rig.slack.dm("help", "UOWEN")
    assert "action add" in text_of(await rig.dm("UOWEN"))
    await rig.slack.dm(f"action add Book the venue {OWEN} due 10/12/2026", "UOWEN")
    answer = await rig.dm("UOWEN", 2)
    assert "Action A1 logged" in text_of(answer)


async def test_mention_in_a_channel_works_like_the_command(rig: SlackRig):
    await rig.slack.event({"type": "app_mention", "channel": "C0BOARD", "user": "UOWEN", "ts": "1.2",
                           "text": f"<@{BOT_USER}> action add Draft the local offer page {OWEN} due 11/12/2026"})
    [private] = await rig.fake.wait_for("chat.postEphemeral", channel="C0BOARD", user="UOWEN")
    assert "*A1 Draft the local offer page*" in text_of(private.args)
    [public] = await rig.fake.wait_for("chat.postMessage", channel="C0BOARD")
    assert public.args["text"] == "Action A1 logged."


async def test_a_subject_access_export_is_a_file_in_the_askers_dm(rig: SlackRig):
    await rig.slack.command("issue raise The school bus stopped without notice", "UPAT")
    [answer] = await rig.command("privacy export @pat", "USEC")
    assert "as a file for you alone" in text_of(answer) and answer["response_type"] == "ephemeral"
    [done] = await rig.fake.wait_for("files.completeUploadExternal")
    assert done.args["channel_id"] == "DUSEC"
    [shared] = done.args["files"]
    assert shared["title"].startswith("partnerbot-export-pat-")
    content = rig.fake.uploads[shared["id"]]["content"].decode()
    assert '"name": "Pat Quinn"' in content and "school bus stopped" in content
    [refused] = await rig.command("privacy export @pat", "UOWEN")
    assert "Only the secretariat can export" in text_of(refused) and len(rig.fake.uploads) == 1
