"""Enrollment mutations: enroll, edit, withdraw, and like or pass on a candidate.

The same use cases as REST's /v1/programs/{program_id}/enrollments; arguments are checked by
REST's body models (EnrollmentIn, EnrollmentPatch, PreferenceIn). Refusals are Problems.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, deferred, parse
from app.api.graphql.types import Choice, Ctx, Enrollment, ParticipantRole
from app.api.schemas.enrollments import EnrollmentIn, EnrollmentPatch, PreferenceIn
from app.services import enrollments, preferences
from app.services.preferences import PreferenceOutcome


@strawberry.input(description="a topic to learn (needs) or to teach (offers)")
class TopicInput:
    name: str = strawberry.field(description="1 to 100 characters")
    priority: int = strawberry.field(default=3, description="1 (low) to 5 (high)")


@strawberry.input(description="taking part in a program; bounds as REST's EnrollmentIn")
class EnrollmentInput:
    person_id: UUID = strawberry.field(description="members enroll themselves; managers anyone of the organization")
    role: ParticipantRole  # type: ignore[valid-type]
    needs: list[TopicInput] = strawberry.field(default_factory=list, description="a mentee's topics, up to 30")
    offers: list[TopicInput] = strawberry.field(default_factory=list, description="a mentor's topics, up to 30")
    key_questions: list[str] = strawberry.field(default_factory=list, description="up to 50, each 1 to 500 chars")
    capacity: int | None = strawberry.field(default=None, description="mentors, 1 to 20; default: the program's rule")


@strawberry.input(description="the fields to change; null or left out keeps the value")
class EnrollmentPatchInput:
    needs: list[TopicInput] | None = None
    offers: list[TopicInput] | None = None
    key_questions: list[str] | None = None
    capacity: int | None = strawberry.field(default=None, description="not below the mentor's open tandems")


@strawberry.type(description="why a mutual like did not become a tandem: the pairing rule that stood in the way")
class ProposalRefusal:
    code: str
    detail: str


@strawberry.type(description="the caller's like or pass, and what it led to")
class Preference:
    enrollment_id: UUID = strawberry.field(description="the author's enrollment")
    candidate_enrollment_id: UUID
    choice: Choice  # type: ignore[valid-type]
    mutual: bool = strawberry.field(description="both sides like each other")
    tandem_id: UUID | None = strawberry.field(description="the tandem this like proposed at once (self-matching)")
    proposal_refused: ProposalRefusal | None = strawberry.field(
        description="set when a mutual like could not be proposed"
    )

    @classmethod
    def of(cls, outcome: PreferenceOutcome) -> Preference:
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
        )


EnrollmentResult = Annotated[Enrollment | Problem, strawberry.union("EnrollmentResult")]
PreferenceResult = Annotated[Preference | Problem, strawberry.union("PreferenceResult")]


@strawberry.type
class EnrollmentMutations:
    @command("Enroll a person while the program is enrolling or matching.")
    async def enroll(self, info: Ctx, program_id: UUID, enrollment: EnrollmentInput) -> EnrollmentResult:
        body = parse(EnrollmentIn, enrollment, "enrollment")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            deferred(
                lambda: enrollments.enroll_person(
                    ctx.uow,
                    ctx.caller,
                    program_id,
                    person_id=body.person_id,
                    role=body.role,
                    needs=body.needs_topics(),
                    offers=body.offers_topics(),
                    key_questions=tuple(body.key_questions),
                    capacity=body.capacity,
                )
            ),
            Enrollment.of,
        )

    @command("Edit needs, offers, key questions or capacity (the participant or a manager).")
    async def update_enrollment(
        self,
        info: Ctx,
        program_id: UUID,
        id: UUID,
        changes: EnrollmentPatchInput,
        expected_version: int | None = None,
    ) -> EnrollmentResult:
        body = parse(EnrollmentPatch, changes, "changes")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            deferred(
                lambda: enrollments.update_enrollment(
                    ctx.uow,
                    ctx.caller,
                    program_id,
                    id,
                    needs=body.needs_topics(),
                    offers=body.offers_topics(),
                    key_questions=body.questions(),
                    capacity=body.capacity,
                    expected_version=expected_version,
                )
            ),
            Enrollment.of,
        )

    @command("Leave the program; refused while an open tandem depends on the enrollment.")
    async def withdraw_enrollment(
        self, info: Ctx, program_id: UUID, id: UUID, expected_version: int | None = None
    ) -> EnrollmentResult:
        ctx = info.context
        return await attempt(
            enrollments.withdraw_enrollment(ctx.uow, ctx.caller, program_id, id, expected_version=expected_version),
            Enrollment.of,
        )

    @command(
        "The caller's own like or pass on a candidate of the other side. A mutual like "
        "proposes the tandem at once when the program allows self-matching (see tandemId)."
    )
    async def set_preference(
        self,
        info: Ctx,
        program_id: UUID,
        enrollment_id: UUID,
        candidate_enrollment_id: UUID,
        choice: Choice,  # type: ignore[valid-type]
    ) -> PreferenceResult:
        body = parse(PreferenceIn, {"choice": choice}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            preferences.set_preference(
                ctx.uow, ctx.caller, program_id, enrollment_id, candidate_enrollment_id, body.choice
            ),
            Preference.of,
        )
