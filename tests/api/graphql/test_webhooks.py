"""Webhook endpoints through GraphQL: the same use cases, codes and statuses as REST's /v1/webhook-endpoints.

Every step runs through /graphql; REST reads cross-check what the mutations stored.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.domain.access import Caller, Role
from app.services import partners
from tests.api.graphql.commands import PROBLEM, mutate, ok, refused, rest
from tests.api.graphql.helpers import data, gql
from tests.factories import PLATFORM_ADMIN, new_org

URL = "http://127.0.0.1:9/hooks"  # nothing listens there: whatever a relay sends fails at once

ENDPOINT_FIELDS = """id version url description eventTypes enabled disabledReason failingSince
  ownerOrgId ownerPartnerId createdAt updatedAt"""
DELIVERY_FIELDS = """id endpointId eventId eventType status attempts lastAttemptAt lastStatusCode
  lastDurationMs lastError nextAttemptAt createdAt"""
WITH_SECRET = f"... on WebhookEndpointWithSecret {{ secret endpoint {{ {ENDPOINT_FIELDS} }} }}"

CREATE = f"""mutation($url: String!, $description: String! = "", $types: [String!]) {{
  createWebhookEndpoint(url: $url, description: $description, eventTypes: $types) {{
    __typename {WITH_SECRET} {PROBLEM} }} }}"""
UPDATE = f"""mutation($id: UUID!, $enabled: Boolean, $types: [String!], $url: String, $v: Int) {{
  updateWebhookEndpoint(id: $id, enabled: $enabled, eventTypes: $types, url: $url, expectedVersion: $v) {{
    __typename ... on WebhookEndpoint {{ {ENDPOINT_FIELDS} }} {PROBLEM} }} }}"""
DELETE = f"""mutation($id: UUID!) {{ deleteWebhookEndpoint(id: $id) {{
  __typename ... on DeletedWebhookEndpoint {{ id }} {PROBLEM} }} }}"""
ROTATE = f"""mutation($id: UUID!, $v: Int) {{ rotateWebhookSecret(id: $id, expectedVersion: $v) {{
  __typename {WITH_SECRET} {PROBLEM} }} }}"""
TEST = f"""mutation($id: UUID!) {{ testWebhookEndpoint(id: $id) {{
  __typename ... on WebhookDelivery {{ {DELIVERY_FIELDS} }} {PROBLEM} }} }}"""
REDELIVER = f"""mutation($id: UUID!) {{ redeliverWebhook(deliveryId: $id) {{
  __typename ... on WebhookDelivery {{ {DELIVERY_FIELDS} }} {PROBLEM} }} }}"""

ENDPOINTS = f"""query {{ webhookEndpoints {{ edges {{ cursor node {{ {ENDPOINT_FIELDS} }} }}
  pageInfo {{ hasNextPage endCursor }} }} }}"""
ENDPOINT = f"""query($id: UUID!) {{ webhookEndpoint(id: $id) {{ {ENDPOINT_FIELDS}
  deliveries {{ edges {{ node {{ {DELIVERY_FIELDS} }} }} pageInfo {{ hasNextPage }} }} }} }}"""
DELIVERIES = f"""query($id: UUID!, $first: Int!, $after: String) {{
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {{
    edges {{ node {{ {DELIVERY_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""


def _admin(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


async def _partner(uow_factory: Any, *scopes: str) -> Caller:
    issued = await partners.create_partner(uow_factory(), PLATFORM_ADMIN, name=f"GQL hooks {uuid.uuid4().hex[:8]}")
    p = issued.partner
    return Caller(p.id, Role.PARTNER, partner_id=p.id, scopes=frozenset(scopes), credential=p.credential_tag)


async def _create(client: Any, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    return ok(await mutate(client, headers, CREATE, **({"url": URL} | variables)), "WebhookEndpointWithSecret")


async def test_an_org_admin_manages_an_endpoint_and_reads_its_delivery_log(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    admin = bearer(_admin(org.id))
    created = await _create(client, admin, description="CRM sync", types=["tandem.proposed"])
    endpoint = created["endpoint"]
    assert created["secret"].startswith("whsec_")
    assert (endpoint["ownerOrgId"], endpoint["enabled"], endpoint["eventTypes"], endpoint["version"]) == (
        str(org.id),
        True,
        ["tandem.proposed"],
        1,
    )
    endpoint_id = endpoint["id"]
    stored = await rest(client, admin, f"/v1/webhook-endpoints/{endpoint_id}")
    assert "secret" not in stored and stored["description"] == "CRM sync"
    listed = (await data(client, admin, ENDPOINTS))["webhookEndpoints"]
    assert [e["node"]["id"] for e in listed["edges"]] == [endpoint_id]

    refused(await mutate(client, admin, UPDATE, id=endpoint_id, enabled=False, v=7), 412, "version_mismatch")
    paused = ok(await mutate(client, admin, UPDATE, id=endpoint_id, enabled=False, types=[], v=1), "WebhookEndpoint")
    assert (paused["enabled"], paused["eventTypes"], paused["version"]) == (False, [], 2)
    bad = refused(await mutate(client, admin, UPDATE, id=endpoint_id, types=["tandem.eaten"]), 422)
    assert (bad["code"], bad["field"]) == ("invalid_event_type", "event_types")

    rotated = ok(await mutate(client, admin, ROTATE, id=endpoint_id), "WebhookEndpointWithSecret")
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]

    ping = ok(await mutate(client, admin, TEST, id=endpoint_id), "WebhookDelivery")
    assert (ping["eventType"], ping["status"], ping["attempts"], ping["endpointId"]) == (
        "ping",
        "PENDING",
        0,
        endpoint_id,
    )
    second = ok(await mutate(client, admin, TEST, id=endpoint_id), "WebhookDelivery")
    found = (await data(client, admin, ENDPOINT, id=endpoint_id))["webhookEndpoint"]
    assert [e["node"]["id"] for e in found["deliveries"]["edges"]] == [ping["id"], second["id"]]
    first_page = (await data(client, admin, DELIVERIES, id=endpoint_id, first=1))["webhookDeliveries"]
    assert [e["node"]["id"] for e in first_page["edges"]] == [ping["id"]] and first_page["pageInfo"]["hasNextPage"]
    after = first_page["pageInfo"]["endCursor"]
    rest_page = await rest(client, admin, f"/v1/webhook-endpoints/{endpoint_id}/deliveries")
    assert [d["id"] for d in rest_page["items"]] == [ping["id"], second["id"]]
    next_page = (await data(client, admin, DELIVERIES, id=endpoint_id, first=1, after=after))["webhookDeliveries"]
    assert [e["node"]["id"] for e in next_page["edges"]] == [second["id"]]
    refused(await mutate(client, admin, REDELIVER, id=ping["id"]), 409, "delivery_pending")

    gone = ok(await mutate(client, admin, DELETE, id=endpoint_id), "DeletedWebhookEndpoint")
    assert gone["id"] == endpoint_id
    assert (await data(client, admin, ENDPOINT, id=endpoint_id))["webhookEndpoint"] is None
    refused(await mutate(client, admin, DELETE, id=endpoint_id), 404, "webhook_endpoint_not_found")


async def test_the_secret_answers_are_never_stored_by_a_cache(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    response = await client.post(
        "/graphql", json={"query": CREATE, "variables": {"url": URL}}, headers=bearer(_admin(org.id))
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"


async def test_another_tenant_gets_null_and_not_found(client, bearer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    admin = bearer(_admin(org.id))
    endpoint_id = (await _create(client, admin))["endpoint"]["id"]
    ping_id = ok(await mutate(client, admin, TEST, id=endpoint_id), "WebhookDelivery")["id"]
    other, _ = await new_org(uow_factory)
    partner = await _partner(uow_factory, "webhooks:manage")
    for stranger in (bearer(_admin(other.id)), bearer(partner)):
        assert (await data(client, stranger, ENDPOINT, id=endpoint_id))["webhookEndpoint"] is None
        assert (await data(client, stranger, ENDPOINTS))["webhookEndpoints"]["edges"] == []
        body = await gql(client, stranger, DELIVERIES, id=endpoint_id, first=10)
        assert [e["extensions"]["status"] for e in body["errors"]] == [404]
        assert body["errors"][0]["extensions"]["code"] == "webhook_endpoint_not_found"
        for document in (DELETE, ROTATE, TEST):
            refused(await mutate(client, stranger, document, id=endpoint_id), 404, "webhook_endpoint_not_found")
        refused(await mutate(client, stranger, UPDATE, id=endpoint_id, enabled=False), 404)
        refused(await mutate(client, stranger, REDELIVER, id=ping_id), 404, "webhook_delivery_not_found")
    assert (await data(client, admin, ENDPOINT, id=endpoint_id))["webhookEndpoint"]["enabled"] is True


async def test_a_member_or_manager_is_refused(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    endpoint_id = (await _create(client, bearer(_admin(org.id))))["endpoint"]["id"]
    member = Caller(uuid.uuid4(), Role.MEMBER, org_id=org.id)
    for caller in (member, manager):
        headers = bearer(caller)
        refused(await mutate(client, headers, CREATE, url=URL), 403, "org_admin_required")
        refused(await mutate(client, headers, ROTATE, id=endpoint_id), 403, "org_admin_required")
        body = await gql(client, headers, ENDPOINTS)
        assert [e["extensions"]["status"] for e in body["errors"]] == [403]
        # one endpoint the caller may not see is null, as for another tenant
        assert (await data(client, headers, ENDPOINT, id=endpoint_id))["webhookEndpoint"] is None


async def test_a_partner_token_with_webhooks_manage_manages_its_own(client, bearer, uow_factory) -> None:
    partner = await _partner(uow_factory, "webhooks:manage")
    headers = bearer(partner)
    created = (await _create(client, headers, types=["partner_mentor.matched"]))["endpoint"]
    assert (created["ownerPartnerId"], created["ownerOrgId"]) == (str(partner.partner_id), None)
    listed = (await data(client, headers, ENDPOINTS))["webhookEndpoints"]["edges"]
    assert [e["node"]["id"] for e in listed] == [created["id"]]
    ok(await mutate(client, headers, TEST, id=created["id"]), "WebhookDelivery")
    found = (await data(client, headers, ENDPOINT, id=created["id"]))["webhookEndpoint"]
    assert [e["node"]["eventType"] for e in found["deliveries"]["edges"]] == ["ping"]

    reader = bearer(await _partner(uow_factory, "mentors:read"))
    refused(await mutate(client, reader, CREATE, url=URL), 403, "insufficient_scope")
    refused(await mutate(client, headers, CREATE, url="ftp://files.example.com/"), 422, "invalid_webhook_url")
    malformed = refused(await mutate(client, headers, CREATE, url=""), 422, "validation_failed")
    assert malformed["field"] == "url"
