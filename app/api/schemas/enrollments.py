"""Enrollments (taking part in a program as mentor or mentee) and preferences on candidates."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.enrollment import MAX_CAPACITY, MAX_TOPICS, Enrollment, EnrollmentStatus, ParticipantRole
from app.domain.preference import Choice
from app.domain.values import Topic
from app.services.preferences import PreferenceOutcome

KeyQuestion = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY, description="open tandems a mentor takes; mentees 1")]


class TopicModel(BaseModel):
    """A topic to learn (needs) or to teach (offers), with a priority from 1 (low) to 5 (high)."""

    model_config = {"extra": "forbid"}
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    priority: int = Field(default=3, ge=1, le=5)

    def domain(self) -> Topic:
        return Topic(self.name, self.priority)


Topics = Annotated[list[TopicModel], Field(max_length=MAX_TOPICS)]
KeyQuestions = Annotated[list[KeyQuestion], Field(max_length=50)]


def _topics(models: list[TopicModel] | None) -> tuple[Topic, ...] | None:
    return None if models is None else tuple(t.domain() for t in models)


class EnrollmentIn(Body):
    person_id: UUID = Field(description="members enroll themselves; managers anyone of the organization")
    role: ParticipantRole
    needs: Topics = Field(default_factory=list, description="what a mentee wants to learn")
    offers: Topics = Field(default_factory=list, description="what a mentor can teach")
    key_questions: KeyQuestions = Field(default_factory=list)
    capacity: Capacity | None = Field(default=None, description="mentors; defaults to the program's rule")

    def needs_topics(self) -> tuple[Topic, ...]:
        return tuple(t.domain() for t in self.needs)

    def offers_topics(self) -> tuple[Topic, ...]:
        return tuple(t.domain() for t in self.offers)


class EnrollmentPatch(Body):
    """Change only the fields sent; null or left out keeps the value."""

    needs: Topics | None = None
    offers: Topics | None = None
    key_questions: KeyQuestions | None = None
    capacity: Capacity | None = Field(default=None, description="not below the mentor's open tandems (409)")

    def needs_topics(self) -> tuple[Topic, ...] | None:
        return _topics(self.needs)

    def offers_topics(self) -> tuple[Topic, ...] | None:
        return _topics(self.offers)

    def questions(self) -> tuple[str, ...] | None:
        return None if self.key_questions is None else tuple(self.key_questions)


class EnrollmentOut(Resource):
    org_id: UUID
    program_id: UUID
    person_id: UUID
    role: ParticipantRole
    needs: list[TopicModel]
    offers: list[TopicModel]
    key_questions: list[str]
    capacity: int
    status: EnrollmentStatus

    @classmethod
    def of(cls, e: Enrollment) -> Self:
        return cls(
            id=e.id,
            org_id=e.org_id,
            program_id=e.program_id,
            person_id=e.person_id,
            role=e.role,
            needs=[TopicModel(name=t.name, priority=t.priority) for t in e.needs],
            offers=[TopicModel(name=t.name, priority=t.priority) for t in e.offers],
            key_questions=list(e.key_questions),
            capacity=e.capacity,
            status=e.status,
            created_at=e.created_at,
            updated_at=e.updated_at,
        )


class EnrollmentPage(PageOut[EnrollmentOut]):
    pass


class PreferenceIn(Body):
    choice: Choice = Field(description="like, or pass: a pass excludes the pair from every pairing")


class ProposalRefusal(BaseModel):
    """Why a mutual like did not become a tandem: the pairing rule that stood in the way."""

    code: str
    detail: str


class PreferenceOut(BaseModel):
    enrollment_id: UUID = Field(description="the author's enrollment")
    candidate_enrollment_id: UUID
    choice: Choice
    mutual: bool = Field(description="both sides like each other")
    tandem_id: UUID | None = Field(description="the tandem this like proposed at once (self-matching)")
    proposal_refused: ProposalRefusal | None = Field(description="set when a mutual like could not be proposed")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, outcome: PreferenceOutcome) -> Self:
        p = outcome.preference
        refused = (
            ProposalRefusal(code=outcome.refused_code, detail=outcome.refused_detail or "")
            if outcome.refused_code
            else None
        )
        return cls(
            enrollment_id=p.author_enrollment_id,
            candidate_enrollment_id=p.candidate_enrollment_id,
            choice=p.choice,
            mutual=outcome.mutual,
            tandem_id=outcome.tandem_id,
            proposal_refused=refused,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
