"""Fixtures for the Teams tests that go through real Bot Framework authentication: ``openid``, a
local OpenID server whose keys sign the channel's tokens, and ``signed_server``, the bot served
with the app id ``APP_ID`` (no ``--dev``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from adapters.teams import auth
from tests.adapters.teams.teams_fakes import OpenIdServer, StaticCredentialFactory
from tests.adapters.teams.teams_harness import Server, start_server

APP_ID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"


@pytest.fixture
def openid() -> Iterator[OpenIdServer]:
    server = OpenIdServer()
    yield server
    server.close()


@pytest.fixture
async def signed_server(db_url: str, openid: OpenIdServer, monkeypatch) -> AsyncIterator[Server]:
    # Outbound tokens would come from Entra ID; the connector here is local, so hand out a fixed one.
    monkeypatch.setattr(auth, "credentials_factory", lambda settings: StaticCredentialFactory(settings.teams_app_id))
    started = await start_server(db_url, dev=False, teams_app_id=APP_ID, teams_app_password="secret",
                                 teams_tenant_id="tenant-1", teams_openid_metadata_url=openid.metadata_url)
    yield started
    await started.close()
