"""The GDPR export of a person: everything Tandem stores about them, in one document."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.api.rest.schemas.enrollments import EnrollmentOut
from app.api.rest.schemas.people import AvailabilityOut, PersonOut
from app.api.rest.schemas.sessions import SessionOut
from app.api.rest.schemas.tandems import TandemOut, TransitionOut
from app.domain.preference import Choice, Preference
from app.domain.tandem import Tandem
from app.services.people import PersonExport


class ExportedTandem(TandemOut):
    """A tandem the person took part in, with its whole history."""

    history: list[TransitionOut]

    @classmethod
    def with_history(cls, t: Tandem) -> Self:
        return cls(**TandemOut.of(t).model_dump(), history=[TransitionOut.of(tr) for tr in t.history])


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
    sessions: list[SessionOut] = Field(description="sessions of the person's tandems, with their own feedback only")
    preferences: list[ExportedPreference]

    @classmethod
    def of(cls, export: PersonExport) -> Self:
        return cls(
            person=PersonOut.of(export.person),
            availability=AvailabilityOut.of(export.person),
            enrollments=[EnrollmentOut.of(e) for e in export.enrollments],
            tandems=[ExportedTandem.with_history(t) for t in export.tandems],
            sessions=[SessionOut.of(s) for s in export.sessions],
            preferences=[ExportedPreference.of(p) for p in export.preferences],
        )
