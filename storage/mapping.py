"""One generic mapper between bot.model dataclasses and their tables.

Every column named like a dataclass field carries it; a list-valued field is
a ``Link`` to a join table. Column types (storage.types) already convert
datetimes and enums, so a row's values can be handed straight to the
dataclass. Reads always build fresh dataclass instances: the core may mutate
what it gets without touching anything cached.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, Table, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.model import Stored
from bot.text import storable

T = TypeVar("T", bound=Stored)


def conflict_insert(conn: AsyncConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say ON CONFLICT, in the connection's dialect.

    Both databases support ``ON CONFLICT ... DO NOTHING / DO UPDATE``; it is
    what makes "insert unless present" atomic across processes, where a
    read-then-insert would race.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


@dataclass(frozen=True)
class Link:
    """A list field kept in a join table: one row per element, with a
    ``position`` column that keeps the list's order."""

    table: Table
    parent: str  # the join table's column naming the owning row
    child: str  # the column holding each list element

    @classmethod
    def of(cls, row_class: type[SQLModel], parent: str, child: str) -> Link:
        return cls(table_of(row_class), parent, child)


RefOf = Callable[[int, dict[str, Any]], str]


class ChangeListener(Protocol):
    """Hears every write a Mapper makes on a connection: storage.audit's trail, put on the
    connection by the unit of work (``listen``). Declared here, below the trail, so the
    mapper needs nothing of the audit module that builds on it."""

    def changed(self, mapper: Mapper[Any], entity_id: int, before: dict[str, Any] | None,
                after: dict[str, Any] | None) -> None: ...


# Who hears a transaction's writes, kept beside its connection, not in its ``info``: that
# reaches the pooled DBAPI connection, and on a connection a fault invalidated it raises,
# which once kept a unit of work from ending (and its write lock from being freed).
_LISTENERS: weakref.WeakKeyDictionary[AsyncConnection, ChangeListener] = weakref.WeakKeyDictionary()


def listen(conn: AsyncConnection, listener: ChangeListener | None) -> None:
    """Report this connection's writes to ``listener`` from now on (None: to nobody)."""
    if listener is None:
        _LISTENERS.pop(conn, None)
    else:
        _LISTENERS[conn] = listener


def table_of(row_class: type[SQLModel]) -> Table:
    """The table of a ``table=True`` SQLModel class."""
    return row_class.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass, never declared


