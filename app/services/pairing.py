"""Loading both sides of a pair and checking them: shared by manual pairing, rule changes and
(later) matching, so every path applies the same rules under the same locks."""

from __future__ import annotations

from uuid import UUID

from app.domain.errors import DomainError
from app.domain.pairing import (
    Participant,
    agreed_formats,
    check_capacity,
    check_not_excluded,
    check_not_passed,
    check_pair,
    check_two_enrollments,
)
from app.domain.program import Program
from app.domain.tandem import Tandem
from app.domain.values import MeetingFormat
from app.services import authz
from app.services.ports import UnitOfWork


async def lock_participants(
    uow: UnitOfWork, program: Program, mentor_enrollment_id: UUID, mentee_enrollment_id: UUID
) -> tuple[Participant, Participant]:
    """Lock both enrollment rows (in id order, so concurrent pairings cannot deadlock).

    Holding the mentor's row lock until commit serializes every pairing that could use up the
    mentor's capacity; the mentee's lock does the same for "one open tandem per program".
    """
    check_two_enrollments(mentor_enrollment_id, mentee_enrollment_id)
    locked = await uow.enrollments.lock(program.org_id, [mentor_enrollment_id, mentee_enrollment_id])
    mentor_enrollment = authz.found(locked.get(mentor_enrollment_id), "enrollment")
    mentee_enrollment = authz.found(locked.get(mentee_enrollment_id), "enrollment")
    mentor_person = authz.found(await uow.people.get(program.org_id, mentor_enrollment.person_id), "person")
    mentee_person = authz.found(await uow.people.get(program.org_id, mentee_enrollment.person_id), "person")
    return Participant(mentor_enrollment, mentor_person), Participant(mentee_enrollment, mentee_person)


async def ensure_pairable(uow: UnitOfWork, program: Program, mentor: Participant, mentee: Participant) -> None:
    """Every rule for a new open tandem: program rules, exclusions (never_pair_again, a pass), capacities."""
    check_pair(program, mentor, mentee)
    check_not_excluded(await uow.tandems.is_excluded(program.org_id, mentor.person.id, mentee.person.id))
    check_not_passed(await uow.preferences.passed_between(program.org_id, mentor.enrollment.id, mentee.enrollment.id))
    check_capacity(
        mentor.enrollment,
        mentor_open_tandems=await uow.tandems.count_open(program.org_id, mentor_enrollment_id=mentor.enrollment.id),
        mentee_open_tandems=await uow.tandems.count_open(program.org_id, mentee_enrollment_id=mentee.enrollment.id),
    )


async def propose_pair(
    uow: UnitOfWork,
    program: Program,
    *,
    mentor_enrollment_id: UUID,
    mentee_enrollment_id: UUID,
    actor_id: UUID | None,
    formats: tuple[MeetingFormat, ...] = (),
    reason: str | None = None,
) -> Tandem:
    """Lock both sides, check every rule and add the proposed tandem; the caller commits.

    Without ``formats`` the tandem gets the formats both people prefer.
    """
    mentor, mentee = await lock_participants(uow, program, mentor_enrollment_id, mentee_enrollment_id)
    await ensure_pairable(uow, program, mentor, mentee)
    tandem = Tandem.propose(
        org_id=program.org_id,
        program_id=program.id,
        mentor_enrollment_id=mentor.enrollment.id,
        mentee_enrollment_id=mentee.enrollment.id,
        mentor_person_id=mentor.person.id,
        mentee_person_id=mentee.person.id,
        expiry_days=program.rules.proposal_expiry_days,
        actor_id=actor_id,
        formats=agreed_formats(mentor, mentee, formats),
        reason=reason,
        mentor_pool=mentor.enrollment.pool_mentor,
    )
    await uow.tandems.add(tandem)
    return tandem


async def breaches_of(uow: UnitOfWork, program: Program, tandems: list[Tandem]) -> list[str]:
    """Which of ``tandems`` break ``program``'s rules, each as a short explanation."""
    breaches = []
    for tandem in tandems:
        mentor, mentee = await _participants(uow, program, tandem)
        try:
            check_pair(program, mentor, mentee)
        except DomainError as error:
            breaches.append(f"tandem {tandem.id}: {error.detail}")
    return breaches


async def _participants(uow: UnitOfWork, program: Program, tandem: Tandem) -> tuple[Participant, Participant]:
    org_id = program.org_id
    mentor_enrollment = authz.found(await uow.enrollments.get(org_id, tandem.mentor_enrollment_id), "enrollment")
    mentee_enrollment = authz.found(await uow.enrollments.get(org_id, tandem.mentee_enrollment_id), "enrollment")
    mentor_person = authz.found(await uow.people.get(org_id, tandem.mentor_person_id), "person")
    mentee_person = authz.found(await uow.people.get(org_id, tandem.mentee_person_id), "person")
    return Participant(mentor_enrollment, mentor_person), Participant(mentee_enrollment, mentee_person)
