"""The demo loader builds a believable organization through the use cases, rules included."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from app.cli.demo import DemoSummary, demo_exists, load_demo
from app.domain.access import Caller, Role
from app.domain.enrollment import ParticipantRole
from app.domain.health import Health
from app.domain.program import ProgramStatus
from app.domain.tandem import TandemStatus
from app.services import enrollments, people, programs, sessions, tandems
from app.services.pagination import PageRequest
from app.services.ports import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
ALL = PageRequest(limit=200)


async def _load(uow_factory: UowFactory) -> tuple[str, DemoSummary, Caller]:
    slug = f"demo-{uuid4().hex[:8]}"
    summary = await load_demo(uow_factory, slug=slug)
    uow = uow_factory()
    async with uow:
        org = await uow.organizations.get_by_slug(slug)
    assert org is not None and org.name == "Demo Mobility AG"
    return slug, summary, Caller(user_id=uuid4(), role=Role.PROGRAM_MANAGER, org_id=org.id)


async def test_the_demo_tells_a_complete_story(uow_factory: UowFactory) -> None:
    slug, summary, manager = await _load(uow_factory)

    assert summary.people >= 50 and summary.programs == 2
    assert summary.tandems >= 5 and summary.sessions >= summary.tandems * 2 and summary.feedback > 0
    assert len((await people.list_people(uow_factory(), manager, ALL)).items) == summary.people

    by_title = {p.title: p for p in (await programs.list_programs(uow_factory(), manager, ALL)).items}
    assert by_title["Reverse Mentoring 2027"].status is ProgramStatus.ENROLLING
    pilot = by_title["Reverse Mentoring Pilot"]
    assert pilot.status is ProgramStatus.RUNNING

    enrolled = 0
    for program in by_title.values():
        for enrollment in (await enrollments.list_enrollments(uow_factory(), manager, program.id, ALL)).items:
            person = await people.get_person(uow_factory(), manager, enrollment.person_id)
            if enrollment.role is ParticipantRole.MENTEE:
                assert person.birth_year <= 1980, person.display_name
            else:
                assert person.birth_year >= 1981, person.display_name
            enrolled += 1
    assert enrolled == summary.enrollments

    pilot_tandems = (await tandems.list_tandems(uow_factory(), manager, pilot.id, ALL)).items
    assert len(pilot_tandems) == summary.tandems
    assert sum(t.status is TandemStatus.ACTIVE for t in pilot_tandems) >= 5

    session_count = feedback_count = 0
    health = set()
    for tandem in pilot_tandems:
        found = (await sessions.list_sessions(uow_factory(), manager, tandem.id, ALL)).items
        session_count += len(found)
        feedback_count += sum(len(s.feedback) for s in found)
        health.add((await tandems.tandem_health(uow_factory(), manager, tandem.id)).health)
    assert (session_count, feedback_count) == (summary.sessions, summary.feedback)
    assert Health.ON_TRACK in health and Health.NEEDS_CHECK_IN in health

    assert await demo_exists(uow_factory, slug)


async def test_demo_exists_is_false_for_an_unknown_slug(uow_factory: UowFactory) -> None:
    assert not await demo_exists(uow_factory, f"demo-{uuid4().hex[:8]}")
