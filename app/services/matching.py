"""Use cases of matching: a program's matching policy, and suggestions for self-matching."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from app.domain.access import Caller
from app.domain.enrollment import Enrollment
from app.domain.errors import NotFound, PermissionDenied
from app.domain.matching import Candidate, MatchingPolicy, build_candidates, exclusions
from app.domain.matching.suggestions import Suggestion, suggest
from app.domain.person import Person
from app.domain.preference import Preference
from app.domain.program import Program
from app.domain.tandem import Tandem
from app.services import authz
from app.services.ports import UnitOfWork

MAX_SUGGESTIONS = 100


async def get_matching_policy(uow: UnitOfWork, caller: Caller, program_id: UUID) -> Program:
    """The program, whose ``matching_policy`` every member of the organization may read."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        return authz.found(await uow.programs.get(org_id, program_id), "program")


async def set_matching_policy(
    uow: UnitOfWork, caller: Caller, program_id: UUID, policy: MatchingPolicy, expected_version: int | None = None
) -> Program:
    """Replace the whole policy (managers): weights, objective, self-matching and proposal expiry."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        authz.check_version(program, expected_version)
        program.set_matching_policy(policy)
        await uow.programs.save(program)
        await uow.commit()
    return program


async def suggest_candidates(
    uow: UnitOfWork, caller: Caller, program_id: UUID, enrollment_id: UUID, limit: int = 20
) -> list[Suggestion]:
    """The other side's active participants ranked for one enrollment, with their explanations.

    Members may ask for their own enrollment only (403); managers for anyone. Rule-breaking
    candidates come last with the rule's code; passes (either way) leave the candidate out.
    """
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        subject_enrollment = _in_program(await uow.enrollments.get(org_id, enrollment_id), program_id)
        if not caller.manages_org and caller.person_id != subject_enrollment.person_id:
            raise PermissionDenied("members may only see suggestions for themselves", code="not_your_enrollment")
        preferences = await uow.preferences.involving(org_id, enrollment_id)
        excluded = exclusions(await uow.tandems.exclusions_of(org_id, subject_enrollment.person_id))
        mentees, mentors = await load_candidates(uow, org_id, program_id, preferences)
    candidates = {c.id: c for c in (*mentees, *mentors)}
    subject = candidates.get(enrollment_id)
    if subject is None:  # withdrawn, or the person was erased: nobody to suggest for
        return []
    others = mentors if subject in mentees else mentees
    return suggest(program, subject, others, program.weights, excluded, limit=limit)


async def load_candidates(
    uow: UnitOfWork,
    org_id: UUID,
    program_id: UUID,
    preferences: list[Preference] | None = None,
    *,
    free_flagged: bool = False,
) -> tuple[list[Candidate], list[Candidate]]:
    """The program's active participants as (mentees, mentors), inside the caller's unit of work.

    ``preferences`` default to every like and pass authored in the program. Open tandems are
    counted without row locks: reading candidates must not hold up pairings (which lock and
    check again). ``free_flagged`` (a matching run) leaves out tandems flagged by a failed fit
    check: accepting a proposal for one of their participants dissolves them.
    """
    enrollments = await uow.enrollments.children_of(org_id, "program_id", [program_id])
    people = await uow.people.get_many(org_id, list({e.person_id for e in enrollments}))
    if preferences is None:
        preferences = await uow.preferences.authored_by(org_id, [e.id for e in enrollments])
    open_counts: Counter[UUID] = Counter()
    for tandem in await uow.tandems.children_of(org_id, "program_id", [program_id]):
        if tandem.is_open and not (free_flagged and tandem.rematch_flagged):
            open_counts.update((tandem.mentor_enrollment_id, tandem.mentee_enrollment_id))
    by_id = {p.id: p for p in people}
    present = [e for e in enrollments if e.person_id in by_id]  # an erased person is nobody's candidate
    return build_candidates(present, by_id, preferences, open_counts)


def _in_program(enrollment: Enrollment | None, program_id: UUID) -> Enrollment:
    if enrollment is None or enrollment.program_id != program_id:
        raise NotFound("enrollment not found", code="enrollment_not_found")
    return enrollment


async def flagged_tandems(uow: UnitOfWork, org_id: UUID, program_id: UUID) -> list[Tandem]:
    """The program's open tandems a failed fit check flagged for a rematch, oldest first."""
    found = await uow.tandems.children_of(org_id, "program_id", [program_id], with_children=False)
    return [t for t in found if t.is_open and t.rematch_flagged]


@dataclass(frozen=True, slots=True)
class RematchCandidate:
    """A participant of a flagged tandem: who needs a new partner, and the tandem to dissolve."""

    enrollment: Enrollment
    person: Person
    tandem: Tandem


async def rematch_candidates(uow: UnitOfWork, caller: Caller, program_id: UUID) -> list[RematchCandidate]:
    """Both participants of each flagged open tandem (managers), the mentee first: the people a
    matching run in the running program will place anew, dissolving the flagged tandem."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        authz.found(await uow.programs.get(org_id, program_id), "program")
        authz.require_manager(caller)
        flagged = await flagged_tandems(uow, org_id, program_id)
        sides = [(t, e) for t in flagged for e in (t.mentee_enrollment_id, t.mentor_enrollment_id)]
        enrollments = {e.id: e for e in await uow.enrollments.get_many(org_id, [e for _, e in sides])}
        people = {p.id: p for p in await uow.people.get_many(org_id, [e.person_id for e in enrollments.values()])}
    return [
        RematchCandidate(enrollments[e], people[enrollments[e].person_id], t)
        for t, e in sides
        if e in enrollments and enrollments[e].person_id in people
    ]
