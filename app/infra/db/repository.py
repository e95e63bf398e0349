"""What every repository shares: tenant-scoped lookups, keyset pages, and version-checked saves.

Rows are read and written with Core statements and mapped explicitly; no ORM identity map sits
between the domain objects and the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Label, Select, and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import VersionMismatch
from app.services.pagination import Cursor, Page, PageRequest

D = TypeVar("D")


@dataclass(frozen=True)
class Children:
    """Child rows an aggregate is read with (a tandem's history, a session's feedback), fetched in
    the aggregate's own statement as one array of records per parent: no second round trip."""

    table: Any
    parent_key: str
    order_by: tuple[str, ...]
    to_domain: Callable[[dict[str, Any]], Any]
    attribute: str

    def column(self, parent: Any) -> Label[Any]:
        c = self.table.c
        ordered = aggregate_order_by(func.row(*c), *(c[k] for k in self.order_by))
        found = select(func.array_agg(ordered)).where(c[self.parent_key] == parent.c.id)
        return found.scalar_subquery().label(self.attribute)

    def attach(self, obj: Any, records: Sequence[Any] | None) -> None:
        names = self.table.c.keys()
        json_columns = {col.key for col in self.table.c if isinstance(col.type, JSONB)}
        children = getattr(obj, self.attribute)
        for record in records or ():
            row = dict(zip(names, record, strict=True))
            for key in json_columns:  # inside a record the driver hands JSON over as text
                if isinstance(row[key], str):
                    row[key] = json.loads(row[key])
            children.append(self.to_domain(row))


class Repository(Generic[D]):
    """Subclasses set ``table`` and the two mapping functions, and ``children`` where the
    aggregate owns child rows."""

    table: Any
    to_domain: Callable[[dict[str, Any]], D]
    to_row: Callable[[D], dict[str, Any]]
    children: Children | None = None

    def __init__(self, db: AsyncSession, touched: list[Any]) -> None:
        self.db = db
        self._touched = touched  # aggregates whose events the unit of work collects on commit

    @property
    def t(self) -> Any:
        return self.table.__table__

    async def _one(self, *where: ColumnElement[bool], for_update: bool = False) -> D | None:
        stmt = select(self.t).where(*where)
        if for_update:
            stmt = stmt.with_for_update()
        found = await self._all(stmt)
        return found[0] if found else None

    async def _all(self, stmt: Select[Any], *, with_children: bool = True) -> list[D]:
        children = self.children if with_children else None
        if children is not None:
            stmt = stmt.add_columns(children.column(self.t))
        rows = (await self.db.execute(stmt)).mappings().all()
        to_domain = type(self).to_domain
        objs = [to_domain(dict(row)) for row in rows]
        if children is not None:
            for obj, row in zip(objs, rows, strict=True):
                children.attach(obj, row[children.attribute])
        return objs

    async def get_many(self, org_id: UUID, ids: Sequence[UUID]) -> list[D]:
        """Several objects of one tenant by id, in one query (for DataLoaders)."""
        return await self._all(select(self.t).where(self.t.c.org_id == org_id, self.t.c.id.in_(list(ids))))

    async def children_of(
        self, org_id: UUID, parent_column: str, parent_ids: Sequence[UUID], *, with_children: bool = True
    ) -> list[D]:
        """The objects of one tenant whose ``parent_column`` is any of ``parent_ids``, oldest first.

        ``with_children=False`` leaves out the objects' own child rows (a session's feedback),
        for a reader that fetches those only when asked (GraphQL)."""
        t = self.t
        stmt = select(t).where(t.c.org_id == org_id, t.c[parent_column].in_(list(parent_ids)))
        return await self._all(stmt.order_by(t.c.created_at, t.c.id), with_children=with_children)

    async def _get_in(self, org_id: UUID, obj_id: UUID, *, for_update: bool = False) -> D | None:
        return await self._one(self.t.c.id == obj_id, self.t.c.org_id == org_id, for_update=for_update)

    async def _page(self, request: PageRequest, *where: ColumnElement[bool]) -> Page[D]:
        """Order by (created_at, id) and continue strictly after the cursor: no gaps, no repeats."""
        t = self.t
        stmt = select(t).where(*where)
        if request.after is not None:
            after = request.after
            stmt = stmt.where(
                or_(t.c.created_at > after.created_at, and_(t.c.created_at == after.created_at, t.c.id > after.id))
            )
        stmt = stmt.order_by(t.c.created_at, t.c.id).limit(request.limit + 1)
        items = await self._all(stmt)
        more = len(items) > request.limit
        items = items[: request.limit]
        last = items[-1] if items and more else None
        return Page(items=items, next_cursor=Cursor(last.created_at, last.id) if last else None)  # type: ignore[attr-defined]

    async def add(self, obj: D) -> None:
        await self.db.execute(insert(self.t).values(**type(self).to_row(obj)))
        await self._after_write(obj)
        self._touched.append(obj)

    async def save(self, obj: D) -> None:
        """Write back under optimistic locking: the row must still be at the version we read."""
        values = type(self).to_row(obj)
        loaded_version = values.pop("version")
        result = await self.db.execute(
            update(self.t)
            .where(self.t.c.id == values.pop("id"), self.t.c.version == loaded_version)
            .values(**values, version=loaded_version + 1)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise VersionMismatch("the object was changed by someone else meanwhile", code="concurrent_update")
        obj.version = loaded_version + 1  # type: ignore[attr-defined]
        await self._after_write(obj)
        self._touched.append(obj)

    async def _after_write(self, obj: D) -> None:
        """Hook for child rows (history, feedback) written with their aggregate."""


def ids(values: Sequence[UUID]) -> list[str]:
    return [str(v) for v in values]
