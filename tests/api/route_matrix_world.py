"""The world the authorization matrices run against (REST routes and GraphQL fields).

Organization A holds one of every object a path or an argument can name; its callers are the
matrix's roles; the partner is a partner network A granted, with a mentor in its pool.
Organization B only lends its admin and a member: strangers who must find none of A's objects
(404, or null in GraphQL); another partner network must find none of the partner's pool.

Calls that change state for good (erasure, a tandem's or a program's life cycle, withdrawing,
revoking a grant) get fresh objects of their own, one set per cell (``World.fresh``), so that no
cell spoils the world for another and the cells may run in any order.

The member is a person of A who is the mentee of A's tandem: they reach their own enrollment,
tandem, goals and sessions. ``person_id`` names their mentor, another person of the organization:
members may read that profile, not change or export it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.access import Caller, Role, Scope
from app.domain.partner import Partner
from app.domain.person import Person
from app.domain.values import MeetingFormat, Topic
from app.infra.auth.secret_box import SecretBox
from app.infra.db.engine import make_db_factory
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.webhooks import WebhookUrlPolicy
from app.services import (
    calendars,
    goals,
    matching_runs,
    partner_mentors,
    partners,
    programs,
    scim_tokens,
    sessions,
    sso,
    tandems,
    webhooks,
)
from app.services.ports import JobQueue
from tests.factories import PLATFORM_ADMIN as OPERATOR
from tests.factories import UowFactory, enroll, member, new_org, new_person, new_program

ANONYMOUS, PLATFORM_ADMIN, ORG_ADMIN, MANAGER, MEMBER, PARTNER = ROLES = (
    "anonymous",
    "platform_admin",
    "org_admin",
    "program_manager",
    "member",
    "partner",
)
STRANGERS = ("org_admin_of_b", "member_of_b")  # of another organization
OTHER_PARTNER = "other_partner"  # another partner network's client

Ids = dict[str, Any]
Fresh = Callable[["World"], Awaitable[Ids]]


@dataclass
class World:
    uow: UowFactory
    jobs: JobQueue
    callers: dict[str, Caller | None]
    ids: Ids
    member_person: Person
    manager: Caller
    fresh_cache: dict[object, Ids] = field(default_factory=dict)

    async def fresh(self, key: object, build: Fresh) -> Ids:
        """The objects ``build`` makes, once per ``key`` (a route or a field)."""
        if key not in self.fresh_cache:
            self.fresh_cache[key] = await build(self)
        return self.fresh_cache[key]


def uow_factory_of(engine: AsyncEngine, secrets: SecretBox) -> UowFactory:
    factory = make_db_factory(engine)
    return lambda: SqlUnitOfWork(factory, secrets)


def _admin_of(org_id: UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


async def build_world(uow: UowFactory, jobs: JobQueue) -> World:
    """Organization A with a running program, its tandem, a goal, sessions and a queued matching run."""
    org, manager = await new_org(uow)
    org_admin = _admin_of(org.id)
    await sso.configure_sso(
        uow(), org_admin, org.id, issuer="https://idp.example.com", client_id="tandem", client_secret="matrix-secret"
    )
    mentee = await new_person(uow, manager, birth_year=1966, department="Board", languages=["de"])
    mentor = await new_person(uow, manager, birth_year=1998, department="Digital", languages=["de", "en"])
    start = date.today() - timedelta(days=60)
    program = await new_program(uow, manager, status="enrolling", starts_on=start, ends_on=start + timedelta(days=300))
    mentor_e = await enroll(uow, manager, program, mentor, "mentor", offers=(Topic("TikTok"),))
    mentee_e = await enroll(uow, manager, program, mentee, "mentee", needs=(Topic("TikTok", 5),))
    await programs.start_matching(uow(), manager, program.id)
    run = await matching_runs.start_run(uow(), jobs, manager, program.id)  # stays queued: no worker in tests
    await programs.launch_program(uow(), manager, program.id)
    tandem = await _active_tandem(uow, manager, program.id, mentor, mentee, mentor_e.id, mentee_e.id)
    goal = await goals.add_goal(uow(), manager, tandem.id, title="How does TikTok work?")
    session = await _session(uow, mentee, tandem.id)
    partner = await _partner(uow, org_admin)
    partner_caller = _partner_caller(partner)
    external_id = await _pool_mentor(uow, partner_caller)
    endpoint_id = await _webhook_endpoint(uow, org_admin)
    ping = await webhooks.send_test(uow(), org_admin, endpoint_id)  # pending: a redelivery is a 409
    callers: dict[str, Caller | None] = {
        ANONYMOUS: None,
        PLATFORM_ADMIN: Caller(uuid.uuid4(), Role.PLATFORM_ADMIN),
        ORG_ADMIN: org_admin,
        MANAGER: manager,
        MEMBER: member(mentee),
        PARTNER: partner_caller,
    }
    org_b, manager_b = await new_org(uow)
    person_b = await new_person(uow, manager_b, birth_year=1990)
    callers["org_admin_of_b"] = _admin_of(org_b.id)
    callers["member_of_b"] = member(person_b)
    other = (await partners.create_partner(uow(), OPERATOR, name=f"Other partner {uuid.uuid4().hex[:8]}")).partner
    callers[OTHER_PARTNER] = _partner_caller(other)
    ids: Ids = {
        "org_id": org.id,
        "org_slug": org.slug,
        # a sign-in attempt at A would ask A's provider over the network; B has no SSO: a quick 404
        "org_without_sso_slug": org_b.slug,
        "person_id": mentor.id,
        "member_person_id": mentee.id,
        "program_id": program.id,
        "enrollment_id": mentee_e.id,
        "candidate_enrollment_id": mentor_e.id,
        "mentor_enrollment_id": mentor_e.id,
        "mentee_enrollment_id": mentee_e.id,
        "tandem_id": tandem.id,
        "goal_id": goal.id,
        "session_id": session.id,
        "run_id": run.id,
        "partner_id": partner.id,
        "external_id": external_id,
        "endpoint_id": endpoint_id,
        "delivery_id": ping.id,
    }
    world = World(uow=uow, jobs=jobs, callers=callers, ids=ids, member_person=mentee, manager=manager)
    ids |= await fresh_calendar_link(world) | await fresh_scim_token(world)
    return world


async def _webhook_endpoint(uow: UowFactory, org_admin: Caller) -> UUID:
    urls = WebhookUrlPolicy(allow_private=True)
    return (await webhooks.create_endpoint(uow(), urls, org_admin, url="http://127.0.0.1:9/matrix")).id


async def fresh_webhook_endpoint(world: World) -> Ids:
    org_admin = world.callers[ORG_ADMIN]
    assert org_admin is not None
    return {"endpoint_id": await _webhook_endpoint(world.uow, org_admin)}


async def fresh_calendar_link(world: World) -> Ids:
    """A calendar link of the world's person (the member's mentor), for one revocation."""
    issued = await calendars.create_calendar_link(world.uow(), world.manager, world.ids["person_id"])
    return {"link_id": issued.link.id}


async def fresh_scim_token(world: World) -> Ids:
    """A SCIM token of the world's organization, for one revocation."""
    org_admin = world.callers[ORG_ADMIN]
    assert org_admin is not None and org_admin.org_id is not None
    issued = await scim_tokens.create_scim_token(world.uow(), org_admin, org_admin.org_id, name="matrix")
    return {"token_id": issued.token.id}


