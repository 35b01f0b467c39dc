"""A parent's direct message, told once (issue 16): commands in a DM run, a
greeting with content is a concern, follow-ups join the open concern, quick
messages merge, drafts wait for more, questions are answered or asked about,
long and broken text is kept, and someone not yet on the board is heard."""

from __future__ import annotations

from tests.adapters.console.steps import dms, reply, said
from tests.harness import BoardConsole

CONCERN = "Hi, my son was excluded from school on Friday and nobody will tell us why."
FOLLOW_UP = "Also the school has now asked us to keep him at home all week."


def issues_told(out: list[dict]) -> list[str]:
    """What the secretariat heard: one line per new issue or addition."""
    return [m["text"] for m in dms(out, "@sec")]


async def test_commands_typed_in_a_dm_run_with_or_without_slash_board(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN)
    for line in ("home", "meeting next", "deadlines", "help", "issue list", "/board issue list", "whoami",
                 "help issues", "issue show I1"):
        out = await board.run(":now 2026-11-03T10:00", line)
        assert not issues_told(out), line
        assert "I2" not in reply(out)["text"] and "Added to" not in reply(out)["text"], line
    out = await board.run("issue update I1 the head teacher has now phoned")
    assert reply(out)["text"] == "Note added to I1."
    assert "the head teacher has now phoned" in await said(board, ":as @sec", "/board issue show I1")


async def test_what_only_looks_like_a_command_is_a_concern(board: BoardConsole) -> None:
    for n, text in enumerate(("Issue with transport: my son has had no bus since Monday",
                              "Help! nobody answers the phone at the SEN team and we are desperate",
                              "home visits from the nurse stopped in September and nobody told us",
                              "Hello, my daughter has waited 40 weeks for her EHC plan"), start=1):
        out = await board.run(":as @pat", f":now 2026-11-0{n + 1}T10:00", text)
        assert reply(out)["text"].startswith("Thank you. Your concern is logged as") or \
            reply(out)["text"].startswith("Added to your concern I1"), text
    shown = await said(board, ":as @sec", "/board issue show I1")
    assert "Issue with transport" in shown and "Help! nobody answers" in shown and "home visits" in shown


async def test_a_greeting_alone_gets_a_friendly_reply_and_a_greeting_with_content_is_a_concern(
        board: BoardConsole) -> None:
    out = await board.run(":as @pat", "Hi!")
    assert reply(out)["text"].startswith("Hello Pat. If something is worrying you")
    assert not dms(out)
    out = await board.run(CONCERN)
    assert reply(out)["text"].startswith("Thank you. Your concern is logged as I1.")
    assert issues_told(out) == ["New confidential issue I1 from @pat. Please acknowledge it: `/board issue ack I1`."]
    assert "Anything you send now is added to your open concern I1." in await said(board, ":now 2026-11-02T11:00",
                                                                                   "thanks so much")
    assert "Hello Pat" in await said(board, "ok")


async def test_a_follow_up_joins_the_one_open_concern_and_can_be_made_a_new_one(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN)
    out = await board.run(":now 2026-11-03T09:00", FOLLOW_UP)
    assert reply(out)["text"].startswith("Added to your concern I1.")
    assert [label for label, _ in reply(out)["buttons"]] == ["This is a new concern"]
    assert issues_told(out) == ["The raiser added information to confidential issue I1. `/board issue show I1` "
                                "shows it."]
    assert FOLLOW_UP in await said(board, ":as @sec", "/board issue show I1")
    # The raiser presses "This is a new concern": it moves to I2, and I1 no longer holds it.
    out = await board.run(":as @pat", reply(out)["buttons"][0][1])
    assert reply(out)["text"].startswith("Thank you. Your concern is logged as I2.")
    assert FOLLOW_UP in await said(board, ":as @sec", "/board issue show I2")
    assert FOLLOW_UP not in await said(board, "/board issue show I1")
    assert "moved to I2" in await said(board, "/board issue show I1")


async def test_with_several_open_concerns_the_bot_asks_which_and_keeps_the_message(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":now 2026-11-02T12:00", "/board issue raise The taxi to school is late")
    out = await board.run(":now 2026-11-03T09:00", FOLLOW_UP)
    assert reply(out)["text"].startswith("You have more than one open concern. Which one is this about?")
    assert [label for label, _ in reply(out)["buttons"]] == ["Add to I1", "Add to I2", "A new concern"]
    assert not dms(out)
    choose_i2 = reply(out)["buttons"][1][1]
    assert (await said(board, choose_i2)).startswith("Added to your concern I2.")
    assert FOLLOW_UP in await said(board, ":as @sec", "/board issue show I2")
    assert (await said(board, ":as @pat", choose_i2)).startswith("I'm not keeping that message any more")


