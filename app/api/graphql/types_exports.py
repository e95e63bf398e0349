"""The GDPR export of a person as a GraphQL object: the same content as REST's ``PersonExportOut``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.graphql.types import Choice, Enrollment, Goal, Person, Session, Tandem
from app.api.graphql.types_availability import Availability
from app.api.graphql.types_organizations import Role
from app.domain.preference import Preference
from app.domain.user import User
from app.services.people import PersonExport as Export


@strawberry.type(description="a user account bound to the person: how they sign in (no tokens, no secrets)")
class ExportedAccount:
    id: UUID
    org_id: UUID | None
    email: str
    role: Role  # type: ignore[valid-type]
    sso_issuer: str | None = strawberry.field(description="the identity provider the account last signed in through")
    sso_subject: str | None = strawberry.field(description="the provider's identifier of the person")
    display_name: str | None = strawberry.field(description="the name the identity provider gave at the last sign-in")
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, u: User) -> ExportedAccount:
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


@strawberry.type(description="a like or pass the person gave as a participant")
class ExportedPreference:
    enrollment_id: UUID
    candidate_enrollment_id: UUID
    choice: Choice  # type: ignore[valid-type]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, p: Preference) -> ExportedPreference:
        return cls(
            enrollment_id=p.author_enrollment_id,
            candidate_enrollment_id=p.candidate_enrollment_id,
            choice=p.choice,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


@strawberry.type(
    description="everything stored about a person (GDPR access): profile, availability, accounts, enrollments, "
    "tandems with their history, sessions with the person's own feedback, the tandems' goals, own preferences"
)
class PersonExport:
    person: Person
    availability: Availability
    accounts: list[ExportedAccount]
    enrollments: list[Enrollment]
    tandems: list[Tandem]
    sessions: list[Session] = strawberry.field(description="sessions of the person's tandems, with their own feedback")
    goals: list[Goal]
    preferences: list[ExportedPreference]

    @classmethod
    def of(cls, export: Export) -> PersonExport:
        return cls(
            person=Person.of(export.person),
            availability=Availability.of(export.person),
            accounts=[ExportedAccount.of(u) for u in export.accounts],
            enrollments=[Enrollment.of(e) for e in export.enrollments],
            tandems=[Tandem.of(t) for t in export.tandems],
            sessions=[Session.of(s) for s in export.sessions],
            goals=[Goal.of(g) for g in export.goals],
            preferences=[ExportedPreference.of(p) for p in export.preferences],
        )
