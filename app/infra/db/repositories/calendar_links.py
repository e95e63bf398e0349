"""Calendar links: looked up by their token's digest (across tenants: the token is the key)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.calendar_link import CalendarLink
from app.infra.db import tables as tb


def _to_domain(row: Any) -> CalendarLink:
    return CalendarLink(
        org_id=row.org_id,
        person_id=row.person_id,
        token_digest=row.token_digest,
        created_by=row.created_by,
        id=row.id,
        created_at=row.created_at,
    )


class CalendarLinkRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def add(self, link: CalendarLink) -> None:
        await self.db.execute(
            insert(tb.calendar_links).values(
                id=link.id,
                org_id=link.org_id,
                person_id=link.person_id,
                token_digest=link.token_digest,
                created_by=link.created_by,
                created_at=link.created_at,
            )
        )

    async def of_person(self, org_id: UUID, person_id: UUID) -> list[CalendarLink]:
        c = tb.calendar_links.c
        stmt = select(tb.calendar_links).where(c.org_id == org_id, c.person_id == person_id)
        return [_to_domain(row) for row in await self.db.execute(stmt.order_by(c.created_at, c.id))]

    async def by_digest(self, token_digest: str) -> CalendarLink | None:
        c = tb.calendar_links.c
        row = (await self.db.execute(select(tb.calendar_links).where(c.token_digest == token_digest))).first()
        return _to_domain(row) if row else None

    async def remove(self, org_id: UUID, person_id: UUID, link_id: UUID) -> bool:
        c = tb.calendar_links.c
        stmt = delete(tb.calendar_links).where(c.org_id == org_id, c.person_id == person_id, c.id == link_id)
        return bool((await self.db.execute(stmt)).rowcount)  # type: ignore[attr-defined]
