"""Queries of people: the caller, profiles, availability and the GDPR export, as REST's /v1/me and /v1/people."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx, Person
from app.api.graphql.types_availability import Availability
from app.api.graphql.types_exports import PersonExport
from app.services import identity, people


@strawberry.type
class Me:
    user_id: UUID
    role: str
    org_id: UUID | None
    email: str | None = strawberry.field(description="the user's sign-in address; null for a partner's client")
    display_name: str | None = strawberry.field(
        description="the profile's name, else the name the identity provider gave at the last sign-in"
    )
    sso_issuer: str | None = strawberry.field(
        description="the identity provider (issuer URL) the user last signed in through; null for operator tokens"
    )
    person: Person | None


@strawberry.type
class PeopleQueries:
    @strawberry.field
    async def me(self, info: Ctx) -> Me:
        me = await identity.who_am_i(info.context.uow, info.context.caller)
        caller = me.caller
        return Me(
            user_id=caller.user_id,
            role=caller.role.value,
            org_id=caller.org_id,
            email=me.email,
            display_name=me.display_name,
            sso_issuer=me.sso_issuer,
            person=Person.of(me.person) if me.person else None,
        )

    @strawberry.field
    async def person(self, info: Ctx, id: UUID) -> Person | None:
        found = await or_none(people.get_person(info.context.uow, info.context.caller, id))
        return Person.of(found) if found else None

    @described("the profiles of the caller's organization, oldest first")
    async def people(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Person]:
        page = await people.list_people(info.context.uow, info.context.caller, page_request(first, after))
        return Connection.of(page, Person.of)

    @described("a person's weekly availability (members of the organization may read it); also Person.availability")
    async def availability(self, info: Ctx, person_id: UUID) -> Availability | None:
        found = await or_none(people.get_availability(info.context.uow, info.context.caller, person_id))
        return Availability.of(found) if found else None

    @described("everything stored about a person (GDPR access): the person themself or a manager; null otherwise")
    async def person_export(self, info: Ctx, id: UUID) -> PersonExport | None:
        found = await or_none(people.export_person(info.context.uow, info.context.caller, id))
        return PersonExport.of(found) if found else None
