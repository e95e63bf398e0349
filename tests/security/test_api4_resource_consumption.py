"""API4:2023 Unrestricted Resource Consumption: every request is bounded.

Bodies (413 before the app reads them whole; a partner's NDJSON stream per line instead), page
sizes (1 to 200), the partner bulk batch (``MAX_BATCH`` rows), GraphQL depth, aliases and cost,
and a write rate limit per caller that answers 429 with ``Retry-After`` and the IETF draft's
``RateLimit`` / ``RateLimit-Policy``.
The sensitive flows' per-tenant limits are API6 (test_api6_business_flows.py).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
import pytest

from app.api.graphql.limits import MAX_ALIASES, MAX_COST, MAX_DEPTH
from app.api.schemas.partners import MAX_LINE_BYTES
from app.services.pagination import MAX_PAGE_SIZE
from app.services.partner_mentors import MAX_BATCH
from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import MANAGER, ORG_ADMIN, PARTNER
from tests.factories import new_org

pytestmark = pytest.mark.db

RATE_LIMIT = re.compile(r'^"(?P<policy>[a-z_]+)";r=0;t=(?P<reset>\d+)$')
RATE_LIMIT_POLICY = re.compile(r'^"(?P<policy>[a-z_]+)";q=(?P<quota>\d+);w=(?P<window>\d+)$')


def assert_rate_limited(response: httpx.Response, policy: str, quota: int, window: int = 60) -> None:
    """429, a problem document, and the headers a client needs to back off."""
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "rate_limited"
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= window
    limit = RATE_LIMIT.match(response.headers["ratelimit"])
    assert limit and limit["policy"] == policy and int(limit["reset"]) == retry_after, response.headers
    declared = RATE_LIMIT_POLICY.match(response.headers["ratelimit-policy"])
    assert declared and declared["policy"] == policy, response.headers
    assert (int(declared["quota"]), int(declared["window"])) == (quota, window)


async def test_a_body_over_the_limit_is_413_before_it_is_read(
    client: httpx.AsyncClient, settings: Any, world: w.World, bearer: Any
) -> None:
    huge = {"display_name": "x" * (settings.max_body_bytes + 1), "birth_year": 1990}
    response = await client.post("/v1/people", json=huge, headers=bearer(world.callers[MANAGER]))
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"

    async def stream() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(settings.max_body_bytes // 1024 + 2):
            yield b" " * 1024

    response = await client.post("/v1/people", content=stream(), headers=bearer(world.callers[MANAGER]))
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/v1/programs", "/v1/people", "/v1/programs/{program_id}/tandems"])
async def test_a_page_over_200_items_is_refused(
    path: str, client: httpx.AsyncClient, world: w.World, bearer: Any
) -> None:
    url = path.format(**world.ids)
    headers = bearer(world.callers[MANAGER])
    assert (await client.get(url, params={"limit": MAX_PAGE_SIZE}, headers=headers)).status_code == 200
    for limit in (MAX_PAGE_SIZE + 1, 10**9, 0, -1):
        response = await client.get(url, params={"limit": limit}, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "query.limit"


async def test_a_graphql_page_over_200_items_is_refused(client: httpx.AsyncClient, world: w.World, bearer: Any) -> None:
    document = f"{{ programs(first: {MAX_PAGE_SIZE + 1}) {{ nodes {{ id }} }} }}"
    response = await client.post("/graphql", json={"query": document}, headers=bearer(world.callers[MANAGER]))
    assert response.status_code == 200 and response.json()["errors"], response.text
    assert not response.json().get("data", {}) or response.json()["data"].get("programs") is None


async def test_a_bulk_batch_over_the_limit_is_refused_whole(
    client: httpx.AsyncClient, world: w.World, bearer: Any
) -> None:
    rows = [{"external_id": f"b{i}", "display_name": "M", "birth_year": 1999} for i in range(MAX_BATCH + 1)]
    url = f"/v1/partners/{world.ids['partner_id']}/mentors"
    response = await client.put(url, json={"items": rows}, headers=bearer(world.callers[PARTNER]))
    assert response.status_code == 422, response.text[:300]


async def test_an_ndjson_stream_is_bounded_per_line_not_held_whole(
    client: httpx.AsyncClient, world: w.World, bearer: Any
) -> None:
    """A stream may be longer than any batch (it is written a chunk at a time), but no line of
    it is held past MAX_LINE_BYTES: an endless line is that row's error, not a server's memory."""
    url = f"/v1/partners/{world.ids['partner_id']}/mentors"
    endless = b'{"external_id": "endless", "bio": "' + b"x" * (4 * MAX_LINE_BYTES)
    ndjson = b"\n".join(
        [*(f'{{"external_id": "n{i}", "display_name": "M", "birth_year": 1999}}'.encode() for i in range(2)), endless]
    )
    response = await client.put(
        url, content=ndjson, headers=bearer(world.callers[PARTNER]) | {"Content-Type": "application/x-ndjson"}
    )
    assert response.status_code == 200, response.text[:300]
    *rows, end = [json.loads(line) for line in response.text.splitlines()]
    assert [row["status"] for row in rows] == ["created", "created", "error"], response.text[:300]
    assert rows[2]["errors"][0]["code"] == "line_too_long" and end["counts"]["error"] == 1


def _nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"tandems(first: 1) {{ nodes {{ program {{ {inner} }} }} }}"
    return f'{{ program(id: "$id") {{ {inner} }} }}'


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (_nested(MAX_DEPTH), None),  # over the depth limit: refused before it runs
        ("{ " + " ".join(f"a{i}: me {{ __typename }}" for i in range(MAX_ALIASES + 1)) + " }", None),
        (
            "{ programs(first: 200) { nodes { tandems(first: 200) { nodes { goals { id } sessions { id } } } } } }",
            "query_too_costly",
        ),
    ],
    ids=["depth", "aliases", "cost"],
)
async def test_an_abusive_graphql_query_is_refused_before_it_runs(
    document: str, code: str | None, client: httpx.AsyncClient, world: w.World, bearer: Any
) -> None:
    query = document.replace("$id", str(world.ids["program_id"]))
    response = await client.post("/graphql", json={"query": query}, headers=bearer(world.callers[MANAGER]))
    assert response.status_code in (200, 400), response.text[:300]
    body = response.json()
    assert body.get("errors") and not body.get("data"), response.text[:300]
    if code is not None:
        assert body["errors"][0]["extensions"]["code"] == code
        assert body["errors"][0]["extensions"]["cost"] > MAX_COST


async def test_writes_over_the_callers_limit_are_429_with_rate_limit_headers(
    app_with: Any, world: w.World, bearer: Any, uow_factory: Any
) -> None:
    _, manager = await new_org(uow_factory)
    _, other = await new_org(uow_factory)
    async with app_with(write_rate_limit="3/minute") as (_, client):
        mine, theirs = bearer(manager), bearer(other)
        for i in range(3):
            response = await client.post("/v1/people", json={"display_name": f"P{i}", "birth_year": 1990}, headers=mine)
            assert response.status_code == 201, response.text
        limited = await client.patch(f"/v1/people/{response.json()['id']}", json={"bio": "one too many"}, headers=mine)
        assert_rate_limited(limited, "write", quota=3)
        # reads are not writes; another caller has a limit of its own
        assert (await client.get("/v1/people", headers=mine)).status_code == 200
        created = await client.post("/v1/people", json={"display_name": "Q", "birth_year": 1990}, headers=theirs)
        assert created.status_code == 201


async def test_a_refused_write_changes_nothing(app_with: Any, bearer: Any, uow_factory: Any) -> None:
    _, manager = await new_org(uow_factory)
    async with app_with(write_rate_limit="1/minute") as (_, client):
        headers = bearer(manager)
        made = await client.post("/v1/people", json={"display_name": "Once", "birth_year": 1990}, headers=headers)
        assert made.status_code == 201
        name = f"Twice {uuid.uuid4().hex[:6]}"
        limited = await client.post("/v1/people", json={"display_name": name, "birth_year": 1990}, headers=headers)
        assert_rate_limited(limited, "write", quota=1)
        listed = (await client.get("/v1/people", params={"limit": 200}, headers=headers)).json()["items"]
        assert [p["display_name"] for p in listed] == ["Once"]


async def test_the_org_admin_is_limited_on_every_write_method(app_with: Any, world: w.World, bearer: Any) -> None:
    """PUT, PATCH, DELETE and POST all count; the limit is per caller, not per route."""
    admin = world.callers[ORG_ADMIN]
    org = world.ids["org_id"]
    async with app_with(write_rate_limit="2/minute") as (_, client):
        headers = bearer(admin)
        assert (await client.patch(f"/v1/organizations/{org}", json={"name": "A"}, headers=headers)).status_code == 200
        sso = {"issuer": "https://idp.example.com", "client_id": "tandem", "client_secret": "s"}
        assert (await client.put(f"/v1/organizations/{org}/sso", json=sso, headers=headers)).status_code == 200
        person = world.ids["person_id"]
        assert_rate_limited(await client.delete(f"/v1/people/{person}", headers=headers), "write", quota=2)
        assert (await client.get(f"/v1/people/{person}", headers=headers)).status_code == 200  # not erased
