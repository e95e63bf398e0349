"""Program insights for its managers: what the program's tandems, sessions and feedback add up to."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.clock import utcnow
from app.domain.insights import ProgramInsights, insights_of
from app.services import authz
from app.services.ports import UnitOfWork
from app.services.tandems import health_of


async def program_insights(uow: UnitOfWork, caller: Caller, program_id: UUID) -> ProgramInsights:
    """Four reads whatever the program's size: the program, its figures, its open tandems and
    their health inputs (health assessed for all open tandems at once)."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        figures = await uow.program_reads.figures(org_id, program.id, utcnow())
        open_tandems = await uow.program_reads.open_tandems(org_id, program.id)
        health = await health_of(uow, org_id, open_tandems) if open_tandems else []
    return insights_of(figures, health)
