"""API6:2023 Unrestricted Access to Sensitive Business Flows.

A partner's bulk mentor sync and a program's matching run are the costly flows: each is limited
per tenant (the partner network, the organization), over REST and GraphQL together, so neither a
second token of the tenant nor the other protocol gets around it; other tenants keep theirs.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.api.rate_limit import FLOWS
from app.domain.access import Caller, Role
from tests.api import route_matrix_world as w
from tests.factories import new_org, new_program
from tests.security.test_api4_resource_consumption import assert_rate_limited

pytestmark = pytest.mark.db


def test_the_limited_flows_are_documented_routes() -> None:
    from tests.security.test_api9_inventory import DOCUMENT

    for method, path in FLOWS:
        responses = DOCUMENT["paths"][path][method.lower()]["responses"]
        assert "RateLimit-Policy" in responses["429"]["headers"], (method, path)


def _sync(external_id: str) -> dict[str, Any]:
    return {"items": [{"external_id": external_id, "display_name": "Mia Pool", "birth_year": 1999}]}


async def test_partner_bulk_sync_is_limited_per_partner_network_over_rest_and_graphql(
    app_with: Any, world: w.World, bearer: Any
) -> None:
    partner = world.callers[w.PARTNER]
    other = world.callers[w.OTHER_PARTNER]
    assert partner is not None and other is not None
    second_token = Caller(
        uuid.uuid4(), Role.PARTNER, partner_id=partner.partner_id, scopes=partner.scopes, credential=partner.credential
    )
    url = f"/v1/partners/{partner.partner_id}/mentors"
    async with app_with(flow_rate_limit="2/minute") as (_, client):
        assert (await client.put(url, json=_sync(world.ids["external_id"]), headers=bearer(partner))).status_code == 200
        assert (await client.put(url, json=_sync(world.ids["external_id"]), headers=bearer(partner))).status_code == 200
        assert_rate_limited(await client.put(url, json=_sync("x"), headers=bearer(second_token)), "partner_sync", 2)
        mutation = (
            f'mutation {{ syncPartnerMentors(partnerId: "{partner.partner_id}", items: '
            '[{externalId: "g1", displayName: "Mia", birthYear: 1999}]) '
            "{ __typename ... on Problem { code httpStatus } } }"
        )
        answer = (await client.post("/graphql", json={"query": mutation}, headers=bearer(partner))).json()
        assert answer["data"]["syncPartnerMentors"] == {
            "__typename": "Problem",
            "code": "rate_limited",
            "httpStatus": 429,
        }
        # another partner network's pool is its own business (it finds none of this one's)
        response = await client.put(f"/v1/partners/{other.partner_id}/mentors", json=_sync("o1"), headers=bearer(other))
        assert response.status_code == 200, response.text


async def test_matching_runs_are_limited_per_organization_over_rest_and_graphql(
    app_with: Any, bearer: Any, uow_factory: Any
) -> None:
    org, manager = await new_org(uow_factory)
    colleague = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
    _, elsewhere = await new_org(uow_factory)
    program = await new_program(uow_factory, manager, status="matching")
    theirs = await new_program(uow_factory, elsewhere, status="matching")
    async with app_with(flow_rate_limit="2/minute") as (_, client):
        for caller in (manager, colleague):
            started = await client.post(f"/v1/programs/{program.id}/matching-runs", json={}, headers=bearer(caller))
            assert started.status_code == 202, started.text
        limited = await client.post(f"/v1/programs/{program.id}/matching-runs", json={}, headers=bearer(manager))
        assert_rate_limited(limited, "matching_run", 2)
        mutation = (
            f'mutation {{ startMatchingRun(programId: "{program.id}") {{ ... on Problem {{ code httpStatus }} }} }}'
        )
        answer = (await client.post("/graphql", json={"query": mutation}, headers=bearer(colleague))).json()
        assert answer["data"]["startMatchingRun"] == {"code": "rate_limited", "httpStatus": 429}
        other = await client.post(f"/v1/programs/{theirs.id}/matching-runs", json={}, headers=bearer(elsewhere))
        assert other.status_code == 202, other.text


async def test_graphql_runs_count_against_the_same_limit_as_rest(app_with: Any, bearer: Any, uow_factory: Any) -> None:
    _, manager = await new_org(uow_factory)
    program = await new_program(uow_factory, manager, status="matching")
    mutation = f'mutation {{ startMatchingRun(programId: "{program.id}") {{ __typename }} }}'
    async with app_with(flow_rate_limit="1/minute") as (_, client):
        answer = (await client.post("/graphql", json={"query": mutation}, headers=bearer(manager))).json()
        assert answer["data"]["startMatchingRun"]["__typename"] == "MatchingRun", answer
        limited = await client.post(f"/v1/programs/{program.id}/matching-runs", json={}, headers=bearer(manager))
        assert_rate_limited(limited, "matching_run", 1)
