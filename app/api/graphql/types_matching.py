"""GraphQL object types of matching: policies, runs with their explained proposals, suggestions.

The same shapes as REST's ``schemas/matching.py`` (scores and components rounded alike).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.graphql.types import ParticipantRole
from app.domain import program as pr
from app.domain.enrollment import ParticipantRole as DomainRole
from app.domain.matching import Objective as DomainObjective
from app.domain.matching import run as mr
from app.domain.matching.score import DISPLAY_DIGITS, rounded
from app.domain.matching.suggestions import Suggestion as DomainSuggestion
from app.services.matching import RematchCandidate as RematchCandidateData

Objective = strawberry.enum(DomainObjective)
RunStatus = strawberry.enum(mr.RunStatus)


@strawberry.type(description="how much each score component counts, 0 (ignored) to 10")
class Weights:
    topic_fit: float
    shared_interests: float
    contrast: float
    format_place: float
    mutual_like: float


@strawberry.type(description="each component of a score, in [0, 1]")
class Components:
    topic_fit: float
    shared_interests: float
    contrast: float
    format_place: float
    mutual_like: float

    @classmethod
    def of(cls, values: dict[str, float]) -> Components:
        return cls(**rounded(values))


@strawberry.type
class MatchingPolicy:
    program_id: UUID
    version: int = strawberry.field(description="the program's version: pass as expectedVersion (REST's ETag)")
    weights: Weights
    objective: Objective  # type: ignore[valid-type]
    self_matching: bool
    proposal_expiry_days: int
    updated_at: datetime

    @classmethod
    def of(cls, program: pr.Program) -> MatchingPolicy:
        policy = program.matching_policy
        w = policy.weights
        return cls(
            program_id=program.id,
            version=program.version,
            weights=Weights(
                topic_fit=w.topic_fit,
                shared_interests=w.shared_interests,
                contrast=w.contrast,
                format_place=w.format_place,
                mutual_like=w.mutual_like,
            ),
            objective=policy.objective,
            self_matching=policy.self_matching,
            proposal_expiry_days=policy.proposal_expiry_days,
            updated_at=program.updated_at,
        )


@strawberry.type
class PinnedPair:
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID


@strawberry.type
class RunProposal:
    index: int = strawberry.field(description="what acceptMatchingRun's `proposals` refers to")
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    mentor_person_id: UUID
    mentee_person_id: UUID
    score: float = strawberry.field(description="weighted by the program's policy, in [0, 1]")
    components: Components
    explanation: str
    pinned: bool
    accepted: bool


@strawberry.type
class RunUnmatched:
    enrollment_id: UUID
    person_id: UUID
    role: ParticipantRole  # type: ignore[valid-type]
    reason: str = strawberry.field(
        description="no feasible partner, capacity exhausted, or lost to a better global assignment"
    )


@strawberry.type(description="one optimizer job of a program: status, progress, then the explained proposals")
class MatchingRun:
    id: UUID
    program_id: UUID
    status: RunStatus  # type: ignore[valid-type]
    progress: int = strawberry.field(description="0 to 100")
    pinned: list[PinnedPair]
    proposals: list[RunProposal]
    unmatched: list[RunUnmatched]
    error: str | None = strawberry.field(description="why a failed run failed")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, run: mr.MatchingRun) -> MatchingRun:
        accepted = set(run.accepted_proposal_ids)
        return cls(
            id=run.id,
            program_id=run.program_id,
            status=run.status,
            progress=run.progress,
            pinned=[
                PinnedPair(mentor_enrollment_id=p.mentor_enrollment_id, mentee_enrollment_id=p.mentee_enrollment_id)
                for p in run.pinned
            ],
            proposals=[
                RunProposal(
                    index=i,
                    mentor_enrollment_id=p.mentor_enrollment_id,
                    mentee_enrollment_id=p.mentee_enrollment_id,
                    mentor_person_id=p.mentor_person_id,
                    mentee_person_id=p.mentee_person_id,
                    score=p.score,
                    components=Components.of(p.components),
                    explanation=p.explanation,
                    pinned=p.pinned,
                    accepted=i in accepted,
                )
                for i, p in enumerate(run.proposals)
            ],
            unmatched=[
                RunUnmatched(
                    enrollment_id=u.enrollment_id, person_id=u.person_id, role=DomainRole(u.role), reason=u.reason
                )
                for u in run.unmatched
            ],
            error=run.error,
            created_at=run.created_at,
            updated_at=run.updated_at,
        )


@strawberry.type(description="the proposed tandems an accept created, in the order of the accepted proposals")
class AcceptedRun:
    run: MatchingRun
    tandem_ids: list[UUID]
    dissolved_tandem_ids: list[UUID] = strawberry.field(
        description="flagged tandems whose participants the accepted proposals place anew, dissolved (a rematch)"
    )


@strawberry.type(description="a participant of a tandem a failed fit check flagged: who needs a rematch")
class RematchCandidate:
    enrollment_id: UUID
    person_id: UUID
    display_name: str
    role: ParticipantRole  # type: ignore[valid-type]
    tandem_id: UUID = strawberry.field(description="the flagged tandem, dissolved when a run's proposal places them")

    @classmethod
    def of(cls, c: RematchCandidateData) -> RematchCandidate:
        return cls(
            enrollment_id=c.enrollment.id,
            person_id=c.person.id,
            display_name=c.person.display_name,
            role=c.enrollment.role,
            tandem_id=c.tandem.id,
        )


@strawberry.type(description="a candidate of the other side, ranked for one participant, with the explanation")
class Suggestion:
    enrollment_id: UUID = strawberry.field(description="the candidate's enrollment")
    person_id: UUID
    display_name: str
    role: ParticipantRole  # type: ignore[valid-type]
    score: float = strawberry.field(description="weighted by the program's policy, in [0, 1]")
    components: Components
    explanation: str
    feasible: bool = strawberry.field(description="false: the pair breaks a hard rule and cannot be proposed")
    blocked_by: str | None = strawberry.field(description="the code of the hard rule the pair breaks")

    @classmethod
    def of(cls, suggestion: DomainSuggestion) -> Suggestion:
        candidate, score = suggestion.candidate, suggestion.score
        return cls(
            enrollment_id=candidate.id,
            person_id=candidate.person.id,
            display_name=candidate.person.display_name,
            role=candidate.role,
            score=round(score.value, DISPLAY_DIGITS),
            components=Components.of(score.components.as_dict()),
            explanation=score.explanation,
            feasible=suggestion.feasible,
            blocked_by=suggestion.blocked_by,
        )
