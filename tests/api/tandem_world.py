"""Scenes shared by the tandem, goal, session and slot API tests, built through the use cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.access import Caller
from app.domain.enrollment import Enrollment
from app.domain.session import Session
from app.domain.tandem import Tandem
from app.domain.values import MeetingFormat
from app.services import sessions, tandems
from tests.factories import PLATFORM_ADMIN, UowFactory, active_tandem, member, new_org, new_person, pair_world, past


def pairing(
    world: dict[str, Any], *, mentor: Enrollment | None = None, mentee: Enrollment | None = None, **extra: object
) -> dict[str, object]:
    """The body of a manual pairing: the world's pair unless another enrollment is named."""
    return {
        "mentor_enrollment_id": str((mentor or world["mentor_e"]).id),
        "mentee_enrollment_id": str((mentee or world["mentee_e"]).id),
    } | extra


async def proposed(uow: UowFactory, world: dict[str, Any]) -> Tandem:
    return await tandems.propose_tandem(
        uow(),
        world["manager"],
        world["program"].id,
        mentor_enrollment_id=world["mentor_e"].id,
        mentee_enrollment_id=world["mentee_e"].id,
    )


async def running(uow: UowFactory) -> tuple[dict[str, Any], Tandem]:
    """A running program with an active tandem, ready for goals and sessions."""
    world = await pair_world(uow, status="running")
    return world, await active_tandem(uow, world)


async def strangers(uow: UowFactory, world: dict[str, Any]) -> dict[str, Caller]:
    """Callers who may not touch the world's tandem: the expected status for each."""
    outsider = await new_person(uow, world["manager"], birth_year=1970)
    _, other_tenant = await new_org(uow)
    return {"outsider": member(outsider), "platform_admin": PLATFORM_ADMIN, "other_tenant": other_tenant}


# a member of the organization is known but refused; the others do not even see the tandem
EXPECTED = {"outsider": 403, "platform_admin": 404, "other_tenant": 404}


async def scheduled(uow: UowFactory, world: dict[str, Any], tandem: Tandem, starts_at: datetime) -> Session:
    return await sessions.schedule_session(
        uow(), member(world["mentor"]), tandem.id, starts_at=starts_at, duration_minutes=60, format=MeetingFormat.PHONE
    )


async def held(uow: UowFactory, world: dict[str, Any], tandem: Tandem) -> Session:
    session = await scheduled(uow, world, tandem, past(2))
    return await sessions.hold_session(uow(), member(world["mentor"]), session.id)
