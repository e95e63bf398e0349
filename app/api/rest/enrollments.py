"""/v1/programs/{program_id}/enrollments: taking part as mentor or mentee, and likes or passes."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.schemas.enrollments import (
    EnrollmentIn,
    EnrollmentOut,
    EnrollmentPage,
    EnrollmentPatch,
    PreferenceIn,
    PreferenceOut,
)
from app.services import enrollments, preferences

router = APIRouter(prefix="/v1/programs/{program_id}/enrollments", tags=["enrollments"], responses=COMMON)


@router.post("", operation_id="enroll_person", status_code=status.HTTP_201_CREATED, responses=problems(409))
async def enroll_person(
    program_id: UUID, body: EnrollmentIn, caller: CurrentCaller, uow: RequestUow, response: Response
) -> EnrollmentOut:
    """Enroll a person while the program is enrolling or matching; its generation rules apply at once."""
    enrollment = await enrollments.enroll_person(
        uow,
        caller,
        program_id,
        person_id=body.person_id,
        role=body.role,
        needs=body.needs_topics(),
        offers=body.offers_topics(),
        key_questions=tuple(body.key_questions),
        capacity=body.capacity,
    )
    set_etag(response, enrollment)
    response.headers["Location"] = f"/v1/programs/{program_id}/enrollments/{enrollment.id}"
    return EnrollmentOut.of(enrollment)


@router.get("", operation_id="list_enrollments")
async def list_enrollments(program_id: UUID, caller: CurrentCaller, uow: RequestUow, paging: Paging) -> EnrollmentPage:
    """Managers see every enrollment of the program; members their own."""
    page = await enrollments.list_enrollments(uow, caller, program_id, paging)
    return EnrollmentPage.model_validate(page_out(page, EnrollmentOut))


@router.get("/{enrollment_id}", operation_id="get_enrollment")
async def get_enrollment(
    program_id: UUID, enrollment_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response
) -> EnrollmentOut:
    enrollment = await enrollments.get_enrollment(uow, caller, program_id, enrollment_id)
    set_etag(response, enrollment)
    return EnrollmentOut.of(enrollment)


@router.patch("/{enrollment_id}", operation_id="update_enrollment", responses=problems(409, 412))
async def update_enrollment(
    program_id: UUID,
    enrollment_id: UUID,
    body: EnrollmentPatch,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
) -> EnrollmentOut:
    """Edit needs, offers, key questions or capacity (the participant or a manager)."""
    enrollment = await enrollments.update_enrollment(
        uow,
        caller,
        program_id,
        enrollment_id,
        needs=body.needs_topics(),
        offers=body.offers_topics(),
        key_questions=body.questions(),
        capacity=body.capacity,
        expected_version=if_match,
    )
    set_etag(response, enrollment)
    return EnrollmentOut.of(enrollment)


@router.delete("/{enrollment_id}", operation_id="withdraw_enrollment", responses=problems(409, 412))
async def withdraw_enrollment(
    program_id: UUID,
    enrollment_id: UUID,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
) -> EnrollmentOut:
    """Leave the program: answers 200 with the withdrawn enrollment, kept for the record.

    Refused (409) while an open tandem depends on the enrollment.
    """
    enrollment = await enrollments.withdraw_enrollment(
        uow, caller, program_id, enrollment_id, expected_version=if_match
    )
    set_etag(response, enrollment)
    return EnrollmentOut.of(enrollment)


@router.put("/{enrollment_id}/preferences/{candidate_enrollment_id}", operation_id="set_preference")
async def set_preference(
    program_id: UUID,
    enrollment_id: UUID,
    candidate_enrollment_id: UUID,
    body: PreferenceIn,
    caller: CurrentCaller,
    uow: RequestUow,
) -> PreferenceOut:
    """The caller's like or pass on a candidate of the other side; nobody chooses for another (403).

    A pass is private and excludes the pair from every pairing. The like that makes a like mutual
    proposes the tandem at once when the program allows self-matching (see ``tandem_id``, or
    ``proposal_refused`` for the rule that prevented it).
    """
    outcome = await preferences.set_preference(
        uow, caller, program_id, enrollment_id, candidate_enrollment_id, body.choice
    )
    return PreferenceOut.of(outcome)
