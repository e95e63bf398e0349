"""A person's sessions as a calendar, and the secret links calendar clients subscribe to."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.access import Caller
from app.domain.audit import CALENDAR_LINK_CREATED, CALENDAR_LINK_REVOKED
from app.domain.calendar_link import CalendarLink, digest_of
from app.domain.errors import NotFound
from app.domain.person import Person
from app.domain.session import Session
from app.services import audit, authz
from app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    session: Session
    mentor: str  # display names of the tandem's two people
    mentee: str


@dataclass(frozen=True, slots=True)
class PersonCalendar:
    """The person (whose time zone the calendar is shown in) and every session of their tandems."""

    person: Person
    entries: tuple[CalendarEntry, ...]


@dataclass(frozen=True, slots=True)
class IssuedCalendarLink:
    link: CalendarLink
    token: str  # shown once: only its digest is stored


async def person_calendar(uow: UnitOfWork, caller: Caller, person_id: UUID) -> PersonCalendar:
    """The person's own calendar, for them and the organization's managers."""
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person.id)
        return await _calendar_of(uow, person)


async def calendar_by_link(uow: UnitOfWork, person_id: UUID, token: str) -> PersonCalendar:
    """The calendar a secret link opens, with no other credential; a revoked or foreign token finds nothing."""
    async with uow:
        link = await uow.calendar_links.by_digest(digest_of(token))
        person = await uow.people.get(link.org_id, link.person_id) if link and link.person_id == person_id else None
        if person is None:
            raise NotFound("no calendar feed for this token", code="calendar_feed_not_found")
        return await _calendar_of(uow, person)


async def _calendar_of(uow: UnitOfWork, person: Person) -> PersonCalendar:
    sessions = await uow.sessions.for_person(person.org_id, person.id)
    tandems = {t.id: t for t in await uow.tandems.for_person(person.org_id, person.id)}
    people_ids = {pid for t in tandems.values() for pid in (t.mentor_person_id, t.mentee_person_id)}
    names = {p.id: p.display_name for p in await uow.people.get_many(person.org_id, list(people_ids))}
    entries = tuple(
        CalendarEntry(
            session=s,
            mentor=names.get(tandems[s.tandem_id].mentor_person_id, ""),
            mentee=names.get(tandems[s.tandem_id].mentee_person_id, ""),
        )
        for s in sessions
        if s.tandem_id in tandems
    )
    return PersonCalendar(person=person, entries=entries)


async def create_calendar_link(uow: UnitOfWork, caller: Caller, person_id: UUID) -> IssuedCalendarLink:
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person.id)
        link, token = CalendarLink.issue(org_id, person.id, caller.user_id)
        await uow.calendar_links.add(link)
        # the link opens the person's sessions to whoever holds it: the trail names its maker
        await audit.record(uow, caller, CALENDAR_LINK_CREATED, "person", person.id)
        await uow.commit()
    return IssuedCalendarLink(link, token)


async def list_calendar_links(uow: UnitOfWork, caller: Caller, person_id: UUID) -> list[CalendarLink]:
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person.id)
        return await uow.calendar_links.of_person(org_id, person.id)


async def revoke_calendar_link(uow: UnitOfWork, caller: Caller, person_id: UUID, link_id: UUID) -> None:
    """The link's URL stops working at once."""
    org_id = authz.scope_of(caller, "person")
    async with uow:
        person = authz.found(await uow.people.get(org_id, person_id), "person")
        authz.require_self_or_manager(caller, person.id)
        if not await uow.calendar_links.remove(org_id, person.id, link_id):
            raise NotFound("no such calendar link", code="calendar_link_not_found")
        await audit.record(uow, caller, CALENDAR_LINK_REVOKED, "person", person.id)
        await uow.commit()
