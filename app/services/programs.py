"""Use cases for programs: create, edit, and the program's state machine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from app.domain.access import Caller
from app.domain.errors import Conflict
from app.domain.program import PeriodBounds, Program, ProgramRules, ProgramStatus
from app.services import authz
from app.services.commands import UNSET, Changes, Maybe, given_or_none
from app.services.pagination import Page, PageRequest
from app.services.pairing import breaches_of
from app.services.ports import UnitOfWork


async def create_program(
    uow: UnitOfWork,
    caller: Caller,
    *,
    title: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
    rules: ProgramRules | None = None,
    bounds: PeriodBounds | None = None,
) -> Program:
    org_id = authz.require_manager(caller)
    program = Program.plan(
        bounds=bounds or PeriodBounds(),
        org_id=org_id,
        title=title,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        rules=rules or ProgramRules(),
    )
    async with uow:
        await uow.programs.add(program)
        await uow.commit()
    return program


async def get_program(uow: UnitOfWork, caller: Caller, program_id: UUID) -> Program:
    org_id = authz.scope_of(caller, "program")
    async with uow:
        return authz.found(await uow.programs.get(org_id, program_id), "program")


async def list_programs(uow: UnitOfWork, caller: Caller, request: PageRequest) -> Page[Program]:
    org_id = authz.tenant_of(caller)
    async with uow:
        return await uow.programs.page(org_id, request)


@dataclass(frozen=True, slots=True)
class RulesRevision(Changes):
    """The rules to change; a rule left out (``UNSET``) stays as it is."""

    mentor_must_be_digital_native: Maybe[bool] = UNSET
    mentee_must_be_digital_immigrant: Maybe[bool] = UNSET
    min_generation_gap: Maybe[int] = UNSET
    forbid_same_department: Maybe[bool] = UNSET
    default_mentor_capacity: Maybe[int] = UNSET
    proposal_expiry_days: Maybe[int] = UNSET
    needs_check_in_after_days: Maybe[int] = UNSET
    at_risk_after_days: Maybe[int] = UNSET
    low_rating: Maybe[int] = UNSET
    missed_sessions_at_risk: Maybe[int] = UNSET
    goals_stalled_after_sessions: Maybe[int] = UNSET
    self_matching: Maybe[bool] = UNSET

    def applied_to(self, rules: ProgramRules) -> ProgramRules:
        """``rules`` with these changes; ProgramRules validates the result as a whole."""
        return replace(rules, **self.given())  # type: ignore[arg-type]  # given() names only ProgramRules fields


@dataclass(frozen=True, slots=True)
class ProgramRevision(Changes):
    """Edit a program: the fields left out stay; none of them can be cleared."""

    title: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    starts_on: Maybe[date] = UNSET
    ends_on: Maybe[date] = UNSET
    rules: RulesRevision = RulesRevision()


async def update_program(
    uow: UnitOfWork,
    caller: Caller,
    program_id: UUID,
    revision: ProgramRevision,
    expected_version: int | None = None,
    bounds: PeriodBounds | None = None,
) -> Program:
    """Edit a program. Rules may change, but never so that an open tandem silently breaks them."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        authz.check_version(program, expected_version)
        revised = program.revised(
            title=given_or_none(revision.title),
            description=given_or_none(revision.description),
            starts_on=given_or_none(revision.starts_on),
            ends_on=given_or_none(revision.ends_on),
            rules=revision.rules.applied_to(program.rules),
            bounds=bounds,
        )
        if revised.rules != program.rules:
            await _ensure_open_tandems_fit(uow, revised)
        await uow.programs.save(revised)
        await uow.commit()
    return revised


async def _ensure_open_tandems_fit(uow: UnitOfWork, revised: Program) -> None:
    open_tandems = await uow.tandems.open_in_program(revised.org_id, revised.id)
    breaches = await breaches_of(uow, revised, open_tandems)
    if breaches:
        raise Conflict(
            f"{len(breaches)} open tandem(s) would break the new rules: {'; '.join(breaches[:5])}",
            code="rules_break_open_tandems",
            field="rules",
        )


async def _transition(
    uow: UnitOfWork, caller: Caller, program_id: UUID, step: Callable[[Program], None], expected_version: int | None
) -> Program:
    org_id = authz.scope_of(caller, "program")
    async with uow:
        # locked: a second transition waits for the first and then meets the new state (409),
        # instead of failing on a version it never asked about (412)
        program = authz.found(await uow.programs.get(org_id, program_id, for_update=True), "program")
        authz.require_manager(caller)
        authz.check_version(program, expected_version)
        step(program)
        if program.is_closed:
            cancelled = program.status is ProgramStatus.CANCELLED
            for tandem in await uow.tandems.open_in_program(org_id, program_id):
                tandem.close_with_program(caller.user_id, program_cancelled=cancelled)
                await uow.tandems.save(tandem)
        await uow.programs.save(program)
        await uow.commit()
    return program


async def open_enrollment(
    uow: UnitOfWork, caller: Caller, program_id: UUID, expected_version: int | None = None
) -> Program:
    return await _transition(uow, caller, program_id, Program.open_enrollment, expected_version)


async def start_matching(
    uow: UnitOfWork, caller: Caller, program_id: UUID, expected_version: int | None = None
) -> Program:
    return await _transition(uow, caller, program_id, Program.start_matching, expected_version)


async def launch_program(
    uow: UnitOfWork, caller: Caller, program_id: UUID, expected_version: int | None = None
) -> Program:
    return await _transition(uow, caller, program_id, Program.launch, expected_version)


async def complete_program(
    uow: UnitOfWork, caller: Caller, program_id: UUID, expected_version: int | None = None
) -> Program:
    """Completing a program completes its running tandems and expires unanswered proposals."""
    return await _transition(uow, caller, program_id, Program.complete, expected_version)


async def cancel_program(
    uow: UnitOfWork, caller: Caller, program_id: UUID, expected_version: int | None = None
) -> Program:
    return await _transition(uow, caller, program_id, Program.cancel, expected_version)
