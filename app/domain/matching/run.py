"""A matching run: one optimizer job of a program, from queued to completed (or failed).

The run keeps what a manager reviews: the proposals (each with score, components and the
explanation) and the participants left unmatched with the reason. Accepting turns chosen
proposals into proposed tandems; the run remembers which ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.events import DomainEvent, EventRecorder
from app.domain.matching.optimizer import MatchingResult
from app.domain.states import ensure_transition


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


_ALLOWED = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.FAILED}),
    RunStatus.RUNNING: frozenset({RunStatus.COMPLETED, RunStatus.FAILED}),
}


@dataclass(frozen=True, slots=True)
class PinnedPair:
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID


@dataclass(frozen=True, slots=True)
class RunProposal:
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    mentor_person_id: UUID
    mentee_person_id: UUID
    score: float
    components: dict[str, float]
    explanation: str
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class RunUnmatched:
    enrollment_id: UUID
    person_id: UUID
    role: str
    reason: str


@dataclass(eq=False)
class MatchingRun(EventRecorder):
    org_id: UUID
    program_id: UUID
    pinned: tuple[PinnedPair, ...] = ()
    status: RunStatus = RunStatus.QUEUED
    progress: int = 0
    proposals: tuple[RunProposal, ...] = ()
    unmatched: tuple[RunUnmatched, ...] = ()
    error: str | None = None
    accepted_proposal_ids: tuple[int, ...] = ()
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        EventRecorder.__init__(self)
        mentees = [p.mentee_enrollment_id for p in self.pinned]
        if len(set(mentees)) != len(mentees):
            raise RuleViolation("a mentee may be pinned once", code="pinned_twice", field="pinned")

    def check_pinned(self, enrollments: Mapping[UUID, Enrollment]) -> None:
        """Each pinned pair names a mentor and a mentee of this run's program, each on their side.

        ``enrollments`` are those the pairs name, by id (one not found is absent). The program's
        rules for the pairs are checked when the run computes its proposals.
        """
        for pair in self.pinned:
            mentor, mentee = enrollments.get(pair.mentor_enrollment_id), enrollments.get(pair.mentee_enrollment_id)
            if not (
                mentor is not None
                and mentee is not None
                and mentor.program_id == mentee.program_id == self.program_id
                and mentor.role is ParticipantRole.MENTOR
                and mentee.role is ParticipantRole.MENTEE
            ):
                raise RuleViolation(
                    "a pinned pair must name a mentor and a mentee of this program",
                    code="pinned_unknown",
                    field="pinned",
                )

    def start(self) -> None:
        self.status = ensure_transition("matching_run", self.status, RunStatus.RUNNING, _ALLOWED)
        self.progress = 0
        self.updated_at = utcnow()

    def report(self, progress: int) -> None:
        """Progress only moves forward while running, within 0-100."""
        if self.status is not RunStatus.RUNNING:
            raise InvalidTransition("only a running run reports progress", code="matching_run_not_running")
        self.progress = max(self.progress, min(100, max(0, progress)))
        self.updated_at = utcnow()

    def complete(self, result: MatchingResult) -> None:
        self.status = ensure_transition("matching_run", self.status, RunStatus.COMPLETED, _ALLOWED)
        self.proposals = tuple(
            RunProposal(
                mentor_enrollment_id=p.mentor.id,
                mentee_enrollment_id=p.mentee.id,
                mentor_person_id=p.mentor.person.id,
                mentee_person_id=p.mentee.person.id,
                score=round(p.score.value, 4),
                components={
                    name: round(value, 4)
                    for name, value in zip(
                        ("topic_fit", "shared_interests", "contrast", "format_place", "mutual_like"),
                        p.score.components.as_tuple(),
                        strict=True,
                    )
                },
                explanation=p.score.explanation,
                pinned=p.pinned,
            )
            for p in result.proposals
        )
        self.unmatched = tuple(
            RunUnmatched(u.candidate.id, u.candidate.person.id, u.candidate.role.value, u.reason.value)
            for u in result.unmatched
        )
        self.progress = 100
        self.error = None
        self.updated_at = utcnow()
        # counts only: the proposals name people, and a manager reviews them on the run itself
        data = {"program_id": str(self.program_id), "proposals": len(self.proposals), "unmatched": len(self.unmatched)}
        self.record(DomainEvent("matching_run.completed", self.org_id, self.id, data))

    def fail(self, error: str) -> None:
        previous = self.status
        self.status = ensure_transition("matching_run", self.status, RunStatus.FAILED, _ALLOWED)
        self.error = error[:2000]
        self.updated_at = utcnow()
        # the error text stays on the run: it may quote a rule about named participants
        data = {"program_id": str(self.program_id), "from": previous.value}
        self.record(DomainEvent("matching_run.failed", self.org_id, self.id, data))

    def chosen(self, indices: Iterable[int] | None) -> list[tuple[int, RunProposal]]:
        """The proposals to accept (all when ``indices`` is None), by their index in ``proposals``."""
        if self.status is not RunStatus.COMPLETED:
            raise InvalidTransition("only a completed run can be accepted", code="matching_run_not_completed")
        wanted = range(len(self.proposals)) if indices is None else sorted(set(indices))
        for index in wanted:
            if not 0 <= index < len(self.proposals):
                raise RuleViolation(f"no proposal {index} in this run", code="proposal_unknown", field="proposals")
        return [(index, self.proposals[index]) for index in wanted]

    def erase_free_text(self, person_id: UUID) -> None:
        """GDPR erasure of a person: explanations of their proposals quote their interests and
        topics, so they go; scores and components (anonymous statistics) stay."""
        self.proposals = tuple(
            replace(p, explanation="") if person_id in (p.mentor_person_id, p.mentee_person_id) else p
            for p in self.proposals
        )
        self.updated_at = utcnow()

    def mark_accepted(self, indices: Iterable[int]) -> None:
        self.accepted_proposal_ids = tuple(sorted(set(self.accepted_proposal_ids) | set(indices)))
        self.updated_at = utcnow()
