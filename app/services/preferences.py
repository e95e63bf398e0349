"""Use case for preferences: a participant's like or pass on a candidate of the other side."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from app.domain.access import Caller
from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.errors import DomainError, NotFound, PermissionDenied
from app.domain.preference import Choice, Preference, express
from app.domain.program import Program
from app.services import authz, pairing
from app.services.ports import UnitOfWork

MUTUAL_LIKE_REASON = "both sides liked each other (self-matching)"


@dataclass(frozen=True, slots=True)
class PreferenceOutcome:
    """The stored preference, whether the candidate likes the author too, and what followed.

    ``tandem_id`` is set when this like completed a mutual like and proposed the tandem;
    ``refused_code``/``refused_detail`` name the pairing rule that prevented that proposal.
    """

    preference: Preference
    mutual: bool
    tandem_id: UUID | None = None
    refused_code: str | None = None
    refused_detail: str | None = None


async def set_preference(
    uow: UnitOfWork,
    caller: Caller,
    program_id: UUID,
    enrollment_id: UUID,
    candidate_enrollment_id: UUID,
    choice: Choice,
) -> PreferenceOutcome:
    """Record the caller's own like or pass (``enrollment_id`` is the caller's enrollment).

    Nobody chooses for someone else, not even a manager (403). A pass is private to its author
    and excludes the pair from every pairing. The like that makes a like mutual proposes the
    tandem at once when the program allows self-matching, under the rules and row locks of
    every pairing; repeating the same choice (PUT) proposes nothing new.
    """
    org_id = authz.scope_of(caller, "enrollment")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        # both rows locked, so two likes of one pair given at the same moment cannot miss each other
        locked = await uow.enrollments.lock(org_id, [enrollment_id, candidate_enrollment_id])
        author = _in_program(locked.get(enrollment_id), program_id)
        candidate = _in_program(locked.get(candidate_enrollment_id), program_id)
        if caller.person_id != author.person_id:
            raise PermissionDenied("only the participant may like or pass for themself", code="not_your_enrollment")
        previous = await uow.preferences.get(org_id, author.id, candidate.id)
        preference = await uow.preferences.upsert(express(author, candidate, choice))
        answer = await uow.preferences.get(org_id, candidate.id, author.id)
        mutual = preference.choice is Choice.LIKE and answer is not None and answer.choice is Choice.LIKE
        outcome = PreferenceOutcome(preference, mutual)
        newly_mutual = mutual and (previous is None or previous.choice is not Choice.LIKE)
        if newly_mutual and program.rules.self_matching:
            outcome = await _propose(uow, caller, program, author, candidate, outcome)
        await uow.commit()
    return outcome


async def _propose(
    uow: UnitOfWork,
    caller: Caller,
    program: Program,
    author: Enrollment,
    candidate: Enrollment,
    outcome: PreferenceOutcome,
) -> PreferenceOutcome:
    """A refused proposal does not undo the like: the like stands, the refusal is reported."""
    mentor, mentee = (author, candidate) if author.role is ParticipantRole.MENTOR else (candidate, author)
    try:
        tandem = await pairing.propose_pair(
            uow,
            program,
            mentor_enrollment_id=mentor.id,
            mentee_enrollment_id=mentee.id,
            actor_id=caller.user_id,
            reason=MUTUAL_LIKE_REASON,
        )
    except DomainError as refused:
        return replace(outcome, refused_code=refused.code, refused_detail=refused.detail)
    return replace(outcome, tandem_id=tandem.id)


def _in_program(enrollment: Enrollment | None, program_id: UUID) -> Enrollment:
    if enrollment is None or enrollment.program_id != program_id:
        raise NotFound("enrollment not found", code="enrollment_not_found")
    return enrollment
