"""The repository of SSO configurations, sealing client secrets before they reach a row."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.sso import SsoConfig
from app.infra.auth.secret_box import SecretBox
from app.infra.db import mapping as m
from app.infra.db import tables as tb


class SsoConfigRepository:
    """One provider per organization; the client secret is sealed before it reaches a row."""

    def __init__(self, db: AsyncSession, box: SecretBox) -> None:
        self.db = db
        self.box = box

    async def get(self, org_id: UUID) -> SsoConfig | None:
        row = (await self.db.execute(select(tb.sso_configs).where(tb.sso_configs.c.org_id == org_id))).mappings()
        found = row.first()
        return m.sso_to_domain(dict(found), self.box.open(found["client_secret_encrypted"])) if found else None

    async def save(self, config: SsoConfig) -> None:
        """Insert or replace (PUT semantics); the service has checked If-Match against ``version``."""
        values = m.sso_to_row(config, self.box.seal(config.client_secret))
        changed = {k: v for k, v in values.items() if k not in ("org_id", "created_at")}
        stmt = pg_insert(tb.sso_configs).values(values)
        await self.db.execute(stmt.on_conflict_do_update(index_elements=["org_id"], set_=changed))
