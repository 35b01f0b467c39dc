"""A parent's follow-up over Teams joins their open concern, and "This is a new
concern" is pressed as Teams sends it: a Bot Framework JWT signed by the
(local) OpenID keys, checked like any other activity. A broken character is
kept as a replacement character, never "Sorry, something went wrong"."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.adapters.teams.teams_fakes import OpenIdServer, card_action, message
from tests.adapters.teams.teams_harness import NOW, PEOPLE, Server
from tests.e2e.conftest import APP_ID


@pytest.fixture
def server(signed_server: Server) -> Server:
    return signed_server


CONCERN = "Hello, my daughter's EHC plan review has been cancelled twice."
FOLLOW_UP = "Also the school nurse \ud800 has stopped her medication support."


async def send(server: Server, openid: OpenIdServer, body: dict) -> object:
    status, answer = await server.post(body, openid.token(APP_ID, server.connector.url))
    assert status == 200, answer
    return answer


def readable(something: object) -> str:
    """Card text as a reader sees it (references are bold)."""
    return str(something).replace("**", "")


def said(server: Server) -> list[str]:
    return [readable(c.text()) for c in server.connector.posts()]


def button(card: dict, title: str) -> dict:
    found = [a for a in card.get("actions", []) if a.get("title") == title]
    for block in card.get("body", []):
        found += [a for a in block.get("actions", []) if a.get("title") == title]
    assert found, card
    return found[0]["data"]


async def issues(server: Server) -> list[tuple[str, str]]:
    async with server.services.db.uow() as uow:
        return [(i.text, " ".join(e.note for e in await uow.issues.events(i.id) if e.kind == "add"))
                for i in await uow.issues.list_all()]


async def test_a_follow_up_joins_the_open_concern_and_the_button_makes_it_a_new_one(server, openid):
    pat = PEOPLE["pat"]
    await send(server, openid, message(CONCERN, pat, server.connector.url))
    assert "Your concern is logged as I1" in said(server)[-1]
    server.clock.move_to((NOW + dt.timedelta(hours=2)).astimezone(dt.UTC))
    await send(server, openid, message(FOLLOW_UP, pat, server.connector.url))
    added = [c for c in server.connector.posts() if "Added to your concern I1" in readable(c.text())]
    assert added and "Sorry" not in said(server)[-1]
    kept = FOLLOW_UP.replace("\ud800", "\ufffd")
    assert await issues(server) == [(CONCERN, kept)]
    data = button(added[-1].cards()[0], "This is a new concern")
    answer = await send(server, openid, card_action(data, pat, server.connector.url, reply_to="act-9"))
    assert answer["statusCode"] == 200 and "Your concern is logged as I2" in readable(answer["value"])
    assert await issues(server) == [(CONCERN, ""), (kept, "")]
    # The same button pressed by someone else does nothing, and an unsigned press is refused.
    await send(server, openid, card_action(data, PEOPLE["owen"], server.connector.url, reply_to="act-9"))
    status, _ = await server.post(card_action(data, pat, server.connector.url, reply_to="act-9"))
    assert status == 401
    assert len(await issues(server)) == 2
