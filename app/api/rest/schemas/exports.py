"""The GDPR export of a person: everything Tandem stores about them, in one document."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.api.rest.schemas.enrollments import EnrollmentOut
from app.api.rest.schemas.people import AvailabilityOut, PersonOut
from app.domain.preference import Choice, Preference
from app.domain.session import Feedback, Session, SessionStatus
from app.domain.tandem import Side, Tandem, TandemStatus, Transition
from app.domain.values import MeetingFormat
from app.services.people import PersonExport


class ExportedTransition(BaseModel):
    from_status: TandemStatus | None
    to_status: TandemStatus
    actor_id: UUID | None = Field(description="the user who made the change; null for the system")
    at: datetime
    reason: str | None

    @classmethod
    def of(cls, t: Transition) -> Self:
        return cls(from_status=t.from_status, to_status=t.to_status, actor_id=t.actor_id, at=t.at, reason=t.reason)


class ExportedTandem(BaseModel):
    id: UUID
    program_id: UUID
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    status: TandemStatus
    formats: list[MeetingFormat]
    end_reason: str | None
    history: list[ExportedTransition]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, t: Tandem) -> Self:
        return cls(
            id=t.id,
            program_id=t.program_id,
            mentor_enrollment_id=t.mentor_enrollment_id,
            mentee_enrollment_id=t.mentee_enrollment_id,
            status=t.status,
            formats=list(t.formats),
            end_reason=t.end_reason,
            history=[ExportedTransition.of(tr) for tr in t.history],
            created_at=t.created_at,
            updated_at=t.updated_at,
        )


class ExportedFeedback(BaseModel):
    side: Side
    rating: int
    learned: str
    goals_covered: list[UUID]
    comment: str
    created_at: datetime

    @classmethod
    def of(cls, f: Feedback) -> Self:
        return cls(
            side=f.side,
            rating=f.rating,
            learned=f.learned,
            goals_covered=list(f.goals_covered),
            comment=f.comment,
            created_at=f.created_at,
        )


class ExportedSession(BaseModel):
    id: UUID
    tandem_id: UUID
    starts_at: datetime
    duration_minutes: int
    format: MeetingFormat
    location: str | None
    video_link: str | None
    agenda: str
    notes: str
    status: SessionStatus
    feedback: list[ExportedFeedback] = Field(description="the person's own feedback only")

    @classmethod
    def of(cls, s: Session) -> Self:
        return cls(
            id=s.id,
            tandem_id=s.tandem_id,
            starts_at=s.starts_at,
            duration_minutes=s.duration_minutes,
            format=s.format,
            location=s.location,
            video_link=s.video_link,
            agenda=s.agenda,
            notes=s.notes,
            status=s.status,
            feedback=[ExportedFeedback.of(f) for f in s.feedback],
        )


class ExportedPreference(BaseModel):
    enrollment_id: UUID
    candidate_enrollment_id: UUID
    choice: Choice
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, p: Preference) -> Self:
        return cls(
            enrollment_id=p.author_enrollment_id,
            candidate_enrollment_id=p.candidate_enrollment_id,
            choice=p.choice,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class PersonExportOut(BaseModel):
    """Profile, availability, enrollments, tandems with their history, sessions, own preferences."""

    person: PersonOut
    availability: AvailabilityOut
    enrollments: list[EnrollmentOut]
    tandems: list[ExportedTandem]
    sessions: list[ExportedSession]
    preferences: list[ExportedPreference]

    @classmethod
    def of(cls, export: PersonExport) -> Self:
        return cls(
            person=PersonOut.of(export.person),
            availability=AvailabilityOut.of(export.person),
            enrollments=[EnrollmentOut.of(e) for e in export.enrollments],
            tandems=[ExportedTandem.of(t) for t in export.tandems],
            sessions=[ExportedSession.of(s) for s in export.sessions],
            preferences=[ExportedPreference.of(p) for p in export.preferences],
        )
