"""Goal mutations: the learning journey of a tandem, as REST's /v1/tandems/{tandem_id}/goals and /v1/goals.

The same use cases as REST; arguments are checked by REST's GoalIn and GoalPatch. Refusals are
Problems.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx, Goal, GoalStatus
from app.api.schemas.goals import GoalIn, GoalPatch
from app.services import goals

GoalResult = Annotated[Goal | Problem, strawberry.union("GoalResult")]


@strawberry.type
class GoalMutations:
    @command("Add a goal to an open tandem (its participants and managers).")
    async def add_goal(self, info: Ctx, tandem_id: UUID, title: str, description: str = "") -> GoalResult:
        body = parse(GoalIn, {"title": title, "description": description}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            goals.add_goal(ctx.uow, ctx.caller, tandem_id, title=body.title, description=body.description),
            Goal.of,
        )

    @command(
        "Revise title or description, or move the goal along its journey: open → in_progress → "
        "achieved; open or in_progress → dropped; dropped → open. Null or left out keeps the value."
    )
    async def update_goal(
        self,
        info: Ctx,
        id: UUID,
        title: str | None = None,
        description: str | None = None,
        status: GoalStatus | None = None,  # type: ignore[valid-type]
        expected_version: int | None = None,
    ) -> GoalResult:
        body = parse(GoalPatch, {"title": title, "description": description, "status": status}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            goals.update_goal(
                ctx.uow,
                ctx.caller,
                id,
                title=body.title,
                description=body.description,
                status=body.status,
                expected_version=expected_version,
            ),
            Goal.of,
        )
