"""Use cases for people: profiles, GDPR access (export) and erasure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from app.domain.access import Caller, Role
from app.domain.availability import WeeklyWindow
from app.domain.enrollment import Enrollment
from app.domain.errors import Conflict, PermissionDenied
from app.domain.person import Person
from app.domain.preference import Preference
from app.domain.session import Session
from app.domain.tandem import Tandem
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork


async def create_person(uow: UnitOfWork, caller: Caller, **profile: Any) -> Person:
    """Managers create anyone's profile; a member who signed in without one creates their own."""
    if caller.role is Role.MEMBER and caller.person_id is None:
        return await _create_own_profile(uow, caller, profile)
    org_id = authz.require_manager(caller)
    person = Person(org_id=org_id, **profile)
    async with uow:
        await _ensure_email_free(uow, person)
        await uow.people.add(person)
        await uow.commit()
    return person


async def _create_own_profile(uow: UnitOfWork, caller: Caller, profile: dict[str, Any]) -> Person:
    """Onboarding after single sign-on: the profile carries the login's email and is linked to the
    user, so tokens issued from now on (a refresh) name it."""
    org_id = authz.tenant_of(caller)
    async with uow:
        user = await uow.users.get(caller.user_id)
        if user is None or user.org_id != org_id:
            raise PermissionDenied("only program managers and org admins may do this", code="manager_required")
        if user.person_id is not None:
            raise Conflict("you already have a profile; refresh your token to use it", code="profile_exists")
        person = Person(org_id=org_id, **(profile | {"email": user.email}))
        await _ensure_email_free(uow, person)
        await uow.people.add(person)
        user.person_id = person.id
        await uow.users.save(user)
        await uow.commit()
    return person


async def get_person(uow: UnitOfWork, caller: Caller, person_id: UUID) -> Person:
    """Members may read profiles of their own organization: they meet them as candidates."""
    org_id = authz.scope_of(caller, "person")
    async with uow:
        return authz.found(await uow.people.get(org_id, person_id), "person")


async def list_people(uow: UnitOfWork, caller: Caller, request: PageRequest) -> Page[Person]:
    org_id = authz.tenant_of(caller)
    async with uow:
        return await uow.people.page(org_id, request)


async def update_person(
    uow: UnitOfWork, caller: Caller, person_id: UUID, changes: dict[str, Any], expected_version: int | None = None
) -> Person:
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        authz.check_version(person, expected_version)
        person.update(**changes)
        if "email" in changes:
            await _ensure_email_free(uow, person)
        await uow.people.save(person)
        await uow.commit()
    return person


async def erase_person(uow: UnitOfWork, caller: Caller, person_id: UUID, expected_version: int | None = None) -> Person:
    """GDPR erasure: the profile is anonymized, enrollments withdrawn, open tandems dissolved.

    Rows stay (anonymous) so that program statistics keep adding up. Erasing twice is a no-op.
    """
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        authz.check_version(person, expected_version)
        for tandem in await uow.tandems.for_person(org_id, person_id):
            if tandem.is_open:
                tandem.end(caller.user_id, "a participant's personal data was erased")
                await uow.tandems.save(tandem)
        for enrollment in await uow.enrollments.for_person(org_id, person_id):
            if enrollment.is_active:
                enrollment.withdraw()
                await uow.enrollments.save(enrollment)
        person.erase()
        await uow.people.save(person)
        await uow.commit()
    return person


async def get_availability(uow: UnitOfWork, caller: Caller, person_id: UUID) -> Person:
    """The person, whose ``availability`` and ``timezone`` members of the organization may read."""
    return await get_person(uow, caller, person_id)


async def set_availability(
    uow: UnitOfWork,
    caller: Caller,
    person_id: UUID,
    windows: tuple[WeeklyWindow, ...],
    expected_version: int | None = None,
) -> Person:
    """Replace the weekly windows (in the person's time zone). The person or a manager."""
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        authz.check_version(person, expected_version)
        person.set_availability(windows)
        await uow.people.save(person)
        await uow.commit()
    return person


@dataclass(frozen=True, slots=True)
class PersonExport:
    """Everything Tandem stores about one person (GDPR right of access).

    ``sessions`` are those of the person's tandems; feedback in them is the person's own only,
    since the other side's feedback is that person's data. ``preferences`` are the person's own.
    """

    person: Person
    enrollments: list[Enrollment]
    tandems: list[Tandem]
    sessions: list[Session]
    preferences: list[Preference]


async def export_person(uow: UnitOfWork, caller: Caller, person_id: UUID) -> PersonExport:
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        enrollments = await uow.enrollments.for_person(org_id, person_id)
        sessions = await uow.sessions.for_person(org_id, person_id)
        return PersonExport(
            person=person,
            enrollments=enrollments,
            tandems=await uow.tandems.for_person(org_id, person_id),
            sessions=[_with_own_feedback(session, person_id) for session in sessions],
            preferences=await uow.preferences.authored_by(org_id, [e.id for e in enrollments]),
        )


def _with_own_feedback(session: Session, person_id: UUID) -> Session:
    return replace(session, feedback=[f for f in session.feedback if f.author_person_id == person_id])


async def _ensure_email_free(uow: UnitOfWork, person: Person) -> None:
    if person.email is None:
        return
    other = await uow.people.get_by_email(person.org_id, person.email)
    if other is not None and other.id != person.id:
        raise Conflict("another person of the organization has this email", code="email_taken", field="email")
