"""A parent's follow-up over Slack joins their open concern; "This is a new
concern" and "Add to I2" are pressed as Slack sends them (signed requests)."""

from __future__ import annotations

import datetime as dt

from tests.e2e.slack_harness import (
    NOW,
    SlackRig,
    element,
    slack_rig,  # noqa: F401  (the `rig` fixture)
    text_of,
)

CONCERN = "Hi, my son has had no school transport since Monday."
FOLLOW_UP = "Also his speech therapy sessions have stopped."


def later(rig: SlackRig, hours: int) -> None:
    rig.services.clock.move_to((NOW + dt.timedelta(hours=hours)).astimezone(dt.UTC))  # type: ignore[attr-defined]


async def texts(rig: SlackRig) -> list[tuple[str, str]]:
    """Each issue's words, and what was added to it."""
    async with rig.services.db.uow() as uow:
        return [(i.text, " ".join(e.note for e in await uow.issues.events(i.id) if e.kind == "add"))
                for i in await uow.issues.list_all()]


async def test_a_follow_up_joins_the_open_concern_and_the_button_makes_it_a_new_one(rig: SlackRig):
    await rig.slack.dm(CONCERN, "UPAT")
    assert "Your concern is logged as I1" in text_of(await rig.dm("UPAT"))
    later(rig, 2)
    await rig.slack.dm(FOLLOW_UP, "UPAT")
    added = await rig.dm("UPAT", 2)
    assert "Added to your concern I1" in text_of(added)
    assert "The raiser added information to confidential issue I1" in text_of(await rig.dm("USEC", 2))
    assert await texts(rig) == [(CONCERN, FOLLOW_UP)]
    sent = await rig.slack.press("UPAT", element(added, "This is a new concern"), added, channel="DUPAT")
    assert sent.status == 200
    [answer] = await rig.fake.wait_for("chat.update", channel="DUPAT", ts=added["ts"])  # the message now says so
    assert "Your concern is logged as I2" in text_of(answer.args)
    assert await texts(rig) == [(CONCERN, ""), (FOLLOW_UP, "")]
    # Someone else pressing the same button changes nothing.
    sent = await rig.slack.press("UOWEN", element(added, "This is a new concern"), added, channel="DUPAT")
    [refusal] = await rig.fake.wait_for("response_url", url=sent.response_url)
    assert ":warning:" in text_of(refusal.args) and len(await texts(rig)) == 2


async def test_with_two_open_concerns_the_parent_chooses_which(rig: SlackRig):
    await rig.slack.dm(CONCERN, "UPAT")
    await rig.dm("UPAT")
    await rig.command("issue raise The taxi firm cancelled the contract", "UPAT")
    later(rig, 3)
    await rig.slack.dm(FOLLOW_UP, "UPAT")
    question = await rig.dm("UPAT", 2)
    assert "Which one is this about?" in text_of(question)
    assert (await rig.slack.press("UPAT", element(question, "Add to I2"), question, channel="DUPAT")).status == 200
    [answer] = await rig.fake.wait_for("chat.update", channel="DUPAT", ts=question["ts"])
    assert "Added to your concern I2" in text_of(answer.args)
    assert await texts(rig) == [(CONCERN, ""), ("The taxi firm cancelled the contract", FOLLOW_UP)]


async def test_someone_not_yet_on_the_board_gets_a_receipt_and_member_add_links_them(rig: SlackRig):
    rig.fake.add_user("UNINA", "Nina Shah", "nina@board.test")
    await rig.slack.dm("My daughter's school place was withdrawn and nobody will tell me why.", "UNINA")
    assert "Your concern is logged as I1" in text_of(await rig.dm("UNINA"))
    told = text_of(await rig.dm("USEC"))
    assert "from someone not yet on the board (Nina Shah)" in told
    answer = (await rig.command('member add <@UNINA|nina> "Nina Shah" initials NS org "Forum" role parent-rep',
                                "USEC"))[0]
    assert "I1" in text_of(answer) and "linked" in text_of(answer)
    later(rig, 2)
    await rig.slack.dm("Also her transport has stopped.", "UNINA")
    added = await rig.dm("UNINA", 2)
    assert "Added to your concern I1" in text_of(added) and element(added, "This is a new concern")
