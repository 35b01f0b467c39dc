"""Files in Teams: the bot cannot attach a file to a card, so `/board export actions`
answers with an "Open …" link that `partnerbot serve` answers for 30 days."""

from __future__ import annotations

import datetime as dt
import json
import re

import aiohttp

from tests.adapters.teams.teams_fakes import message
from tests.adapters.teams.teams_harness import PEOPLE, start_server


async def fetch(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers.get("Content-Disposition", ""), await response.read()


async def test_an_export_in_teams_is_a_link_served_by_partnerbot(db_url: str) -> None:
    server = await start_server(db_url, dev=True)
    try:
        server.services.settings.public_url = server.url
        await server.post(message("export actions", PEOPLE["owen"], server.connector.url))
        answer = server.connector.posts()[-1].text()
        assert "is attached as actions-2026-11-02.csv" in answer
        [url] = re.findall(r'"url": "([^"]+/files/[^"]+)"', json.dumps(json.loads(answer)))
        assert url.startswith(server.url + "/files/") and "Open actions-2026-11-02.csv" in answer
        status, disposition, body = await fetch(url)
        assert status == 200 and "actions-2026-11-02.csv" in disposition
        assert body.decode("utf-8-sig").startswith("Ref,Action,Owner,Due,Status")
        token = url.split("/files/")[1].split("/")[0]
        assert (await fetch(url.replace(token, token[:-2] + "xx")))[0] == 404
        server.clock.move_to(server.clock.now() + dt.timedelta(days=31))
        assert (await fetch(url))[0] == 404  # links expire
    finally:
        await server.close()
