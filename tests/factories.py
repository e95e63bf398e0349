"""Builders for test data, going through the real use cases (so the rules apply)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.domain.access import Caller, Role
from app.domain.enrollment import Enrollment, ParticipantRole
from app.domain.organization import Organization
from app.domain.person import Person
from app.domain.program import Program
from app.domain.tandem import Tandem
from app.domain.values import Topic
from app.services import enrollments, organizations, people, programs, tandems
from app.services.people import NewProfile
from app.services.ports import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
PLATFORM_ADMIN = Caller(user_id=uuid.uuid4(), role=Role.PLATFORM_ADMIN)


def manager_of(org: Organization) -> Caller:
    return Caller(user_id=uuid.uuid4(), role=Role.PROGRAM_MANAGER, org_id=org.id)


def member(person: Person) -> Caller:
    return Caller(user_id=uuid.uuid4(), role=Role.MEMBER, org_id=person.org_id, person_id=person.id)


async def new_org(uow: UowFactory) -> tuple[Organization, Caller]:
    slug = f"org-{uuid.uuid4().hex[:12]}"
    org = await organizations.create_organization(uow(), PLATFORM_ADMIN, name=f"Org {slug}", slug=slug)
    return org, manager_of(org)


async def new_person(uow: UowFactory, manager: Caller, *, birth_year: int, **profile: Any) -> Person:
    profile.setdefault("display_name", f"Person {uuid.uuid4().hex[:6]}")
    profile.setdefault("email", f"{uuid.uuid4().hex[:10]}@example.com")
    return await people.create_person(uow(), manager, NewProfile(birth_year=birth_year, **profile))


async def new_program(uow: UowFactory, manager: Caller, *, status: str = "enrolling", **fields: Any) -> Program:
    """A program moved to ``status``; "running" programs started two months ago."""
    start = date.today() - timedelta(days=60) if status == "running" else date.today() + timedelta(days=30)
    fields.setdefault("starts_on", start)
    fields.setdefault("ends_on", start + timedelta(days=300))
    program = await programs.create_program(uow(), manager, title=fields.pop("title", "Reverse mentoring"), **fields)
    steps = {"enrolling": [programs.open_enrollment], "matching": [programs.open_enrollment, programs.start_matching]}
    steps["running"] = [*steps["matching"], programs.launch_program]
    for step in steps.get(status, []):
        program = await step(uow(), manager, program.id)
    return program


async def enroll(
    uow: UowFactory, manager: Caller, program: Program, person: Person, role: str, **kw: Any
) -> Enrollment:
    return await enrollments.enroll_person(
        uow(), manager, program.id, person_id=person.id, role=ParticipantRole(role), **kw
    )


async def pair_world(uow: UowFactory, *, status: str = "matching", mentor_capacity: int = 1) -> dict[str, Any]:
    """An organization with one program, a mentor and a mentee enrolled and ready to pair."""
    org, manager = await new_org(uow)
    start = date.today() - timedelta(days=60) if status == "running" else date.today() + timedelta(days=30)
    program = await new_program(uow, manager, status="enrolling", starts_on=start, ends_on=start + timedelta(days=300))
    mentor = await new_person(uow, manager, birth_year=1998, department="Digital", languages=["de", "en"])
    mentee = await new_person(uow, manager, birth_year=1966, department="Board", languages=["de"])
    mentor_e = await enroll(
        uow, manager, program, mentor, "mentor", offers=(Topic("TikTok"),), capacity=mentor_capacity
    )
    mentee_e = await enroll(uow, manager, program, mentee, "mentee", needs=(Topic("TikTok", 5),))
    if status in ("matching", "running"):
        program = await programs.start_matching(uow(), manager, program.id)
    if status == "running":
        program = await programs.launch_program(uow(), manager, program.id)
    return {
        "org": org,
        "manager": manager,
        "program": program,
        "mentor": mentor,
        "mentee": mentee,
        "mentor_e": mentor_e,
        "mentee_e": mentee_e,
    }


async def active_tandem(uow: UowFactory, world: dict[str, Any]) -> Tandem:
    """Propose, let both sides accept, and launch the program: a tandem ready for sessions."""
    manager, program = world["manager"], world["program"]
    tandem = await tandems.propose_tandem(
        uow(), manager, program.id, mentor_enrollment_id=world["mentor_e"].id, mentee_enrollment_id=world["mentee_e"].id
    )
    await tandems.accept_tandem(uow(), member(world["mentor"]), tandem.id)
    tandem = await tandems.accept_tandem(uow(), member(world["mentee"]), tandem.id)
    return tandem


def past(days: int = 1) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
