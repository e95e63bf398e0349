"""Use cases for enrollments: taking part in a program as mentor or mentee."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.enrollment import Enrollment, ParticipantRole, enroll
from app.domain.errors import Conflict, NotFound
from app.domain.values import Topic
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork


async def enroll_person(
    uow: UnitOfWork,
    caller: Caller,
    program_id: UUID,
    *,
    person_id: UUID,
    role: ParticipantRole,
    needs: tuple[Topic, ...] = (),
    offers: tuple[Topic, ...] = (),
    key_questions: tuple[str, ...] = (),
    capacity: int | None = None,
) -> Enrollment:
    """Managers enroll anyone of their organization; a member enrolls themselves."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        program = authz.found(await uow.programs.get(org_id, program_id), "program")
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        if await uow.enrollments.find(org_id, program_id, person_id):
            raise Conflict("the person is already enrolled in this program", code="already_enrolled")
        pool_mentor = await uow.partner_mentors.pool_mentor_of(person.id) if person.partner_id else None
        enrollment = enroll(
            program,
            person,
            role,
            needs=needs,
            offers=offers,
            key_questions=key_questions,
            capacity=capacity,
            pool_mentor=pool_mentor,
        )
        await uow.enrollments.add(enrollment)
        await uow.commit()
    return enrollment


async def get_enrollment(uow: UnitOfWork, caller: Caller, program_id: UUID, enrollment_id: UUID) -> Enrollment:
    org_id = authz.scope_of(caller, "enrollment")
    async with uow:
        enrollment = authz.found(await uow.enrollments.get(org_id, enrollment_id), "enrollment")
    if enrollment.program_id != program_id:
        raise NotFound("enrollment not found", code="enrollment_not_found")
    authz.require_self_or_manager(caller, enrollment.person_id)
    return enrollment


async def list_enrollments(uow: UnitOfWork, caller: Caller, program_id: UUID, request: PageRequest) -> Page[Enrollment]:
    """Managers see every enrollment of the program; members see their own."""
    org_id = authz.scope_of(caller, "program")
    async with uow:
        authz.found(await uow.programs.get(org_id, program_id), "program")
        if caller.manages_org:
            return await uow.enrollments.page(org_id, program_id, request)
        if caller.person_id is None:
            return Page(items=[], next_cursor=None)
        return await uow.enrollments.page(org_id, program_id, request, person_id=caller.person_id)


async def update_enrollment(
    uow: UnitOfWork,
    caller: Caller,
    program_id: UUID,
    enrollment_id: UUID,
    *,
    needs: tuple[Topic, ...] | None = None,
    offers: tuple[Topic, ...] | None = None,
    key_questions: tuple[str, ...] | None = None,
    capacity: int | None = None,
    expected_version: int | None = None,
) -> Enrollment:
    org_id = authz.scope_of(caller, "enrollment")
    async with uow:
        enrollment = await _load_for_change(uow, caller, org_id, program_id, enrollment_id)
        authz.check_version(enrollment, expected_version)
        if capacity is not None and capacity < enrollment.capacity:  # only a shrinking capacity needs the count
            open_now = await uow.tandems.count_open(org_id, mentor_enrollment_id=enrollment.id)
            enrollment.ensure_capacity_covers(capacity, open_now)
        enrollment.update(needs=needs, offers=offers, key_questions=key_questions, capacity=capacity)
        await uow.enrollments.save(enrollment)
        await uow.commit()
    return enrollment


async def withdraw_enrollment(
    uow: UnitOfWork, caller: Caller, program_id: UUID, enrollment_id: UUID, expected_version: int | None = None
) -> Enrollment:
    """Leave a program. Not while an open tandem depends on the enrollment: end that first."""
    org_id = authz.scope_of(caller, "enrollment")
    async with uow:
        enrollment = await _load_for_change(uow, caller, org_id, program_id, enrollment_id)
        authz.check_version(enrollment, expected_version)
        side = (
            {"mentor_enrollment_id": enrollment.id}
            if enrollment.role is ParticipantRole.MENTOR
            else {"mentee_enrollment_id": enrollment.id}
        )
        enrollment.ensure_free_to_leave(await uow.tandems.count_open(org_id, **side))
        enrollment.withdraw()
        await uow.enrollments.save(enrollment)
        await uow.commit()
    return enrollment


async def _load_for_change(
    uow: UnitOfWork, caller: Caller, org_id: UUID, program_id: UUID, enrollment_id: UUID
) -> Enrollment:
    """Row-locked, so a capacity change and a new pairing of the same mentor cannot interleave."""
    enrollment = authz.found(await uow.enrollments.get(org_id, enrollment_id, for_update=True), "enrollment")
    if enrollment.program_id != program_id:
        raise NotFound("enrollment not found", code="enrollment_not_found")
    authz.require_self_or_manager(caller, enrollment.person_id)
    return enrollment
