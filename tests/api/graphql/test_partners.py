"""Partner networks through GraphQL: the same use cases, codes and statuses as REST's /v1/partners.

Every step runs through /graphql; REST reads cross-check what the mutations stored.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.access import Caller, Role
from app.domain.values import Topic
from app.infra.db.tables import idempotency_keys
from app.services import partners as partner_service
from app.services import programs, tandems
from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.api.graphql.helpers import data, gql
from tests.factories import PLATFORM_ADMIN, enroll, member, new_org, new_person, new_program

PARTNER_FIELDS = "id version name clientId allowedScopes createdAt updatedAt"
CREDENTIALS = f"... on PartnerCredentials {{ clientSecret partner {{ {PARTNER_FIELDS} }} }}"
GRANT = "... on PartnerGrant { orgId partnerId partnerName grantedBy createdAt created }"
MENTOR_FIELDS = """id version partnerId externalId displayName email birthYear generation bio interests languages
  city timezone preferredFormats withdrawn withdrawnAt enrolled matched createdAt updatedAt
  placements { orgId organizationName personId stage activeEnrollments proposedTandems matchedTandems }"""

CREATE_PARTNER = f"""mutation($name: String!, $scopes: [Scope!]) {{
  createPartner(name: $name, allowedScopes: $scopes) {{ __typename {CREDENTIALS} {PROBLEM} }} }}"""
ROTATE_SECRET = f"""mutation($id: UUID!, $v: Int) {{
  rotatePartnerSecret(id: $id, expectedVersion: $v) {{ __typename {CREDENTIALS} {PROBLEM} }} }}"""
GRANT_ACCESS = f"""mutation($orgId: UUID!, $partnerId: UUID!) {{
  grantPartnerAccess(orgId: $orgId, partnerId: $partnerId) {{ __typename {GRANT} {PROBLEM} }} }}"""
REVOKE_ACCESS = f"""mutation($orgId: UUID!, $partnerId: UUID!) {{
  revokePartnerAccess(orgId: $orgId, partnerId: $partnerId) {{ __typename
    ... on RevokedGrant {{ orgId partnerId }} {PROBLEM} }} }}"""
SYNC = f"""mutation($partnerId: UUID!, $items: [PartnerMentorInput!]!) {{
  syncPartnerMentors(partnerId: $partnerId, items: $items) {{ __typename
    ... on MentorSync {{ items {{ index externalId status errors {{ field message code }} }}
      counts {{ created updated unchanged error }} }}
    {PROBLEM} }} }}"""
WITHDRAW = f"""mutation($partnerId: UUID!, $externalId: String!, $v: Int) {{
  withdrawPartnerMentor(partnerId: $partnerId, externalId: $externalId, expectedVersion: $v) {{ __typename
    ... on PartnerMentor {{ {MENTOR_FIELDS} }} {PROBLEM} }} }}"""

PARTNERS = f"""query($first: Int!, $after: String) {{ partners(first: $first, after: $after) {{
  edges {{ cursor node {{ {PARTNER_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
PARTNER = f"query($id: UUID!) {{ partner(id: $id) {{ {PARTNER_FIELDS} }} }}"
MENTORS = f"""query($partnerId: UUID!, $since: DateTime) {{
  partnerMentors(partnerId: $partnerId, updatedSince: $since) {{
    edges {{ cursor node {{ {MENTOR_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
# a variable `first` counts as the largest page (200) in the query's cost: ask for fewer fields
MENTOR_PAGE = """query($partnerId: UUID!, $first: Int!, $after: String) {
  partnerMentors(partnerId: $partnerId, first: $first, after: $after) {
    edges { cursor node { externalId updatedAt } } pageInfo { hasNextPage endCursor } } }"""


def _admin_of(org_id: uuid.UUID) -> Caller:
    return Caller(user_id=uuid.uuid4(), role=Role.ORG_ADMIN, org_id=org_id)


def _name() -> str:
    return f"NextGen {uuid.uuid4().hex[:8]}"


def _mentor(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "externalId": external_id,
        "displayName": f"Mentor {external_id}",
        "birthYear": 1999,
        "languages": ["de", "en"],
        **fields,
    }


async def _create(client, bearer, **variables: Any) -> dict[str, Any]:
    created = await mutate(client, bearer(PLATFORM_ADMIN), CREATE_PARTNER, name=_name(), **variables)
    return ok(created, "PartnerCredentials")


async def _token(uow_factory, bearer, credentials: dict[str, Any], scope: str | None = None) -> dict[str, str]:
    """A partner's client-credentials token, as POST /oauth/token issues it."""
    caller = await partner_service.client_credentials_caller(
        uow_factory(),
        client_id=credentials["partner"]["clientId"],
        client_secret=credentials["clientSecret"],
        scope=scope,
    )
    headers: dict[str, str] = bearer(caller)
    return headers


async def _mentors(
    client, headers: dict[str, str], partner_id: str, document: str = MENTORS, **variables: Any
) -> dict[str, Any]:
    connection: dict[str, Any] = (await data(client, headers, document, partnerId=partner_id, **variables))[
        "partnerMentors"
    ]
    return connection


def _error(body: dict[str, Any]) -> dict[str, Any]:
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


async def test_a_partner_network_end_to_end_through_graphql(client, bearer, uow_factory, engine) -> None:
    # the platform admin registers the partner: the secret is in this answer only
    admin = bearer(PLATFORM_ADMIN)
    name = _name()
    response = await client.post(
        "/graphql",
        json={"query": CREATE_PARTNER, "variables": {"name": name}},
        headers={**admin, "Idempotency-Key": name},
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    credentials = ok(response.json()["data"]["createPartner"], "PartnerCredentials")
    partner = credentials["partner"]
    secret = credentials["clientSecret"]
    assert partner["clientId"].startswith("ptn_") and len(secret) >= 40 and partner["version"] == 1
    assert partner["allowedScopes"] == ["MENTORS_READ", "MENTORS_SYNC", "WEBHOOKS_MANAGE"]
    read = await data(client, admin, PARTNER, id=partner["id"])
    assert read["partner"] == partner
    as_rest = await rest(client, admin, f"/v1/partners/{partner['id']}")
    assert (as_rest["name"], as_rest["client_id"]) == (name, partner["clientId"]) and "client_secret" not in as_rest
    async with engine.connect() as conn:
        stored = (await conn.execute(select(idempotency_keys.c.response_body))).scalars().all()
    assert not [body for body in stored if body and secret.encode() in body]
    refused(await mutate(client, admin, CREATE_PARTNER, name=name), 409, "partner_name_taken")

    # an organization's admin grants it; its pool will become people of the organization
    org, manager = await new_org(uow_factory)
    org_admin = bearer(_admin_of(org.id))
    ids = {"orgId": str(org.id), "partnerId": partner["id"]}
    refused(await mutate(client, bearer(manager), GRANT_ACCESS, **ids), 403, "org_admin_required")
    granted = ok(await mutate(client, org_admin, GRANT_ACCESS, **ids), "PartnerGrant")
    assert (granted["partnerName"], granted["created"]) == (name, True)
    again = ok(await mutate(client, org_admin, GRANT_ACCESS, **ids), "PartnerGrant")
    assert (again["created"], again["createdAt"]) == (False, granted["createdAt"])
    grant = await rest(client, bearer(manager), f"/v1/organizations/{org.id}/partners/{partner['id']}")
    assert grant["created_at"].replace("Z", "+00:00") == granted["createdAt"].replace("Z", "+00:00")

    # the partner's token syncs its pool: the bad rows fail alone, each with its reasons
    token = await _token(uow_factory, bearer, credentials)
    rows = [
        _mentor("ngt-1", email="lea@nextgen.example", preferredFormats=["VIDEO_CALL"]),
        _mentor("ngt-2", city="Berlin"),
        _mentor("ngt-old", birthYear=1970),
        _mentor("ngt-blank", displayName=""),
    ]
    report = ok(await mutate(client, token, SYNC, partnerId=partner["id"], items=rows), "MentorSync")
    assert [(r["index"], r["externalId"], r["status"]) for r in report["items"]] == [
        (0, "ngt-1", "CREATED"),
        (1, "ngt-2", "CREATED"),
        (2, "ngt-old", "ERROR"),
        (3, "ngt-blank", "ERROR"),
    ]
    errors = [[(e["field"], e["code"]) for e in r["errors"]] for r in report["items"]]
    assert errors[:3] == [[], [], [("birth_year", "not_a_digital_native")]]
    assert errors[3] == [("display_name", "string_too_short")]
    assert report["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "error": 2}
    unchanged = ok(await mutate(client, token, SYNC, partnerId=partner["id"], items=rows[1:2]), "MentorSync")
    assert unchanged["counts"] == {"created": 0, "updated": 0, "unchanged": 1, "error": 0}

    # the pool lists what happened to each mentor in the granting organization, as REST does
    pool = await _mentors(client, token, partner["id"])
    listed = {edge["node"]["externalId"]: edge["node"] for edge in pool["edges"]}
    assert set(listed) == {"ngt-1", "ngt-2"} and pool["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    lea = listed["ngt-1"]
    assert (lea["generation"], lea["preferredFormats"], lea["withdrawn"], lea["enrolled"]) == (
        "gen_z",
        ["VIDEO_CALL"],
        False,
        False,
    )
    [placement] = lea["placements"]
    assert (placement["orgId"], placement["organizationName"], placement["stage"]) == (
        str(org.id),
        org.name,
        "AVAILABLE",
    )
    rest_pool = await rest(client, token, f"/v1/partners/{partner['id']}/mentors")
    assert {m["external_id"]: m["placements"][0]["person_id"] for m in rest_pool["items"]} == {
        key: node["placements"][0]["personId"] for key, node in listed.items()
    }
    person = await rest(client, bearer(manager), f"/v1/people/{placement['personId']}")
    assert (person["source"], person["external_id"], person["email"]) == ("partner", "ngt-1", "lea@nextgen.example")

    # the organization enrolls the mentor and pairs them: the partner sees it
    async with uow_factory() as uow:
        mentor_person = await uow.people.get(org.id, uuid.UUID(placement["personId"]))
    program = await new_program(uow_factory, manager, status="enrolling")
    mentee = await new_person(uow_factory, manager, birth_year=1966, languages=["de"])
    mentor_e = await enroll(uow_factory, manager, program, mentor_person, "mentor", offers=(Topic("TikTok"),))
    mentee_e = await enroll(uow_factory, manager, program, mentee, "mentee", needs=(Topic("TikTok", 5),))
    await programs.start_matching(uow_factory(), manager, program.id)
    tandem = await tandems.propose_tandem(
        uow_factory(), manager, program.id, mentor_enrollment_id=mentor_e.id, mentee_enrollment_id=mentee_e.id
    )
    await tandems.accept_tandem(uow_factory(), member(mentor_person), tandem.id)
    await tandems.accept_tandem(uow_factory(), member(mentee), tandem.id)
    now = next(
        e["node"] for e in (await _mentors(client, token, partner["id"]))["edges"] if e["node"]["externalId"] == "ngt-1"
    )
    assert (now["enrolled"], now["matched"], now["placements"][0]["stage"]) == (True, True, "MATCHED")
    assert now["placements"][0]["matchedTandems"] == 1

    # it withdraws a mentor, with the version it saw
    ngt2 = listed["ngt-2"]
    late = await mutate(client, token, WITHDRAW, partnerId=partner["id"], externalId="ngt-2", v=ngt2["version"] + 4)
    refused(late, 412, "version_mismatch")
    gone = ok(
        await mutate(client, token, WITHDRAW, partnerId=partner["id"], externalId="ngt-2", v=ngt2["version"]),
        "PartnerMentor",
    )
    assert gone["withdrawn"] is True and gone["withdrawnAt"] and gone["version"] == ngt2["version"] + 1
    as_rest_mentor = await rest(client, token, f"/v1/partners/{partner['id']}/mentors/ngt-2")
    assert as_rest_mentor["withdrawn_at"] is not None
    refused(await mutate(client, token, WITHDRAW, partnerId=partner["id"], externalId="nobody"), 404)

    # a read-only token reads the pool but cannot change it
    reader = await _token(uow_factory, bearer, credentials, scope="mentors:read")
    assert len((await _mentors(client, reader, partner["id"]))["edges"]) == 2
    refused(
        await mutate(client, reader, SYNC, partnerId=partner["id"], items=[_mentor("ngt-9")]), 403, "insufficient_scope"
    )
    refused(
        await mutate(client, reader, WITHDRAW, partnerId=partner["id"], externalId="ngt-1"), 403, "insufficient_scope"
    )

    # another partner finds none of this pool
    other = await _token(uow_factory, bearer, await _create(client, bearer))
    assert (await data(client, other, PARTNER, id=partner["id"]))["partner"] is None
    body = await gql(client, other, MENTORS, partnerId=partner["id"])
    assert body["data"] is None and _error(body) == {"code": "partner_not_found", "status": 404}
    elsewhere = await mutate(client, other, SYNC, partnerId=partner["id"], items=[_mentor("ngt-1")])
    refused(elsewhere, 404, "partner_not_found")
    refused(
        await mutate(client, other, WITHDRAW, partnerId=partner["id"], externalId="ngt-1"), 404, "partner_not_found"
    )
    assert len((await rest(client, token, f"/v1/partners/{partner['id']}/mentors"))["items"]) == 2

    # the organization revokes the grant: it no longer sees the partner, nor the partner its people
    refused(await mutate(client, bearer(manager), REVOKE_ACCESS, **ids), 403, "org_admin_required")
    revoked = ok(await mutate(client, org_admin, REVOKE_ACCESS, **ids), "RevokedGrant")
    assert revoked == {"__typename": "RevokedGrant", **ids}
    refused(await mutate(client, org_admin, REVOKE_ACCESS, **ids), 404, "partner_grant_not_found")
    assert (await data(client, org_admin, PARTNER, id=partner["id"]))["partner"] is None
    assert all(e["node"]["placements"] == [] for e in (await _mentors(client, token, partner["id"]))["edges"])


async def test_who_sees_which_partner(client, bearer, uow_factory) -> None:
    mine, theirs = await _create(client, bearer), await _create(client, bearer)
    org, manager = await new_org(uow_factory)
    granted = await mutate(
        client, bearer(_admin_of(org.id)), GRANT_ACCESS, orgId=str(org.id), partnerId=mine["partner"]["id"]
    )
    ok(granted, "PartnerGrant")
    token = await _token(uow_factory, bearer, mine)

    own = (await data(client, token, PARTNERS, first=50))["partners"]
    assert [e["node"]["id"] for e in own["edges"]] == [mine["partner"]["id"]]
    assert (await data(client, token, PARTNER, id=theirs["partner"]["id"]))["partner"] is None
    for caller in (manager, _admin_of(org.id)):
        listed = (await data(client, bearer(caller), PARTNERS, first=50))["partners"]
        assert [e["node"]["id"] for e in listed["edges"]] == [mine["partner"]["id"]]
        assert (await data(client, bearer(caller), PARTNER, id=theirs["partner"]["id"]))["partner"] is None
    person = await new_person(uow_factory, manager, birth_year=1999)
    body = await gql(client, bearer(member(person)), PARTNERS, first=50)
    assert _error(body) == {"code": "manager_required", "status": 403}
    assert (await data(client, bearer(member(person)), PARTNER, id=mine["partner"]["id"]))["partner"] is None

    # a platform admin pages through every partner, with REST's cursors
    admin = bearer(PLATFORM_ADMIN)
    first = (await data(client, admin, PARTNERS, first=1))["partners"]
    page = await rest(client, admin, "/v1/partners?limit=1")
    assert first["pageInfo"] == {"hasNextPage": True, "endCursor": page["next_cursor"]}
    assert [e["node"]["id"] for e in first["edges"]] == [p["id"] for p in page["items"]]
    seen, cursor = set(), None
    while True:
        connection = (await data(client, admin, PARTNERS, first=200, after=cursor))["partners"]
        seen |= {e["node"]["id"] for e in connection["edges"]}
        if not (cursor := connection["pageInfo"]["endCursor"]):
            break
    assert {mine["partner"]["id"], theirs["partner"]["id"]} <= seen


async def test_only_platform_admins_create_partners_and_rotate_their_secrets(client, bearer, uow_factory) -> None:
    admin = bearer(PLATFORM_ADMIN)
    org, manager = await new_org(uow_factory)
    credentials = await _create(client, bearer, scopes=["MENTORS_READ"])
    partner = credentials["partner"]
    assert partner["allowedScopes"] == ["MENTORS_READ"]
    token = await _token(uow_factory, bearer, credentials)
    for headers in (bearer(manager), bearer(_admin_of(org.id)), token):
        refused(await mutate(client, headers, CREATE_PARTNER, name=_name()), 403, "platform_admin_required")
        refused(await mutate(client, headers, ROTATE_SECRET, id=partner["id"]), 403, "platform_admin_required")

    blank = await mutate(client, admin, CREATE_PARTNER, name="")
    assert refused(blank, 422, "validation_failed")["field"] == "name"
    none = await mutate(client, admin, CREATE_PARTNER, name=_name(), scopes=[])
    assert refused(none, 422, "validation_failed")["field"] == "allowedScopes"

    refused(await mutate(client, admin, ROTATE_SECRET, id=partner["id"], v=7), 412, "version_mismatch")
    refused(await mutate(client, admin, ROTATE_SECRET, id=str(uuid.uuid4())), 404, "partner_not_found")
    response = await client.post(
        "/graphql", json={"query": ROTATE_SECRET, "variables": {"id": partner["id"], "v": 1}}, headers=admin
    )
    assert response.headers["cache-control"] == "no-store"
    rotated = ok(response.json()["data"]["rotatePartnerSecret"], "PartnerCredentials")
    assert rotated["partner"]["version"] == 2 and rotated["clientSecret"] != credentials["clientSecret"]
    assert (await rest(client, admin, f"/v1/partners/{partner['id']}"))["updated_at"] is not None
    await _token(uow_factory, bearer, rotated)  # the new secret works


async def test_the_pool_pages_and_lists_changes_since(client, bearer, uow_factory) -> None:
    credentials = await _create(client, bearer)
    partner_id = credentials["partner"]["id"]
    token = await _token(uow_factory, bearer, credentials)
    ok(await mutate(client, token, SYNC, partnerId=partner_id, items=[_mentor("a/1"), _mentor("a/2")]), "MentorSync")
    since = datetime.now(UTC)
    changed = await mutate(client, token, SYNC, partnerId=partner_id, items=[_mentor("a/2", city="Köln")])
    assert ok(changed, "MentorSync")["counts"]["updated"] == 1

    recent = await _mentors(client, token, partner_id, since=since.isoformat())
    assert [e["node"]["externalId"] for e in recent["edges"]] == ["a/2"]
    future = await _mentors(client, token, partner_id, since=(since + timedelta(days=1)).isoformat())
    assert future["edges"] == []
    naive = await gql(client, token, MENTORS, partnerId=partner_id, since="2026-01-01T00:00:00")
    assert _error(naive) == {"code": "validation_failed", "status": 422, "field": "updatedSince"}

    first = await _mentors(client, token, partner_id, MENTOR_PAGE, first=1)
    rest_page = await rest(client, token, f"/v1/partners/{partner_id}/mentors?limit=1")
    assert first["pageInfo"] == {"hasNextPage": True, "endCursor": rest_page["next_cursor"]}
    after = await _mentors(client, token, partner_id, MENTOR_PAGE, first=1, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["externalId"] for e in first["edges"] + after["edges"]] == ["a/1", "a/2"]
    assert after["pageInfo"]["hasNextPage"] is False
    assert first["edges"][0]["cursor"] == first["pageInfo"]["endCursor"]

    # organizations do not read a pool; a platform admin does
    _, manager = await new_org(uow_factory)
    body = await gql(client, bearer(manager), MENTORS, partnerId=partner_id)
    assert _error(body) == {"code": "partner_token_required", "status": 403}
    assert len((await _mentors(client, bearer(PLATFORM_ADMIN), partner_id))["edges"]) == 2


async def test_a_batch_is_bounded_by_rests_model(client, bearer, uow_factory) -> None:
    credentials = await _create(client, bearer)
    token = await _token(uow_factory, bearer, credentials)
    rows = [{"externalId": str(i), "displayName": "M", "birthYear": 1999} for i in range(1001)]  # within 64 KiB
    too_many = await mutate(client, token, SYNC, partnerId=credentials["partner"]["id"], items=rows)
    assert refused(too_many, 422, "validation_failed")["field"] == "items"
    twice = await mutate(
        client, token, SYNC, partnerId=credentials["partner"]["id"], items=[_mentor("x"), _mentor("x")]
    )
    assert [r["errors"] for r in ok(twice, "MentorSync")["items"]][1][0]["code"] == "duplicate_external_id"
    platform = await mutate(client, bearer(PLATFORM_ADMIN), SYNC, partnerId=credentials["partner"]["id"], items=[])
    refused(platform, 403, "partner_token_required")
