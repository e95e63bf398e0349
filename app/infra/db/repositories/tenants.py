"""Repositories of tenants, their users and people."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, and_, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB, JSONPATH

from app.domain.organization import Organization
from app.domain.person import Person
from app.domain.provisioning import AllOf, AnyOf, Criteria
from app.domain.user import User
from app.infra.db import mapping as m
from app.infra.db import tables as tb
from app.infra.db.repository import Repository
from app.services.pagination import Page, PageRequest


class OrganizationRepository(Repository[Organization]):
    table = tb.OrganizationRow
    to_domain = staticmethod(m.organization_to_domain)
    to_row = staticmethod(m.organization_to_row)

    async def get(self, org_id: UUID) -> Organization | None:
        return await self._one(self.t.c.id == org_id)

    async def get_by_slug(self, slug: str) -> Organization | None:
        return await self._one(self.t.c.slug == slug)

    async def page(self, request: PageRequest) -> Page[Organization]:
        return await self._page(request)


class UserRepository(Repository[User]):
    table = tb.UserRow
    to_domain = staticmethod(m.user_to_domain)
    to_row = staticmethod(m.user_to_row)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return await self._one(self.t.c.id == user_id, for_update=for_update)

    async def find(self, org_id: UUID | None, email: str) -> User | None:
        org_match = self.t.c.org_id.is_(None) if org_id is None else self.t.c.org_id == org_id
        return await self._one(org_match, self.t.c.email == email)

    async def find_by_subject(self, org_id: UUID, subject: str) -> User | None:
        return await self._one(self.t.c.org_id == org_id, self.t.c.sso_subject == subject)

    async def bound_to(self, org_id: UUID, person_id: UUID, *, lock: bool) -> list[User]:
        stmt = select(self.t).where(self.t.c.org_id == org_id, self.t.c.person_id == person_id)
        stmt = stmt.order_by(self.t.c.created_at, self.t.c.id)
        return await self._all(stmt.with_for_update() if lock else stmt)

    async def provisioned(
        self, org_id: UUID, criteria: Criteria | None, *, offset: int, limit: int
    ) -> tuple[int, list[User]]:
        where = [self.t.c.org_id == org_id, self.t.c.scim_user_name.is_not(None)]
        if criteria is not None:
            where.append(self._matching(criteria))
        total = (await self.db.execute(select(func.count()).select_from(self.t).where(*where))).scalar_one()
        if limit <= 0:
            return int(total), []
        stmt = select(self.t).where(*where).order_by(self.t.c.created_at, self.t.c.id).offset(offset).limit(limit)
        return int(total), await self._all(stmt)

    def _matching(self, criteria: Criteria) -> ColumnElement[bool]:
        c = self.t.c
        if isinstance(criteria, AllOf):
            return and_(*(self._matching(part) for part in criteria.parts))
        if isinstance(criteria, AnyOf):
            return or_(*(self._matching(part) for part in criteria.parts))
        if criteria.attribute == "userName":
            same_name: ColumnElement[bool] = func.lower(c.scim_user_name) == criteria.value.lower()
            return same_name
        if criteria.attribute == "externalId":
            same_id: ColumnElement[bool] = c.scim_external_id == criteria.value
            return same_id
        # emails are stored lowercase; a JSON path finds one of the given value (and type)
        condition = "@.value == $value" + (" && @.type == $type" if criteria.email_type is not None else "")
        variables = {"value": criteria.value.lower(), "type": criteria.email_type}
        found: ColumnElement[bool] = func.jsonb_path_exists(
            c.scim, cast(f"$.emails[*] ? ({condition})", JSONPATH), literal(variables, JSONB)
        )
        return found


class PersonRepository(Repository[Person]):
    table = tb.PersonRow
    to_domain = staticmethod(m.person_to_domain)
    to_row = staticmethod(m.person_to_row)

    async def get(self, org_id: UUID, person_id: UUID) -> Person | None:
        return await self._get_in(org_id, person_id)

    async def get_by_email(self, org_id: UUID, email: str) -> Person | None:
        return await self._one(self.t.c.org_id == org_id, self.t.c.email == email)

    async def page(self, org_id: UUID, request: PageRequest) -> Page[Person]:
        return await self._page(request, self.t.c.org_id == org_id)

    async def count(self, org_id: UUID) -> int:
        stmt = select(func.count()).select_from(self.t).where(self.t.c.org_id == org_id)
        return int((await self.db.execute(stmt)).scalar_one())