async def scim_path_ids(world: World) -> Ids:
    """Path parameters of /scim/v2 routes: an access token is refused before they are looked at."""
    return {"user_id": uuid.uuid4(), "group_id": uuid.uuid4(), "name": "User", "schema_id": "urn:x", "anything": "Bulk"}


def _partner_caller(partner: Partner) -> Caller:
    """A partner's client-credentials token with every scope."""
    scopes = frozenset(s.value for s in Scope)
    return Caller(partner.id, Role.PARTNER, partner_id=partner.id, scopes=scopes, credential=partner.credential_tag)


async def _partner(uow: UowFactory, granted_by: Caller) -> Any:
    """A partner network that ``granted_by``'s organization lets supply mentors."""
    issued = await partners.create_partner(uow(), OPERATOR, name=f"Matrix partner {uuid.uuid4().hex[:8]}")
    assert granted_by.org_id is not None
    await partners.grant_partner_access(uow(), granted_by, granted_by.org_id, issued.partner.id)
    return issued.partner


async def _pool_mentor(uow: UowFactory, partner: Caller) -> str:
    """A mentor in the partner's pool; the id holds a slash, as partners' own ids may."""
    assert partner.partner_id is not None
    external_id = f"matrix/{uuid.uuid4().hex[:8]}"
    row = {"external_id": external_id, "display_name": "Mia Pool", "birth_year": 1999, "languages": ("de",)}
    report = await partner_mentors.sync_partner_mentors(uow(), partner, partner.partner_id, [row])
    assert not any(result.errors for result in report.results), report
    return external_id


