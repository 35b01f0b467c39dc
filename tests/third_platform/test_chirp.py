"""A third chat platform needs an adapter and nothing else.

Chirp (tests/third_platform/chirp.py) is adapted in one module; the board's
core, storage and jobs are used unchanged. Its users are linked to members by
e-mail the first time they write or are mentioned, they log, list and finish
actions, a mentioned owner hears about it in a Chirp message that mentions
who logged it, and a stranger is told they are not on the board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from adapters.config import Settings
from adapters.services import build_services
from bot.context import Command, Identity
from bot.ports import FixedClock
from tests.fakes.board_seed import seed_commands
from tests.third_platform.chirp import ChirpAdapter, ChirpServer

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)  # a Monday morning


@pytest.fixture
async def chirp(db_url: str) -> AsyncIterator[tuple[ChirpAdapter, ChirpServer]]:
    services = build_services(Settings(database_url=db_url, log_json=False), FixedClock(NOW))
    for line in seed_commands("@chair"):  # the board set up at the console, members with e-mail addresses
        assert not (await services.bot.handle(Command(Identity("console", "@chair"), line))).reply.error, line
    server = ChirpServer()
    server.join("C-owen", "Owen Pike", "Owen@Board.test")
    server.join("C-mia", "Mia Lund", "mia@board.test")
    server.join("C-sky", "Sky Nobody", "sky@elsewhere.test")
    yield ChirpAdapter(services, server), server
    await services.close()


async def member_for(adapter: ChirpAdapter, user_id: str) -> str | None:
    found = await adapter.accounts.member(user_id)
    return found.handle if found else None


async def test_an_action_family_end_to_end_through_a_new_platform(chirp: tuple[ChirpAdapter, ChirpServer]) -> None:
    adapter, server = chirp
    assert await member_for(adapter, "C-owen") is None
    whoami = await adapter.message("C-owen", "whoami")
    assert whoami.startswith("[[user:C-owen]] Owen Pike") and "Health Trust" in whoami
    assert await member_for(adapter, "C-owen") == "owen"  # linked by e-mail on first contact

    logged = await adapter.message("C-owen", "action add Circulate the workforce survey [[user:C-mia]] due 15/1/2027")
    assert "Action A1 logged" in logged and "[[user:C-mia]]" in logged
    assert await member_for(adapter, "C-mia") == "mia"  # mentioned before she ever wrote: linked by e-mail
    [notice] = server.inbox["C-mia"]
    assert "[[user:C-owen]] logged an action for you" in notice and "Circulate the workforce survey" in notice

    mine = await adapter.message("C-mia", "action list mine")
    assert "A1 Circulate the workforce survey" in mine
    assert "No actions" in await adapter.message("C-owen", "action list mine")
    done = await adapter.message("C-mia", "action done A1 sent to every school")
    assert "A1 is done" in done
    assert "No actions" in await adapter.message("C-mia", "action list mine")
    assert any("[[user:C-mia]] marked A1 done" in text for text in server.inbox["C-owen"])


async def test_a_stranger_on_the_new_platform_is_not_a_member(chirp: tuple[ChirpAdapter, ChirpServer]) -> None:
    adapter, _ = chirp
    assert (await adapter.message("C-sky", "action list mine")).startswith("You're not a member of this board yet.")
    assert await member_for(adapter, "C-sky") is None
    refused = await adapter.message("C-owen", "action add Book the room [[user:C-sky]] due 15/1/2027")
    assert "@chirp:C-sky isn't a member of this board yet." in refused
