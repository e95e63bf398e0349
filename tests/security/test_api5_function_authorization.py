"""API5:2023 Broken Function Level Authorization: a lower role never reaches a higher role's function.

The full route-by-role matrix is tests/api/test_route_matrix.py and the GraphQL field matrix
tests/api/graphql/test_field_matrix.py; both check every cell. Here the escalation attempts are
generated from their data: for each step up the ladder member → program manager → org admin →
platform admin, every write (REST) and mutation (GraphQL) the higher role is allowed and the
lower one denied is called by the lower one: 403 with a problem code, never the function. A
partner's token (a machine credential) reaches no organization's write at all.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api import route_matrix_world as w
from tests.api.graphql import test_field_matrix as fields
from tests.api.route_matrix_world import MANAGER, MEMBER, ORG_ADMIN, PARTNER, PLATFORM_ADMIN
from tests.api.test_route_matrix import ROUTE_MATRIX, check, outcomes, send

pytestmark = pytest.mark.db

WRITES = ("POST", "PUT", "PATCH", "DELETE")
LADDER = [(MEMBER, MANAGER), (MANAGER, ORG_ADMIN), (ORG_ADMIN, PLATFORM_ADMIN)]


def _escalations() -> list[tuple[tuple[str, str], str]]:
    """(route, lower role): writes the next role up may call and ``lower`` may not."""
    cells = []
    for route in ROUTE_MATRIX:
        if route[0] not in WRITES:
            continue
        row = outcomes(route)
        cells += [(route, lower) for lower, higher in LADDER if row[lower] == "deny" and row[higher] == "allow"]
    return cells


def _mutation_escalations() -> list[tuple[str, str]]:
    cells = []
    for field in fields.FIELD_MATRIX:
        if not field.startswith("Mutation."):
            continue
        row = fields.outcomes(field)
        cells += [(field, lower) for lower, higher in LADDER if row[lower] == "deny" and row[higher] == "allow"]
    return cells


ESCALATIONS = _escalations()
MUTATION_ESCALATIONS = _mutation_escalations()
ORGANIZATION_WRITES = [
    route
    for route in ROUTE_MATRIX
    if route[0] in WRITES
    and outcomes(route)[ORG_ADMIN] == "allow"
    and "/partners/{partner_id}" not in route[1]
    # a partner has its own endpoints there (its webhooks); the route matrix checks whose it reaches
    and outcomes(route)[PARTNER] != "allow"
    and route[1] != "/graphql"  # the door only: its mutations are the field matrix's (partner column)
]


def test_the_generated_attempts_cover_each_step_of_the_ladder() -> None:
    """Not empty by accident: known manager-, admin- and operator-only functions are in it."""
    assert (("POST", "/v1/programs"), MEMBER) in ESCALATIONS
    assert (("PATCH", "/v1/people/{person_id}"), MEMBER) in ESCALATIONS
    assert (("POST", "/v1/programs/{program_id}/matching-runs"), MEMBER) in ESCALATIONS
    assert (("PUT", "/v1/organizations/{org_id}/sso"), MANAGER) in ESCALATIONS
    assert (("POST", "/v1/organizations"), ORG_ADMIN) in ESCALATIONS
    assert {lower for _, lower in MUTATION_ESCALATIONS} == {MEMBER, MANAGER, ORG_ADMIN}
    assert len(ESCALATIONS) >= 20 and len(ORGANIZATION_WRITES) >= 20


@pytest.mark.parametrize(("route", "lower"), ESCALATIONS, ids=[f"{m} {p} as {who}" for (m, p), who in ESCALATIONS])
async def test_a_lower_role_calling_a_higher_roles_write_gets_403(
    route: tuple[str, str], lower: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await send(client, world, route, lower, bearer(world.callers[lower]))
    check(response, "deny", f"{route[0]} {route[1]} as {lower}")


@pytest.mark.parametrize(
    ("field", "lower"), MUTATION_ESCALATIONS, ids=[f"{f} as {who}" for f, who in MUTATION_ESCALATIONS]
)
async def test_a_lower_role_calling_a_higher_roles_mutation_is_denied(
    field: str, lower: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await fields.ask(client, world, field, lower, bearer(world.callers[lower]))
    fields.check(response, field, "deny", f"{field} as {lower}")


@pytest.mark.parametrize("route", ORGANIZATION_WRITES, ids=[f"{m} {p}" for m, p in ORGANIZATION_WRITES])
async def test_a_partner_token_reaches_no_organizations_write(
    route: tuple[str, str], world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    response = await send(client, world, route, PARTNER, bearer(world.callers[PARTNER]))
    assert response.status_code in (403, 404), f"{route} as partner: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("application/problem+json")