async def _active_tandem(
    uow: UowFactory, manager: Caller, program_id: UUID, mentor: Person, mentee: Person, mentor_e: UUID, mentee_e: UUID
) -> Any:
    tandem = await tandems.propose_tandem(
        uow(), manager, program_id, mentor_enrollment_id=mentor_e, mentee_enrollment_id=mentee_e
    )
    await tandems.accept_tandem(uow(), member(mentor), tandem.id)
    return await tandems.accept_tandem(uow(), member(mentee), tandem.id)


async def _session(uow: UowFactory, person: Person, tandem_id: UUID, *, held: bool = False) -> Any:
    """A session that started yesterday: it may be held, missed or cancelled."""
    session = await sessions.schedule_session(
        uow(),
        member(person),
        tandem_id,
        starts_at=datetime.now(UTC) - timedelta(days=1),
        duration_minutes=60,
        format=MeetingFormat.PHONE,
    )
    if held:
        session = await sessions.hold_session(uow(), member(person), session.id)
    return session


# fresh objects for calls that change state for good ------------------------------------------


async def fresh_pool_mentor(world: World) -> Ids:
    partner = world.callers[PARTNER]
    assert partner is not None
    return {"external_id": await _pool_mentor(world.uow, partner)}


async def fresh_granted_partner(world: World) -> Ids:
    """Another partner the organization granted: its grant may be revoked, its secret rotated
    (which ends the world partner's tokens, so it may not be the world partner)."""
    org_admin = world.callers[ORG_ADMIN]
    assert org_admin is not None
    return {"partner_id": (await _partner(world.uow, org_admin)).id}


async def org_without_sso(world: World) -> Ids:
    return {"org_slug": world.ids["org_without_sso_slug"]}


async def fresh_person(world: World) -> Ids:
    person = await new_person(world.uow, world.manager, birth_year=1985)
    return {"person_id": person.id}


async def fresh_draft_program(world: World) -> Ids:
    program = await new_program(world.uow, world.manager, status="draft")
    return {"program_id": program.id, "id": program.id}


async def fresh_enrollment(world: World) -> Ids:
    """The member's enrollment in a program of its own, free to be withdrawn."""
    program = await new_program(world.uow, world.manager, status="enrolling")
    enrollment = await enroll(world.uow, world.manager, program, world.member_person, "mentee")
    return {"program_id": program.id, "enrollment_id": enrollment.id, "id": enrollment.id}


async def _member_tandem(world: World, status: str) -> Ids:
    """A tandem of the member (as mentee) with a new mentor, in a running program of its own:
    ``proposed``, ``active`` or ``paused``."""
    uow, manager = world.uow, world.manager
    start = date.today() - timedelta(days=60)
    program = await new_program(uow, manager, status="enrolling", starts_on=start, ends_on=start + timedelta(days=300))
    mentor = await new_person(uow, manager, birth_year=1999, department="Digital", languages=["de"])
    mentor_e = await enroll(uow, manager, program, mentor, "mentor")
    mentee_e = await enroll(uow, manager, program, world.member_person, "mentee")
    await programs.start_matching(uow(), manager, program.id)
    await programs.launch_program(uow(), manager, program.id)
    if status == "proposed":
        tandem = await tandems.propose_tandem(
            uow(), manager, program.id, mentor_enrollment_id=mentor_e.id, mentee_enrollment_id=mentee_e.id
        )
    else:
        tandem = await _active_tandem(uow, manager, program.id, mentor, world.member_person, mentor_e.id, mentee_e.id)
    if status == "paused":
        tandem = await tandems.pause_tandem(uow(), manager, tandem.id)
    return {"tandem_id": tandem.id, "id": tandem.id}


async def fresh_proposed_tandem(world: World) -> Ids:
    return await _member_tandem(world, "proposed")


async def fresh_active_tandem(world: World) -> Ids:
    return await _member_tandem(world, "active")


async def fresh_paused_tandem(world: World) -> Ids:
    return await _member_tandem(world, "paused")


async def fresh_session(world: World) -> Ids:
    session = await _session(world.uow, world.member_person, world.ids["tandem_id"])
    return {"session_id": session.id, "id": session.id}


async def fresh_held_session(world: World) -> Ids:
    session = await _session(world.uow, world.member_person, world.ids["tandem_id"], held=True)
    return {"session_id": session.id, "id": session.id}


def unique_slug() -> str:
    return f"matrix-{uuid.uuid4().hex[:12]}"


def program_period() -> tuple[str, str]:
    """A valid period for a new program: it starts in a month and lasts about eight months."""
    start = date.today() + timedelta(days=30)
    return start.isoformat(), (start + timedelta(days=240)).isoformat()


def yesterday() -> str:
    return (datetime.now(UTC) - timedelta(days=1)).isoformat()
