"""/v1/webhook-endpoints over HTTP: owners, secrets shown once, the delivery log, tenancy."""

from __future__ import annotations

import uuid

import pytest

from app.domain.access import Caller, Role
from app.domain.errors import RuleViolation
from app.infra.webhooks import WebhookUrlPolicy
from app.services import partners
from tests.api.helpers import field_names, problem
from tests.factories import PLATFORM_ADMIN, new_org

URL = "http://127.0.0.1:9/hooks"  # nothing listens there: whatever a relay sends fails at once


def _admin(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


async def _partner(uow_factory, *scopes: str) -> Caller:
    issued = await partners.create_partner(uow_factory(), PLATFORM_ADMIN, name=f"Hooks {uuid.uuid4().hex[:8]}")
    p = issued.partner
    return Caller(p.id, Role.PARTNER, partner_id=p.id, scopes=frozenset(scopes), credential=p.credential_tag)


async def test_an_org_admin_manages_an_endpoint_from_creation_to_deletion(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    admin = bearer(_admin(org.id))
    body = {"url": URL, "description": "CRM sync", "event_types": ["tandem.proposed"]}
    created = await client.post("/v1/webhook-endpoints", json=body, headers=admin)
    assert created.status_code == 201, created.text
    endpoint = created.json()
    assert endpoint["secret"].startswith("whsec_") and created.headers["cache-control"] == "no-store"
    assert (endpoint["owner_org_id"], endpoint["enabled"], endpoint["event_types"]) == (
        str(org.id),
        True,
        ["tandem.proposed"],
    )
    url = created.headers["location"]
    fetched = await client.get(url, headers=admin)
    assert "secret" not in fetched.json() and fetched.json()["description"] == "CRM sync"
    assert [e["id"] for e in (await client.get("/v1/webhook-endpoints", headers=admin)).json()["items"]] == [
        endpoint["id"]
    ]

    stale = await client.patch(url, json={"enabled": False}, headers=admin | {"If-Match": '"7"'})
    problem(stale, 412)
    paused = await client.patch(url, json={"enabled": False, "event_types": []}, headers=admin | {"If-Match": '"1"'})
    assert (paused.json()["enabled"], paused.json()["event_types"]) == (False, [])

    rotated = (await client.post(f"{url}/rotate-secret", headers=admin)).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != endpoint["secret"]

    ping = await client.post(f"{url}/test", headers=admin)
    assert ping.status_code == 202 and ping.json()["event_type"] == "ping" and ping.json()["status"] == "pending"
    log = (await client.get(f"{url}/deliveries", headers=admin)).json()
    assert [d["id"] for d in log["items"]] == [ping.json()["id"]] and log["next_cursor"] is None
    pending = await client.post(f"/v1/webhook-endpoints/deliveries/{ping.json()['id']}/redeliver", headers=admin)
    problem(pending, 409, "delivery_pending")

    assert (await client.delete(url, headers=admin)).status_code == 204
    problem(await client.get(url, headers=admin), 404, "webhook_endpoint_not_found")


async def test_another_tenant_finds_no_endpoint_and_a_manager_may_not_manage_them(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    created = await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=bearer(_admin(org.id)))
    url = created.headers["location"]
    other, _ = await new_org(uow_factory)
    partner = await _partner(uow_factory, "webhooks:manage")
    for stranger in (_admin(other.id), partner):
        problem(await client.get(url, headers=bearer(stranger)), 404, "webhook_endpoint_not_found")
        problem(await client.get(f"{url}/deliveries", headers=bearer(stranger)), 404)
        problem(await client.delete(url, headers=bearer(stranger)), 404)
        assert (await client.get("/v1/webhook-endpoints", headers=bearer(stranger))).json()["items"] == []
    problem(await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=bearer(manager)), 403)


async def test_a_partner_manages_its_own_endpoints_with_the_webhooks_scope(client, bearer, uow_factory) -> None:
    partner = await _partner(uow_factory, "webhooks:manage")
    created = await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=bearer(partner))
    assert created.status_code == 201 and created.json()["owner_partner_id"] == str(partner.partner_id)
    reader = await _partner(uow_factory, "mentors:read")
    refused = await client.post("/v1/webhook-endpoints", json={"url": URL}, headers=bearer(reader))
    problem(refused, 403, "insufficient_scope")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"url": "ftp://files.example.com/"}, "invalid_webhook_url", "url"),
        ({"url": URL, "event_types": ["tandem.eaten"]}, "invalid_event_type", "event_types"),
    ],
)
async def test_a_bad_url_or_event_type_is_a_422_naming_the_field(
    client, bearer, uow_factory, body, code, field
) -> None:
    org, _ = await new_org(uow_factory)
    refused = problem(await client.post("/v1/webhook-endpoints", json=body, headers=bearer(_admin(org.id))), 422)
    assert refused["code"] == code and field_names(refused) == {field}


@pytest.mark.parametrize("url", ["http://hooks.example.com/", "https://127.0.0.1/hooks", "https://localhost:8443/"])
async def test_outside_development_a_webhook_url_must_be_https_to_a_public_address(url: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        await WebhookUrlPolicy(allow_private=False).check_url(url)
    assert refused.value.code == "webhook_url_refused" and refused.value.field == "url"


async def test_a_name_that_does_not_resolve_is_stored_in_development_only() -> None:
    """The demo's endpoint (https://webhooks.invalid/…): development has no address to refuse,
    and its deliveries fail visibly; production refuses what it cannot resolve."""
    await WebhookUrlPolicy(allow_private=True).check_url("https://webhooks.invalid/tandem")
    with pytest.raises(RuleViolation) as refused:
        await WebhookUrlPolicy(allow_private=False).check_url("https://webhooks.invalid/tandem")
    assert refused.value.code == "webhook_url_refused"
