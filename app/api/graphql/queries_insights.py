"""Program insights and the report, as REST's GET /v1/programs/{program_id}/insights and report.json."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx
from app.api.graphql.types_insights import ProgramInsights
from app.api.graphql.types_reports import ReportRow
from app.services import insights, reports


@strawberry.type
class InsightQueries:
    @described("how a program is doing (program managers, org admins); null for others")
    async def program_insights(self, info: Ctx, program_id: UUID) -> ProgramInsights | None:
        ctx = info.context
        found = await or_none(insights.program_insights(ctx.uow, ctx.caller, program_id))
        return ProgramInsights.of(found) if found is not None else None

    @described("one row per tandem of the program, oldest first (program managers, org admins); null for others")
    async def program_report(self, info: Ctx, program_id: UUID) -> list[ReportRow] | None:
        ctx = info.context
        rows = await or_none(reports.program_report(ctx.uow, ctx.caller, program_id))
        return [ReportRow.of(r) for r in rows] if rows is not None else None
