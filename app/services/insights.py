"""Program insights for its managers: what the program's tandems, sessions and feedback add up to."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.clock import utcnow
from app.domain.insights import ProgramInsights, insights_of
from app.services import authz
from app.services.ports import UnitOfWork


async def program_insights(uow: UnitOfWork, caller: Caller, program_id: UUID) -> ProgramInsights:
    """Two reads whatever the program's size: the program and its figures, which count the open
    tandems by their stored health (the same health every tandem representation shows)."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        figures = await uow.program_reads.figures(org_id, program.id, utcnow())
    return insights_of(figures)
