"""Program insights for its managers: what the program's tandems, sessions and feedback add up to."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.clock import utcnow
from app.domain.insights import ProgramInsights, insights_of
from app.services import authz
from app.services.ports import UnitOfWork


async def program_insights(uow: UnitOfWork, caller: Caller, program_id: UUID) -> ProgramInsights:
    """Three reads whatever the program's size: the program, its figures and its open tandems
    with their stored health (the same health every tandem representation shows)."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        figures = await uow.program_reads.figures(org_id, program.id, utcnow())
        open_tandems = await uow.program_reads.open_tandems(org_id, program.id)
    return insights_of(figures, [t.health for t in open_tandems if t.health is not None])
