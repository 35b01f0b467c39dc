"""Calendar feeds: parsed back with `icalendar` around the 2027 clock changes
(BST from Sun 28 Mar, GMT from Sun 31 Oct), and the private link served by
`partnerbot serve`. Today is Mon 2 Nov 2026, 10:00."""

from __future__ import annotations

import datetime as dt
import re

import aiohttp
import icalendar
import pytest
from aiohttp import web

from adapters.web.server import build_web_app
from bot.context import Command, Identity
from bot.reply import Reply
from tests.adapters.console.steps import said
from tests.harness import BoardConsole

UTC = dt.UTC


async def run(board: BoardConsole, text: str, who: str = "chair") -> Reply:
    return (await board.console.services.bot.handle(Command(Identity("console", who), text))).reply


async def feed(board: BoardConsole, text: str = "calendar export", who: str = "chair") -> icalendar.Calendar:
    reply = await run(board, text, who)
    assert not reply.error, reply
    return icalendar.Calendar.from_ical(reply.attachments[0].data)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def utc(event: icalendar.Event, key: str = "dtstart") -> dt.datetime:
    return event.decoded(key).astimezone(UTC).replace(tzinfo=None)


async def test_meetings_keep_local_time_across_both_2027_clock_changes(board: BoardConsole) -> None:
    await board.run(
        "/board meeting add 25/3/2027 10:00 until 12:00 at Guildhall",  # GMT
        "/board meeting add 1/4/2027 10:00 until 12:00 at Guildhall",  # BST
        "/board meeting add 28/10/2027 10:00 until 12:00",  # BST
        "/board meeting add 4/11/2027 10:00 until 12:00",  # GMT
    )
    cal = await feed(board)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    found = events(cal)
    assert [utc(found[f"meeting-{n}@partnerbot"]) for n in (1, 2, 3, 4)] == [
        dt.datetime(2027, 3, 25, 10), dt.datetime(2027, 4, 1, 9), dt.datetime(2027, 10, 28, 9),
        dt.datetime(2027, 11, 4, 10)]
    for n in (1, 2, 3, 4):
        start = found[f"meeting-{n}@partnerbot"].decoded("dtstart")
        assert (start.hour, str(start.tzinfo)) == (10, "Europe/London")
    assert utc(found["meeting-2@partnerbot"], "dtend") == dt.datetime(2027, 4, 1, 11)
    assert str(found["meeting-1@partnerbot"]["location"]) == "Guildhall"
    # Papers 6 and circulation 5 working days before, as all-day dates, skipping Easter (26 and 29 Mar).
    assert found["papers-2@partnerbot"].decoded("dtstart") == dt.date(2027, 3, 22)
    assert found["circulation-2@partnerbot"].decoded("dtstart") == dt.date(2027, 3, 23)


async def test_moves_and_cancellations_replace_the_event_under_the_same_uid(board: BoardConsole) -> None:
    await board.run("/board meeting add 25/3/2027 10:00 at Guildhall", "/board meeting add 1/4/2027 10:00")
    await board.run("/board meeting move M1 30/3/2027 14:00", "/board meeting cancel M2")
    found = events(await feed(board))
    assert utc(found["meeting-1@partnerbot"]) == dt.datetime(2027, 3, 30, 13)
    assert str(found["meeting-1@partnerbot"]["status"]) == "CONFIRMED"
    assert str(found["meeting-2@partnerbot"]["status"]) == "CANCELLED"
    assert str(found["papers-2@partnerbot"]["status"]) == "CANCELLED"


async def test_a_members_feed_adds_their_open_actions_and_recurring_deadlines(board: BoardConsole) -> None:
    await board.run(
        '/board deadline add "HWB report" every 6 months from 31/3/2027',
        "/board action add Book the venue @owen due 26/3/2027",
        "/board action add Chase the DfE @owen due 2/4/2027",
        "/board action add Ring the trusts @mia due 2/4/2027",
        "/board action done A2",
    )
    mine = events(await feed(board, "calendar export", who="owen"))
    assert "action-1@partnerbot" not in mine  # the board feed has nobody's actions
    owen = events(await feed(board, "calendar export @owen", who="owen"))
    assert owen["action-1@partnerbot"].decoded("dtstart") == dt.date(2027, 3, 26)
    assert str(owen["action-1@partnerbot"]["summary"]) == "A1 due: Book the venue"
    assert "action-2@partnerbot" not in owen and "action-3@partnerbot" not in owen
    assert owen["deadline-1-20270331@partnerbot"].decoded("dtstart") == dt.date(2027, 3, 31)
    assert owen["deadline-1-20270930@partnerbot"].decoded("dtstart") == dt.date(2027, 9, 30)
    refused = await run(board, "calendar export @mia", who="owen")
    assert refused.error


@pytest.fixture
async def served(board: BoardConsole):
    runner = web.AppRunner(build_web_app(board.console.services))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


async def test_the_private_link_serves_the_feed_until_reset_or_removal(board: BoardConsole, served: str) -> None:
    await board.run("/board action add Book the venue @owen due 26/3/2027")
    text = await said(board, ":as @owen", "/board calendar")
    path = re.search(r"(/calendar/[\w-]+\.ics)", text)[1]
    status, kind, body = await get(served + path)
    assert (status, kind) == (200, "text/calendar; charset=utf-8")
    assert "action-1@partnerbot" in body and "BEGIN:VTIMEZONE" in body
    assert "can't be shown again" in await said(board, "/board calendar")
    new_path = re.search(r"(/calendar/[\w-]+\.ics)", await said(board, "/board calendar reset"))[1]
    assert new_path != path
    assert (await get(served + path))[0] == 404
    assert (await get(served + new_path))[0] == 200
    assert (await get(served + "/calendar/guess.ics"))[0] == 404
    await board.run(":as @chair", "/board member remove @owen")
    assert (await get(served + new_path))[0] == 404


async def test_a_members_feed_has_their_risk_reviews_and_measures_due(board: BoardConsole) -> None:
    await board.run(
        ":as @sec",
        "/board risk add Short breaks provider may withdraw impact Families lose respite strategy mitigate "
        "score high owner @owen review every 3 months",
        "/board measure add EHC plans within 20 weeks target 100% owner @owen every quarter",
    )
    mine = events(await feed(board, "calendar export @owen", who="owen"))
    review = mine["risk-review-1@partnerbot"]
    assert str(review["summary"]) == "R1 review due: Short breaks provider may withdraw"
    assert review.decoded("dtstart") == dt.date(2027, 2, 2)  # three months from Mon 2 Nov 2026
    # 2026-Q3 ended Wed 30 Sep: its value was due 5 working days later; 2026-Q4's after 31 Dec (bank holiday 1 Jan).
    assert mine["measure-1-2026-Q3@partnerbot"].decoded("dtstart") == dt.date(2026, 10, 7)
    assert mine["measure-1-2026-Q4@partnerbot"].decoded("dtstart") == dt.date(2027, 1, 8)
    others = events(await feed(board, "calendar export @mia", who="mia"))
    assert not [uid for uid in others if uid.startswith(("risk-", "measure-"))]
