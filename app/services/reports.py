"""The program report: one row per tandem with its health, for managers to export."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.audit import REPORT_DOWNLOADED
from app.domain.report import TandemReportRow
from app.services import audit, authz
from app.services.ports import UnitOfWork
from app.services.tandems import health_of


async def program_report(uow: UnitOfWork, caller: Caller, program_id: UUID) -> list[TandemReportRow]:
    """Four reads whatever the program's size: the program, the rows, the open tandems and
    their health inputs; closed tandems have no health. The download is audited."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        rows = await uow.program_reads.report_rows(org_id, program.id)
        open_tandems = await uow.program_reads.open_tandems(org_id, program.id)
        assessed = await health_of(uow, org_id, open_tandems) if open_tandems else []
        # every participant's name and ratings leave with it: the trail keeps who took it
        await audit.record(uow, caller, REPORT_DOWNLOADED, "program", program.id)
        await uow.commit()
    health = {t.id: a for t, a in zip(open_tandems, assessed, strict=True)}
    return [row.with_health(health.get(row.tandem_id)) for row in rows]
