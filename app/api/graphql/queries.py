"""Queries: each calls the same use case as its REST twin; not found or not visible is null."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.types import Ctx, Person, Program, Tandem
from app.domain.errors import NotFound, PermissionDenied
from app.services import identity, people, programs, tandems

T = TypeVar("T")


async def _or_none(found: Awaitable[T]) -> T | None:
    """Another tenant's object, or one the caller may not see, is simply absent."""
    try:
        return await found
    except (NotFound, PermissionDenied):
        return None


@strawberry.type
class Me:
    user_id: UUID
    role: str
    org_id: UUID | None
    person: Person | None


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: Ctx) -> Me:
        me = await identity.who_am_i(info.context.uow_factory(), info.context.caller)
        caller = me.caller
        return Me(
            user_id=caller.user_id,
            role=caller.role.value,
            org_id=caller.org_id,
            person=Person.of(me.person) if me.person else None,
        )

    @strawberry.field
    async def program(self, info: Ctx, id: UUID) -> Program | None:
        found = await _or_none(programs.get_program(info.context.uow_factory(), info.context.caller, id))
        if found is None:
            return None
        info.context.loaders.program.prime(found.id, found)  # its tandems' health needs its rules: no second read
        return Program.of(found)

    @strawberry.field
    async def programs(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Program]:
        page = await programs.list_programs(info.context.uow_factory(), info.context.caller, page_request(first, after))
        return Connection.of(page, Program.of)

    @strawberry.field
    async def tandem(self, info: Ctx, id: UUID) -> Tandem | None:
        found = await _or_none(tandems.get_tandem(info.context.uow_factory(), info.context.caller, id))
        return Tandem.of(found) if found else None

    @strawberry.field
    async def person(self, info: Ctx, id: UUID) -> Person | None:
        found = await _or_none(people.get_person(info.context.uow_factory(), info.context.caller, id))
        return Person.of(found) if found else None
