"""The real server with an app id: Bot Framework JWTs are checked against keys published
by a local OpenID endpoint (PARTNERBOT_TEAMS_OPENID_METADATA_URL); anything else is a 401."""

from __future__ import annotations

import pytest

from tests.adapters.teams.teams_fakes import message, new_key
from tests.adapters.teams.teams_harness import PEOPLE, Server
from tests.e2e.conftest import APP_ID


@pytest.fixture
def server(signed_server: Server) -> Server:
    return signed_server


async def test_a_correctly_signed_activity_is_answered(server, openid):
    body = message("help", PEOPLE["owen"], server.connector.url)
    status, _ = await server.post(body, openid.token(APP_ID, server.connector.url))
    assert status == 200
    [answer, *_] = server.connector.posts()
    assert "action add" in answer.text()
    assert answer.authorization == f"Bearer outbound-token-for-{APP_ID}"


@pytest.mark.parametrize("forge", [
    pytest.param(lambda o, url: None, id="missing"),
    pytest.param(lambda o, url: o.token(APP_ID, url, expires_in=-3600), id="expired"),
    pytest.param(lambda o, url: o.token(APP_ID, url, audience="someone-elses-app"), id="wrong-audience"),
    pytest.param(lambda o, url: o.token(APP_ID, url, key=new_key()), id="wrongly-signed"),
    pytest.param(lambda o, url: o.token(APP_ID, url, issuer="https://evil.example"), id="wrong-issuer"),
    pytest.param(lambda o, url: o.token(APP_ID, "https://elsewhere.example/"), id="other-service-url"),
    pytest.param(lambda o, url: "not.a.jwt", id="garbage"),
])
async def test_bad_tokens_are_refused_and_nothing_runs(server, openid, forge):
    body = message("action add Circulate the survey @mia due 15/1/2027", PEOPLE["owen"], server.connector.url)
    status, _ = await server.post(body, forge(openid, server.connector.url))
    assert status == 401
    assert server.connector.posts() == []
    async with server.services.db.uow() as uow:
        assert await uow.actions.list_all() == []


async def test_only_an_authenticated_activity_replaces_a_stored_conversation_reference(server, openid):
    body = message("whoami", PEOPLE["owen"], server.connector.url, conversation="a:owen-chat")
    assert (await server.post(body, openid.token(APP_ID, server.connector.url)))[0] == 200
    async with server.services.db.uow() as uow:
        stored = await uow.platform.get_ref("teams", "user:aad-owen")
    moved = message("whoami", PEOPLE["owen"], server.connector.url, conversation="a:attackers-chat")
    assert (await server.post(moved))[0] == 401  # unsigned, though its serviceUrl is an allowed one
    async with server.services.db.uow() as uow:
        assert await uow.platform.get_ref("teams", "user:aad-owen") == stored
        assert await uow.platform.get_ref("teams", "a:attackers-chat") is None
