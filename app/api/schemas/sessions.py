"""Sessions: the meetings of a tandem, and each participant's feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import AnyHttpUrl, AwareDatetime, BaseModel, Field, StringConstraints

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.session import MAX_DURATION_MINUTES, Feedback, Session, SessionStatus
from app.domain.tandem import Side
from app.domain.values import MeetingFormat
from app.services.sessions import SessionChanges

Duration = Annotated[int, Field(ge=5, le=MAX_DURATION_MINUTES, description="minutes")]
Location = Annotated[str, StringConstraints(max_length=500)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
StartsAt = Annotated[AwareDatetime, Field(description="RFC 3339 with an offset; a time without one is refused")]
GoalIds = Annotated[list[UUID], Field(max_length=100, description="ids of the tandem's goals")]


class SessionIn(Body):
    starts_at: StartsAt
    duration_minutes: Duration
    format: MeetingFormat
    location: Location | None = Field(default=None, description="where, for on-site meetings and shadowing days")
    video_link: AnyHttpUrl | None = None
    agenda: Text = ""


class SessionPatch(Body):
    """Change time or details; the fields left out stay as they are."""

    starts_at: StartsAt | None = None
    duration_minutes: Duration | None = None
    format: MeetingFormat | None = None
    location: Location | None = None
    video_link: AnyHttpUrl | None = None
    agenda: Text | None = None

    def command(self) -> SessionChanges:
        """null keeps a value, as leaving it out does: none of these can be cleared."""
        changes = self.model_dump(exclude_none=True, exclude={"video_link"})
        if self.video_link is not None:
            changes["video_link"] = str(self.video_link)
        return SessionChanges(**changes)


class HoldIn(Body):
    notes: Text | None = None
    goals_covered: GoalIds = Field(default_factory=list)


class FeedbackIn(Body):
    # unbounded here on purpose: the domain's rule answers with its stable code, invalid_rating
    rating: int = Field(description="1 (poor) to 5 (excellent)", json_schema_extra={"minimum": 1, "maximum": 5})
    learned: Text = Field(default="", description="what the caller learned")
    goals_covered: GoalIds = Field(default_factory=list)
    comment: Text = ""


class FeedbackOut(BaseModel):
    id: UUID
    author_person_id: UUID
    side: Side
    rating: int
    learned: str
    goals_covered: list[UUID]
    comment: str
    created_at: datetime

    @classmethod
    def of(cls, f: Feedback) -> Self:
        return cls(
            id=f.id,
            author_person_id=f.author_person_id,
            side=f.side,
            rating=f.rating,
            learned=f.learned,
            goals_covered=list(f.goals_covered),
            comment=f.comment,
            created_at=f.created_at,
        )


class SessionOut(Resource):
    tandem_id: UUID
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    format: MeetingFormat
    location: str | None
    video_link: str | None
    agenda: str
    notes: str
    goals_covered: list[UUID]
    status: SessionStatus
    feedback: list[FeedbackOut] = Field(description="each participant's feedback, once held")

    @classmethod
    def of(cls, s: Session) -> Self:
        return cls(
            id=s.id,
            tandem_id=s.tandem_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            duration_minutes=s.duration_minutes,
            format=s.format,
            location=s.location,
            video_link=s.video_link,
            agenda=s.agenda,
            notes=s.notes,
            goals_covered=list(s.goals_covered),
            status=s.status,
            feedback=[FeedbackOut.of(f) for f in s.feedback],
            created_at=s.created_at,
            updated_at=s.updated_at,
        )


class SessionPage(PageOut[SessionOut]):
    pass
