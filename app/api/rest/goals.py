"""/v1/tandems/{tandem_id}/goals and /v1/goals: the learning journey of a tandem."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.schemas.goals import GoalIn, GoalOut, GoalPage, GoalPatch
from app.services import goals

router = APIRouter(prefix="/v1", tags=["goals"], responses=COMMON)


@router.post("/tandems/{tandem_id}/goals", operation_id="add_goal", status_code=status.HTTP_201_CREATED)
async def add_goal(
    tandem_id: UUID, body: GoalIn, caller: CurrentCaller, uow: RequestUow, response: Response
) -> GoalOut:
    """Add a goal to an open tandem (its participants and managers)."""
    goal = await goals.add_goal(uow, caller, tandem_id, title=body.title, description=body.description)
    set_etag(response, goal)
    response.headers["Location"] = f"/v1/goals/{goal.id}"
    return GoalOut.of(goal)


@router.get("/tandems/{tandem_id}/goals", operation_id="list_goals")
async def list_goals(tandem_id: UUID, caller: CurrentCaller, uow: RequestUow, paging: Paging) -> GoalPage:
    page = await goals.list_goals(uow, caller, tandem_id, paging)
    return GoalPage.model_validate(page_out(page, GoalOut))


@router.get("/goals/{goal_id}", operation_id="get_goal")
async def get_goal(goal_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> GoalOut:
    goal = await goals.get_goal(uow, caller, goal_id)
    set_etag(response, goal)
    return GoalOut.of(goal)


@router.patch("/goals/{goal_id}", operation_id="update_goal", responses=problems(409, 412))
async def update_goal(
    goal_id: UUID, body: GoalPatch, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> GoalOut:
    """Revise the title or description, or move the goal along its journey (409 for a step it cannot take)."""
    goal = await goals.update_goal(
        uow,
        caller,
        goal_id,
        title=body.title,
        description=body.description,
        status=body.status,
        expected_version=if_match,
    )
    set_etag(response, goal)
    return GoalOut.of(goal)
