"""Use cases for people: profiles, GDPR access (export) and erasure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from app.domain.access import Caller, Role
from app.domain.audit import PERSON_EXPORTED
from app.domain.availability import WeeklyWindow
from app.domain.clock import utcnow
from app.domain.enrollment import Enrollment
from app.domain.errors import Conflict, PermissionDenied
from app.domain.events import ANONYMOUS_EVENT_DATA
from app.domain.goal import ERASED_GOAL_TITLE, Goal
from app.domain.person import Person
from app.domain.preference import Preference
from app.domain.session import Session
from app.domain.tandem import Tandem
from app.domain.user import User
from app.domain.values import MeetingFormat
from app.services import audit, authz
from app.services.commands import UNSET, Changes, Maybe
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class NewProfile:
    """A profile to create; Person validates and normalizes it."""

    display_name: str
    birth_year: int
    email: str | None = None
    bio: str = ""
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    department: str | None = None
    seniority: str | None = None
    city: str | None = None
    timezone: str = "UTC"
    preferred_formats: tuple[MeetingFormat, ...] = ()
    external_id: str | None = None
    source: str = "internal"  # server-owned: the API never sets it; the demo's partner mentors do

    def person(self, org_id: UUID) -> Person:
        return Person(
            org_id=org_id,
            display_name=self.display_name,
            birth_year=self.birth_year,
            email=self.email,
            bio=self.bio,
            interests=self.interests,
            languages=self.languages,
            department=self.department,
            seniority=self.seniority,
            city=self.city,
            timezone=self.timezone,
            preferred_formats=self.preferred_formats,
            external_id=self.external_id,
            source=self.source,
        ).announce()


@dataclass(frozen=True, slots=True)
class ProfileChanges(Changes):
    """Edit a profile: a field left out stays; None clears a nullable one (email, department, …)."""

    display_name: Maybe[str] = UNSET
    email: Maybe[str | None] = UNSET
    birth_year: Maybe[int] = UNSET
    bio: Maybe[str] = UNSET
    interests: Maybe[tuple[str, ...]] = UNSET
    languages: Maybe[tuple[str, ...]] = UNSET
    department: Maybe[str | None] = UNSET
    seniority: Maybe[str | None] = UNSET
    city: Maybe[str | None] = UNSET
    timezone: Maybe[str] = UNSET
    preferred_formats: Maybe[tuple[MeetingFormat, ...]] = UNSET
    external_id: Maybe[str | None] = UNSET


async def create_person(uow: UnitOfWork, caller: Caller, profile: NewProfile) -> Person:
    """Managers create anyone's profile; a member who signed in without one creates their own."""
    if caller.role is Role.MEMBER and caller.person_id is None:
        return await _create_own_profile(uow, caller, profile)
    org_id = authz.require_manager(caller)
    person = profile.person(org_id)
    async with uow:
        await _ensure_email_free(uow, person)
        await uow.people.add(person)
        await uow.commit()
    return person


async def _create_own_profile(uow: UnitOfWork, caller: Caller, profile: NewProfile) -> Person:
    """Onboarding after single sign-on: the profile carries the login's email and is linked to the
    user, so tokens issued from now on (a refresh) name it."""
    org_id = authz.tenant_of(caller)
    async with uow:
        user = await uow.users.get(caller.user_id)
        if user is None or user.org_id != org_id:
            raise PermissionDenied("only program managers and org admins may do this", code="manager_required")
        if user.person_id is not None:
            raise Conflict("you already have a profile; refresh your token to use it", code="profile_exists")
        person = replace(profile, email=user.email).person(org_id)
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
    uow: UnitOfWork, caller: Caller, person_id: UUID, changes: ProfileChanges, expected_version: int | None = None
) -> Person:
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        authz.check_version(person, expected_version)
        person.update(**changes.given())
        if changes.email is not UNSET:
            await _ensure_email_free(uow, person)
        await uow.people.save(person)
        await uow.commit()
    return person


async def erase_person(uow: UnitOfWork, caller: Caller, person_id: UUID, expected_version: int | None = None) -> Person:
    """GDPR erasure (Art. 17), in one transaction: every personal field, wherever it is stored.

    The profile is anonymized; the bound user account loses its address, provider identity and name,
    and its sign-ins end; the person's calendar feed links go; enrollments are withdrawn
    without their needs, offers and key questions; likes and passes go; the person's tandems end,
    and lose their reasons, their goals' words and their sessions' agenda, notes and place; the
    person's feedback loses its words; matching explanations naming them go; event data is reduced
    to anonymous keys; and stored Idempotency-Key responses about them are dropped. Ids, statuses,
    ratings, counts, dates and the birth year stay, so program statistics keep adding up.

    Repeating it changes nothing that is already erased (and completes an earlier, partial one).
    """
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        authz.check_version(person, expected_version)
        users = await _erase_accounts(uow, org_id, person_id)
        callers = [u.id for u in users] + ([caller.user_id] if caller.person_id == person_id else [])
        enrollments = await _erase_enrollments(uow, org_id, person_id)
        tandems = await _erase_tandems(uow, caller, org_id, person_id)
        sessions = await _erase_sessions(uow, org_id, person_id)
        goals = await _erase_goals(uow, org_id, [t.id for t in tandems])
        for run in await uow.matching_runs.involving(org_id, person_id):
            run.erase_free_text(person_id)
            await uow.matching_runs.save(run)
        await _erase_pool_mentor(uow, person)
        for link in await uow.calendar_links.of_person(org_id, person_id):  # their sessions' feed ends
            await uow.calendar_links.remove(org_id, person_id, link.id)
        if not person.erased:
            person.erase()
            await uow.people.save(person)
        # the events this erasure records carry anonymous data only; those stored before may not
        subjects = [person_id, *(e.id for e in enrollments), *(t.id for t in tandems), *(s.id for s in sessions)]
        await uow.events.keep_only(org_id, subjects, ANONYMOUS_EVENT_DATA)
        await uow.idempotency_records.forget(callers, [*subjects, *(g.id for g in goals)])
        await uow.commit()
    return person


