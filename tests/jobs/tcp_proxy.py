"""A TCP proxy on 127.0.0.1 that the fault tests put between a worker and
PostgreSQL, and cut in the two ways networks fail.

* ``refuse()``: every connection is reset and new ones are refused (the
  database restarting, a firewall rejecting).
* ``partition()``: connections stay open but nothing is forwarded either way,
  and new ones are accepted and then ignored: no RST, no FIN, keepalives
  answered by this host (a silent partition behind a proxy or load balancer).
* ``heal()``: forwarding again; new connections work.
"""

from __future__ import annotations

import asyncio
import contextlib


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            await self._flowing.wait()  # a connection made during a partition hangs here
            up_reader, up_writer = await asyncio.open_connection(*self.target)
            self._writers.add(up_writer)
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        except (ConnectionError, OSError):
            pass
        finally:
            for w in [writer] + ([up_writer] if "up_writer" in locals() else []):
                self._writers.discard(w)
                w.close()

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        while data := await src.read(65536):
            await self._flowing.wait()  # held, not dropped, while partitioned
            dst.write(data)
            await dst.drain()
        dst.close()

    def _reset_all(self) -> None:
        for writer in list(self._writers):
            transport = writer.transport
            with contextlib.suppress(Exception):
                transport.abort()  # type: ignore[attr-defined]
        self._writers.clear()

    async def refuse(self) -> None:
        assert self._server is not None
        self._server.close()
        self._reset_all()
        await self._server.wait_closed()
        self._server = None

    async def partition(self) -> None:
        self._flowing.clear()

    async def heal(self) -> None:
        if self._server is None:
            await self.start()  # the same port again
        self._flowing.set()

    async def stop(self) -> None:
        self._flowing.set()
        if self._server is not None:
            self._server.close()
        self._reset_all()
        if self._server is not None:
            await self._server.wait_closed()
