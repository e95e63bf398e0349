"""Program insights, as REST's GET /v1/programs/{program_id}/insights."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx
from app.api.graphql.types_insights import ProgramInsights
from app.services import insights


@strawberry.type
class InsightQueries:
    @described("how a program is doing (program managers, org admins); null for others")
    async def program_insights(self, info: Ctx, program_id: UUID) -> ProgramInsights | None:
        ctx = info.context
        found = await or_none(insights.program_insights(ctx.uow, ctx.caller, program_id))
        return ProgramInsights.of(found) if found is not None else None