class Mapper(Generic[T]):
    """Reads and writes one dataclass type to one table (plus its join tables).

    Every write is reported to the audit trail of the unit of work running
    it (storage.audit), with each field's value before and after: ``ref``
    names the row the way people do (``A12``; default ``table:id``),
    ``withheld`` fields are confidential and the trail only says they
    changed. ``audited=False`` is for the trail itself and the outbox.
    """

    def __init__(self, model: type[T], row_class: type[SQLModel], links: dict[str, Link] | None = None, *,
                 ref: RefOf | None = None, withheld: Iterable[str] = (), audited: bool = True) -> None:
        self.model = model
        self.table = table_of(row_class)
        self.links = links or {}
        self.ref = ref
        self.withheld = frozenset(withheld)
        self.audited = audited
        fields = {f.name for f in dataclasses.fields(model)}
        columns = set(self.table.c.keys())
        if fields != columns | self.links.keys() or columns & self.links.keys():
            raise TypeError(
                f"{model.__name__} fields and table {self.table.name} disagree: "
                f"unstored {sorted(fields - columns - self.links.keys())}, "
                f"unknown {sorted((columns | self.links.keys()) - fields)}"
            )
        self.key = self.table.c.id

    def values(self, obj: T) -> dict[str, Any]:
        """Column values of ``obj``, without its id."""
        return {column.key: storable(getattr(obj, column.key)) for column in self.table.c if column.key != "id"}

    def ref_of(self, id: int, values: dict[str, Any]) -> str:
        return self.ref(id, values) if self.ref else f"{self.table.name}:{id}"

    def _fields(self, obj: T) -> dict[str, Any]:
        """What the trail compares: columns and link lists."""
        return self.values(obj) | {name: list(getattr(obj, name)) for name in self.links}

    async def _audit(self, conn: AsyncConnection, id: int, before: dict[str, Any] | None,
                     after: dict[str, Any] | None) -> None:
        listener: ChangeListener | None = _LISTENERS.get(conn) if self.audited else None
        if listener is not None:
            listener.changed(self, id, before, after)

    async def _snapshots(self, conn: AsyncConnection, *where: ColumnElement[bool]) -> list[tuple[int, dict]]:
        if not self.audited:
            return []
        return [(obj.key, self._fields(obj)) for obj in await self.find(conn, *where)]

    async def find(
        self,
        conn: AsyncConnection,
        *where: ColumnElement[bool],
        order_by: Sequence[ColumnElement[Any]] = (),
        limit: int | None = None,
    ) -> list[T]:
        """Objects matching ``where``, in ``order_by`` then id order."""
        query = select(self.table).where(*where).order_by(*order_by, self.key).limit(limit)
        return await self.build(conn, (await conn.execute(query)).all())

    async def first(
        self, conn: AsyncConnection, *where: ColumnElement[bool], order_by: Sequence[ColumnElement[Any]] = ()
    ) -> T | None:
        found = await self.find(conn, *where, order_by=order_by, limit=1)
        return found[0] if found else None

    async def build(self, conn: AsyncConnection, rows: Sequence[Row[Any]]) -> list[T]:
        """Dataclasses for ``rows``, loading each link with one query for all of them."""
        ids = [row.id for row in rows]
        linked = {name: await self._load_link(conn, link, ids) for name, link in self.links.items()}
        return [
            self.model(**row._mapping, **{name: values.get(row.id, []) for name, values in linked.items()})
            for row in rows
        ]

    async def insert(self, conn: AsyncConnection, obj: T, keep_id: bool = False) -> int:
        """Insert ``obj``; with ``keep_id`` under the id it already has (an import
        keeping its references), moving PostgreSQL's sequence past it."""
        values = self.values(obj)
        if keep_id:
            values["id"] = obj.id
        new_id = (await conn.execute(insert(self.table).values(values).returning(self.key))).scalar_one()
        if keep_id and conn.dialect.name == "postgresql":
            name = self.table.name
            await conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                    f"(SELECT MAX(id) FROM {name}))"))
        await self._write_links(conn, new_id, obj)
        await self._audit(conn, new_id, None, self._fields(obj))
        return new_id

    async def upsert(self, conn: AsyncConnection, obj: T, on: str) -> int:
        """Insert ``obj``, or update the row whose unique column ``on`` matches it
        (for entities without links)."""
        values = self.values(obj)
        before = dict(await self._snapshots(conn, self.table.c[on] == values[on]))
        query = conflict_insert(conn, self.table).values(values)
        query = query.on_conflict_do_update(
            index_elements=[on], set_={name: query.excluded[name] for name in values if name != on}
        )
        new_id = (await conn.execute(query.returning(self.key))).scalar_one()
        await self._audit(conn, new_id, before.get(new_id), self._fields(obj))
        return new_id

    async def delete(self, conn: AsyncConnection, *where: ColumnElement[bool]) -> int:
        """Delete the rows matching ``where`` (without links); how many went."""
        before = await self._snapshots(conn, *where)
        deleted = (await conn.execute(delete(self.table).where(*where))).rowcount
        for id, values in before:
            await self._audit(conn, id, values, None)
        return deleted

    async def update(self, conn: AsyncConnection, obj: T) -> None:
        """Write every field of ``obj`` back, replacing its join rows."""
        obj_id = getattr(obj, "id", None)
        if obj_id is None:
            raise ValueError(f"cannot save a {self.model.__name__} that was never added")
        before = dict(await self._snapshots(conn, self.key == obj_id))
        result = await conn.execute(update(self.table).where(self.key == obj_id).values(self.values(obj)))
        if result.rowcount != 1:
            raise LookupError(f"{self.model.__name__} {obj_id} is not stored")
        for link in self.links.values():
            await conn.execute(delete(link.table).where(link.table.c[link.parent] == obj_id))
        await self._write_links(conn, obj_id, obj)
        await self._audit(conn, obj_id, before.get(obj_id), self._fields(obj))

    async def _load_link(self, conn: AsyncConnection, link: Link, ids: Sequence[int]) -> dict[int, list[Any]]:
        if not ids:
            return {}
        parent, child = link.table.c[link.parent], link.table.c[link.child]
        query = select(parent, child).where(parent.in_(ids)).order_by(parent, link.table.c.position)
        values: dict[int, list[Any]] = {}
        for owner, value in (await conn.execute(query)).all():
            values.setdefault(owner, []).append(value)
        return values

    async def _write_links(self, conn: AsyncConnection, obj_id: int, obj: T) -> None:
        for name, link in self.links.items():
            elements: Iterable[Any] = dict.fromkeys(getattr(obj, name))  # once each: (parent, child) is the key
            rows = [{link.parent: obj_id, link.child: value, "position": i} for i, value in enumerate(elements)]
            if rows:
                await conn.execute(insert(link.table), rows)
