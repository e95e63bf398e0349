"""Mutations: one per command REST has, calling the same use case; refusals are Problem values."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.types import Ctx, Program
from app.domain.access import Caller
from app.domain.program import Program as DomainProgram
from app.services import programs
from app.services.ports import UnitOfWork

ProgramResult = Annotated[Program | Problem, strawberry.union("ProgramResult")]
ProgramStep = Callable[[UnitOfWork, Caller, UUID, int | None], Awaitable[DomainProgram]]


async def _program_step(info: Ctx, step: ProgramStep, id: UUID, expected_version: int | None) -> Program | Problem:
    return await attempt(step(info.context.uow_factory(), info.context.caller, id, expected_version), Program.of)


@strawberry.type
class ProgramMutations:
    @strawberry.mutation
    async def create_program(
        self, info: Ctx, title: str, starts_on: date, ends_on: date, description: str = ""
    ) -> ProgramResult:
        settings = info.context.settings
        return await attempt(
            programs.create_program(
                info.context.uow_factory(),
                info.context.caller,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                description=description,
                bounds=settings.period_bounds,
            ),
            Program.of,
        )

    @strawberry.mutation
    async def open_enrollment(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.open_enrollment, id, expected_version)

    @strawberry.mutation
    async def start_matching(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.start_matching, id, expected_version)

    @strawberry.mutation
    async def launch_program(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.launch_program, id, expected_version)

    @strawberry.mutation
    async def complete_program(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.complete_program, id, expected_version)

    @strawberry.mutation
    async def cancel_program(self, info: Ctx, id: UUID, expected_version: int | None = None) -> ProgramResult:
        return await _program_step(info, programs.cancel_program, id, expected_version)
