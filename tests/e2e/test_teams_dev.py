"""The real server in ``--dev`` (no authentication): activities POSTed to /api/messages are
answered through a local fake Bot Connector, invoke responses come back with their bodies."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession, web

from adapters.config import Settings
from adapters.services import build_services
from adapters.teams.endpoint import mount
from adapters.web.server import build_web_app
from tests.adapters.teams.teams_fakes import BOT_ID, activity, card_action, message
from tests.adapters.teams.teams_harness import PEOPLE, Server, start_server

CHANNEL = "19:board@thread.tacv2"


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[Server]:
    started = await start_server(db_url, dev=True)
    yield started
    await started.close()


async def test_a_personal_message_is_answered_through_the_connector(server):
    status, _ = await server.post(message("help", PEOPLE["owen"], server.connector.url))
    assert status == 200
    [answer, *_] = server.connector.posts()
    assert answer.conversation == "a:personal-1"
    assert answer.body["replyToId"].startswith("in-")
    assert "action add" in answer.text()
    assert answer.authorization is None  # dev mode sends no token


async def test_first_message_links_the_member_by_roster_email(server):
    await server.post(message("whoami", PEOPLE["owen"], server.connector.url))
    assert "Health Trust" in server.connector.posts()[-1].text()
    async with server.services.db.uow() as uow:
        assert (await uow.identities.member_for("teams", "aad-owen")).handle == "owen"


async def test_channel_mentions_resolve_through_the_roster_and_owners_get_a_new_chat(server):
    body = message("action add Circulate the survey <at>Mia Lund</at> due 15/1/2027", PEOPLE["owen"],
                   server.connector.url, mentions=(PEOPLE["mia"],), bot_mention=True,
                   conversation=f"{CHANNEL};messageid=170", conversation_type="channel")
    status, _ = await server.post(body)
    assert status == 200
    async with server.services.db.uow() as uow:
        action = await uow.actions.get(1)
        mia = await uow.identities.member_for("teams", "aad-mia")
    assert action.owner_ids == [mia.id]
    created = {c.body["members"][0]["id"]: c.body for c in server.connector.of("create")}
    assert set(created) == {"aad-mia", "aad-owen"}  # Mia's notice, Owen's full answer
    assert created["aad-mia"]["channelData"] == {"tenant": {"id": "tenant-1"}}
    assert created["aad-mia"]["isGroup"] is False
    notice = [c for c in server.connector.posts() if c.conversation == "a:personal-aad-mia"]
    assert notice and notice[0].kind == "send" and "logged an action for you" in notice[0].text()
    channel = [c for c in server.connector.posts() if c.conversation.startswith(CHANNEL)]
    assert channel and "Action A1 logged." in channel[0].text()


async def test_card_action_invoke_returns_the_new_card_not_a_500(server):
    await server.post(message("action add Circulate the survey @mia due 15/1/2027", PEOPLE["owen"],
                              server.connector.url))
    status, body = await server.post(card_action({"pb_kind": "command", "pb_command": "action done A1"},
                                                 PEOPLE["owen"], server.connector.url, reply_to="act-77"))
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["type"] == "AdaptiveCard" and "Reopen" in json.dumps(body["value"])
    assert not server.connector.of("update")  # the response is the new card: no PUT to wait for


async def test_message_extension_fetch_task_returns_the_dialog(server):
    status, body = await server.post(activity(
        "invoke", PEOPLE["owen"], server.connector.url, conversation=CHANNEL, conversation_type="channel",
        name="composeExtension/fetchTask",
        value={"commandId": "raiseIssue", "messagePayload": {"body": {"content": "<p>Buses late again</p>"}}}))
    assert status == 200
    card = body["task"]["value"]["card"]["content"]
    assert next(e for e in card["body"] if e.get("id") == "text")["value"] == "Buses late again"


async def test_unknown_invokes_are_200_with_an_empty_object_and_bad_bodies_400(server):
    status, body = await server.post(activity("invoke", PEOPLE["owen"], server.connector.url, name="tab/fetch"))
    assert (status, body) == (200, {})
    status, _ = await server.post({"no": "type"})
    assert status == 400


async def test_install_stores_the_channel_for_later_posts(server):
    await server.post(activity("conversationUpdate", PEOPLE["chair"], server.connector.url, conversation=CHANNEL,
                               conversation_type="channel", membersAdded=[{"id": BOT_ID}]))
    assert "Type help" in server.connector.posts()[0].text()
    async with server.services.db.uow() as uow:
        assert (await uow.platform.get_ref("teams", CHANNEL))["serviceUrl"] == server.connector.url


async def test_without_an_app_id_the_endpoint_is_not_served(db_url):
    services = build_services(Settings(database_url=db_url, log_json=False))
    try:
        app = build_web_app(services, teams_dev=False)
        assert not [r for r in app.router.routes() if r.resource and r.resource.canonical == "/api/messages"]
        with pytest.raises(RuntimeError, match="PARTNERBOT_TEAMS_APP_ID"):
            mount(web.Application(), services, dev=False)
    finally:
        await services.close()


async def test_dev_mode_says_loudly_that_authentication_is_off(db_url, caplog):
    services = build_services(Settings(database_url=db_url, log_json=False))
    try:
        build_web_app(services, teams_dev=True)
    finally:
        await services.close()
    assert any("AUTHENTICATION IS OFF" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


async def test_dev_mode_with_an_app_id_still_authenticates_and_does_not_claim_otherwise(db_url, caplog):
    services = build_services(Settings(database_url=db_url, log_json=False,
                                       teams_app_id="5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", teams_app_password="pw",
                                       teams_tenant_id="tenant-1"))
    try:
        app = build_web_app(services, teams_dev=True)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        async with ClientSession() as session, session.post(
                f"http://127.0.0.1:{port}/api/messages",
                json=message("help", PEOPLE["owen"], "https://smba.trafficmanager.net/emea/")) as response:
            assert response.status == 401  # unsigned: refused, --dev or not
        await runner.cleanup()
    finally:
        await services.close()
    assert not any("AUTHENTICATION IS OFF" in r.getMessage() for r in caplog.records)
