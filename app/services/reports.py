"""The program report: one row per tandem with its health, for managers to export."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.audit import REPORT_DOWNLOADED
from app.domain.report import TandemReportRow
from app.services import audit, authz
from app.services.ports import UnitOfWork


async def program_report(uow: UnitOfWork, caller: Caller, program_id: UUID) -> list[TandemReportRow]:
    """Two reads whatever the program's size: the program and its rows, each with its tandem's
    stored health (closed tandems have none). The download is audited."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        rows = await uow.program_reads.report_rows(org_id, program.id)
        # every participant's name and ratings leave with it: the trail keeps who took it
        await audit.record(uow, caller, REPORT_DOWNLOADED, "program", program.id)
        await uow.commit()
    return rows
