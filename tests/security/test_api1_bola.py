"""API1:2023 Broken Object Level Authorization.

Every path of the committed OpenAPI document that names an object (an id in the path), with
each of its methods, is called with another tenant's token: the answer is 404, exactly the
answer for an object that does not exist (so a stranger cannot even learn that the id is
taken). The list comes from openapi/openapi.json, so a new route is covered the day it is
documented. Every GraphQL query naming an object answers null to a stranger.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from string import Template
from typing import Any

import httpx
import pytest
from graphql import build_schema

from app.api.graphql.schema import schema
from tests.api import route_matrix_world as w
from tests.api.graphql import test_field_matrix as fields
from tests.api.route_matrix_world import OTHER_PARTNER, STRANGERS
from tests.api.test_route_matrix import CROSS_PARTNER_EXEMPT, ROUTE_MATRIX, send

pytestmark = pytest.mark.db

DOCUMENT = json.loads((Path(__file__).parents[2] / "openapi" / "openapi.json").read_text())
METHODS = ("get", "put", "post", "patch", "delete")
# paths with a parameter that names no organization's object: what they answer is the route
# matrix's matter ("public" rows), not a tenant's
NOT_AN_OBJECT = {"{org_slug}"}


def _matrix_key(method: str, path: str) -> tuple[str, str]:
    """The app's route for a documented path (``{external_id}`` is ``{external_id:path}`` there)."""
    for key in ROUTE_MATRIX:
        if key[0] == method.upper() and re.sub(r":\w+\}", "}", key[1]) == path:
            return key
    pytest.fail(f"{method.upper()} {path} is documented but the route matrix does not know it")


def object_operations() -> list[tuple[str, str]]:
    operations = []
    for path, item in DOCUMENT["paths"].items():
        parameters = set(re.findall(r"\{\w+\}", path))
        if not parameters or parameters <= NOT_AN_OBJECT:
            continue
        operations += [(method, path) for method in METHODS if method in item]
    return operations


OPERATIONS = object_operations()
PARTNER_OPERATIONS = [op for op in OPERATIONS if op[1].startswith("/v1/partners/{partner_id}")]
TENANT_OPERATIONS = [op for op in OPERATIONS if op not in PARTNER_OPERATIONS]


def test_the_document_names_object_routes_for_every_kind_of_object() -> None:
    """The generated list is not empty by accident: each object kind of the API is in it."""
    named = {param for _, path in OPERATIONS for param in re.findall(r"\{(\w+)\}", path)}
    kinds = {"org_id", "person_id", "program_id", "enrollment_id", "run_id", "tandem_id", "goal_id", "session_id"}
    assert kinds | {"partner_id", "external_id"} <= named
    assert {m for m, _ in OPERATIONS} == set(METHODS)


class _Nowhere(w.World):
    """The world with ids that exist nowhere, for every path parameter (and no fresh objects)."""

    async def fresh(self, key: object, build: w.Fresh) -> w.Ids:
        return {}


def _nowhere(world: w.World) -> w.World:
    ids = {name: (f"nobody/{uuid.uuid4().hex}" if name == "external_id" else uuid.uuid4()) for name in world.ids}
    return _Nowhere(world.uow, world.jobs, world.callers, ids, world.member_person, world.manager)


def _same_refusal(theirs: httpx.Response, nobodys: httpx.Response, context: str) -> None:
    assert theirs.status_code == 404, f"{context}: {theirs.status_code} {theirs.text[:300]}"
    assert theirs.headers["content-type"].startswith("application/problem+json"), context
    assert nobodys.status_code == 404, f"{context} (unknown ids): {nobodys.status_code} {nobodys.text[:300]}"
    assert theirs.json()["code"] == nobodys.json()["code"], f"{context}: an existing object is told apart"


@pytest.mark.parametrize("stranger", STRANGERS)
@pytest.mark.parametrize(("method", "path"), TENANT_OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in TENANT_OPERATIONS])
async def test_another_organizations_token_finds_no_object(
    method: str, path: str, stranger: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    route = _matrix_key(method, path)
    headers = bearer(world.callers[stranger])
    theirs = await send(client, world, route, stranger, headers)
    nobodys = await send(client, _nowhere(world), route, stranger, headers)
    _same_refusal(theirs, nobodys, f"{method.upper()} {path} as {stranger}")


@pytest.mark.parametrize(
    ("method", "path"),
    [op for op in PARTNER_OPERATIONS if _matrix_key(*op) not in CROSS_PARTNER_EXEMPT],
    ids=lambda value: str(value),
)
async def test_another_partner_networks_token_finds_none_of_the_pool(
    method: str, path: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    route = _matrix_key(method, path)
    headers = bearer(world.callers[OTHER_PARTNER])
    theirs = await send(client, world, route, OTHER_PARTNER, headers)
    nobodys = await send(client, _nowhere(world), route, OTHER_PARTNER, headers)
    _same_refusal(theirs, nobodys, f"{method.upper()} {path}")


def _object_queries() -> list[str]:
    """Query fields with a required id argument: each names one object (or one object's list).
    An optional id only filters the caller's own data (``auditEvents(targetId:)``)."""
    served = build_schema(schema.as_str())
    assert served.query_type is not None
    return sorted(
        f"Query.{name}"
        for name, field in served.query_type.fields.items()
        if any(str(arg.type) in ("UUID!", "ID!") for arg in field.args.values())
    )


QUERIES = [q for q in _object_queries() if q not in fields.PARTNER_FIELDS]


def test_every_graphql_object_query_is_asked() -> None:
    assert {"Query.program", "Query.tandem", "Query.person", "Query.matchingRun"} <= set(QUERIES)
    missing = [q for q in _object_queries() if q not in fields.CALLS]
    assert not missing, f"add the call of {missing} to tests/api/graphql/test_field_matrix.py CALLS"


@pytest.mark.parametrize("stranger", STRANGERS)
@pytest.mark.parametrize("field", QUERIES)
async def test_another_organizations_graphql_query_answers_null(
    field: str, stranger: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    document = "query { " + Template(fields.CALLS[field]).substitute(world.ids) + " { __typename } }"
    response = await client.post("/graphql", json={"query": document}, headers=bearer(world.callers[stranger]))
    _null_or_not_found(response, field, f"{field} as {stranger}")


def _null_or_not_found(response: httpx.Response, field: str, context: str) -> None:
    """A nullable field answers null; a non-null one (a list, a connection) nulls the data with
    one error whose status is 404, as REST answers: never data of the other tenant."""
    assert response.status_code == 200, f"{context}: {response.text[:300]}"
    body = response.json()
    value = (body.get("data") or {}).get(field.split(".")[1])
    assert value is None, f"{context}: {response.text[:300]}"
    statuses = [error.get("extensions", {}).get("status") for error in body.get("errors") or []]
    assert statuses in ([], [404]), f"{context}: {response.text[:300]}"


@pytest.mark.parametrize("field", [q for q in _object_queries() if q in fields.PARTNER_FIELDS])
async def test_another_partner_networks_graphql_query_answers_null(
    field: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    document = "query { " + Template(fields.CALLS[field]).substitute(world.ids) + " { __typename } }"
    response = await client.post("/graphql", json={"query": document}, headers=bearer(world.callers[OTHER_PARTNER]))
    _null_or_not_found(response, field, f"{field} as {OTHER_PARTNER}")