async def test_messages_within_two_minutes_become_one_concern(board: BoardConsole) -> None:
    out = await board.run(":as @pat", "My son has had no school transport since Monday.",
                          ":now 2026-11-02T10:01", "The school says it cannot help and the council won't answer.",
                          ":now 2026-11-02T10:02", "We have had to keep him at home.")
    assert [m["text"].split(".")[0] for m in out if m["kind"] == "reply" and "concern" in m["text"]] == [
        "Thank you", "Added to your concern I1", "Added to your concern I1"]
    assert len(issues_told(out)) == 1  # one new concern, not three
    shown = await said(board, ":as @sec", "/board issue show I1")
    assert "council won't answer" in shown and "keep him at home" in shown
    assert "I2" not in await said(board, "/board issue list all")


async def test_a_few_characters_are_kept_as_a_draft_and_join_what_comes_next(board: BoardConsole) -> None:
    out = await board.run(":as @pat", "😢")
    assert reply(out)["text"].startswith("Could you tell me a little more?")
    assert not dms(out)
    out = await board.run(":now 2026-11-02T11:00", "they refused the assessment again")
    assert reply(out)["text"].startswith("Thank you. Your concern is logged as I1.")
    assert "😢\nthey refused the assessment again" in await said(board, ":as @sec", "/board issue show I1")


async def test_questions_about_the_board_are_answered_and_unclear_ones_asked_about(board: BoardConsole) -> None:
    await board.run(":as @sec", "/board meeting add 7/1/2027 10:00")
    out = await board.run(":as @pat", "when is the next meeting?")
    assert "Thu 7 Jan 2027" in reply(out)["text"] and not dms(out)
    out = await board.run("Who decides which schools get the extra funding?")
    assert reply(out)["text"].startswith("Is this something you'd like logged as a concern")
    assert [label for label, _ in reply(out)["buttons"]] == ["Log this as a concern", "No, I was just asking"]
    log_it, just_asking = (command for _, command in reply(out)["buttons"])
    assert (await said(board, just_asking)).startswith("Fine, I haven't logged it.")
    out = await board.run("Is anyone looking at the funding of short breaks?")
    assert (await said(board, reply(out)["buttons"][0][1])).startswith("Thank you. Your concern is logged as I1.")
    assert "funding of short breaks" in await said(board, ":as @sec", "/board issue show I1")
    assert log_it != reply(out)["buttons"][0][1]


async def test_long_text_is_kept_whole_and_broken_characters_replaced(board: BoardConsole) -> None:
    long = "word " * 24_000 + "END-OF-FIRST " + "more " * 4_000 + "THE-VERY-END"
    out = await board.run(":as @pat", "My son's case: " + long)
    assert reply(out)["text"].startswith("Thank you. Your concern is logged as I1.")
    # Echoes are shortened; the record is whole: the first 100,000 characters, then the rest as a second part.
    async with board.console.services.db.uow() as uow:
        issue = await uow.issues.get(1)
        parts = [e.note for e in await uow.issues.events(1) if e.kind == "add"]
    assert len(issue.text) == 100_000 and issue.text + "".join(parts) == "My son's case: " + long
    assert parts[-1].endswith("THE-VERY-END")
    out = await board.run(":as @pat", ":now 2026-11-03T10:00", "Also the nurse \ud800 never came")
    assert reply(out)["text"].startswith("Added to your concern I1.")
    assert "the nurse \ufffd never came" in await said(board, ":as @sec", "/board issue show I1")


async def test_someone_not_yet_on_the_board_is_heard_and_linked_when_added(board: BoardConsole) -> None:
    out = await board.run(":as @nina", "My daughter's school place was withdrawn and I don't know who to ask.")
    assert reply(out)["text"].startswith("Thank you. Your concern is logged as I1.")
    told = issues_told(out)
    assert told and "from someone not yet on the board" in told[0] and "member add" in told[0]
    assert "school place was withdrawn" in await said(board, ":as @sec", "/board issue show I1")
    # Same confidentiality: an ordinary member cannot see it.
    assert (await said(board, ":as @mia", "/board issue show I1")).startswith("There is no issue I1")
    out = await board.run(":as @sec", '/board member add @nina "Nina Shah" initials NS org "Parent Carer Forum" '
                                      "role parent-rep")
    assert "I1" in reply(out)["text"] and "linked" in reply(out)["text"]
    assert "I1" in await said(board, ":as @nina", "issue list")


async def test_it_is_not_resolved_in_a_dm_offers_to_reopen_and_keeps_the_message(board: BoardConsole) -> None:
    await board.run(":as @pat", CONCERN, ":as @sec", ":now 2026-11-10T10:00", "/board issue resolve I1 nurse booked")
    out = await board.run(":as @pat", ":now 2026-11-20T10:00", "It is not resolved, the nurse never came")
    assert reply(out)["text"].startswith("It sounds as if your concern I1 isn't sorted.")
    assert [label for label, _ in reply(out)["buttons"]] == ["Reopen I1", "It's a new concern"]
    assert not dms(out) and "I2" not in await said(board, "issue list all")
    out = await board.run(reply(out)["buttons"][0][1])
    assert "If it isn't resolved by Fri 18 Dec 2026, it goes to the Chair of the board." in reply(out)["text"]
    assert [m["to"] for m in dms(out)] == ["@sec"]
    assert "the nurse never came" in await said(board, ":as @sec", "/board issue show I1")
