"""A program's matching policy, and suggestions for self-matching."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.enrollment import ParticipantRole
from app.domain.matching import MatchingPolicy, Objective, Weights
from app.domain.matching.policy import MAX_WEIGHT
from app.domain.matching.run import MatchingRun, PinnedPair, RunStatus
from app.domain.matching.score import DISPLAY_DIGITS, rounded
from app.domain.matching.suggestions import Suggestion
from app.domain.program import Program
from app.services.matching import RematchCandidate


def _weight(default: float, what: str) -> float:
    return Field(default=default, ge=0, le=MAX_WEIGHT, allow_inf_nan=False, description=what)  # type: ignore[no-any-return]


class WeightsModel(Body):
    """How much each score component counts, 0 (ignored) to 10; a score divides by their sum."""

    topic_fit: float = _weight(5.0, "the mentee's needs, by priority, that the mentor offers")
    shared_interests: float = _weight(2.0, "interests in common")
    contrast: float = _weight(3.0, "generation distance and different backgrounds")
    format_place: float = _weight(3.0, "a workable meeting format and common weekly time")
    mutual_like: float = _weight(2.0, "both liked each other")

    def domain(self) -> Weights:
        return Weights(**self.model_dump())


class MatchingPolicyIn(Body):
    """The whole policy (PUT): a field left out takes its default."""

    weights: WeightsModel = Field(default_factory=WeightsModel)
    objective: Objective = Field(
        default=Objective.MAX_TOTAL_SCORE,
        description="max_total_score, or max_participation (the most tandems first, then the best total)",
    )
    self_matching: bool = Field(default=False, description="a mutual like proposes the tandem at once")
    proposal_expiry_days: int = Field(default=14, ge=1, le=90, description="days a proposal waits for both sides")

    def domain(self) -> MatchingPolicy:
        return MatchingPolicy(
            weights=self.weights.domain(),
            objective=self.objective,
            self_matching=self.self_matching,
            proposal_expiry_days=self.proposal_expiry_days,
        )


class WeightsOut(BaseModel):
    topic_fit: float
    shared_interests: float
    contrast: float
    format_place: float
    mutual_like: float


class MatchingPolicyOut(BaseModel):
    program_id: UUID
    weights: WeightsOut
    objective: Objective
    self_matching: bool
    proposal_expiry_days: int
    updated_at: datetime

    @classmethod
    def of(cls, program: Program) -> Self:
        policy = program.matching_policy
        w = policy.weights
        return cls(
            program_id=program.id,
            weights=WeightsOut(
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


class ComponentsOut(BaseModel):
    """Each component of the score, in [0, 1]."""

    topic_fit: float
    shared_interests: float
    contrast: float
    format_place: float
    mutual_like: float


class SuggestionOut(BaseModel):
    enrollment_id: UUID = Field(description="the candidate's enrollment")
    person_id: UUID
    display_name: str
    role: ParticipantRole
    score: float = Field(description="weighted by the program's policy, in [0, 1]")
    components: ComponentsOut
    explanation: str
    feasible: bool = Field(description="false: the pair breaks a hard rule and cannot be proposed")
    blocked_by: str | None = Field(description="the code of the hard rule the pair breaks (feasible is false)")

    @classmethod
    def of(cls, suggestion: Suggestion) -> Self:
        candidate, score = suggestion.candidate, suggestion.score
        c = score.components
        return cls(
            enrollment_id=candidate.id,
            person_id=candidate.person.id,
            display_name=candidate.person.display_name,
            role=candidate.role,
            score=round(score.value, DISPLAY_DIGITS),
            components=ComponentsOut(**rounded(c.as_dict())),
            explanation=score.explanation,
            feasible=suggestion.feasible,
            blocked_by=suggestion.blocked_by,
        )


class SuggestionList(BaseModel):
    """Feasible candidates first, best score first; then rule-breaking ones with ``blocked_by``."""

    items: list[SuggestionOut]


class PinnedPairModel(Body):
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID


class MatchingRunIn(Body):
    """Pinned pairs are kept as given (they must satisfy every hard rule); the rest is optimized."""

    pinned: list[PinnedPairModel] = Field(default_factory=list, max_length=1000)

    def domain(self) -> list[PinnedPair]:
        return [PinnedPair(p.mentor_enrollment_id, p.mentee_enrollment_id) for p in self.pinned]


class AcceptRunIn(Body):
    proposals: list[int] | None = Field(
        default=None, max_length=10_000, description="indices into the run's proposals; left out: all of them"
    )


class RunProposalOut(BaseModel):
    index: int = Field(description="what accept's ``proposals`` refers to")
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    mentor_person_id: UUID
    mentee_person_id: UUID
    score: float = Field(description="weighted by the program's policy, in [0, 1]")
    components: ComponentsOut
    explanation: str
    pinned: bool
    accepted: bool


class RunUnmatchedOut(BaseModel):
    enrollment_id: UUID
    person_id: UUID
    role: ParticipantRole
    reason: str = Field(description="no feasible partner, capacity exhausted, or lost to a better global assignment")


class MatchingRunOut(Resource):
    program_id: UUID
    status: RunStatus
    progress: int = Field(ge=0, le=100)
    pinned: list[PinnedPairModel]
    proposals: list[RunProposalOut]
    unmatched: list[RunUnmatchedOut]
    error: str | None = Field(description="why a failed run failed")

    @classmethod
    def of(cls, run: MatchingRun) -> Self:
        accepted = set(run.accepted_proposal_ids)
        return cls(
            id=run.id,
            program_id=run.program_id,
            status=run.status,
            progress=run.progress,
            pinned=[
                PinnedPairModel(
                    mentor_enrollment_id=p.mentor_enrollment_id, mentee_enrollment_id=p.mentee_enrollment_id
                )
                for p in run.pinned
            ],
            proposals=[
                RunProposalOut(
                    index=i,
                    mentor_enrollment_id=p.mentor_enrollment_id,
                    mentee_enrollment_id=p.mentee_enrollment_id,
                    mentor_person_id=p.mentor_person_id,
                    mentee_person_id=p.mentee_person_id,
                    score=p.score,
                    components=ComponentsOut(**p.components),
                    explanation=p.explanation,
                    pinned=p.pinned,
                    accepted=i in accepted,
                )
                for i, p in enumerate(run.proposals)
            ],
            unmatched=[
                RunUnmatchedOut(
                    enrollment_id=u.enrollment_id, person_id=u.person_id, role=ParticipantRole(u.role), reason=u.reason
                )
                for u in run.unmatched
            ],
            error=run.error,
            created_at=run.created_at,
            updated_at=run.updated_at,
        )


class MatchingRunPage(PageOut[MatchingRunOut]):
    pass


class AcceptedRunOut(BaseModel):
    run: MatchingRunOut
    tandem_ids: list[UUID] = Field(description="the proposed tandems, in the order of the accepted proposals")
    dissolved_tandem_ids: list[UUID] = Field(
        default_factory=list,
        description="in a running program: the tandems a failed fit check flagged whose participants the "
        "accepted proposals place anew, dissolved with the run as the reason",
    )


class RematchCandidateOut(BaseModel):
    enrollment_id: UUID
    person_id: UUID
    display_name: str
    role: ParticipantRole
    tandem_id: UUID = Field(description="the flagged tandem, dissolved when a matching run's proposal places them")

    @classmethod
    def of(cls, c: RematchCandidate) -> Self:
        return cls(
            enrollment_id=c.enrollment.id,
            person_id=c.person.id,
            display_name=c.person.display_name,
            role=c.enrollment.role,
            tandem_id=c.tandem.id,
        )


class RematchCandidateList(BaseModel):
    """Both participants of every open tandem a failed fit check flagged, mentee first."""

    items: list[RematchCandidateOut]
