"""/v1/partners: partner networks, client credentials, organizations' grants and the mentor pool."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.access import Caller, Role
from app.domain.errors import BadRequest, Unauthenticated
from app.domain.values import Topic
from app.infra.db.base import table_of
from app.infra.db.tables import PersonRow, idempotency_keys, partner_mentors, partners
from app.services import partners as partner_service
from app.services import programs, tandems
from tests.api.helpers import field_names, problem
from tests.factories import PLATFORM_ADMIN, enroll, member, new_org, new_person, new_program

people = table_of(PersonRow)


def _admin_of(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


def _mentor(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "display_name": f"Mentor {external_id}",
        "birth_year": 1999,
        "languages": ["de", "en"],
        **fields,
    }


async def _new_partner(client, bearer, **body: Any) -> dict[str, Any]:
    body.setdefault("name", f"NextGen {uuid.uuid4().hex[:8]}")
    response = await client.post("/v1/partners", json=body, headers=bearer(PLATFORM_ADMIN))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _token(uow_factory, bearer, partner: dict[str, Any], scope: str | None = None) -> dict[str, str]:
    caller = await partner_service.client_credentials_caller(
        uow_factory(), client_id=partner["client_id"], client_secret=partner["client_secret"], scope=scope
    )
    headers: dict[str, str] = bearer(caller)
    return headers


async def _sync(client, partner: dict[str, Any], headers: dict[str, str], *rows: Any) -> dict[str, Any]:
    response = await client.put(f"/v1/partners/{partner['id']}/mentors", json={"items": list(rows)}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _granted_org(client, bearer, uow_factory, partner: dict[str, Any]):
    org, manager = await new_org(uow_factory)
    response = await client.post(
        f"/v1/organizations/{org.id}/partners/{partner['id']}", headers=bearer(_admin_of(org.id))
    )
    assert response.status_code == 201, response.text
    return org, manager


async def _partner_people(engine, org_id: uuid.UUID, partner_id: str) -> dict[str, dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(people).where(people.c.org_id == org_id, people.c.partner_id == partner_id))
        return {row["external_id"]: dict(row) for row in rows.mappings()}


# --- partners and their client credentials ---------------------------------------------------


async def test_a_platform_admin_creates_a_partner_whose_secret_is_shown_once(client, bearer, engine) -> None:
    name = f"NextGen {uuid.uuid4().hex[:8]}"
    response = await client.post(
        "/v1/partners", json={"name": name}, headers={**bearer(PLATFORM_ADMIN), "Idempotency-Key": name}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/partners/{created['id']}" and response.headers["etag"] == '"1"'
    assert response.headers["cache-control"] == "no-store"
    assert created["client_id"].startswith("ptn_") and len(created["client_secret"]) >= 40
    assert created["allowed_scopes"] == ["mentors:read", "mentors:sync", "webhooks:manage"]

    read = await client.get(f"/v1/partners/{created['id']}", headers=bearer(PLATFORM_ADMIN))
    assert read.status_code == 200 and "client_secret" not in read.json()
    assert read.json()["client_id"] == created["client_id"]
    async with engine.connect() as conn:
        digest = (await conn.execute(select(partners.c.client_secret_digest).where(partners.c.name == name))).scalar()
        stored = (await conn.execute(select(idempotency_keys.c.response_body))).scalars().all()
    assert digest and created["client_secret"] not in digest
    # the response with the secret is not kept for Idempotency-Key replays either
    assert not [body for body in stored if body and created["client_secret"].encode() in body]

    again = await client.post(
        "/v1/partners", json={"name": name}, headers={**bearer(PLATFORM_ADMIN), "Idempotency-Key": name}
    )
    problem(again, 409, "partner_name_taken")


async def test_only_platform_admins_create_partners(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    partner = await _new_partner(client, bearer)
    partner_token = await _token(uow_factory, bearer, partner)
    for headers in (bearer(manager), bearer(_admin_of(org.id)), partner_token):
        problem(await client.post("/v1/partners", json={"name": "Sneaky"}, headers=headers), 403)


async def test_bad_partner_input_is_a_422(client, bearer) -> None:
    response = await client.post(
        "/v1/partners", json={"name": "", "allowed_scopes": ["admin"]}, headers=bearer(PLATFORM_ADMIN)
    )
    assert {"body.name", "body.allowed_scopes.0"} <= field_names(problem(response, 422, "validation_failed"))


async def test_client_credentials_verify_the_secret_and_narrow_scopes(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    caller = await partner_service.client_credentials_caller(
        uow_factory(), client_id=partner["client_id"], client_secret=partner["client_secret"], scope=None
    )
    assert caller.role is Role.PARTNER and caller.partner_id == caller.user_id == uuid.UUID(partner["id"])
    assert caller.scopes == {"mentors:read", "mentors:sync", "webhooks:manage"} and caller.org_id is None
    narrowed = await partner_service.client_credentials_caller(
        uow_factory(), client_id=partner["client_id"], client_secret=partner["client_secret"], scope="mentors:read"
    )
    assert narrowed.scopes == {"mentors:read"}

    failures = []
    for client_id, secret in ((partner["client_id"], "wrong"), ("ptn_unknown", partner["client_secret"]), ("", "")):
        with pytest.raises(Unauthenticated) as caught:
            await partner_service.client_credentials_caller(
                uow_factory(), client_id=client_id, client_secret=secret, scope=None
            )
        failures.append((caught.value.code, caught.value.detail))
    assert len(set(failures)) == 1 and failures[0][0] == "invalid_client"

    reader = await _new_partner(client, bearer, allowed_scopes=["mentors:read"])
    for scope in ("mentors:sync", "mentors:read admin"):
        with pytest.raises(BadRequest) as refused:
            await partner_service.client_credentials_caller(
                uow_factory(), client_id=reader["client_id"], client_secret=reader["client_secret"], scope=scope
            )
        assert refused.value.code == "invalid_scope"


async def test_rotating_the_secret_retires_the_old_one(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    url = f"/v1/partners/{partner['id']}/rotate-secret"
    problem(await client.post(url, headers=await _token(uow_factory, bearer, partner)), 403)
    problem(await client.post(url, headers={**bearer(PLATFORM_ADMIN), "If-Match": '"7"'}), 412)
    rotated = await client.post(url, headers={**bearer(PLATFORM_ADMIN), "If-Match": '"1"'})
    assert rotated.status_code == 200 and rotated.headers["etag"] == '"2"'
    new_secret = rotated.json()["client_secret"]
    assert new_secret != partner["client_secret"] and rotated.headers["cache-control"] == "no-store"
    with pytest.raises(Unauthenticated):
        await _token(uow_factory, bearer, partner)
    await _token(uow_factory, bearer, {**partner, "client_secret": new_secret})


async def test_who_sees_which_partner(client, bearer, uow_factory) -> None:
    mine, theirs = await _new_partner(client, bearer), await _new_partner(client, bearer)
    org, manager = await _granted_org(client, bearer, uow_factory, mine)
    token = await _token(uow_factory, bearer, mine)

    listing = (await client.get("/v1/partners", headers=token)).json()
    assert [p["id"] for p in listing["items"]] == [mine["id"]] and listing["next_cursor"] is None
    assert (await client.get(f"/v1/partners/{mine['id']}", headers=token)).status_code == 200
    problem(await client.get(f"/v1/partners/{theirs['id']}", headers=token), 404, "partner_not_found")

    for caller in (manager, _admin_of(org.id)):
        listing = (await client.get("/v1/partners", headers=bearer(caller))).json()
        assert [p["id"] for p in listing["items"]] == [mine["id"]]
        problem(await client.get(f"/v1/partners/{theirs['id']}", headers=bearer(caller)), 404)
    person = await new_person(uow_factory, manager, birth_year=1999)
    problem(await client.get("/v1/partners", headers=bearer(member(person))), 403)

    seen, cursor = set(), None
    while True:  # a platform admin pages through every partner
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/partners", params=params, headers=bearer(PLATFORM_ADMIN))).json()
        seen |= {p["id"] for p in page["items"]}
        if not (cursor := page["next_cursor"]):
            break
    assert {mine["id"], theirs["id"]} <= seen


# --- grants -----------------------------------------------------------------------------------


async def test_an_org_admin_grants_a_partner_once_and_may_revoke(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    org, manager = await new_org(uow_factory)
    other, _ = await new_org(uow_factory)
    admin = bearer(_admin_of(org.id))
    url = f"/v1/organizations/{org.id}/partners/{partner['id']}"

    problem(await client.post(url, headers=bearer(manager)), 403, "org_admin_required")
    problem(await client.post(url, headers=bearer(_admin_of(other.id))), 404)
    problem(await client.post(url, headers=await _token(uow_factory, bearer, partner)), 404)
    unknown = await client.post(f"/v1/organizations/{org.id}/partners/{uuid.uuid4()}", headers=admin)
    problem(unknown, 404, "partner_not_found")

    first = await client.post(url, headers=admin)
    assert first.status_code == 201 and first.headers["location"] == url
    assert first.json()["partner_name"] == partner["name"] and first.json()["org_id"] == str(org.id)
    again = await client.post(url, headers=admin)
    assert again.status_code == 200 and again.json()["created_at"] == first.json()["created_at"]
    assert (await client.get(url, headers=bearer(manager))).status_code == 200

    assert (await client.delete(url, headers=admin)).status_code == 204
    problem(await client.get(url, headers=admin), 404, "partner_grant_not_found")
    problem(await client.delete(url, headers=admin), 404, "partner_grant_not_found")
    problem(await client.get(f"/v1/partners/{partner['id']}", headers=admin), 404)
    regranted = await client.post(url, headers=bearer(PLATFORM_ADMIN))
    assert regranted.status_code == 201


# --- the mentor pool ------------------------------------------------------------------------


async def test_a_sync_reports_each_row_and_a_bad_row_fails_alone(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    first = await _sync(
        client,
        partner,
        token,
        _mentor("ngt-1"),
        _mentor("ngt-2", city="Berlin"),
        _mentor("ngt-old", birth_year=1970),
        {**_mentor("ngt-bad"), "birth_year": "nineteen", "shoe_size": 44},
        _mentor("ngt-1", display_name="Twice"),
        "not an object",
    )
    statuses = [(r["external_id"], r["status"]) for r in first["items"]]
    assert statuses == [
        ("ngt-1", "created"),
        ("ngt-2", "created"),
        ("ngt-old", "error"),
        ("ngt-bad", "error"),
        ("ngt-1", "error"),
        (None, "error"),
    ]
    assert [r["index"] for r in first["items"]] == list(range(6))
    errors = {r["index"]: r["errors"] for r in first["items"]}
    assert errors[0] == [] and [(e["field"], e["code"]) for e in errors[2]] == [("birth_year", "not_a_digital_native")]
    assert {e["field"] for e in errors[3]} == {"birth_year", "shoe_size"}
    assert errors[4][0]["code"] == "duplicate_external_id"
    assert first["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "error": 4}

    again = await _sync(client, partner, token, _mentor("ngt-1"), _mentor("ngt-2", city="Berlin"))
    assert [r["status"] for r in again["items"]] == ["unchanged", "unchanged"]
    changed = await _sync(client, partner, token, _mentor("ngt-1"), _mentor("ngt-2", city="Hamburg"))
    assert [r["status"] for r in changed["items"]] == ["unchanged", "updated"]

    mentor = await client.get(f"/v1/partners/{partner['id']}/mentors/ngt-2", headers=token)
    assert mentor.json()["city"] == "Hamburg" and mentor.headers["etag"] == '"2"'
    assert mentor.json()["generation"] == "gen_z" and mentor.json()["placements"] == []


async def test_a_batch_is_bounded(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    response = await client.put(f"/v1/partners/{partner['id']}/mentors", json={"items": [{}] * 1001}, headers=token)
    assert "body.items" in field_names(problem(response, 422, "validation_failed"))


async def test_synced_mentors_become_people_of_granting_organizations_only(client, bearer, uow_factory, engine) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    granting, manager = await _granted_org(client, bearer, uow_factory, partner)
    bystander, bystander_manager = await new_org(uow_factory)
    taken = await new_person(uow_factory, manager, birth_year=1970, email="taken@acme.example")

    await _sync(client, partner, token, _mentor("ngt-1", email="lea@nextgen.example"), _mentor("ngt-2"))
    await _sync(client, partner, token, _mentor("ngt-3", email=taken.email))
    projected = await _partner_people(engine, granting.id, partner["id"])
    assert set(projected) == {"ngt-1", "ngt-2", "ngt-3"}
    lea = projected["ngt-1"]
    assert (lea["source"], lea["email"], lea["display_name"]) == ("partner", "lea@nextgen.example", "Mentor ngt-1")
    assert projected["ngt-3"]["email"] is None  # the organization's own person keeps the address
    assert await _partner_people(engine, bystander.id, partner["id"]) == {}
    listed = (await client.get("/v1/people", params={"limit": 200}, headers=bearer(bystander_manager))).json()
    assert listed["items"] == []

    seen = await client.get(f"/v1/people/{lea['id']}", headers=bearer(manager))
    assert seen.json()["partner_id"] == partner["id"] and seen.json()["external_id"] == "ngt-1"
    await _sync(client, partner, token, _mentor("ngt-1", email="lea@nextgen.example", bio="Streams on Twitch"))
    updated = (await _partner_people(engine, granting.id, partner["id"]))["ngt-1"]
    assert updated["bio"] == "Streams on Twitch" and updated["version"] == 2 and updated["id"] == lea["id"]

    # a grant made later brings the whole (active) pool into the organization
    await client.delete(f"/v1/partners/{partner['id']}/mentors/ngt-2", headers=token)
    late, _ = await _granted_org(client, bearer, uow_factory, partner)
    assert set(await _partner_people(engine, late.id, partner["id"])) == {"ngt-1", "ngt-3"}


async def test_the_pool_lists_changes_since_and_what_happened_to_each_mentor(
    client, bearer, uow_factory, engine
) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    org, manager = await _granted_org(client, bearer, uow_factory, partner)
    await _sync(client, partner, token, _mentor("ngt-1"), _mentor("ngt-2"))
    since = datetime.now(UTC)
    await _sync(client, partner, token, _mentor("ngt-2", city="Köln"))

    url = f"/v1/partners/{partner['id']}/mentors"
    recent = (await client.get(url, params={"updated_since": since.isoformat()}, headers=token)).json()
    assert [m["external_id"] for m in recent["items"]] == ["ngt-2"]
    problem(await client.get(url, params={"updated_since": "2026-01-01T00:00:00"}, headers=token), 422)
    first = (await client.get(url, params={"limit": 1}, headers=token)).json()
    rest = (await client.get(url, params={"limit": 1, "cursor": first["next_cursor"]}, headers=token)).json()
    assert [m["external_id"] for m in first["items"] + rest["items"]] == ["ngt-1", "ngt-2"]
    assert rest["next_cursor"] is None

    # enrolled, then proposed, then matched in the granting organization
    person_id = (await _partner_people(engine, org.id, partner["id"]))["ngt-1"]["id"]
    async with uow_factory() as uow:
        mentor_person = await uow.people.get(org.id, person_id)
    program = await new_program(uow_factory, manager, status="enrolling")
    mentee = await new_person(uow_factory, manager, birth_year=1966, languages=["de"])
    mentor_e = await enroll(uow_factory, manager, program, mentor_person, "mentor", offers=(Topic("TikTok"),))
    mentee_e = await enroll(uow_factory, manager, program, mentee, "mentee", needs=(Topic("TikTok", 5),))

    async def placement() -> dict[str, Any]:
        listed = (await client.get(url, headers=token)).json()
        ngt1 = next(m for m in listed["items"] if m["external_id"] == "ngt-1")
        assert [p["org_id"] for p in ngt1["placements"]] == [str(org.id)]
        return {"enrolled": ngt1["enrolled"], "matched": ngt1["matched"], **ngt1["placements"][0]}

    assert (await placement())["stage"] == "enrolled"
    await programs.start_matching(uow_factory(), manager, program.id)
    tandem = await tandems.propose_tandem(
        uow_factory(), manager, program.id, mentor_enrollment_id=mentor_e.id, mentee_enrollment_id=mentee_e.id
    )
    assert (await placement())["stage"] == "proposed"
    await tandems.accept_tandem(uow_factory(), member(mentor_person), tandem.id)
    await tandems.accept_tandem(uow_factory(), member(mentee), tandem.id)
    now = await placement()
    assert (now["stage"], now["enrolled"], now["matched"], now["matched_tandems"]) == ("matched", True, True, 1)
    assert now["person_id"] == str(person_id) and now["organization_name"] == org.name

    admin_view = await client.get(url, headers=bearer(PLATFORM_ADMIN))
    assert admin_view.status_code == 200 and len(admin_view.json()["items"]) == 2
    # once the organization revokes the grant, the partner no longer sees what happens there
    await client.delete(f"/v1/organizations/{org.id}/partners/{partner['id']}", headers=bearer(_admin_of(org.id)))
    listed = (await client.get(url, headers=token)).json()
    assert all(m["placements"] == [] for m in listed["items"])


async def test_a_partner_reaches_only_its_own_pool(client, bearer, uow_factory) -> None:
    mine, theirs = await _new_partner(client, bearer), await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, mine)
    await _sync(client, theirs, await _token(uow_factory, bearer, theirs), _mentor("ngt-1"))
    base = f"/v1/partners/{theirs['id']}/mentors"
    problem(await client.get(base, headers=token), 404, "partner_not_found")
    problem(await client.put(base, json={"items": [_mentor("ngt-9")]}, headers=token), 404, "partner_not_found")
    problem(await client.delete(f"{base}/ngt-1", headers=token), 404, "partner_not_found")
    problem(await client.get(f"{base}/ngt-1", headers=token), 404, "partner_not_found")


async def test_a_missing_scope_is_a_403_insufficient_scope(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    reader = await _token(uow_factory, bearer, partner, scope="mentors:read")
    syncer = await _token(uow_factory, bearer, partner, scope="mentors:sync")
    base = f"/v1/partners/{partner['id']}/mentors"
    problem(await client.put(base, json={"items": [_mentor("ngt-1")]}, headers=reader), 403, "insufficient_scope")
    problem(await client.delete(f"{base}/ngt-1", headers=reader), 403, "insufficient_scope")
    problem(await client.get(base, headers=syncer), 403, "insufficient_scope")
    assert (await client.get(base, headers=reader)).status_code == 200


async def test_organizations_and_admins_do_not_write_a_pool(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    org, manager = await _granted_org(client, bearer, uow_factory, partner)
    base = f"/v1/partners/{partner['id']}/mentors"
    for caller in (manager, _admin_of(org.id)):
        problem(await client.get(base, headers=bearer(caller)), 403, "partner_token_required")
    problem(await client.put(base, json={"items": []}, headers=bearer(PLATFORM_ADMIN)), 403, "partner_token_required")
    problem(await client.get(f"/v1/partners/{uuid.uuid4()}/mentors", headers=bearer(PLATFORM_ADMIN)), 404)


async def test_withdrawing_a_mentor_and_syncing_them_back(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    await _sync(client, partner, token, _mentor("ngt/1"))  # the partner's ids may hold slashes
    url = f"/v1/partners/{partner['id']}/mentors/ngt/1"

    problem(await client.delete(url, headers={**token, "If-Match": '"5"'}), 412)
    gone = await client.delete(url, headers=token)
    assert gone.status_code == 200 and gone.json()["withdrawn_at"] and gone.headers["etag"] == '"2"'
    again = await client.delete(url, headers=token)
    assert again.status_code == 200 and again.json()["withdrawn_at"] == gone.json()["withdrawn_at"]
    problem(await client.delete(f"/v1/partners/{partner['id']}/mentors/nobody", headers=token), 404)

    back = await _sync(client, partner, token, _mentor("ngt/1"))
    assert back["items"][0]["status"] == "updated"
    assert (await client.get(url, headers=token)).json()["withdrawn_at"] is None


async def test_two_syncs_of_one_new_mentor_at_once_store_one_row(client, bearer, uow_factory, engine) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    org, _ = await _granted_org(client, bearer, uow_factory, partner)
    rows = [_mentor("ngt-race"), _mentor("ngt-a"), _mentor("ngt-b")]
    responses = await asyncio.gather(
        *(
            client.put(f"/v1/partners/{partner['id']}/mentors", json={"items": batch}, headers=token)
            for batch in (rows, rows[::-1])
        )
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    statuses = sorted(
        next(item["status"] for item in r.json()["items"] if item["external_id"] == "ngt-race") for r in responses
    )
    assert statuses == ["created", "unchanged"]
    async with engine.connect() as conn:
        count = await conn.execute(
            select(func.count())
            .select_from(partner_mentors)
            .where(partner_mentors.c.partner_id == partner["id"], partner_mentors.c.external_id == "ngt-race")
        )
        assert count.scalar_one() == 1
    assert set(await _partner_people(engine, org.id, partner["id"])) == {"ngt-race", "ngt-a", "ngt-b"}


async def test_a_sync_may_come_as_ndjson_one_mentor_a_line(client, bearer, uow_factory) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    lines = [json.dumps(_mentor("ngt-1")), "", "{not json", json.dumps(_mentor("ngt-old", birth_year=1960))]
    response = await client.put(
        f"/v1/partners/{partner['id']}/mentors",
        content="\n".join(lines).encode(),
        headers={**token, "content-type": "application/x-ndjson; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    *items, end = [json.loads(line) for line in response.text.splitlines()]
    assert [(r["index"], r["external_id"], r["status"]) for r in items] == [
        (0, "ngt-1", "created"),
        (1, None, "error"),
        (2, "ngt-old", "error"),
    ]
    assert items[1]["errors"][0]["code"] == "json_invalid" and "line 3" in items[1]["errors"][0]["message"]
    assert items[2]["errors"][0]["code"] == "not_a_digital_native"
    assert end == {"counts": {"created": 1, "updated": 0, "unchanged": 0, "error": 2}}


async def test_a_partner_person_cannot_take_another_mentors_external_id(client, bearer, uow_factory, engine) -> None:
    partner = await _new_partner(client, bearer)
    token = await _token(uow_factory, bearer, partner)
    org, manager = await _granted_org(client, bearer, uow_factory, partner)
    await _sync(client, partner, token, _mentor("ngt-1"), _mentor("ngt-2"))
    second = (await _partner_people(engine, org.id, partner["id"]))["ngt-2"]
    response = await client.patch(f"/v1/people/{second['id']}", json={"external_id": "ngt-1"}, headers=bearer(manager))
    problem(response, 409, "external_id_taken")
