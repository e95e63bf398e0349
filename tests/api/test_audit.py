"""The audit trail over HTTP: who did what, when, to which object, in which request.

A scripted sequence of a manager's requests (each with its own X-Request-ID) must appear in
GET /v1/audit-events once per action with the manager as actor; filters narrow it; only the
organization's admins read it, and only their own organization's; a rolled-back change leaves
nothing; the table refuses UPDATE and DELETE, except the retention prune.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.domain.access import Caller, Role
from app.domain.audit import SYSTEM, AuditEntry, AuditFilter
from app.domain.events import DomainEvent
from app.services import audit
from app.services.pagination import PageRequest
from tests.api.graphql.helpers import data, gql
from tests.api.helpers import problem
from tests.factories import PLATFORM_ADMIN, member, new_org, pair_world


def _admin(world: dict[str, Any]) -> Caller:
    return Caller(user_id=uuid.uuid4(), role=Role.ORG_ADMIN, org_id=world["org"].id)


def _as(headers: dict[str, str], request_id: str) -> dict[str, str]:
    return headers | {"X-Request-ID": request_id}


async def _trail(client, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    """Every entry the filters keep, following the cursor through pages of 2."""
    items: list[dict[str, Any]] = []
    query: dict[str, str] = {"limit": "2", **params}
    while True:
        response = await client.get("/v1/audit-events", params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        query["cursor"] = page["next_cursor"]


async def _scripted(client, bearer, world: dict[str, Any]) -> dict[str, str]:
    """A manager's requests, each in its own request id; what each should leave in the trail."""
    manager = bearer(world["manager"])
    program, mentee = world["program"], world["mentee"]
    tag = uuid.uuid4().hex[:8]
    ids = {step: f"{tag}-{step}" for step in ("edit", "pair", "export", "report", "link", "erase")}

    edited = await client.patch(
        f"/v1/programs/{program.id}", json={"description": "pilot"}, headers=_as(manager, ids["edit"])
    )
    assert edited.status_code == 200, edited.text
    body = {"mentor_enrollment_id": str(world["mentor_e"].id), "mentee_enrollment_id": str(world["mentee_e"].id)}
    paired = await client.post(f"/v1/programs/{program.id}/tandems", json=body, headers=_as(manager, ids["pair"]))
    assert paired.status_code == 201, paired.text
    world["tandem_id"] = paired.json()["id"]
    exported = await client.get(f"/v1/people/{mentee.id}/export", headers=_as(manager, ids["export"]))
    assert exported.status_code == 200, exported.text
    report = await client.get(f"/v1/programs/{program.id}/report.csv", headers=_as(manager, ids["report"]))
    assert report.status_code == 200, report.text
    link = await client.post(f"/v1/people/{mentee.id}/calendar-links", headers=_as(manager, ids["link"]))
    assert link.status_code == 201, link.text
    erased = await client.delete(f"/v1/people/{mentee.id}", headers=_as(manager, ids["erase"]))
    assert erased.status_code == 200, erased.text
    return ids


