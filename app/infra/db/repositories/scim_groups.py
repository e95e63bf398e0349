"""The identity provider's groups (SCIM), with their members as a JSON list of user ids."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from app.domain.provisioned_group import ProvisionedGroup
from app.domain.provisioning import AllOf, AnyOf, Criteria
from app.infra.db import tables as tb
from app.infra.db.repository import Repository


def _to_domain(row: dict[str, Any]) -> ProvisionedGroup:
    return ProvisionedGroup(
        org_id=row["org_id"],
        display_name=row["display_name"],
        external_id=row["external_id"],
        member_ids=tuple(UUID(m) for m in row["member_ids"]),
        id=row["id"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _to_row(group: ProvisionedGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "version": group.version,
        "created_at": group.created_at,
        "updated_at": group.updated_at,
        "org_id": group.org_id,
        "display_name": group.display_name,
        "external_id": group.external_id,
        "member_ids": [str(m) for m in group.member_ids],
    }


class ScimGroupRepository(Repository[ProvisionedGroup]):
    table = tb.ScimGroupRow
    to_domain = staticmethod(_to_domain)
    to_row = staticmethod(_to_row)

    async def get(self, org_id: UUID, group_id: UUID, *, for_update: bool = False) -> ProvisionedGroup | None:
        return await self._get_in(org_id, group_id, for_update=for_update)

    async def remove(self, org_id: UUID, group_id: UUID) -> None:
        await self.db.execute(delete(self.t).where(self.t.c.org_id == org_id, self.t.c.id == group_id))

    async def of_member(self, org_id: UUID, user_id: UUID) -> list[ProvisionedGroup]:
        has = self.t.c.member_ids.op("@>")(literal([str(user_id)], JSONB))
        return await self._all(select(self.t).where(self.t.c.org_id == org_id, has))

    async def matching(
        self, org_id: UUID, criteria: Criteria | None, *, offset: int, limit: int
    ) -> tuple[int, list[ProvisionedGroup]]:
        where = [self.t.c.org_id == org_id]
        if criteria is not None:
            where.append(self._matching(criteria))
        total = (await self.db.execute(select(func.count()).select_from(self.t).where(*where))).scalar_one()
        if limit <= 0:
            return int(total), []
        stmt = select(self.t).where(*where).order_by(self.t.c.created_at, self.t.c.id).offset(offset).limit(limit)
        return int(total), await self._all(stmt)

    def _matching(self, criteria: Criteria) -> ColumnElement[bool]:
        if isinstance(criteria, AllOf):
            return and_(*(self._matching(part) for part in criteria.parts))
        if isinstance(criteria, AnyOf):
            return or_(*(self._matching(part) for part in criteria.parts))
        if criteria.attribute == "displayName":
            same: ColumnElement[bool] = func.lower(self.t.c.display_name) == criteria.value.lower()
            return same
        if criteria.attribute == "externalId":
            exact: ColumnElement[bool] = self.t.c.external_id == criteria.value
            return exact
        members: ColumnElement[bool] = self.t.c.member_ids.op("@>")(literal([criteria.value], JSONB))
        return members
