"""Mutations: one per command REST has, calling the same use case; refusals are Problem values.

This module holds the program group; the other groups live in ``mutations_*.py``. Arguments
are checked by REST's body models (see ``inputs.parse``), so both adapters share the bounds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, deferred, parse
from app.api.graphql.types import Ctx, Program
from app.api.schemas.programs import ProgramIn, ProgramPatch
from app.domain.access import Caller
from app.domain.program import Program as DomainProgram
from app.services import programs
from app.services.ports import UnitOfWork

ProgramResult = Annotated[Program | Problem, strawberry.union("ProgramResult")]
ProgramStep = Callable[[UnitOfWork, Caller, UUID, int | None], Awaitable[DomainProgram]]


@strawberry.input(description="the program's rules; a rule left out has the default practice recommends")
class RulesInput:
    mentor_must_be_digital_native: bool = True
    mentee_must_be_digital_immigrant: bool = True
    min_generation_gap: int = strawberry.field(default=1, description="0 to 5 generations between the pair")
    forbid_same_department: bool = True
    default_mentor_capacity: int = strawberry.field(default=1, description="1 to 20")
    proposal_expiry_days: int = strawberry.field(default=14, description="1 to 90")
    needs_check_in_after_days: int = strawberry.field(default=21, description="1 to 365")
    at_risk_after_days: int = strawberry.field(default=45, description="1 to 365")
    low_rating: int = strawberry.field(default=2, description="1 to 5")
    missed_sessions_at_risk: int = strawberry.field(default=2, description="1 to 50")
    goals_stalled_after_sessions: int = strawberry.field(
        default=3, description="1 to 50 held sessions after which goals none of which moved call for a check-in"
    )
    self_matching: bool = strawberry.field(default=False, description="a mutual like proposes the tandem at once")


@strawberry.input(description="the rules to change; the others stay (bounds as RulesInput)")
class RulesPatchInput:
    mentor_must_be_digital_native: bool | None = strawberry.UNSET
    mentee_must_be_digital_immigrant: bool | None = strawberry.UNSET
    min_generation_gap: int | None = strawberry.UNSET
    forbid_same_department: bool | None = strawberry.UNSET
    default_mentor_capacity: int | None = strawberry.UNSET
    proposal_expiry_days: int | None = strawberry.UNSET
    needs_check_in_after_days: int | None = strawberry.UNSET
    at_risk_after_days: int | None = strawberry.UNSET
    low_rating: int | None = strawberry.UNSET
    missed_sessions_at_risk: int | None = strawberry.UNSET
    goals_stalled_after_sessions: int | None = strawberry.UNSET
    self_matching: bool | None = strawberry.UNSET


@strawberry.input(
    description="the fields to change; the others stay. A rule change open tandems would break is refused"
)
class ProgramPatchInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    starts_on: date | None = strawberry.UNSET
    ends_on: date | None = strawberry.UNSET
    rules: RulesPatchInput | None = strawberry.UNSET


async def _program_step(info: Ctx, step: ProgramStep, id: UUID, expected_version: int | None) -> Program | Problem:
    return await attempt(step(info.context.uow, info.context.caller, id, expected_version), Program.of)


@strawberry.type
class ProgramMutations:
    @command("Create a draft program (program managers, org admins).")
    async def create_program(
        self,
        info: Ctx,
        title: str,
        starts_on: date,
        ends_on: date,
        description: str = "",
        rules: RulesInput | None = None,
    ) -> ProgramResult:
        values = {"title": title, "description": description, "starts_on": starts_on, "ends_on": ends_on}
        body = parse(ProgramIn, values | ({"rules": rules} if rules is not None else {}), "")
        if isinstance(body, Problem):
            return body
        settings = info.context.settings
        return await attempt(
            deferred(
                lambda: programs.create_program(
                    info.context.uow,
                    info.context.caller,
                    title=body.title,
                    starts_on=body.starts_on,
                    ends_on=body.ends_on,
                    description=body.description,
                    rules=body.domain_rules(),
                    bounds=settings.period_bounds,
                )
            ),
            Program.of,
        )

    @command("Edit title, description, period or rules (program managers, org admins).")
    async def update_program(
        self, info: Ctx, id: UUID, changes: ProgramPatchInput, expected_version: int | None = None
    ) -> ProgramResult:
        body = parse(ProgramPatch, changes, "changes")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            programs.update_program(
                ctx.uow,
                ctx.caller,
                id,
                body.command(),
                expected_version=expected_version,
                bounds=ctx.settings.period_bounds,
            ),
            Program.of,
        )

    @command("draft → enrolling")
    async def open_enrollment(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.open_enrollment, id, expected_version)

    @command("enrolling → matching")
    async def start_matching(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.start_matching, id, expected_version)

    @command("matching → running: sessions may start")
    async def launch_program(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.launch_program, id, expected_version)

    @command("running → completed; running tandems complete, unanswered proposals expire")
    async def complete_program(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.complete_program, id, expected_version)

    @command("any state before completed → cancelled")
    async def cancel_program(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.cancel_program, id, expected_version)