async def test_each_action_of_a_scripted_sequence_appears_once_with_its_actor_and_request(
    client, bearer, uow_factory
) -> None:
    world = await pair_world(uow_factory)
    ids = await _scripted(client, bearer, world)
    program, mentee, tandem_id = str(world["program"].id), str(world["mentee"].id), world["tandem_id"]

    trail = await _trail(client, bearer(_admin(world)))
    ours = [e for e in trail if e["request_id"] in ids.values()]
    seen = Counter((e["request_id"], e["action"], e["target"]["type"], e["target"]["id"]) for e in ours)
    expected = {
        (ids["edit"], "program.updated", "program", program),
        (ids["pair"], "tandem.proposed", "tandem", tandem_id),
        (ids["export"], "person.exported", "person", mentee),
        (ids["report"], "report.downloaded", "program", program),
        (ids["link"], "calendar_link.created", "person", mentee),
        (ids["erase"], "person.erased", "person", mentee),
        (ids["erase"], "enrollment.withdrawn", "enrollment", str(world["mentee_e"].id)),
        (ids["erase"], "tandem.status_changed", "tandem", tandem_id),
    }
    assert expected <= set(seen), sorted(expected - set(seen))
    assert all(count == 1 for count in seen.values()), seen  # nothing twice
    assert {e["actor"]["id"] for e in ours} == {str(world["manager"].user_id)}
    assert {(e["actor"]["type"], e["actor"]["role"]) for e in ours} == {("user", "program_manager")}
    assert {e["org_id"] for e in ours} == {str(world["org"].id)}
    times = [e["occurred_at"] for e in trail]
    assert times == sorted(times), "oldest first"

    # the setup ran through the use cases without a request: the system did it, no request id
    setup = [e for e in trail if e["request_id"] is None]
    assert {"enrollment.created", "program.status_changed"} <= {e["action"] for e in setup}
    assert {e["actor"]["type"] for e in setup} == {"system"}


