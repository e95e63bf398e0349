"""/v1/people: profiles, their weekly availability, GDPR access (export) and erasure."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.openapi_links import follow_id
from app.api.rest.responses import COMMON, problems
from app.api.schemas.exports import PersonExportOut
from app.api.schemas.people import (
    AvailabilityIn,
    AvailabilityOut,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
)
from app.services import people

router = APIRouter(prefix="/v1/people", tags=["people"], responses=COMMON)


@router.post(
    "",
    operation_id="create_person",
    status_code=status.HTTP_201_CREATED,
    responses={
        201: follow_id("person_id", "get_person", "update_person", "set_availability", "export_person", "erase_person"),
        **problems(409),
    },
)
async def create_person(body: PersonIn, caller: CurrentCaller, uow: RequestUow, response: Response) -> PersonOut:
    """Create a profile (program managers, org admins). The email is unique in the organization.

    A member who signed in through single sign-on without a profile creates their own here: it
    takes their login's email and is theirs from the next token on (refresh the token)."""
    person = await people.create_person(uow, caller, body.command())
    set_etag(response, person)
    response.headers["Location"] = f"/v1/people/{person.id}"
    return PersonOut.of(person)


@router.get("", operation_id="list_people")
async def list_people(caller: CurrentCaller, uow: RequestUow, paging: Paging) -> PersonPage:
    """The profiles of the caller's organization, oldest first."""
    page = await people.list_people(uow, caller, paging)
    return PersonPage.model_validate(page_out(page, PersonOut))


@router.get("/{person_id}", operation_id="get_person")
async def get_person(person_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> PersonOut:
    """Members may read the profiles of their organization: they meet them as candidates."""
    person = await people.get_person(uow, caller, person_id)
    set_etag(response, person)
    return PersonOut.of(person)


@router.patch(
    "/{person_id}",
    operation_id="update_person",
    responses={200: follow_id("person_id", "get_person", "get_availability"), **problems(409, 412)},
)
async def update_person(
    person_id: UUID, body: PersonPatch, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> PersonOut:
    """Edit a profile: the person themself or a manager. Generation and digital_native follow birth_year."""
    person = await people.update_person(uow, caller, person_id, body.command(), expected_version=if_match)
    set_etag(response, person)
    return PersonOut.of(person)


@router.delete("/{person_id}", operation_id="erase_person", responses=problems(412))
async def erase_person(
    person_id: UUID, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> PersonOut:
    """GDPR erasure (the person themself or a manager): answers 200 with the anonymized profile.

    Name, email, bio, interests, department, city and availability are dropped; the birth year
    stays for anonymous statistics. Enrollments are withdrawn and open tandems ended. Repeating
    the call changes nothing.
    """
    person = await people.erase_person(uow, caller, person_id, expected_version=if_match)
    set_etag(response, person)
    return PersonOut.of(person)


@router.get("/{person_id}/export", operation_id="export_person")
async def export_person(person_id: UUID, caller: CurrentCaller, uow: RequestUow) -> PersonExportOut:
    """GDPR access (the person themself or a manager): everything stored about the person."""
    return PersonExportOut.of(await people.export_person(uow, caller, person_id))


@router.put("/{person_id}/availability", operation_id="set_availability", responses=problems(412))
async def set_availability(
    person_id: UUID,
    body: AvailabilityIn,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
) -> AvailabilityOut:
    """Replace the weekly windows (the person themself or a manager). The ETag is the person's."""
    person = await people.set_availability(uow, caller, person_id, body.domain(), expected_version=if_match)
    set_etag(response, person)
    return AvailabilityOut.of(person)


@router.get("/{person_id}/availability", operation_id="get_availability")
async def get_availability(
    person_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response
) -> AvailabilityOut:
    """Members of the organization may read it, to find common slots."""
    person = await people.get_availability(uow, caller, person_id)
    set_etag(response, person)
    return AvailabilityOut.of(person)
