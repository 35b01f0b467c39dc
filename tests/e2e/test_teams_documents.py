"""Teams gets the meeting pack as a link to HTML served by `partnerbot serve`: unguessable, and it expires."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession

from adapters.config import Settings
from adapters.web.documents import DocumentLinks
from bot.context import Command
from bot.ports import FixedClock
from bot.reply import DocumentRef
from tests.adapters.teams.teams_fakes import message
from tests.adapters.teams.teams_harness import PEOPLE, Server, identity, start_server

PUBLIC = "https://bot.board.test"


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[Server]:
    started = await start_server(db_url, dev=True, public_url=PUBLIC, document_link_secret="s3cret")
    yield started
    await started.close()


async def _get(url: str) -> tuple[int, str, dict]:
    async with ClientSession() as session, session.get(url) as response:
        return response.status, await response.text(), dict(response.headers)


async def test_the_pack_card_links_to_the_document_which_expires(server: Server) -> None:
    for line in ("agenda propose Short breaks review for M1",):  # the seeded board meets (M1) on 7 Jan
        assert not (await server.services.bot.handle(Command(identity(PEOPLE["chair"]), line))).reply.error
    await server.post(message("meeting pack M1", PEOPLE["owen"], server.connector.url))
    card = json.dumps(server.connector.posts()[-1].body)
    [link] = re.findall(r'"url": "(https://bot\.board\.test/documents/[^"]+)"', card)
    assert "Open the meeting pack M1" in card
    local = link.replace(PUBLIC, server.url)
    status, html, headers = await _get(local)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Meeting pack: M1</h1>" in html and "Short breaks review" in html
    assert headers["Cache-Control"] == "private, no-store" and headers["Referrer-Policy"] == "no-referrer"
    token = local.rsplit("/", 1)[1]
    body, _, signature = token.partition(".")
    forged = f"{server.url}/documents/{body}.{'0' * len(signature)}"
    assert (await _get(forged))[0] == 404
    server.clock.move_to(server.clock.now() + dt.timedelta(days=8))
    status, text, _ = await _get(local)
    assert status == 410 and "expired" in text


def test_links_are_signed_per_secret_and_carry_no_board_data() -> None:
    clock = FixedClock(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    links = DocumentLinks(Settings(public_url=PUBLIC + "/", document_link_secret="a"), clock)
    other = DocumentLinks(Settings(public_url=PUBLIC, document_link_secret="b"), clock)
    pack = DocumentRef("pack", "M1", "Meeting pack M1")
    url = links.url(pack)
    assert url is not None and url.startswith(PUBLIC + "/documents/")
    token = url.rsplit("/", 1)[1]
    assert links.open(token) == (pack, False)
    assert other.open(token) == (None, False)
    assert links.token(pack) != links.token(pack)  # each link is its own
    assert DocumentLinks(Settings(), clock).url(pack) is None  # no public URL: no link to give