async def test_the_filters_narrow_by_actor_target_action_and_time(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    ids = await _scripted(client, bearer, world)
    admin = bearer(_admin(world))
    mentee = str(world["mentee"].id)

    by_actor = await _trail(client, admin, actor_id=str(world["manager"].user_id))
    assert by_actor and {e["request_id"] for e in by_actor} <= set(ids.values())
    on_person = await _trail(client, admin, target_type="person", target_id=mentee)
    assert [e["action"] for e in on_person] == [
        "person.created",  # the setup, by the system
        "person.exported",
        "calendar_link.created",
        "person.erased",
    ]
    exports = await _trail(client, admin, action="person.exported")
    assert [(e["target"]["id"], e["request_id"]) for e in exports] == [(mentee, ids["export"])]

    export_at = datetime.fromisoformat(exports[0]["occurred_at"])
    later = await _trail(client, admin, **{"from": (export_at + timedelta(microseconds=1)).isoformat()})
    assert later and all(datetime.fromisoformat(e["occurred_at"]) > export_at for e in later)
    assert ids["export"] not in {e["request_id"] for e in later}
    earlier = await _trail(client, admin, to=export_at.isoformat())  # `to` is exclusive
    assert earlier and all(datetime.fromisoformat(e["occurred_at"]) < export_at for e in earlier)
    assert await _trail(
        client, admin, **{"from": export_at.isoformat(), "to": (export_at + timedelta(0, 1)).isoformat()}
    )

    problem(await client.get("/v1/audit-events", params={"action": "exported"}, headers=admin), 422, "invalid_action")
    problem(
        await client.get("/v1/audit-events", params={"target_type": "Person;"}, headers=admin),
        422,
        "invalid_target_type",
    )
    naive = {"from": "2026-01-01T00:00:00"}
    problem(await client.get("/v1/audit-events", params=naive, headers=admin), 422, "invalid_time_range")
    backwards = {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    problem(await client.get("/v1/audit-events", params=backwards, headers=admin), 422, "invalid_time_range")


async def test_only_the_organizations_admins_read_its_trail_and_never_another_ones(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await _scripted(client, bearer, world)
    other_org, _ = await new_org(uow_factory)
    stranger = bearer(Caller(user_id=uuid.uuid4(), role=Role.ORG_ADMIN, org_id=other_org.id))
    assert await _trail(client, stranger, target_id=str(world["program"].id)) == []
    assert all(e["org_id"] == str(other_org.id) for e in await _trail(client, stranger))

    for caller, code in (
        (world["manager"], "org_admin_required"),
        (member(world["mentor"]), "org_admin_required"),
        (PLATFORM_ADMIN, "organization_token_required"),
    ):
        problem(await client.get("/v1/audit-events", headers=bearer(caller)), 403, code)
    denied = await gql(client, bearer(world["manager"]), "{ auditEvents { edges { node { id } } } }")
    assert denied["errors"][0]["extensions"]["code"] == "org_admin_required"


async def test_graphql_reads_the_same_trail(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    ids = await _scripted(client, bearer, world)
    admin = bearer(_admin(world))
    rest = await _trail(client, admin, action="report.downloaded")
    query = """query($action: String, $since: DateTime) {
      auditEvents(action: $action, from: $since, first: 10) {
        edges { node { id action requestId actor { type id role } target { type id } } }
        pageInfo { hasNextPage }
      }
    }"""
    found = (await data(client, admin, query, action="report.downloaded"))["auditEvents"]
    nodes = [edge["node"] for edge in found["edges"]]
    assert [n["id"] for n in nodes] == [e["id"] for e in rest]
    assert nodes[0]["requestId"] == ids["report"] and nodes[0]["target"] == {
        "type": "program",
        "id": str(world["program"].id),
    }
    assert nodes[0]["actor"] == {"type": "USER", "id": str(world["manager"].user_id), "role": "PROGRAM_MANAGER"}
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert (await data(client, admin, query, since=future))["auditEvents"]["edges"] == []


async def test_a_change_that_fails_or_rolls_back_leaves_no_entry(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    manager, admin = bearer(world["manager"]), bearer(_admin(world))
    body = {"mentor_enrollment_id": str(world["mentee_e"].id), "mentee_enrollment_id": str(world["mentor_e"].id)}
    refused = await client.post(
        f"/v1/programs/{world['program'].id}/tandems", json=body, headers=_as(manager, "refused-pairing")
    )
    assert refused.status_code == 422, refused.text  # the roles are the wrong way round
    assert [e for e in await _trail(client, admin) if e["request_id"] == "refused-pairing"] == []

    program = world["program"]
    async with uow_factory() as uow:  # an event recorded and a row written, then no commit
        stored = await uow.programs.get(program.org_id, program.id)
        assert stored is not None
        stored.record(DomainEvent("program.status_changed", program.org_id, program.id, {"from": "x", "to": "y"}))
        await uow.programs.save(stored)
    assert [e for e in await _trail(client, admin, action="program.status_changed") if e["org_id"] is None] == []
    statuses = await _trail(client, admin, action="program.status_changed", target_id=str(program.id))
    assert len(statuses) == 2  # enrolling and matching, from the setup; not the rolled-back one


async def test_entries_cannot_be_changed_or_deleted_but_age_out(uow_factory, engine) -> None:
    world = await pair_world(uow_factory)
    org_id = world["org"].id
    old = AuditEntry(
        org_id=org_id,
        actor=SYSTEM,
        action="person.exported",
        target_type="person",
        target_id=world["mentee"].id,
        occurred_at=datetime.now(UTC) - timedelta(days=500),
    )
    async with uow_factory() as uow:
        await uow.audit.add([old])
        await uow.commit()
    for statement in (
        "UPDATE audit_events SET action = 'person.updated' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(text(statement), {"id": old.id})
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE audit_events"))

    async def count(entry_id: uuid.UUID) -> int:
        async with engine.connect() as conn:
            found = await conn.execute(text("SELECT count(*) FROM audit_events WHERE id = :id"), {"id": entry_id})
            return int(found.scalar_one())

    assert await count(old.id) == 1
    recent = (await _all_of(uow_factory, org_id))[-1]
    assert await audit.prune(uow_factory(), retention=timedelta(days=400)) >= 1
    assert await count(old.id) == 0 and await count(recent.id) == 1  # only past retention
    with pytest.raises(DBAPIError, match="append-only"):  # the prune's permission ended with it
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": recent.id})


async def _all_of(uow_factory, org_id: uuid.UUID) -> list[AuditEntry]:
    async with uow_factory() as uow:
        return (await uow.audit.page(org_id, AuditFilter(), PageRequest(limit=200))).items
