"""Goals: the topics of the mentee's learning journey."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, StringConstraints

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.goal import Goal, GoalStatus

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=10_000)]


class GoalIn(Body):
    title: Title = Field(description='e.g. "How does TikTok work?"')
    description: Description = ""


class GoalPatch(Body):
    title: Title | None = None
    description: Description | None = None
    status: GoalStatus | None = Field(
        default=None, description="open → in_progress → achieved; open or in_progress → dropped; dropped → open"
    )


class GoalOut(Resource):
    tandem_id: UUID
    title: str
    description: str
    status: GoalStatus

    @classmethod
    def of(cls, g: Goal) -> Self:
        return cls(
            id=g.id,
            tandem_id=g.tandem_id,
            title=g.title,
            description=g.description,
            status=g.status,
            created_at=g.created_at,
            updated_at=g.updated_at,
        )


class GoalPage(PageOut[GoalOut]):
    pass
