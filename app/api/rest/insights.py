"""/v1/programs/{program_id}/insights: how a program is doing, for its managers."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.responses import COMMON
from app.api.schemas.insights import InsightsOut
from app.services import insights

router = APIRouter(prefix="/v1/programs", tags=["insights"], responses=COMMON)


@router.get("/{program_id}/insights", operation_id="get_program_insights")
async def get_program_insights(program_id: UUID, caller: CurrentCaller, uow: RequestUow) -> InsightsOut:
    """Participants, tandems by status and health, sessions, ratings, goals, learned topics,
    proposals, fit checks and rematches of one program (program managers, org admins)."""
    return InsightsOut.of(await insights.program_insights(uow, caller, program_id))
