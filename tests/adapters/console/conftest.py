"""One board per test, on SQLite and PostgreSQL (see tests/conftest.py).

``board`` is the seeded example from tests/harness.py (chair @chair,
secretariat @sec, members @lead @owen @mia, parent rep @pat, observer @zoe,
W1 led by @lead), acting as @chair on Mon 2 Nov 2026 at 10:00.
``empty_board`` is a fresh database with nobody on it, acting as @amy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.harness import BoardConsole, open_board


@pytest.fixture
async def board(db_url: str) -> AsyncIterator[BoardConsole]:
    console = await open_board(db_url)
    yield console
    await console.close()


@pytest.fixture
async def empty_board(db_url: str) -> AsyncIterator[BoardConsole]:
    console = await open_board(db_url, who="@amy", seed=False)
    yield console
    await console.close()
