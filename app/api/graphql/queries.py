"""Queries: each calls the same use case as its REST twin; not found or not visible is null."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.types import Ctx, Person, Program, Tandem
from app.api.graphql.types_matching import MatchingPolicy, MatchingRun, Suggestion
from app.api.graphql.types_partners import Partner, PartnerMentor, mentor_connection
from app.domain.errors import NotFound, PermissionDenied, RuleViolation
from app.services import identity, matching, matching_runs, partner_mentors, partners, people, programs, tandems

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _described(description: str) -> Callable[[F], F]:
    """``strawberry.field`` with a description; typed, as strawberry's overload for it gives Any."""
    decorate: Callable[[F], F] = strawberry.field(description=description)
    return decorate


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
    email: str | None = strawberry.field(description="the user's sign-in address; null for a partner's client")
    display_name: str | None = strawberry.field(
        description="the profile's name, else the name the identity provider gave at the last sign-in"
    )
    sso_issuer: str | None = strawberry.field(
        description="the identity provider (issuer URL) the user last signed in through; null for operator tokens"
    )
    person: Person | None


@strawberry.type
class Query:
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
    async def program(self, info: Ctx, id: UUID) -> Program | None:
        found = await _or_none(programs.get_program(info.context.uow, info.context.caller, id))
        if found is None:
            return None
        info.context.loaders.program.prime(found.id, found)  # its tandems' health needs its rules: no second read
        return Program.of(found)

    @strawberry.field
    async def programs(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Program]:
        page = await programs.list_programs(info.context.uow, info.context.caller, page_request(first, after))
        return Connection.of(page, Program.of)

    @strawberry.field
    async def tandem(self, info: Ctx, id: UUID) -> Tandem | None:
        found = await _or_none(tandems.get_tandem(info.context.uow, info.context.caller, id))
        return Tandem.of(found) if found else None

    @strawberry.field
    async def person(self, info: Ctx, id: UUID) -> Person | None:
        found = await _or_none(people.get_person(info.context.uow, info.context.caller, id))
        return Person.of(found) if found else None

    @_described("the program's weights, objective, self-matching and proposal expiry")
    async def matching_policy(self, info: Ctx, program_id: UUID) -> MatchingPolicy | None:
        found = await _or_none(matching.get_matching_policy(info.context.uow, info.context.caller, program_id))
        return MatchingPolicy.of(found) if found else None

    @_described("a matching run of the program (managers): status, progress, proposals")
    async def matching_run(self, info: Ctx, program_id: UUID, id: UUID) -> MatchingRun | None:
        ctx = info.context
        found = await _or_none(matching_runs.get_run(ctx.uow, ctx.caller, program_id, id))
        return MatchingRun.of(found) if found else None

    @_described("the other side ranked for one participant (members: their own enrollment)")
    async def suggestions(self, info: Ctx, program_id: UUID, enrollment_id: UUID, limit: int = 20) -> list[Suggestion]:
        if not 1 <= limit <= matching.MAX_SUGGESTIONS:
            raise RuleViolation(f"limit must be 1 to {matching.MAX_SUGGESTIONS}", code="invalid_limit", field="limit")
        ctx = info.context
        found = await matching.suggest_candidates(ctx.uow, ctx.caller, program_id, enrollment_id, limit)
        return [Suggestion.of(s) for s in found]

    @_described(
        "partner networks: platform admins see all, a partner itself, managers those their organization granted"
    )
    async def partners(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Partner]:
        page = await partners.list_partners(info.context.uow, info.context.caller, page_request(first, after))
        return Connection.of(page, Partner.of)

    @_described("a partner network (never its secret); null for another partner or one not granted to the caller")
    async def partner(self, info: Ctx, id: UUID) -> Partner | None:
        found = await _or_none(partners.get_partner(info.context.uow, info.context.caller, id))
        return Partner.of(found) if found else None

    @_described(
        "a partner's mentor pool, least recently changed first, with what happened to each mentor "
        "(the partner's token with scope mentors:read, or a platform admin)"
    )
    async def partner_mentors(
        self,
        info: Ctx,
        partner_id: UUID,
        updated_since: Annotated[
            datetime | None,
            strawberry.argument(
                description="only mentors whose pool entry changed at or after this time (with offset)"
            ),
        ] = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[PartnerMentor]:
        if updated_since is not None and updated_since.utcoffset() is None:
            raise RuleViolation("updatedSince needs a UTC offset", code="validation_failed", field="updatedSince")
        ctx = info.context
        page = await partner_mentors.list_partner_mentors(
            ctx.uow, ctx.caller, partner_id, page_request(first, after), updated_since=updated_since
        )
        return mentor_connection(page)
