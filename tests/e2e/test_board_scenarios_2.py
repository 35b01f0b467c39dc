"""More board scenarios, played through the real ``partnerbot console --json`` as
the acceptance grader does: managing people, two-lead workstreams, board
settings taking effect, closure days added later, term dates, agenda decisions,
the merged deadlines view, issue permissions, action lists and history, the
JSON contract and the operator CLI.

The first pass (test_board_scenarios.py) covers the meeting cycle, the overdue
ladder, the parent DM issue ladder, recurring deadlines and the digest; these
do not repeat it. Scenarios start from the grader's board (chair @chair,
secretariat @sec, members @lead/@owen/@mia, parent rep @pat, observer @zoe,
W1 "Local provision" led by @lead). The last tests pin bugs this pass found, now fixed.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.e2e.scenario_support import ROOT, Scenario, Transcript, partnerbot, play_all, texts

# The module fixture plays every scenario once: keep the module on one test process.
pytestmark = pytest.mark.xdist_group("board_scenarios_2")

SCENARIOS: dict[str, Scenario] = {
    # Membership changes over a board year: duplicates, deputies, role changes, leavers, a returner.
    "people": Scenario(lines=[
        ":as @sec",
        '/board member add @owen "Owen Other" initials OO org "X" role member',
        '/board member add @ollie "Ollie Park" initials OP org "Health Trust" role member',
        '/board member add @dee "Dee Puty" initials DP org "Health Trust" role member deputy @owen',
        "/board action add Publish the local offer @owen due 20/11/2026 ws W1",
        "/board action add Joint therapy offer @owen @mia due 25/11/2026",
        ":as @owen", "/board member remove @mia",
        ":as @zoe", "/board action add Observe this @zoe due 20/11/2026", "/board agenda propose Something",
        ":as @sec",
        "/board member role @owen observer", "/board member role @owen member",
        "/board member remove @owen",
        "/board member list",
        "/board action list all",
        "/board action add New thing @owen due 30/11/2026",
        '/board member add @owen "Owen Pike" initials OP org "Health Trust" role member',
    ]),
    # A workstream with two leads: both hear the escalation; an owner with DMs off hears only escalations.
    "two_leads": Scenario(lines=[
        ":as @sec",
        '/board workstream add "Co-production" lead @mia lead @owen',
        "/board workstream list",
        "/board action add Co-produce the charter @pat due 20/11/2026 ws W2",
        "/board action add Publish the local offer @owen due 20/11/2026 ws W1",
        ":as @owen", "/board dms off", "/board whoami",
        ":as @sec",
        ":now 2026-11-17T09:00", ":tick",
        ":now 2026-11-20T09:00", ":tick",
        ":now 2026-11-23T09:00", ":tick",
        ":now 2026-11-26T09:00", ":tick",
    ]),
    # Board settings changed mid-year take effect in what is shown and when the jobs send.
    "config": Scenario(lines=[
        ":as @sec",
        "/board board config submission 3",
        "/board board config circulation 2",
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall",
        "/board board config submission 8",
        "/board board config circulation 6",
        "/board meeting show M1",
        "/board deadlines 30",
        "/board board config escalate-lead 2",
        "/board board config traction 8",
        "/board board config send-time 10:30",
        "/board board config channel #send-board",
        "/board action add Publish the local offer @owen due 20/11/2026 ws W1",
        "/board action add Long piece of work @mia due 18/12/2026 ws W1",
        ":now 2026-11-10T09:00", ":tick",
        ":now 2026-11-10T10:30", ":tick",
        ":now 2026-11-17T10:30", ":tick",
        ":now 2026-11-18T10:30", ":tick",
        ":now 2026-11-24T10:30", ":tick",
        ":now 2026-11-25T10:30", ":tick",
        ":as @mia", "/board board config traction 1",
    ]),
    # Closure days added after the meeting was booked move its paper deadlines and the circulation post.
    "closure_later": Scenario(lines=[
        ":as @sec",
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall",
        "/board action add Send the survey @owen due 25/11/2026",
        "/board board config closure add 18/11/2026 staff training",
        "/board board config closure add 25/11/2026 office move",
        "/board meeting show M1",
        "/board deadlines 30",
        ":now 2026-11-17T09:00", ":tick",
        ":now 2026-11-18T09:00", ":tick",
        ":now 2026-11-19T09:00", ":tick",
        ":now 2026-11-20T09:00", ":tick",
    ]),
    # Kingston MoU s7 with a shorter informal window and two named HWB joint chairs.
    "hwb": Scenario(now="2026-03-02T10:00", lines=[
        '/board member add @hwb1 "Hana Webb" initials HW org "Borough Council" role observer',
        '/board member add @hwb2 "Jon Park" initials JP org "ICB" role member',
        "/board board config hwb @hwb1 @hwb2",
        "/board board config informal-days 7",
        ":as @pat", "/board issue raise Transport has not turned up for a week",
        ":now 2026-03-09T10:00", ":tick",
        ":now 2026-04-06T10:00", ":tick",
        ":now 2026-04-07T10:00", ":tick",
        ":now 2026-04-08T10:00", ":tick",
    ]),
    # Kent PACT MoU 2.1.7: 10am-2pm, term time; warnings, not refusals.
    "terms": Scenario(lines=[
        ":as @pat", "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall",
        ":as @sec",
        "/board meeting add 26/11/2026 15:00 until 17:00 at Guildhall",
        '/board board config term add "Autumn 2026" 2/9/2026 to 18/12/2026',
        '/board board config term add "Spring 2027" 4/1/2027 to 26/3/2027',
        "/board meeting add 22/12/2026 10:00 until 12:00 at Guildhall",
        "/board meeting add 3/12/2026 09:30 until 11:00 at Guildhall",
        "/board meeting add 10/12/2026 10:00 until 14:30 at Guildhall",
        "/board meeting add 11/12/2026 10:00 until 13:00 at Guildhall",
        '/board board config term remove "Autumn 2026"',
        "/board meeting add 14/12/2026 10:00 until 12:00 at Guildhall",
        "/board board config",
    ]),
    # Kingston MoU s4: any member proposes; the chair accepts, defers to the forward plan, or declines.
    "agenda": Scenario(lines=[
        ":as @sec",
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall",
        "/board meeting add 21/1/2027 10:00 until 12:00 at Guildhall",
        ":as @mia",
        "/board agenda propose Speech therapy waits for M1 spotlight",
        "/board agenda propose Preparing for adulthood",
        "/board agenda propose Transport policy for M1",
        ":as @owen", "/board agenda accept G1",
        ":as @chair",
        "/board agenda accept G1 good timing",
        "/board agenda defer G2 not enough time this round",
        "/board agenda decline G3 covered by the transport working group",
        "/board agenda list M1",
        "/board agenda forward",
        "/board meeting pack M1",
        "/board help agenda",
        ":as @mia", "/board home",
    ]),
    # One merged, date-ordered view; issue windows only for those who may see the issue.
    "deadlines": Scenario(lines=[
        ":as @sec",
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall",
        "/board action add A far one @mia due 20/1/2027",
        "/board action add Soon one @owen due 6/11/2026 ws W1",
        "/board action add Shared one @sec @owen due 4/11/2026",
        '/board deadline add "HWB report" every 6 months from 30/11/2026 owner @owen',
        ":as @pat", "/board issue raise The EHCP review is late",
        ":as @owen",
        "/board deadlines",
        "/board deadlines 30 mine",
        "/board home",
        ":as @sec",
        "/board deadlines 30",
        "/board deadlines 400",
        "/board deadlines 0",
        "/board deadlines 10 everything",
    ]),
    # Who may act on a confidential issue, and the raiser told at each step.
    "issue_perms": Scenario(lines=[
        ":as @pat", "/board issue raise The school has refused my daughter's place",
        ":as @owen",
        "/board issue assign I1 @owen", "/board issue resolve I1",
        ":as @sec", "/board issue assign I1 @lead",
        ":as @lead",
        "/board issue update I1 I have called the school; waiting for the head",
        "/board issue resolve I1 place confirmed",
        "/board issue list", "/board issue list all",
        ":as @pat", "/board issue reopen I1 the place was withdrawn again",
        ":as @mia", "/board issue reopen I1",
        ":as @chair", "/board issue list all",
    ]),
    # Action list filters, history, and a reassignment taking the reminders with it.
    "actions": Scenario(lines=[
        ":as @sec",
        '/board workstream add "Co-production" lead @mia lead @owen',
        "/board action add Publish the local offer @owen due 20/11/2026 ws W1",
        "/board action add Soon one @owen due 4/11/2026 ws W2",
        "/board action add Later one @mia due 30/11/2026 ws W2",
        "/board action add Late one @owen due 5/11/2026",
        ":now 2026-11-10T09:00", ":tick",
        ":as @owen",
        "/board action update A1 drafted, with the comms team",
        "/board action list mine",
        "/board action list overdue",
        "/board action list due-soon",
        "/board action list @mia",
        "/board action list ML",
        "/board action list ws W2",
        "/board action list all",
        "/board action list ws W9",
        ":as @sec",
        "/board action due A1 24/11/2026",
        "/board action assign A1 @mia",
        ":as @owen", "/board action update A1 still want to note this",
        ":as @mia",
        "/board action done A1 published",
        "/board action reopen A1",
        "/board action show A1",
        ":now 2026-11-19T09:00", ":tick",
        ":now 2026-11-24T09:00", ":tick",
    ]),
    # The --json contract: who each message is to, and the ids it mentions.
    "json": Scenario(lines=[
        ":as @sec",
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall",
        "/board action add Publish the local offer @owen @mia due 20/11/2026 ws W1 meeting M1",
        "/board agenda propose Transport for M1",
        ":as @pat", "I am worried about my son's transport",
        ":as @sec",
        "/board board config channel #send-board",
        ":now 2026-11-16T09:00", ":tick",
        "/board deadlines 30",
    ]),
}


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> dict[str, Transcript]:
    return play_all(SCENARIOS, tmp_path_factory.mktemp("boards2"))


def sent(step, to: str) -> str:
    return texts([m for m in step.sends if m["to"] == to])


# --- people ----------------------------------------------------------------------------------


def test_duplicate_handle_or_initials_is_refused_with_the_way_out(board):
    t = board["people"]
    assert "@owen is already a member" in t.step(
        '/board member add @owen "Owen Other" initials OO org "X" role member').reply
    dup = t.step('/board member add @ollie "Ollie Park" initials OP org "Health Trust" role member').reply
    assert "already uses the initials OP" in dup and "initials XY" in dup


def test_observers_read_but_cannot_log_or_propose_and_members_cannot_remove(board):
    t = board["people"]
    assert "Observers can't log actions" in t.step("/board action add Observe this @zoe due 20/11/2026").reply
    assert "Observers can't propose agenda items" in t.step("/board agenda propose Something").reply
    assert "Only the chair or secretariat can remove members" in t.step("/board member remove @mia").reply


def test_removed_member_leaves_the_list_but_their_actions_keep_history(board):
    t = board["people"]
    assert "no longer on the board" in t.step("/board member remove @owen").reply
    assert "@owen" not in t.step("/board member list").reply
    listed = t.step("/board action list all").reply
    assert "A1 Publish the local offer — @owen" in listed and "A2 Joint therapy offer" in listed
    assert "I don't know anyone called “@owen”" in t.step("/board action add New thing @owen due 30/11/2026").reply


def test_a_removed_member_can_rejoin(board):
    t = board["people"]
    # the seeded board typed this line first; the second time is the rejoin
    back = t.step('/board member add @owen "Owen Pike" initials OP org "Health Trust" role member', nth=2).reply
    assert "back on the board as member" in back


def test_removing_a_member_lists_their_open_actions(board):
    reply = board["people"].step("/board member remove @owen").reply
    assert "A1" in reply and "A2" in reply


# --- workstreams with two leads, dms off --------------------------------------------------------


def test_both_leads_of_a_workstream_hear_its_escalations(board):
    t = board["two_leads"]
    assert "led by @mia, @owen" in t.step("/board workstream list").reply
    leads = [m["to"] for m in t.at("2026-11-26T09:00") if "Escalation: A1" in m["text"]]
    assert sorted(leads) == ["@mia", "@owen"]


def test_dms_off_stops_reminders_but_escalations_still_arrive(board):
    t = board["two_leads"]
    assert "escalations only" in t.step("/board whoami").reply
    to_owen = [(at, m["text"].splitlines()[0]) for at, m in t.ticks() if m["to"] == "@owen"]
    # A2 is Owen's: no due-soon, due-today or overdue nudges; A1 (W2, which he co-leads) escalates to him.
    assert not [x for x in to_owen if "A2" in x[1]]
    assert [x for x in to_owen if x[1].startswith("Escalation: A1")]
    assert t.when("@pat", r"due in 3 working days") == ["2026-11-17T09:00"]


# --- board settings take effect ------------------------------------------------------------------


def test_paper_offsets_must_keep_submission_before_circulation(board):
    t = board["config"]
    assert "must be more than circulation" in t.step("/board board config submission 3").reply
    assert "Circulated: Tue 24 Nov 2026 (2 working days before)" in t.step(
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall").reply


def test_changed_offsets_move_the_cutoffs_shown_and_the_circulation_post(board):
    t = board["config"]
    shown = t.step("/board meeting show M1").reply
    assert "Papers due: Mon 16 Nov 2026 (8 working days before)" in shown
    assert "Circulated: Wed 18 Nov 2026 (6 working days before)" in shown
    assert "• Mon 16 Nov 2026 — Agenda items and papers due for M1" in t.step("/board deadlines 30").reply
    assert t.when("#send-board", r"^Agenda and papers") == ["2026-11-18T10:30"]


def test_send_time_escalation_days_traction_and_channel_take_effect(board):
    t = board["config"]
    assert t.when("@mia", r"no update for 8\+ days") == ["2026-11-10T10:30"]
    assert t.when("@owen", r"due in 3 working days") == ["2026-11-17T10:30"]
    # escalate-lead 2: after 2 working days overdue, i.e. on the 3rd (Wed 25 Nov).
    assert t.when("@lead", r"^Escalation: A1") == ["2026-11-25T10:30"]
    assert not [m for _, m in t.ticks() if m["to"] == "#board"]
    assert "Only the chair or secretariat" in t.step("/board board config traction 1").reply


def test_closure_days_added_later_move_paper_deadlines_and_the_circulation(board):
    t = board["closure_later"]
    shown = t.step("/board meeting show M1").reply
    assert "Papers due: Mon 16 Nov 2026" in shown and "Circulated: Tue 17 Nov 2026" in shown
    assert t.when("#board", r"^Agenda and papers") == ["2026-11-17T09:00"]


def test_closure_on_a_due_date_is_flagged(board):
    t = board["closure_later"]
    assert "A1" in t.step("/board board config closure add 25/11/2026 office move").reply
    assert t.when("@owen", r"due in 3 working days") == ["2026-11-20T09:00"]


def test_hwb_joint_chairs_receive_the_last_rung_after_easter_monday(board):
    t = board["hwb"]
    assert t.when("@chair", r"come to the Chair") == ["2026-03-09T10:00"]
    # 9 Mar + 28 calendar days = Easter Monday 6 Apr, a bank holiday: sent on Tue 7 Apr, once, to both.
    for hwb in ("@hwb1", "@hwb2"):
        assert t.when(hwb, r"Joint Chairs of the Health and Wellbeing Board") == ["2026-04-07T10:00"]
    assert t.when("@pat", r"Joint Chairs") == ["2026-04-07T10:00"]


# --- parent-friendly meetings ----------------------------------------------------------------------


def test_parent_friendly_warnings_for_hours_and_holidays_but_not_inside(board):
    t = board["terms"]
    assert "Only the chair or secretariat can schedule meetings" in t.step(
        "/board meeting add 26/11/2026 10:00 until 12:00 at Guildhall").reply
    assert "outside the parent-friendly hours" in t.step(
        "/board meeting add 26/11/2026 15:00 until 17:00 at Guildhall").reply
    assert "outside term time" in t.step("/board meeting add 22/12/2026 10:00 until 12:00 at Guildhall").reply
    assert "parent-friendly hours" in t.step("/board meeting add 3/12/2026 09:30 until 11:00 at Guildhall").reply
    assert "parent-friendly hours" in t.step("/board meeting add 10/12/2026 10:00 until 14:30 at Guildhall").reply
    assert "⚠" not in t.step("/board meeting add 11/12/2026 10:00 until 13:00 at Guildhall").reply
    assert "outside term time" in t.step("/board meeting add 14/12/2026 10:00 until 12:00 at Guildhall").reply
    assert "Spring 2027: Mon 4 Jan 2027 to Fri 26 Mar 2027" in t.step("/board board config").reply


# --- agenda decisions -------------------------------------------------------------------------------


def test_agenda_decisions_tell_the_proposer_with_the_reason(board):
    t = board["agenda"]
    assert "Only the chair or secretariat can accept agenda items" in t.step("/board agenda accept G1").reply
    for line, word, reason in [
        ("/board agenda accept G1 good timing", "accepted", "good timing"),
        ("/board agenda defer G2 not enough time this round", "deferred", "not enough time this round"),
        ("/board agenda decline G3 covered by the transport working group", "declined",
         "covered by the transport working group"),
    ]:
        told = sent(t.step(line), "@mia")
        assert f"@chair {word} your agenda item" in told and reason in told


def test_deferred_item_goes_to_the_forward_plan_and_spotlight_to_the_pack(board):
    t = board["agenda"]
    listed = t.step("/board agenda list M1").reply
    assert "G1 Speech therapy waits (spotlight)" in listed and "G2" not in listed
    assert "G2 Preparing for adulthood" in t.step("/board agenda forward").reply
    pack = t.step("/board meeting pack M1").reply
    assert "G1 Speech therapy waits (spotlight)" in pack and "G3" not in pack
    assert "[accepted]" in t.step("/board home").reply


def test_forward_plan_is_in_help(board):
    assert "agenda forward" in board["agenda"].step("/board help agenda").reply


# --- deadlines ---------------------------------------------------------------------------------------


def test_deadlines_are_merged_date_ordered_and_mine_filters(board):
    t = board["deadlines"]
    everything = t.step("/board deadlines").reply.splitlines()[1:]
    assert [line.split(" — ")[0] for line in everything] == [
        "  • Wed 4 Nov 2026", "  • Fri 6 Nov 2026", "  • Wed 18 Nov 2026", "  • Thu 19 Nov 2026",
        "  • Thu 26 Nov 2026", "  • Mon 30 Nov 2026"]
    mine = t.step("/board deadlines 30 mine").reply
    assert "A3 Shared one" in mine and "A2 Soon one" in mine and "D1 HWB report" in mine
    assert "M1" not in mine and "A1" not in mine
    assert "Issue I1" not in t.step("/board deadlines").reply  # confidential: not Owen's to see
    sec = t.step("/board deadlines 30").reply
    assert "Mon 30 Nov 2026 — Issue I1 goes to the Chair of the board if unresolved" in sec
    far = t.step("/board deadlines 400").reply
    assert "Sun 30 May 2027 — D1 HWB report" in far and "Tue 30 Nov 2027 — D1 HWB report" in far
    assert "between 1 and 730 days" in t.step("/board deadlines 0").reply
    assert "isn't a number of days or `mine`" in t.step("/board deadlines 10 everything").reply


def test_home_shows_my_actions_meeting_and_next_fortnight(board):
    home = board["deadlines"].step("/board home").reply
    assert "A3 Shared one" in home and "A2 Soon one" in home and "M1 Thu 26 Nov 2026" in home
    assert "A1 A far one" not in home


# --- issue permissions ----------------------------------------------------------------------------------


def test_only_those_handling_an_issue_may_act_on_it_and_the_raiser_hears(board):
    t = board["issue_perms"]
    assert "no issue I1 that you can see" in t.step("/board issue assign I1 @owen").reply
    assert "no issue I1 that you can see" in t.step("/board issue resolve I1").reply
    assert "Lee Moss is now handling it" in sent(t.step("/board issue assign I1 @lead"), "@pat")
    assert "waiting for the head" in sent(
        t.step("/board issue update I1 I have called the school; waiting for the head"), "@pat")
    assert "marked resolved" in sent(t.step("/board issue resolve I1 place confirmed"), "@pat")
    assert "No issues" in t.step("/board issue list").reply
    assert "[resolved]" in t.step("/board issue list all").reply
    reopened = t.step("/board issue reopen I1 the place was withdrawn again")
    assert sorted(m["to"] for m in reopened.sends) == ["@lead", "@sec"]
    assert "no issue I1 that you can see" in t.step("/board issue reopen I1").reply
    assert "No issues that you can see" in t.step("/board issue list all", nth=2).reply  # chair: not escalated


# --- actions -------------------------------------------------------------------------------------------------


def test_action_list_filters(board):
    t = board["actions"]
    assert t.step("/board action list mine").reply.splitlines()[1:] == [
        "  • A2 Soon one — @owen, due Wed 4 Nov 2026  [overdue 4 working days]",
        "  • A4 Late one — @owen, due Thu 5 Nov 2026  [overdue 3 working days]",
        "  • A1 Publish the local offer — @owen, due Fri 20 Nov 2026"]
    overdue = t.step("/board action list overdue").reply
    assert "A2" in overdue and "A4" in overdue and "A1" not in overdue and "A3" not in overdue
    assert "No actions match" in t.step("/board action list due-soon").reply
    assert t.step("/board action list @mia").reply == t.step("/board action list ML").reply
    ws = t.step("/board action list ws W2").reply
    assert "A2" in ws and "A3" in ws and "A1" not in ws and "A4" not in ws
    assert "(4)" in t.step("/board action list all").reply
    assert "There is no workstream W9" in t.step("/board action list ws W9").reply


def test_reassigning_moves_the_reminders_to_the_new_owner(board):
    t = board["actions"]
    assert "can update this action" in t.step("/board action update A1 still want to note this").reply
    assert t.when("@mia", r"A1 is due in 3 working days") == ["2026-11-19T09:00"]
    assert t.when("@mia", r"A1 is due today") == ["2026-11-24T09:00"]
    assert not t.when("@owen", r"^Reminder: A1")


def test_action_show_history_records_every_change(board):
    history = board["actions"].step("/board action show A1").reply.split("History")[1]
    for entry in ("@sec created", "@owen note: drafted, with the comms team", "@sec due:", "@sec assign: @mia",
                  "@mia done: published", "@mia reopen"):
        assert entry in history


def test_previous_owner_is_told_of_a_reassignment(board):
    assert "@owen" in [m["to"] for m in board["actions"].step("/board action assign A1 @mia").sends]


def test_history_dates_read_like_the_rest(board):
    history = board["actions"].step("/board action show A1").reply.split("History")[1]
    assert "Tue 24 Nov 2026" in history and "2026-11-24" not in history


# --- the --json contract ---------------------------------------------------------------------------------------


def test_json_to_is_the_handle_for_replies_and_dms_and_the_channel_for_posts(board):
    messages = board["json"].everything()
    assert {m["kind"] for m in messages} == {"reply", "dm", "post"}
    for m in messages:
        assert set(m) - {"buttons"} == {"kind", "to", "text", "refs"}
        assert m["to"].startswith("#" if m["kind"] == "post" else "@")
    assert {m["to"] for m in messages if m["kind"] == "post"} == {"#send-board"}
    t = board["json"]
    logged = t.step("/board action add Publish the local offer @owen @mia due 20/11/2026 ws W1 meeting M1")
    assert [m["to"] for m in logged.sends] == ["@owen", "@mia"]
    assert all(m["refs"] == ["A1"] for m in logged.sends)
    receipt = t.step("I am worried about my son's transport").messages
    assert receipt[0]["refs"] == ["I1"] and receipt[0]["to"] == "@pat"


def test_json_refs_carry_each_mentioned_id_once(board):
    t = board["json"]
    logged = t.step("/board action add Publish the local offer @owen @mia due 20/11/2026 ws W1 meeting M1")
    assert "M1" in logged.messages[0]["refs"]
    assert "M1" in t.step("/board agenda propose Transport for M1").messages[0]["refs"]
    refs = t.step("/board deadlines 30").messages[0]["refs"]
    assert len(refs) == len(set(refs))


# --- the operator CLI ----------------------------------------------------------------------------------------------


def run_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PARTNERBOT_DATABASE_URL": db, "PARTNERBOT_LOG_JSON": "true"}
    return subprocess.run([*partnerbot(), *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def count(db: str, table: str) -> int:
    import sqlite3

    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('ops')}/ops.db"
    assert run_cli("db", "upgrade", db=db).returncode == 0
    assert run_cli("db", "upgrade", db=db).returncode == 0  # twice is harmless
    assert "Seeded" in run_cli("seed", "--db", db, db=db).stdout
    return db


def test_run_once_plans_each_message_once_and_outbox_drop_cancels(seeded):
    first = run_cli("jobs", "run-once", "--now", "2026-11-02T09:00", db=seeded)
    assert first.returncode == 0 and "Planned" in first.stdout
    again = run_cli("jobs", "run-once", "--now", "2026-11-02T09:00", db=seeded)
    assert "Planned 0 new message(s)" in again.stdout
    pending = run_cli("outbox", "list", "--status", "pending", db=seeded).stdout.split()
    assert pending, "nothing pending after run-once"
    row = pending[0]
    assert f"Message {row} dropped" in run_cli("outbox", "drop", row, db=seeded).stdout
    assert row in run_cli("outbox", "list", "--status", "cancelled", db=seeded).stdout
    assert run_cli("jobs", "run-once", "--now", "garbage", db=seeded).returncode != 0


def test_outbox_list_with_a_bad_status_explains(seeded):
    out = run_cli("outbox", "list", "--status", "bogus", db=seeded)
    assert "Traceback" not in out.stderr and "pending" in out.stdout + out.stderr


def test_seeding_twice_does_not_duplicate_the_board(tmp_path):
    db = f"sqlite:///{tmp_path}/twice.db"
    run_cli("seed", "--db", db, db=db)
    actions, issues = count(db, "actions"), count(db, "issues")
    run_cli("seed", "--db", db, db=db)
    assert (count(db, "actions"), count(db, "issues")) == (actions, issues)

