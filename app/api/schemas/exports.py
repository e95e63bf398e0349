"""The GDPR export of a person: everything Tandem stores about them, in one document."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.api.schemas.enrollments import EnrollmentOut
from app.api.schemas.goals import GoalOut
from app.api.schemas.people import AvailabilityOut, PersonOut
from app.api.schemas.sessions import SessionOut
from app.api.schemas.tandems import TandemOut, TransitionOut
from app.domain.access import Role
from app.domain.preference import Choice, Preference
from app.domain.tandem import Tandem
from app.domain.user import User
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


class ExportedAccount(BaseModel):
    """A user account bound to the person: how they sign in (no tokens, no secrets)."""

    id: UUID
    org_id: UUID | None
    email: str
    role: Role
    sso_issuer: str | None = Field(description="the identity provider the account last signed in through")
    sso_subject: str | None = Field(description="the provider's identifier of the person")
    display_name: str | None = Field(description="the name the identity provider gave at the last sign-in")
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, u: User) -> Self:
        return cls(
            id=u.id,
            org_id=u.org_id,
            email=u.email,
            role=u.role,
            sso_issuer=u.sso_issuer,
            sso_subject=u.sso_subject,
            display_name=u.display_name,
            last_login_at=u.last_login_at,
            created_at=u.created_at,
            updated_at=u.updated_at,
        )


class PersonExportOut(BaseModel):
    """Profile, availability, user accounts, enrollments, tandems with their history, sessions with
    the person's feedback, the tandems' goals, own preferences."""

    person: PersonOut
    availability: AvailabilityOut
    accounts: list[ExportedAccount] = Field(description="user accounts bound to the person")
    enrollments: list[EnrollmentOut]
    tandems: list[ExportedTandem]
    sessions: list[SessionOut] = Field(description="sessions of the person's tandems, with their own feedback only")
    goals: list[GoalOut] = Field(description="goals of the person's tandems")
    preferences: list[ExportedPreference]

    @classmethod
    def of(cls, export: PersonExport) -> Self:
        return cls(
            person=PersonOut.of(export.person),
            availability=AvailabilityOut.of(export.person),
            accounts=[ExportedAccount.of(u) for u in export.accounts],
            enrollments=[EnrollmentOut.of(e) for e in export.enrollments],
            tandems=[ExportedTandem.with_history(t) for t in export.tandems],
            sessions=[SessionOut.of(s) for s in export.sessions],
            goals=[GoalOut.of(g) for g in export.goals],
            preferences=[ExportedPreference.of(p) for p in export.preferences],
        )