async def _erase_accounts(uow: UnitOfWork, org_id: UUID, person_id: UUID) -> list[User]:
    users = await uow.users.bound_to(org_id, person_id, lock=True)
    now = utcnow()
    for user in users:
        user.erase()
        await uow.users.save(user)
        await uow.signins.revoke_signins_of(user.id, "person_erased", now)
        await uow.signins.void_login_codes_of(user.id, now)
    return users


async def _erase_enrollments(uow: UnitOfWork, org_id: UUID, person_id: UUID) -> list[Enrollment]:
    enrollments = await uow.enrollments.for_person(org_id, person_id)
    for enrollment in enrollments:
        before = (enrollment.status, enrollment.needs, enrollment.offers, enrollment.key_questions)
        enrollment.erase()
        if (enrollment.status, enrollment.needs, enrollment.offers, enrollment.key_questions) != before:
            await uow.enrollments.save(enrollment)
    await uow.preferences.remove_involving(org_id, [e.id for e in enrollments])
    return enrollments


async def _erase_tandems(uow: UnitOfWork, caller: Caller, org_id: UUID, person_id: UUID) -> list[Tandem]:
    tandems = await uow.tandems.for_person(org_id, person_id)
    for tandem in tandems:
        if not tandem.is_open and tandem.end_reason is None and all(tr.reason is None for tr in tandem.history):
            continue
        tandem.erase_free_text(person_id)  # first: the reason recorded by ending it below says only why
        if tandem.is_open:
            tandem.end(caller.user_id, "a participant's personal data was erased")
        await uow.tandems.save(tandem)
        await uow.tandems.save_history_text(tandem)
    return tandems


async def _erase_sessions(uow: UnitOfWork, org_id: UUID, person_id: UUID) -> list[Session]:
    sessions = await uow.sessions.for_person(org_id, person_id)
    for session in sessions:
        own = [f for f in session.feedback if f.author_person_id == person_id]
        texts = (session.agenda, session.notes, session.location, session.video_link)
        if not any(texts) and not any(f.learned or f.comment for f in own):
            continue
        session.erase_free_text(person_id)
        await uow.sessions.save(session)
        await uow.sessions.save_feedback_text(session)
    return sessions


async def _erase_goals(uow: UnitOfWork, org_id: UUID, tandem_ids: list[UUID]) -> list[Goal]:
    goals = await uow.goals.children_of(org_id, "tandem_id", tandem_ids) if tandem_ids else []
    for goal in goals:
        if (goal.title, goal.description) != (ERASED_GOAL_TITLE, ""):
            goal.erase_free_text()
            await uow.goals.save(goal)
    return goals


async def _erase_pool_mentor(uow: UnitOfWork, person: Person) -> None:
    """A Person from a partner's pool: the pool's row holds the same profile."""
    if person.partner_id is None or person.external_id is None:
        return
    mentor = await uow.partner_mentors.get(person.partner_id, person.external_id, for_update=True)
    if mentor is not None:
        mentor.erase()
        await uow.partner_mentors.save(mentor)
        # the partner's events named the mentor by the id it chose (an address, maybe)
        await uow.events.keep_only_of_partner(person.partner_id, [mentor.id], ANONYMOUS_EVENT_DATA)


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
    """Everything Tandem stores about one person (GDPR right of access), erasure reaches the same.

    ``accounts`` are the user accounts bound to the person. ``sessions`` and ``goals`` are those
    of the person's tandems; feedback in the sessions is the person's own only, since the other
    side's feedback is that person's data. ``preferences`` are the person's own.
    """

    person: Person
    accounts: list[User]
    enrollments: list[Enrollment]
    tandems: list[Tandem]
    sessions: list[Session]
    goals: list[Goal]
    preferences: list[Preference]


async def export_person(uow: UnitOfWork, caller: Caller, person_id: UUID) -> PersonExport:
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person_id)
        enrollments = await uow.enrollments.for_person(org_id, person_id)
        tandems = await uow.tandems.for_person(org_id, person_id)
        sessions = await uow.sessions.for_person(org_id, person_id)
        tandem_ids = [t.id for t in tandems]
        export = PersonExport(
            person=person,
            accounts=await uow.users.bound_to(org_id, person_id, lock=False),
            enrollments=enrollments,
            tandems=tandems,
            sessions=[_with_own_feedback(session, person_id) for session in sessions],
            goals=await uow.goals.children_of(org_id, "tandem_id", tandem_ids) if tandem_ids else [],
            preferences=await uow.preferences.authored_by(org_id, [e.id for e in enrollments]),
        )
        await audit.record(uow, caller, PERSON_EXPORTED, "person", person_id)
        await uow.commit()
    return export


def _with_own_feedback(session: Session, person_id: UUID) -> Session:
    return replace(session, feedback=[f for f in session.feedback if f.author_person_id == person_id])


async def _ensure_email_free(uow: UnitOfWork, person: Person) -> None:
    if person.email is None:
        return
    other = await uow.people.get_by_email(person.org_id, person.email)
    if other is not None and other.id != person.id:
        raise Conflict("another person of the organization has this email", code="email_taken", field="email")
