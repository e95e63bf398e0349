"""/v1/organizations and their SSO settings."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.domain.access import Caller, Role
from app.infra.db.tables import sso_configs
from tests.api.helpers import field_names, problem
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person


def _admin_of(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


def _slug() -> str:
    return f"acme-{uuid.uuid4().hex[:8]}"


async def test_a_platform_admin_creates_an_organization(client, bearer) -> None:
    slug = _slug()
    response = await client.post(
        "/v1/organizations", json={"name": "Acme AG", "slug": slug}, headers=bearer(PLATFORM_ADMIN)
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == slug and response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/v1/organizations/{body['id']}"
    again = await client.post("/v1/organizations", json={"name": "Other", "slug": slug}, headers=bearer(PLATFORM_ADMIN))
    problem(again, 409, "slug_taken")


async def test_bad_organization_input_is_a_422_naming_the_field(client, bearer) -> None:
    response = await client.post(
        "/v1/organizations", json={"name": "", "slug": "Not A Slug", "extra": 1}, headers=bearer(PLATFORM_ADMIN)
    )
    body = problem(response, 422, "validation_failed")
    assert {"body.name", "body.slug", "body.extra"} <= field_names(body)


async def test_malformed_json_is_a_400_problem(client, bearer) -> None:
    response = await client.post(
        "/v1/organizations",
        content=b'{"name": ',
        headers={**bearer(PLATFORM_ADMIN), "content-type": "application/json"},
    )
    problem(response, 400, "malformed_json")


async def test_only_platform_admins_create_organizations(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    for caller in (manager, _admin_of(org.id)):
        response = await client.post("/v1/organizations", json={"name": "X", "slug": _slug()}, headers=bearer(caller))
        problem(response, 403)


async def test_tenants_see_their_own_organization_only(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    other, _ = await new_org(uow_factory)
    listing = (await client.get("/v1/organizations", headers=bearer(manager))).json()
    assert [o["id"] for o in listing["items"]] == [str(org.id)]
    assert (await client.get(f"/v1/organizations/{org.id}", headers=bearer(manager))).status_code == 200
    problem(await client.get(f"/v1/organizations/{other.id}", headers=bearer(manager)), 404)
    seen, cursor = set(), None
    while True:  # a platform admin pages through every tenant
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/organizations", params=params, headers=bearer(PLATFORM_ADMIN))).json()
        seen |= {o["id"] for o in page["items"]}
        if not (cursor := page["next_cursor"]):
            break
    assert {str(org.id), str(other.id)} <= seen


async def test_an_org_admin_renames_with_if_match(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    admin = bearer(_admin_of(org.id))
    renamed = await client.patch(
        f"/v1/organizations/{org.id}", json={"name": "Acme Group"}, headers={**admin, "If-Match": '"1"'}
    )
    assert renamed.status_code == 200 and renamed.headers["etag"] == '"2"'
    stale = await client.patch(
        f"/v1/organizations/{org.id}", json={"name": "Late"}, headers={**admin, "If-Match": '"1"'}
    )
    problem(stale, 412, "version_mismatch")
    problem(await client.patch(f"/v1/organizations/{org.id}", json={"name": "No"}, headers=bearer(manager)), 403)


async def test_sso_settings_keep_the_client_secret_sealed_and_unreadable(client, bearer, uow_factory, engine) -> None:
    org, manager = await new_org(uow_factory)
    admin = bearer(_admin_of(org.id))
    config = {
        "issuer": "https://login.acme.example/realms/staff",
        "client_id": "tandem",
        "client_secret": "s3cr3t-value",
        "allowed_email_domains": ["acme.example"],
        "role_mapping": {"tandem-managers": "program_manager"},
    }
    stored = await client.put(f"/v1/organizations/{org.id}/sso", json=config, headers=admin)
    assert stored.status_code == 200, stored.text
    read = (await client.get(f"/v1/organizations/{org.id}/sso", headers=admin)).json()
    assert read["client_secret_set"] is True and "client_secret" not in read
    assert read["role_mapping"] == {"tandem-managers": "program_manager"}
    async with engine.connect() as conn:
        sealed = (await conn.execute(select(sso_configs.c.client_secret_encrypted))).scalars().all()
    assert sealed and all("s3cr3t-value" not in value for value in sealed)

    replaced = await client.put(f"/v1/organizations/{org.id}/sso", json=config, headers={**admin, "If-Match": '"1"'})
    assert replaced.headers["etag"] == '"2"'
    problem(await client.put(f"/v1/organizations/{org.id}/sso", json=config, headers={**admin, "If-Match": '"1"'}), 412)
    problem(await client.get(f"/v1/organizations/{org.id}/sso", headers=bearer(manager)), 403)
    other, _ = await new_org(uow_factory)
    problem(await client.get(f"/v1/organizations/{other.id}/sso", headers=admin), 404)


async def test_sso_settings_refuse_bad_issuers_and_platform_roles(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    admin = bearer(_admin_of(org.id))
    base = {"issuer": "https://idp.example", "client_id": "c", "client_secret": "s"}
    problem(await client.put(f"/v1/organizations/{org.id}/sso", json={**base, "issuer": "ftp://x"}, headers=admin), 422)
    granted = {**base, "role_mapping": {"admins": "platform_admin"}}
    problem(await client.put(f"/v1/organizations/{org.id}/sso", json=granted, headers=admin), 422, "invalid_role")
    problem(await client.get(f"/v1/organizations/{org.id}/sso", headers=admin), 404, "sso_config_not_found")


async def test_a_member_cannot_touch_sso_settings(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1999)
    body = {"issuer": "https://idp.example", "client_id": "c", "client_secret": "s"}
    problem(await client.put(f"/v1/organizations/{org.id}/sso", json=body, headers=bearer(member(person))), 403)
