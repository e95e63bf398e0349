"""The cross-cutting conventions: Idempotency-Key, ETag races, cursors, limits, 401 before 422."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from tests.api.helpers import problem
from tests.factories import new_org

START = date.today() + timedelta(days=30)
PROGRAM = {"title": "Idempotent", "starts_on": START.isoformat(), "ends_on": (START + timedelta(days=200)).isoformat()}


async def _count_programs(client, headers) -> int:
    return len((await client.get("/v1/programs", params={"limit": 200}, headers=headers)).json()["items"])


async def test_a_retried_post_with_the_same_key_replays_the_first_response(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = {**bearer(manager), "Idempotency-Key": uuid.uuid4().hex}
    first = await client.post("/v1/programs", json=PROGRAM, headers=headers)
    retry = await client.post("/v1/programs", json=PROGRAM, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"] and retry.headers["etag"] == first.headers["etag"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert await _count_programs(client, bearer(manager)) == 1


async def test_the_same_key_with_another_body_is_a_422(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = {**bearer(manager), "Idempotency-Key": "k-1"}
    await client.post("/v1/programs", json=PROGRAM, headers=headers)
    problem(
        await client.post("/v1/programs", json={**PROGRAM, "title": "Other"}, headers=headers),
        422,
        "idempotency_key_reused",
    )


async def test_keys_are_scoped_by_caller(client, bearer, uow_factory) -> None:
    _, one = await new_org(uow_factory)
    _, two = await new_org(uow_factory)
    for manager in (one, two):
        response = await client.post(
            "/v1/programs", json=PROGRAM, headers={**bearer(manager), "Idempotency-Key": "shared"}
        )
        assert response.status_code == 201 and "idempotent-replayed" not in response.headers


async def test_twenty_concurrent_posts_with_one_key_make_one_resource(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = {**bearer(manager), "Idempotency-Key": uuid.uuid4().hex}
    responses = await asyncio.gather(*[client.post("/v1/programs", json=PROGRAM, headers=headers) for _ in range(20)])
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    created_ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created_ids) == 1
    for r in responses:
        if r.status_code == 409:
            assert r.json()["code"] == "idempotency_request_in_progress" and r.headers["retry-after"] == "1"
    assert await _count_programs(client, bearer(manager)) == 1


async def test_a_failed_request_is_not_remembered_so_the_retry_runs(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = {**bearer(manager), "Idempotency-Key": "fix-and-retry"}
    bad = {**PROGRAM, "ends_on": START.isoformat()}
    problem(await client.post("/v1/programs", json=bad, headers=headers), 422, "invalid_period")
    # a 4xx is the answer to that request and is replayed, so a corrected body needs a new key
    problem(await client.post("/v1/programs", json=PROGRAM, headers=headers), 422, "idempotency_key_reused")
    assert (
        await client.post("/v1/programs", json=PROGRAM, headers={**headers, "Idempotency-Key": "k2"})
    ).status_code == 201


async def test_two_patches_on_one_etag_give_one_200_and_one_412(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    created = await client.post("/v1/programs", json=PROGRAM, headers=bearer(manager))
    url, etag = f"/v1/programs/{created.json()['id']}", created.headers["etag"]
    responses = await asyncio.gather(
        *[
            client.patch(url, json={"title": f"Edit {i}"}, headers={**bearer(manager), "If-Match": etag})
            for i in range(2)
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 412]


async def test_paging_while_inserting_over_http_has_no_duplicate_and_no_gap(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    for i in range(12):
        await client.post("/v1/programs", json={**PROGRAM, "title": f"Cohort {i}"}, headers=headers)
    seen, cursor = [], None
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/programs", params=params, headers=headers)).json()
        seen.extend(p["id"] for p in page["items"])
        await client.post("/v1/programs", json={**PROGRAM, "title": "arrives meanwhile"}, headers=headers)
        if not (cursor := page["next_cursor"]):
            break
    everything = (await client.get("/v1/programs", params={"limit": 200}, headers=headers)).json()["items"]
    assert len(seen) == len(set(seen))
    assert seen == [p["id"] for p in everything][: len(seen)]
    assert len(seen) >= 12


async def test_a_forged_cursor_and_out_of_range_limits_are_problems(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    problem(
        await client.get("/v1/programs", params={"cursor": "not-ours"}, headers=bearer(manager)), 422, "invalid_cursor"
    )
    for limit in (0, 201, "many"):
        problem(await client.get("/v1/programs", params={"limit": limit}, headers=bearer(manager)), 422)


async def test_a_missing_token_is_401_even_when_the_body_is_invalid(client) -> None:
    response = await client.post("/v1/programs", json={"title": 5})
    problem(response, 401, "invalid_token")
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem(await client.get("/v1/programs", headers={"Authorization": "Basic abc"}), 401)


async def test_an_overlong_idempotency_key_is_a_400(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    response = await client.post(
        "/v1/programs", json=PROGRAM, headers={**bearer(manager), "Idempotency-Key": "k" * 201}
    )
    problem(response, 400, "invalid_idempotency_key")
