"""A partner network's events: its pool's changes and its mentors' placements in the organizations
that grant it, in its own feed (GET /v1/events with its token) and its ``updated_since`` listing;
nothing about another partner's mentors, the mentees, or the organization's own people."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.domain.access import Caller, Role
from app.domain.enrollment import Enrollment
from app.domain.partner import PartnerMentor
from app.domain.person import Person
from app.domain.program import Program
from app.domain.tandem import Side
from app.domain.values import Topic
from app.infra.db.base import table_of
from app.infra.db.tables import PersonRow, outbox, partner_mentors
from app.services import enrollments, people, programs, tandems
from app.services import partners as partner_service
from tests.factories import PLATFORM_ADMIN, enroll, member, new_org, new_person, new_program

PLACEMENT_KEYS = {"external_id", "program_id", "stage", "tandem_id"}


def _mentor(external_id: str, **fields: Any) -> dict[str, Any]:
    return {"external_id": external_id, "display_name": f"Mentor {external_id}", "birth_year": 1999, **fields}


async def _partner(client, bearer, uow_factory) -> dict[str, Any]:
    """A partner network with its token (``headers``)."""
    response = await client.post(
        "/v1/partners", json={"name": f"P {uuid.uuid4().hex[:8]}"}, headers=bearer(PLATFORM_ADMIN)
    )
    assert response.status_code == 201, response.text
    partner: dict[str, Any] = response.json()
    caller = await partner_service.client_credentials_caller(
        uow_factory(), client_id=partner["client_id"], client_secret=partner["client_secret"], scope=None
    )
    return partner | {"headers": bearer(caller)}


async def _sync(client, partner: dict[str, Any], *rows: dict[str, Any]) -> None:
    url = f"/v1/partners/{partner['id']}/mentors"
    response = await client.put(url, json={"items": list(rows)}, headers=partner["headers"])
    assert response.status_code == 200, response.text


async def _grant(client, bearer, uow_factory, *partners: dict[str, Any]) -> tuple[Any, Caller]:
    org, manager = await new_org(uow_factory)
    admin = bearer(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id))
    for partner in partners:
        response = await client.post(f"/v1/organizations/{org.id}/partners/{partner['id']}", headers=admin)
        assert response.status_code == 201, response.text
    return org, manager


async def _person_of(engine, uow_factory, org_id: uuid.UUID, partner: dict[str, Any], external_id: str) -> Person:
    p = table_of(PersonRow)
    async with engine.connect() as conn:
        stmt = select(p.c.id).where(
            p.c.org_id == org_id, p.c.partner_id == uuid.UUID(partner["id"]), p.c.external_id == external_id
        )
        person_id = (await conn.execute(stmt)).scalar_one()
    async with uow_factory() as uow:
        person = await uow.people.get(org_id, person_id)
    assert person is not None
    return person


async def _feed(client, headers: dict[str, str], *, want: int, types: str | None = None) -> list[dict[str, Any]]:
    """The caller's events from the start, once ``want`` of them arrived (the feed serves an event
    once every older transaction of the server ended); a few more polls when ``want`` is 0."""
    params = {"limit": "100"} | ({"types": types} if types else {})
    items: list[dict[str, Any]] = []
    for attempt in range(300):
        page = (await client.get("/v1/events", params=params, headers=headers)).json()
        items += page["items"]
        if page["next_cursor"]:
            params["after"] = page["next_cursor"]
        if (want and len(items) >= want) or (not want and attempt >= 10):
            break
        await asyncio.sleep(0.02)
    return items


async def _placed(engine, uow_factory, client, bearer, partner: dict[str, Any]) -> dict[str, Any]:
    """ngt-1 of ``partner`` enrolled as a mentor in a granting organization, beside a mentee."""
    org, manager = await _grant(client, bearer, uow_factory, partner)
    await _sync(client, partner, _mentor("ngt-1"), _mentor("ngt-2"))
    mentor = await _person_of(engine, uow_factory, org.id, partner, "ngt-1")
    program = await new_program(uow_factory, manager, status="enrolling")
    mentee = await new_person(uow_factory, manager, birth_year=1966, display_name="Erika Board", languages=["en"])
    mentor_e = await enroll(uow_factory, manager, program, mentor, "mentor", offers=(Topic("TikTok"),))
    mentee_e = await enroll(uow_factory, manager, program, mentee, "mentee", needs=(Topic("TikTok", 5),))
    await programs.start_matching(uow_factory(), manager, program.id)
    return {"org": org, "manager": manager, "program": program, "mentor": mentor, "mentee": mentee} | {
        "mentor_e": mentor_e,
        "mentee_e": mentee_e,
    }


async def _propose(uow_factory, world: dict[str, Any]):
    program: Program = world["program"]
    mentor_e: Enrollment = world["mentor_e"]
    mentee_e: Enrollment = world["mentee_e"]
    return await tandems.propose_tandem(
        uow_factory(), world["manager"], program.id, mentor_enrollment_id=mentor_e.id, mentee_enrollment_id=mentee_e.id
    )


async def _stored(engine, partner_id: str) -> list[tuple[str, dict[str, Any]]]:
    async with engine.connect() as conn:
        stmt = select(outbox.c.type, outbox.c.data).where(outbox.c.partner_id == uuid.UUID(partner_id))
        return [(row.type, row.data) for row in await conn.execute(stmt.order_by(outbox.c.seq))]


# --- the pool ------------------------------------------------------------------------------------


async def test_a_sync_tells_the_partner_which_mentors_and_fields_changed_and_nothing_when_nothing_did(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _partner(client, bearer, uow_factory)
    await _sync(client, partner, _mentor("ngt-1"), _mentor("ngt-2"))
    await _sync(client, partner, _mentor("ngt-1"), _mentor("ngt-2", city="Köln"))  # ngt-1 as it was
    await _sync(client, partner, _mentor("ngt-1"), _mentor("ngt-2", city="Köln"))  # nothing new

    upserted = [data for kind, data in await _stored(engine, partner["id"]) if kind == "partner_mentor.upserted"]
    assert [(d["external_id"], d["status"]) for d in upserted] == [
        ("ngt-1", "created"),
        ("ngt-2", "created"),
        ("ngt-2", "updated"),
    ]
    assert upserted[2]["changed"] == ["city"]
    assert "display_name" in upserted[0]["changed"] and "Mentor ngt-1" not in str(upserted), "names, not values"

    feed = await _feed(client, partner["headers"], want=3)
    assert [e["type"] for e in feed] == ["partner_mentor.upserted"] * 3
    assert all(e["partner_id"] == partner["id"] and e["org_id"] is None for e in feed)


async def test_withdrawing_a_mentor_tells_the_partner_once_and_a_sync_brings_them_back(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _partner(client, bearer, uow_factory)
    await _sync(client, partner, _mentor("ngt-1"))
    url = f"/v1/partners/{partner['id']}/mentors/ngt-1"
    assert (await client.delete(url, headers=partner["headers"])).status_code in (200, 204)
    assert (await client.delete(url, headers=partner["headers"])).status_code in (200, 204)
    await _sync(client, partner, _mentor("ngt-1"))

    stored = await _stored(engine, partner["id"])
    assert [kind for kind, _ in stored] == [
        "partner_mentor.upserted",
        "partner_mentor.withdrawn",
        "partner_mentor.upserted",
    ]
    assert stored[1][1] == {"external_id": "ngt-1"}
    assert stored[2][1] == {"external_id": "ngt-1", "status": "updated", "changed": ["withdrawn_at"]}


async def test_a_pool_change_left_uncommitted_tells_the_partner_nothing(client, bearer, uow_factory, engine) -> None:
    partner = await _partner(client, bearer, uow_factory)
    await _sync(client, partner, _mentor("ngt-1"))
    before = await _stored(engine, partner["id"])
    partner_id = uuid.UUID(partner["id"])
    async with uow_factory() as uow:
        changed = PartnerMentor(partner_id=partner_id, **_mentor("ngt-1", city="Bonn"))
        status, previous = (await uow.partner_mentors.sync(partner_id, [changed]))["ngt-1"]
        changed.synced(status, previous)
        withdrawn = await uow.partner_mentors.get(partner_id, "ngt-1", for_update=True)
        assert withdrawn is not None and withdrawn.withdraw()
        await uow.partner_mentors.save(withdrawn)  # and no commit(): all of it rolls back
    assert await _stored(engine, partner["id"]) == before


# --- placements in a granting organization -------------------------------------------------------


async def test_a_partner_hears_its_mentor_enrolled_proposed_and_matched_and_nothing_of_the_mentee(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    tandem = await _propose(uow_factory, world)
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), tandem.id)
    await tandems.accept_tandem(uow_factory(), member(world["mentee"]), tandem.id)

    program_id = str(world["program"].id)
    placements = await _feed(client, partner["headers"], want=3, types=TYPES)
    assert [(e["type"], e["data"]) for e in placements] == [
        ("partner_mentor.placement_changed", {"external_id": "ngt-1", "program_id": program_id, "stage": "enrolled"}),
        (
            "partner_mentor.placement_changed",
            {"external_id": "ngt-1", "program_id": program_id, "stage": "proposed", "tandem_id": str(tandem.id)},
        ),
        (
            "partner_mentor.matched",
            {"external_id": "ngt-1", "program_id": program_id, "stage": "matched", "tandem_id": str(tandem.id)},
        ),
    ]
    pool_mentor_id = await _pool_id(engine, partner["id"], "ngt-1")
    assert {(e["org_id"], e["partner_id"], e["subject_id"]) for e in placements} == {
        (str(world["org"].id), partner["id"], str(pool_mentor_id))
    }
    everything = str(await _feed(client, partner["headers"], want=0))
    for secret in (world["mentee"].id, world["mentee"].display_name, world["mentee_e"].id, world["mentor"].id):
        assert str(secret) not in everything, "the partner learns nothing about the mentee or the Persons"

    # the organization keeps its own events; the partner's are not among them
    own = await _feed(client, bearer(world["manager"]), want=0)
    assert own and not any(e["type"].startswith("partner_mentor.") or e["partner_id"] for e in own)


async def test_a_partner_sees_nothing_of_another_partners_mentors_or_the_organizations_own_people(
    client, bearer, uow_factory, engine
) -> None:
    mine, theirs = await _partner(client, bearer, uow_factory), await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, theirs)
    org, manager = world["org"], world["manager"]
    await _grant_existing(client, bearer, org.id, mine)
    await _sync(client, mine, _mentor("mine-1"))
    internal = await new_person(uow_factory, manager, birth_year=1995, department="Digital")
    await enroll(uow_factory, manager, world["program"], internal, "mentor", offers=(Topic("AI"),))
    tandem = await _propose(uow_factory, world)
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), tandem.id)
    await tandems.accept_tandem(uow_factory(), member(world["mentee"]), tandem.id)

    assert len(await _feed(client, theirs["headers"], want=3, types=TYPES)) == 3
    seen = await _feed(client, mine["headers"], want=0)
    assert [(e["type"], e["data"]["external_id"]) for e in seen] == [("partner_mentor.upserted", "mine-1")]
    # another organization's manager sees none of it either
    _, stranger = await new_org(uow_factory)
    assert await _feed(client, bearer(stranger), want=0) == []


async def test_a_tandem_that_ends_tells_the_partner_how(client, bearer, uow_factory, engine) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    declined = await _propose(uow_factory, world)
    await tandems.decline_tandem(uow_factory(), member(world["mentee"]), declined.id, reason="not now")
    tandem = await _propose(uow_factory, world)
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), tandem.id)
    await tandems.accept_tandem(uow_factory(), member(world["mentee"]), tandem.id)
    await tandems.pause_tandem(uow_factory(), world["manager"], tandem.id)  # no news: still matched
    await tandems.resume_tandem(uow_factory(), world["manager"], tandem.id)
    await tandems.dissolve_tandem(uow_factory(), world["manager"], tandem.id, reason="moved abroad")
    await enrollments.withdraw_enrollment(uow_factory(), world["manager"], world["program"].id, world["mentor_e"].id)

    stages = [
        (e["data"]["stage"], e["data"].get("tandem_id"))
        for e in await _feed(client, partner["headers"], want=7, types=TYPES)
    ]
    assert stages == [
        ("enrolled", None),
        ("proposed", str(declined.id)),
        ("declined", str(declined.id)),
        ("proposed", str(tandem.id)),
        ("matched", str(tandem.id)),
        ("dissolved", str(tandem.id)),
        ("withdrawn", None),
    ]
    assert "moved abroad" not in str(await _stored(engine, partner["id"]))


async def test_a_completed_program_completes_the_placement(client, bearer, uow_factory, engine) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    tandem = await _propose(uow_factory, world)
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), tandem.id)
    await tandems.accept_tandem(uow_factory(), member(world["mentee"]), tandem.id)
    await tandems.complete_tandem(uow_factory(), world["manager"], tandem.id)

    kinds = [(kind, data["stage"]) for kind, data in await _stored(engine, partner["id"]) if "stage" in data]
    assert kinds[-2:] == [("partner_mentor.matched", "matched"), ("partner_mentor.placement_changed", "completed")]


async def test_a_placement_moves_the_mentor_in_the_partners_updated_since_listing(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    url = f"/v1/partners/{partner['id']}/mentors"
    etag = (await client.get(f"{url}/ngt-1", headers=partner["headers"])).headers["ETag"]

    since = datetime.now(UTC)
    assert (await client.get(url, params={"updated_since": since.isoformat()}, headers=partner["headers"])).json()[
        "items"
    ] == []
    tandem = await _propose(uow_factory, world)
    listed = (await client.get(url, params={"updated_since": since.isoformat()}, headers=partner["headers"])).json()
    assert [(m["external_id"], m["placements"][0]["stage"]) for m in listed["items"]] == [("ngt-1", "proposed")]

    since = datetime.now(UTC)
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), tandem.id)  # one side: no placement change
    assert (await client.get(url, params={"updated_since": since.isoformat()}, headers=partner["headers"])).json()[
        "items"
    ] == []
    await tandems.accept_tandem(uow_factory(), member(world["mentee"]), tandem.id)
    listed = (await client.get(url, params={"updated_since": since.isoformat()}, headers=partner["headers"])).json()
    assert [(m["external_id"], m["matched"]) for m in listed["items"]] == [("ngt-1", True)]
    mentor = await client.get(f"{url}/ngt-1", headers=partner["headers"])
    assert mentor.headers["ETag"] == etag, "the pool row's version counts the partner's own writes"


async def test_a_placement_change_left_uncommitted_tells_and_moves_nothing(client, bearer, uow_factory, engine) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    tandem = await _propose(uow_factory, world)
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), tandem.id)
    before, moved_at = await _stored(engine, partner["id"]), await _updated_at(engine, partner["id"], "ngt-1")
    async with uow_factory() as uow:
        loaded = await uow.tandems.get(world["org"].id, tandem.id, for_update=True)
        assert loaded is not None and loaded.mentor_pool is not None
        loaded.accept(Side.MENTEE, None)
        await uow.tandems.save(loaded)  # no commit(): rolled back
    assert await _stored(engine, partner["id"]) == before
    assert await _updated_at(engine, partner["id"], "ngt-1") == moved_at


async def test_after_the_grant_is_revoked_the_partner_hears_nothing_from_that_organization(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    org_admin = bearer(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=world["org"].id))
    revoked = await client.delete(f"/v1/organizations/{world['org'].id}/partners/{partner['id']}", headers=org_admin)
    assert revoked.status_code == 204, revoked.text
    before = await _stored(engine, partner["id"])
    await _propose(uow_factory, world)
    assert await _stored(engine, partner["id"]) == before


async def test_erasing_a_pool_mentor_scrubs_the_partners_id_for_them_from_its_events(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _partner(client, bearer, uow_factory)
    world = await _placed(engine, uow_factory, client, bearer, partner)
    await _propose(uow_factory, world)
    await people.erase_person(uow_factory(), world["manager"], world["mentor"].id)

    stored = await _stored(engine, partner["id"])
    about_ngt1 = [data for _, data in stored if data.get("external_id") != "ngt-2"]
    assert about_ngt1 and all("external_id" not in data for data in about_ngt1)
    assert [kind for kind, _ in stored][-1] == "partner_mentor.placement_changed", "erasure itself tells nothing"


TYPES = "partner_mentor.placement_changed,partner_mentor.matched"


async def _grant_existing(client, bearer, org_id: uuid.UUID, partner: dict[str, Any]) -> None:
    admin = bearer(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id))
    response = await client.post(f"/v1/organizations/{org_id}/partners/{partner['id']}", headers=admin)
    assert response.status_code == 201, response.text


async def _pool_id(engine, partner_id: str, external_id: str) -> uuid.UUID:
    pm = partner_mentors
    async with engine.connect() as conn:
        stmt = select(pm.c.id).where(pm.c.partner_id == uuid.UUID(partner_id), pm.c.external_id == external_id)
        found: uuid.UUID = (await conn.execute(stmt)).scalar_one()
    return found


async def _updated_at(engine, partner_id: str, external_id: str) -> datetime:
    pm = partner_mentors
    async with engine.connect() as conn:
        stmt = select(pm.c.updated_at).where(pm.c.partner_id == uuid.UUID(partner_id), pm.c.external_id == external_id)
        found: datetime = (await conn.execute(stmt)).scalar_one()
    return found
