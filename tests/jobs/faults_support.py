"""Database faults for the outage tests, one way per database.

PostgreSQL is reached through a TcpProxy: ``refused`` resets every
connection and refuses new ones, ``partition`` silently stops forwarding.
SQLite has no network, so its faults are the file's: ``refused`` makes the
database files immutable (``chattr +i`` on the file and its WAL: even open descriptors
cannot write, as on a disk remounted read-only), ``partition`` has another process hold
the write lock, so writes wait and then time out.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url
from tcp_proxy import TcpProxy


class Fault:
    def __init__(self, db_url: str, how: str) -> None:
        self.db_url, self.how = db_url, how
        self.worker_url = db_url
        self.proxy: TcpProxy | None = None
        self._lock: sqlite3.Connection | None = None
        self._frozen: list[Path] = []

    @property
    def sqlite_file(self) -> Path | None:
        url = make_url(self.db_url)
        return Path(url.database) if url.get_backend_name() == "sqlite" else None

    async def start(self) -> Fault:
        if self.sqlite_file is None:
            url = make_url(self.db_url)
            self.proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
            self.worker_url = url.set(host="127.0.0.1", port=self.proxy.port).render_as_string(hide_password=False)
        return self

    async def cut(self) -> None:
        if self.proxy is not None:
            await (self.proxy.refuse() if self.how == "refused" else self.proxy.partition())
        elif self.how == "refused":
            base = self.sqlite_file
            # Not the -shm index: it is memory-mapped, and SQLite rebuilds it.
            self._frozen = [p for p in (base, Path(f"{base}-wal")) if p.exists()]
            subprocess.run(["chattr", "+i", *map(str, self._frozen)], check=True)
        else:
            self._lock = sqlite3.connect(self.sqlite_file, isolation_level=None, timeout=30)
            self._lock.execute("BEGIN IMMEDIATE")

    async def heal(self) -> None:
        if self.proxy is not None:
            await self.proxy.heal()
        if self._frozen:
            subprocess.run(["chattr", "-i", *map(str, self._frozen)], check=True)
            self._frozen = []
        if self._lock is not None:
            self._lock.rollback()
            self._lock.close()
            self._lock = None

    async def close(self) -> None:
        await self.heal()
        if self.proxy is not None:
            await self.proxy.stop()
