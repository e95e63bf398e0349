"""GraphQL object types. Each wraps a domain object; relations resolve through DataLoaders."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types_availability import Availability
from app.api.graphql.types_insights import ProgramInsights, insights_or_none
from app.domain import enrollment as en
from app.domain import goal as gl
from app.domain import health as he
from app.domain import person as pe
from app.domain import preference as pf
from app.domain import program as pr
from app.domain import session as se
from app.domain import tandem as ta
from app.domain import values
from app.services import matching_runs

if TYPE_CHECKING:
    from app.api.graphql.types_matching import MatchingRun

ProgramStatus = strawberry.enum(pr.ProgramStatus)
TandemStatus = strawberry.enum(ta.TandemStatus)
HealthStatus = strawberry.enum(he.Health, name="HealthStatus", description="a tandem's health")
SessionStatus = strawberry.enum(se.SessionStatus)
GoalStatus = strawberry.enum(gl.GoalStatus)
ParticipantRole = strawberry.enum(en.ParticipantRole)
MeetingFormat = strawberry.enum(values.MeetingFormat)
Side = strawberry.enum(ta.Side)
Choice = strawberry.enum(pf.Choice)

Ctx = Info[Context, None]


@strawberry.type
class Person:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    display_name: str
    email: str | None
    birth_year: int
    generation: str
    digital_native: bool
    bio: str
    interests: list[str]
    languages: list[str]
    department: str | None
    city: str | None
    timezone: str
    preferred_formats: list[MeetingFormat]  # type: ignore[valid-type]
    source: str
    external_id: str | None
    active: bool = strawberry.field(description="false once the organization's identity provider deactivated them")
    deactivated_at: datetime | None = strawberry.field(description="when the identity provider deactivated them")
    domain: strawberry.Private[pe.Person]

    @described("weekly windows in the person's time zone: whoever may see the person may see them")
    def availability(self) -> Availability:
        return Availability.of(self.domain)

    @classmethod
    def of(cls, p: pe.Person) -> Person:
        return cls(
            id=p.id,
            version=p.version,
            display_name=p.display_name,
            email=p.email,
            birth_year=p.birth_year,
            generation=p.generation.value,
            digital_native=p.digital_native,
            bio=p.bio,
            interests=list(p.interests),
            languages=list(p.languages),
            department=p.department,
            city=p.city,
            timezone=p.timezone,
            preferred_formats=list(p.preferred_formats),
            source=p.source,
            external_id=p.external_id,
            active=p.active,
            deactivated_at=p.deactivated_at,
            domain=p,
        )


@strawberry.type
class Topic:
    name: str
    priority: int


@strawberry.type
class Enrollment:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    program_id: UUID
    person_id: UUID
    role: ParticipantRole  # type: ignore[valid-type]
    needs: list[Topic]
    offers: list[Topic]
    key_questions: list[str]
    capacity: int
    status: str

    @strawberry.field
    async def person(self, info: Ctx) -> Person | None:
        found = await info.context.loaders.person.load(self.person_id)
        return Person.of(found) if found else None

    @classmethod
    def of(cls, e: en.Enrollment) -> Enrollment:
        return cls(
            id=e.id,
            version=e.version,
            program_id=e.program_id,
            person_id=e.person_id,
            role=e.role,
            needs=[Topic(name=t.name, priority=t.priority) for t in e.needs],
            offers=[Topic(name=t.name, priority=t.priority) for t in e.offers],
            key_questions=list(e.key_questions),
            capacity=e.capacity,
            status=e.status.value,
        )


@strawberry.type
class Feedback:
    author_person_id: UUID
    side: Side  # type: ignore[valid-type]
    rating: int
    learned: str
    goals_covered: list[UUID]
    comment: str
    created_at: datetime

    @classmethod
    def of(cls, f: se.Feedback) -> Feedback:
        return cls(
            author_person_id=f.author_person_id,
            side=f.side,
            rating=f.rating,
            learned=f.learned,
            goals_covered=list(f.goals_covered),
            comment=f.comment,
            created_at=f.created_at,
        )


@strawberry.type
class Session:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    tandem_id: UUID
    starts_at: datetime
    duration_minutes: int
    format: MeetingFormat  # type: ignore[valid-type]
    location: str | None
    video_link: str | None
    agenda: str
    notes: str
    status: SessionStatus  # type: ignore[valid-type]
    ends_at: datetime
    goals_covered: list[UUID]
    given: strawberry.Private[list[se.Feedback] | None] = None  # None: read when asked

    @strawberry.field
    async def feedback(self, info: Ctx) -> list[Feedback]:
        found = self.given if self.given is not None else await info.context.loaders.session_feedback.load(self.id)
        return [Feedback.of(f) for f in found]

    @classmethod
    def listed(cls, s: se.Session) -> Session:
        """A session read in a list, without its feedback: the field reads it when asked."""
        return cls.of(s, with_feedback=False)

    @classmethod
    def of(cls, s: se.Session, *, with_feedback: bool = True) -> Session:
        return cls(
            id=s.id,
            version=s.version,
            tandem_id=s.tandem_id,
            starts_at=s.starts_at,
            duration_minutes=s.duration_minutes,
            format=s.format,
            location=s.location,
            video_link=s.video_link,
            agenda=s.agenda,
            notes=s.notes,
            status=s.status,
            ends_at=s.ends_at,
            goals_covered=list(s.goals_covered),
            given=list(s.feedback) if with_feedback else None,
        )


@strawberry.type
class Goal:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    tandem_id: UUID
    title: str
    description: str
    status: GoalStatus  # type: ignore[valid-type]

    @classmethod
    def of(cls, g: gl.Goal) -> Goal:
        return cls(
            id=g.id, version=g.version, tandem_id=g.tandem_id, title=g.title, description=g.description, status=g.status
        )


@strawberry.type
class Transition:
    from_status: TandemStatus | None  # type: ignore[valid-type]
    to_status: TandemStatus  # type: ignore[valid-type]
    actor_id: UUID | None
    at: datetime
    reason: str | None

    @classmethod
    def of(cls, t: ta.Transition) -> Transition:
        return cls(from_status=t.from_status, to_status=t.to_status, actor_id=t.actor_id, at=t.at, reason=t.reason)


@strawberry.type(description="one reason for a tandem's health")
class HealthReason:
    code: str = strawberry.field(description="stable, for programs: failed_fit_check, missed_sessions, …")
    message: str = strawberry.field(description="for people")


@strawberry.type(description="a tandem's stored health, kept current by every change and a periodic sweep")
class Health:
    status: str = strawberry.field(description="too_early, on_track, needs_check_in or at_risk")
    reason: str = strawberry.field(description="the main reason (the first of reasons)")
    reasons: list[HealthReason] = strawberry.field(description="every reason, worst first")
    changed_at: datetime | None = strawberry.field(description="when the health last changed")


@strawberry.type
class Tandem:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    program_id: UUID
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    status: TandemStatus  # type: ignore[valid-type]
    formats: list[MeetingFormat]  # type: ignore[valid-type]
    expires_at: datetime
    rematch_flagged: bool
    history: list[Transition]
    mentor_person_id: UUID
    mentee_person_id: UUID
    mentor_accepted_at: datetime | None
    mentee_accepted_at: datetime | None
    fit_mentor: bool | None = strawberry.field(description="the mentor's fit-check answer; null until given")
    fit_mentee: bool | None = strawberry.field(description="the mentee's fit-check answer; null until given")
    end_reason: str | None
    never_pair_again: bool
    domain: strawberry.Private[ta.Tandem]

    @strawberry.field
    async def mentor(self, info: Ctx) -> Person | None:
        found = await info.context.loaders.person.load(self.domain.mentor_person_id)
        return Person.of(found) if found else None

    @strawberry.field
    async def mentee(self, info: Ctx) -> Person | None:
        found = await info.context.loaders.person.load(self.domain.mentee_person_id)
        return Person.of(found) if found else None

    @strawberry.field
    async def goals(self, info: Ctx) -> list[Goal]:
        return [Goal.of(g) for g in await info.context.loaders.tandem_goals.load(self.id)]

    @strawberry.field
    async def sessions(self, info: Ctx) -> list[Session]:
        return [Session.listed(s) for s in await info.context.loaders.tandem_sessions.load(self.id)]

    @strawberry.field
    def health(self) -> Health | None:
        """From sessions, feedback, goals and the fit check, with the reasons; stored with the
        tandem, so a list of tandems costs no more reads. Null for a closed tandem."""
        assessed = self.domain.health
        if assessed is None:
            return None
        return Health(
            status=assessed.health.value,
            reason=assessed.reason,
            reasons=[HealthReason(code=r.code.value, message=r.message) for r in assessed.reasons],
            changed_at=self.domain.health_changed_at,
        )

    @classmethod
    def of(cls, t: ta.Tandem) -> Tandem:
        return cls(
            id=t.id,
            version=t.version,
            program_id=t.program_id,
            mentor_enrollment_id=t.mentor_enrollment_id,
            mentee_enrollment_id=t.mentee_enrollment_id,
            status=t.status,
            formats=list(t.formats),
            expires_at=t.expires_at,
            rematch_flagged=t.rematch_flagged,
            history=[Transition.of(h) for h in t.history],
            mentor_person_id=t.mentor_person_id,
            mentee_person_id=t.mentee_person_id,
            mentor_accepted_at=t.mentor_accepted_at,
            mentee_accepted_at=t.mentee_accepted_at,
            fit_mentor=t.fit_mentor,
            fit_mentee=t.fit_mentee,
            end_reason=t.end_reason,
            never_pair_again=t.never_pair_again,
            domain=t,
        )


@strawberry.type(description="the program's pairing and health rules")
class ProgramRules:
    mentor_must_be_digital_native: bool
    mentee_must_be_digital_immigrant: bool
    min_generation_gap: int = strawberry.field(description="generations between the pair")
    forbid_same_department: bool
    default_mentor_capacity: int
    proposal_expiry_days: int
    needs_check_in_after_days: int
    at_risk_after_days: int
    low_rating: int
    missed_sessions_at_risk: int
    goals_stalled_after_sessions: int
    self_matching: bool = strawberry.field(description="a mutual like proposes the tandem at once")

    @classmethod
    def of(cls, rules: pr.ProgramRules) -> ProgramRules:
        return cls(**asdict(rules))


MatchingRunType = Annotated["MatchingRun", strawberry.lazy("app.api.graphql.types_matching")]


@strawberry.type
class Program:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    org_id: UUID
    title: str
    description: str
    starts_on: date
    ends_on: date
    status: ProgramStatus  # type: ignore[valid-type]
    rules: ProgramRules

    @strawberry.field
    async def enrollments(self, info: Ctx) -> list[Enrollment]:
        return [Enrollment.of(e) for e in await info.context.loaders.program_enrollments.load(self.id)]

    @strawberry.field
    async def tandems(self, info: Ctx) -> list[Tandem]:
        return [Tandem.of(t) for t in await info.context.loaders.program_tandems.load(self.id)]

    @described("the program's matching runs, oldest first (managers; null for others)")
    async def matching_runs(
        self, info: Ctx, first: int = 50, after: str | None = None
    ) -> Connection[MatchingRunType] | None:
        # types_matching imports this module, so its type is imported when a run is shaped
        from app.api.graphql.types_matching import MatchingRun

        ctx = info.context
        page = await or_none(matching_runs.list_runs(ctx.uow, ctx.caller, self.id, page_request(first, after)))
        return Connection.of(page, MatchingRun.of) if page is not None else None

    @described("how the program is doing (program managers, org admins); null for others")
    async def insights(self, info: Ctx) -> ProgramInsights | None:
        return await insights_or_none(info, self.id)

    @classmethod
    def of(cls, p: pr.Program) -> Program:
        return cls(
            id=p.id,
            version=p.version,
            org_id=p.org_id,
            title=p.title,
            description=p.description,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            status=p.status,
            rules=ProgramRules.of(p.rules),
        )
