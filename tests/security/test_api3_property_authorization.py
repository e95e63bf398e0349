"""API3:2023 Broken Object Property Level Authorization: no one writes a property they may not,
and no list shows a property (or an object) of another tenant.

Mass assignment: every create and update operation of openapi/openapi.json with a JSON body is
sent its minimal valid body (the route matrix's) plus one server-owned property (``role``,
``org_id``, ``version``, ``source``, ``id``, ``created_at``, ``partner_id``): request bodies
forbid unknown properties, so the answer is a 422 naming that property. Where the property is
part of the body (an enrollment's ``role``: mentor or mentee), a privileged value is refused.
The list is generated from the document, so a new operation is covered the day it is
documented. Exposure: every list operation, asked by each role of organization A that may, names
none of organization B's ids.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import MANAGER, MEMBER, ORG_ADMIN, PARTNER, PLATFORM_ADMIN
from tests.api.test_route_matrix import BODIES, FRESH, outcomes
from tests.security.test_api1_bola import _matrix_key

pytestmark = pytest.mark.db

DOCUMENT = json.loads((Path(__file__).parents[2] / "openapi" / "openapi.json").read_text())
SERVER_OWNED = ("role", "org_id", "version", "source", "id", "created_at", "partner_id")
CALLERS = (ORG_ADMIN, MANAGER, MEMBER, PLATFORM_ADMIN, PARTNER)  # who asks: the first one allowed
PRIVILEGED = {"role": "org_admin"}


def _schema(reference: dict[str, Any]) -> dict[str, Any] | None:
    for candidate in [reference, *reference.get("anyOf", [])]:
        if "$ref" in candidate:
            schema: dict[str, Any] = DOCUMENT["components"]["schemas"][candidate["$ref"].rsplit("/", 1)[1]]
            return schema
    return None


def _write_operations() -> list[tuple[str, str, dict[str, Any]]]:
    operations = []
    for path, item in DOCUMENT["paths"].items():
        for method in ("post", "put", "patch"):
            content = item.get(method, {}).get("requestBody", {}).get("content", {})
            if "application/json" in content and (schema := _schema(content["application/json"]["schema"])):
                operations.append((method.upper(), path, schema))
    return operations


OPERATIONS = _write_operations()
CASES = [(m, p, f) for m, p, s in OPERATIONS for f in SERVER_OWNED if f not in s.get("properties", {})]
OWN_FIELDS = [(m, p, f) for m, p, s in OPERATIONS for f in SERVER_OWNED if f in s.get("properties", {})]


def test_every_body_forbids_unknown_properties_and_the_cases_are_generated() -> None:
    assert len(OPERATIONS) >= 25
    assert all(schema.get("additionalProperties") is False for _, _, schema in OPERATIONS)
    assert ("PATCH", "/v1/people/{person_id}", "org_id") in CASES
    assert ("POST", "/v1/programs/{program_id}/enrollments", "role") in OWN_FIELDS


def _caller(route: tuple[str, str]) -> str:
    return next(role for role in CALLERS if outcomes(route)[role] == "allow")


async def _body_and_url(world: w.World, route: tuple[str, str], who: str) -> tuple[dict[str, Any], str]:
    ids = dict(world.ids)
    if route in FRESH:
        ids |= await world.fresh((route, who, "api3"), FRESH[route])
    body = BODIES[route](ids) if route in BODIES else {}
    url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda match: str(ids[match.group(1)]), route[1])
    return dict(body), url


@pytest.mark.parametrize(("method", "path", "field"), CASES, ids=[f"{m} {p} +{f}" for m, p, f in CASES])
async def test_a_server_owned_property_in_a_body_is_refused(
    method: str, path: str, field: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    route = _matrix_key(method, path)
    who = _caller(route)
    body, url = await _body_and_url(world, route, who)
    value = str(world.ids["org_id"]) if field.endswith("_id") else PRIVILEGED.get(field, 7)
    response = await client.request(method, url, json=body | {field: value}, headers=bearer(world.callers[who]))
    assert response.status_code == 422, (
        f"{method} {path} +{field} as {who}: {response.status_code} {response.text[:300]}"
    )
    fields = [error["field"] for error in response.json()["errors"]]
    assert f"body.{field}" in fields, fields


@pytest.mark.parametrize(("method", "path", "field"), OWN_FIELDS, ids=[f"{m} {p} {f}" for m, p, f in OWN_FIELDS])
async def test_a_privileged_value_of_a_bodys_own_property_is_refused(
    method: str, path: str, field: str, world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    route = _matrix_key(method, path)
    body, url = await _body_and_url(world, route, MEMBER)
    response = await client.request(
        method, url, json=body | {field: PRIVILEGED[field]}, headers=bearer(world.callers[MEMBER])
    )
    assert response.status_code == 422, response.text[:300]


async def test_a_partners_mentor_row_cannot_name_its_partner_or_source(
    world: w.World, client: httpx.AsyncClient, bearer: Any
) -> None:
    url = f"/v1/partners/{world.ids['partner_id']}/mentors"
    rows = [
        {"external_id": f"api3/{field}", "display_name": "M", "birth_year": 1999, field: value}
        for field, value in (("partner_id", str(uuid.uuid4())), ("source", "employee"), ("org_id", str(uuid.uuid4())))
    ]
    response = await client.put(url, json={"items": rows}, headers=bearer(world.callers[PARTNER]))
    assert response.status_code == 200, response.text[:300]
    assert [item["status"] for item in response.json()["items"]] == ["error"] * 3, response.text[:500]


def _list_operations() -> list[tuple[str, str]]:
    """GET operations answering a page (``items``): what a tenant's lists show."""
    found = []
    for path, item in DOCUMENT["paths"].items():
        schema = item.get("get", {}).get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        page = _schema(schema["schema"]) if schema else None
        if page and "items" in page.get("properties", {}):
            found.append(_matrix_key("get", path))
    return found


LISTS = _list_operations()


@pytest.fixture(scope="module")
async def other_tenant(world: w.World, client_module: httpx.AsyncClient, issuer: Any) -> set[str]:
    """Ids of organization B: its own, its member's person, and a program it creates."""
    admin, member = world.callers["org_admin_of_b"], world.callers["member_of_b"]
    assert admin is not None and member is not None and admin.org_id is not None
    body = BODIES[("POST", "/v1/programs")]({})
    created = await client_module.post(
        "/v1/programs", json=body, headers={"Authorization": f"Bearer {issuer.issue(admin)}"}
    )
    assert created.status_code == 201, created.text
    return {str(admin.org_id), str(member.person_id), created.json()["id"]}


@pytest.fixture(scope="module")
async def client_module(app: Any) -> Any:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test") as http:
        yield http


def test_the_lists_are_generated() -> None:
    assert {("GET", "/v1/people"), ("GET", "/v1/programs"), ("GET", "/v1/organizations")} <= set(LISTS)


@pytest.mark.parametrize("route", LISTS, ids=[path for _, path in LISTS])
async def test_no_list_names_another_tenants_objects(
    route: tuple[str, str], world: w.World, client: httpx.AsyncClient, bearer: Any, other_tenant: set[str]
) -> None:
    for who in (ORG_ADMIN, MANAGER, MEMBER, PARTNER):
        if outcomes(route)[who] != "allow":
            continue
        _, url = await _body_and_url(world, route, who)
        response = await client.get(url, headers=bearer(world.callers[who]))
        assert response.status_code == 200, f"{route} as {who}: {response.text[:300]}"
        leaked = [value for value in other_tenant if value in response.text]
        assert not leaked, f"{route[1]} as {who} shows organization B's {leaked}"
