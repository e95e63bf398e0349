"""SCIM tokens: looked up by their secret's digest (across tenants: the secret is the key)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.scim_token import ScimToken
from app.infra.db import tables as tb


def _to_domain(row: Any) -> ScimToken:
    return ScimToken(
        org_id=row.org_id,
        name=row.name,
        token_digest=row.token_digest,
        description=row.description,
        created_by=row.created_by,
        id=row.id,
        created_at=row.created_at,
    )


class ScimTokenRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def add(self, token: ScimToken) -> None:
        await self.db.execute(
            insert(tb.scim_tokens).values(
                id=token.id,
                org_id=token.org_id,
                name=token.name,
                description=token.description,
                token_digest=token.token_digest,
                created_by=token.created_by,
                created_at=token.created_at,
            )
        )

    async def of_org(self, org_id: UUID) -> list[ScimToken]:
        c = tb.scim_tokens.c
        stmt = select(tb.scim_tokens).where(c.org_id == org_id).order_by(c.created_at, c.id)
        return [_to_domain(row) for row in await self.db.execute(stmt)]

    async def by_digest(self, token_digest: str) -> ScimToken | None:
        c = tb.scim_tokens.c
        row = (await self.db.execute(select(tb.scim_tokens).where(c.token_digest == token_digest))).first()
        return _to_domain(row) if row else None

    async def remove(self, org_id: UUID, token_id: UUID) -> bool:
        c = tb.scim_tokens.c
        stmt = delete(tb.scim_tokens).where(c.org_id == org_id, c.id == token_id)
        return bool((await self.db.execute(stmt)).rowcount)  # type: ignore[attr-defined]
