"""Queries of programs: programs, enrollments, tandems, matching policy, runs and suggestions,
as REST's /v1/programs and what lies below it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx, Enrollment, HealthStatus, Program, Tandem
from app.api.graphql.types_matching import MatchingPolicy, MatchingRun, Suggestion
from app.domain.errors import RuleViolation
from app.domain.health import Health
from app.services import enrollments, matching, matching_runs, programs, tandems


@strawberry.type
class ProgramQueries:
    @strawberry.field
    async def program(self, info: Ctx, id: UUID) -> Program | None:
        found = await or_none(programs.get_program(info.context.uow, info.context.caller, id))
        if found is None:
            return None
        info.context.loaders.program.prime(found.id, found)  # its tandems' health needs its rules: no second read
        return Program.of(found)

    @strawberry.field
    async def programs(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Program]:
        page = await programs.list_programs(info.context.uow, info.context.caller, page_request(first, after))
        return Connection.of(page, Program.of)

    @described("the program's enrollments: managers see every one, members their own; also Program.enrollments")
    async def enrollments(
        self, info: Ctx, program_id: UUID, first: int = 50, after: str | None = None
    ) -> Connection[Enrollment]:
        ctx = info.context
        page = await enrollments.list_enrollments(ctx.uow, ctx.caller, program_id, page_request(first, after))
        return Connection.of(page, Enrollment.of)

    @described("an enrollment of the program: the participant themself or a manager")
    async def enrollment(self, info: Ctx, program_id: UUID, id: UUID) -> Enrollment | None:
        found = await or_none(enrollments.get_enrollment(info.context.uow, info.context.caller, program_id, id))
        return Enrollment.of(found) if found else None

    @described(
        "the program's tandems: managers see every one, members their own; filter by stored health "
        "and the rematch flag (which tandems need a manager?); also Program.tandems"
    )
    async def tandems(
        self,
        info: Ctx,
        program_id: UUID,
        first: int = 50,
        after: str | None = None,
        health: Annotated[
            HealthStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="only tandems with this health (closed tandems have none)"),
        ] = None,
        rematch_flagged: Annotated[
            bool | None, strawberry.argument(description="only tandems flagged (true) or not (false) for a rematch")
        ] = None,
    ) -> Connection[Tandem]:
        ctx = info.context
        where = tandems.TandemFilter(health=Health(health) if health else None, rematch_flagged=rematch_flagged)
        page = await tandems.list_tandems(ctx.uow, ctx.caller, program_id, page_request(first, after), where)
        return Connection.of(page, Tandem.of)

    @described("the program's weights, objective, self-matching and proposal expiry")
    async def matching_policy(self, info: Ctx, program_id: UUID) -> MatchingPolicy | None:
        found = await or_none(matching.get_matching_policy(info.context.uow, info.context.caller, program_id))
        return MatchingPolicy.of(found) if found else None

    @described("a matching run of the program (managers): status, progress, proposals")
    async def matching_run(self, info: Ctx, program_id: UUID, id: UUID) -> MatchingRun | None:
        ctx = info.context
        found = await or_none(matching_runs.get_run(ctx.uow, ctx.caller, program_id, id))
        return MatchingRun.of(found) if found else None

    @described("the program's matching runs, oldest first (managers); also Program.matchingRuns")
    async def matching_runs(
        self, info: Ctx, program_id: UUID, first: int = 50, after: str | None = None
    ) -> Connection[MatchingRun]:
        ctx = info.context
        page = await matching_runs.list_runs(ctx.uow, ctx.caller, program_id, page_request(first, after))
        return Connection.of(page, MatchingRun.of)

    @described("the other side ranked for one participant (members: their own enrollment)")
    async def suggestions(self, info: Ctx, program_id: UUID, enrollment_id: UUID, limit: int = 20) -> list[Suggestion]:
        if not 1 <= limit <= matching.MAX_SUGGESTIONS:
            raise RuleViolation(f"limit must be 1 to {matching.MAX_SUGGESTIONS}", code="invalid_limit", field="limit")
        ctx = info.context
        found = await matching.suggest_candidates(ctx.uow, ctx.caller, program_id, enrollment_id, limit)
        return [Suggestion.of(s) for s in found]
