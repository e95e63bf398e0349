"""The demo loader builds a believable organization through the use cases, rules included."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncEngine

from app.cli import demo_data
from app.cli.demo import DemoSummary, demo_exists, load_demo
from app.domain.access import Caller, Role
from app.domain.delivery import DeliveryStatus
from app.domain.enrollment import ParticipantRole
from app.domain.health import Health
from app.domain.program import ProgramStatus
from app.domain.tandem import TandemStatus
from app.infra.auth.secret_box import SecretBox
from app.infra.db.engine import make_db_factory
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.webhooks import HttpWebhookSender, WebhookUrlPolicy
from app.services import enrollments, insights, people, programs, sessions, tandems, webhook_relay, webhooks
from app.services.pagination import PageRequest
from app.services.ports import UnitOfWork
from app.services.webhook_relay import RelayPolicy

UowFactory = Callable[[], UnitOfWork]
ALL = PageRequest(limit=200)
BOX = SecretBox(Fernet.generate_key())


@pytest.fixture
def sealing_uow(engine: AsyncEngine) -> UowFactory:
    """The demo stores a webhook endpoint, whose secret is sealed as the deployment's would be."""
    factory = make_db_factory(engine)
    return lambda: SqlUnitOfWork(factory, BOX)


async def _load(uow_factory: UowFactory) -> tuple[str, DemoSummary, Caller]:
    slug = f"demo-{uuid4().hex[:8]}"
    summary = await load_demo(uow_factory, slug=slug, webhook_urls=WebhookUrlPolicy(allow_private=True))
    uow = uow_factory()
    async with uow:
        org = await uow.organizations.get_by_slug(slug)
    assert org is not None and org.name == "Demo Mobility AG"
    return slug, summary, Caller(user_id=uuid4(), role=Role.PROGRAM_MANAGER, org_id=org.id)


async def test_the_demo_tells_a_complete_story(sealing_uow: UowFactory) -> None:
    uow_factory = sealing_uow
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
    health = []
    for tandem in pilot_tandems:
        found = (await sessions.list_sessions(uow_factory(), manager, tandem.id, ALL)).items
        session_count += len(found)
        feedback_count += sum(len(s.feedback) for s in found)
        health.append((await tandems.tandem_health(uow_factory(), manager, tandem.id)).health)
    assert (session_count, feedback_count) == (summary.sessions, summary.feedback)

    # a manager opening the pilot's insights sees every health state, each on the tandems that have it
    by_health = (await insights.program_insights(uow_factory(), manager, pilot.id)).tandems_by_health
    assert all(by_health[state] >= 1 for state in Health), by_health
    assert {state: n for state, n in by_health.items() if n} == Counter(health)

    assert await demo_exists(uow_factory, slug)
    assert summary.webhook_endpoints == 1


async def test_demo_exists_is_false_for_an_unknown_slug(uow_factory: UowFactory) -> None:
    assert not await demo_exists(uow_factory, f"demo-{uuid4().hex[:8]}")


async def test_the_demo_endpoint_points_at_nothing_and_its_log_shows_a_failed_try_with_the_next(
    sealing_uow: UowFactory,
) -> None:
    _, _, manager = await _load(sealing_uow)
    admin = Caller(uuid4(), Role.ORG_ADMIN, org_id=manager.org_id)
    [endpoint] = (await webhooks.list_endpoints(sealing_uow(), admin, ALL)).items
    assert (endpoint.url, endpoint.enabled, endpoint.event_types) == (
        demo_data.WEBHOOK_URL,
        True,
        demo_data.WEBHOOK_EVENT_TYPES,
    )

    sender = HttpWebhookSender(allow_private=True, timeout_seconds=5)
    try:
        for _ in range(20):  # the relay serves the whole test database: until it reached the demo's
            await webhook_relay.relay(sealing_uow, sender, RelayPolicy(batch=500), budget=timedelta(seconds=5))
            log = (await webhooks.list_deliveries(sealing_uow(), admin, endpoint.id, ALL)).items
            if log and all(d.attempts for d in log):
                break
            await asyncio.sleep(0.1)
    finally:
        await sender.aclose()
    assert {d.event_type for d in log} <= demo_data.WEBHOOK_EVENT_TYPES and "tandem.proposed" in {
        d.event_type for d in log
    }
    first = log[0]
    assert (first.status, first.attempts, first.last_status_code) == (DeliveryStatus.PENDING, 1, None)
    assert first.last_error and first.next_attempt_at is not None and first.last_attempt_at is not None
    assert first.next_attempt_at > first.last_attempt_at, "retried later, with backoff"
