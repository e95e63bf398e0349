"""An organization's SCIM tokens over /v1: shown once, stored as a digest, listed without it, revoked at once."""

from __future__ import annotations

import hashlib
import uuid

from app.domain.access import Caller, Role
from tests.api.helpers import problem
from tests.factories import new_org


def _admin(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


async def test_the_secret_is_shown_once_and_only_its_digest_is_stored(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    admin = bearer(_admin(org.id))
    url = f"/v1/organizations/{org.id}/scim-tokens"

    named = {"name": "  Entra ID   production ", "description": "tenant 42"}
    created = await client.post(url, json=named, headers=admin)

    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    assert body["name"] == "Entra ID production" and body["description"] == "tenant 42"
    assert body["token"].startswith("scim_") and len(body["token"]) > 40
    assert body["scim_base_url"] == "http://tandem.test/scim/v2"
    assert created.headers["location"] == f"{url}/{body['id']}"
    async with uow_factory() as uow:
        stored = await uow.scim_tokens.by_digest(hashlib.sha256(body["token"].encode()).hexdigest())
        assert stored is not None and stored.id == uuid.UUID(body["id"]) and stored.org_id == org.id
        assert body["token"] not in repr(vars(stored))

    listed = await client.get(url, headers=admin)
    assert listed.status_code == 200
    assert [(t["id"], t["name"]) for t in listed.json()["items"]] == [(body["id"], "Entra ID production")]
    assert "token" not in listed.json()["items"][0]
    problem(await client.get(url, headers=bearer(manager)), 403, "org_admin_required")


async def test_a_blank_name_is_refused(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    url = f"/v1/organizations/{org.id}/scim-tokens"
    problem(await client.post(url, json={"name": "   "}, headers=bearer(_admin(org.id))), 422, "blank_value")


async def test_a_token_of_one_organization_is_neither_listed_nor_revoked_by_another(
    client, bearer, uow_factory
) -> None:
    org, _ = await new_org(uow_factory)
    other, _ = await new_org(uow_factory)
    url = f"/v1/organizations/{org.id}/scim-tokens"
    token_id = (await client.post(url, json={"name": "okta"}, headers=bearer(_admin(org.id)))).json()["id"]
    stranger = bearer(_admin(other.id))

    problem(await client.get(url, headers=stranger), 404, "organization_not_found")
    problem(await client.delete(f"{url}/{token_id}", headers=stranger), 404, "organization_not_found")
    own_url = f"/v1/organizations/{other.id}/scim-tokens/{token_id}"
    problem(await client.delete(own_url, headers=stranger), 404, "scim_token_not_found")


async def test_a_scim_token_opens_nothing_under_v1_and_a_revoked_one_is_gone(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    admin = bearer(_admin(org.id))
    url = f"/v1/organizations/{org.id}/scim-tokens"
    body = (await client.post(url, json={"name": "okta"}, headers=admin)).json()
    as_scim = {"Authorization": f"Bearer {body['token']}"}

    refused = await client.get("/v1/people", headers=as_scim)
    problem(refused, 401)
    assert refused.headers["www-authenticate"].startswith("Bearer")
    problem(await client.get(url, headers=as_scim), 401)

    assert (await client.delete(f"{url}/{body['id']}", headers=admin)).status_code == 204
    assert (await client.get(url, headers=admin)).json()["items"] == []
    problem(await client.delete(f"{url}/{body['id']}", headers=admin), 404, "scim_token_not_found")
    async with uow_factory() as uow:
        assert await uow.scim_tokens.by_digest(hashlib.sha256(body["token"].encode()).hexdigest()) is None
