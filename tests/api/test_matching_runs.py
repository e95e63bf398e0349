"""Matching runs: 202 + Location, a real procrastinate worker, review, and atomic accepts."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from app.domain.values import Topic
from app.infra.jobs import ProcrastinateJobQueue, make_jobs_app, run_worker
from app.services import programs
from tests.api.helpers import problem
from tests.factories import enroll, member, new_org, new_person, pair_world


async def _world(uow: Any) -> dict[str, Any]:
    """Two mentors, two mentees who can be paired, and a mentee sharing no language with anyone."""
    world = await pair_world(uow, status="enrolling")
    manager, program = world["manager"], world["program"]
    mentor2 = await new_person(uow, manager, birth_year=1999, department="Sales", languages=["de"])
    world["mentor2_e"] = await enroll(uow, manager, program, mentor2, "mentor", offers=(Topic("AI"),))
    mentee2 = await new_person(uow, manager, birth_year=1960, department="Finance", languages=["de"])
    world["mentee2_e"] = await enroll(uow, manager, program, mentee2, "mentee", needs=(Topic("AI", 4),))
    loner = await new_person(uow, manager, birth_year=1962, department="Legal", languages=["fr"])
    world["loner_e"] = await enroll(uow, manager, program, loner, "mentee", needs=(Topic("AI", 2),))
    world["program"] = await programs.start_matching(uow(), manager, program.id)
    return world


def _runs(world: dict[str, Any]) -> str:
    return f"/v1/programs/{world['program'].id}/matching-runs"


async def _work(database_url: str) -> None:
    """What ``tandem worker`` does, until the queue is empty."""
    await run_worker(make_jobs_app(database_url), wait=False)


async def _completed_run(
    client: httpx.AsyncClient, headers: dict[str, str], world: dict[str, Any], database_url: str, **body: Any
) -> dict[str, Any]:
    response = await client.post(_runs(world), json=body, headers=headers)
    assert response.status_code == 202, response.text
    queued = response.json()
    assert queued["status"] == "queued" and queued["progress"] == 0 and queued["proposals"] == []
    location = response.headers["Location"]
    assert location == f"{_runs(world)}/{queued['id']}"
    await _work(database_url)
    done = await client.get(location, headers=headers)
    assert done.status_code == 200, done.text
    run: dict[str, Any] = done.json()
    return run


async def test_a_run_is_queued_worked_off_and_explained(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    headers = bearer(world["manager"])
    run = await _completed_run(client, headers, world, database_url)
    assert run["status"] == "completed" and run["progress"] == 100 and run["error"] is None
    pairs = {(p["mentor_enrollment_id"], p["mentee_enrollment_id"]) for p in run["proposals"]}
    assert pairs == {
        (str(world["mentor_e"].id), str(world["mentee_e"].id)),
        (str(world["mentor2_e"].id), str(world["mentee2_e"].id)),
    }
    for proposal in run["proposals"]:
        assert proposal["explanation"].startswith("score ") and 0 <= proposal["score"] <= 1
        assert set(proposal["components"]) == {
            "topic_fit",
            "shared_interests",
            "contrast",
            "format_place",
            "mutual_like",
        }
        assert proposal["accepted"] is False and proposal["pinned"] is False
    assert [p["index"] for p in run["proposals"]] == [0, 1]
    assert run["unmatched"] == [
        {
            "enrollment_id": str(world["loner_e"].id),
            "person_id": run["unmatched"][0]["person_id"],
            "role": "mentee",
            "reason": "no feasible partner",
        }
    ]
    listed = await client.get(_runs(world), headers=headers)
    assert listed.status_code == 200 and [r["id"] for r in listed.json()["items"]] == [run["id"]]


async def test_pinned_pairs_are_kept(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    pin = {"mentor_enrollment_id": str(world["mentor2_e"].id), "mentee_enrollment_id": str(world["mentee_e"].id)}
    run = await _completed_run(client, bearer(world["manager"]), world, database_url, pinned=[pin])
    assert run["status"] == "completed" and run["pinned"] == [pin]
    pinned = [p for p in run["proposals"] if p["pinned"]]
    assert [(p["mentor_enrollment_id"], p["mentee_enrollment_id"]) for p in pinned] == [
        (pin["mentor_enrollment_id"], pin["mentee_enrollment_id"])
    ]


async def test_accepting_all_proposes_the_tandems_and_a_second_accept_is_refused(
    client, bearer, uow_factory, database_url
) -> None:
    world = await _world(uow_factory)
    headers = bearer(world["manager"])
    run = await _completed_run(client, headers, world, database_url)
    accepted = await client.post(f"{_runs(world)}/{run['id']}/accept", headers=headers)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert len(body["tandem_ids"]) == 2 and all(p["accepted"] for p in body["run"]["proposals"])
    tandems = (await client.get(f"/v1/programs/{world['program'].id}/tandems", headers=headers)).json()["items"]
    assert {(t["mentor_enrollment_id"], t["mentee_enrollment_id"], t["status"]) for t in tandems} == {
        (p["mentor_enrollment_id"], p["mentee_enrollment_id"], "proposed") for p in run["proposals"]
    }
    again = await client.post(f"{_runs(world)}/{run['id']}/accept", json={"proposals": [1]}, headers=headers)
    problem(again, 409, "mentee_already_paired")
    problem(await client.post(f"{_runs(world)}/{run['id']}/accept", json={"proposals": [7]}, headers=headers), 422)


async def test_concurrent_overlapping_accepts_never_double_book(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    headers = bearer(world["manager"])
    run = await _completed_run(client, headers, world, database_url)
    url = f"{_runs(world)}/{run['id']}/accept"
    first, second = await asyncio.gather(
        client.post(url, json={"proposals": [0, 1]}, headers=headers),
        client.post(url, json={"proposals": [1]}, headers=headers),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409], (first.text, second.text)
    loser = first if first.status_code == 409 else second
    assert loser.json()["code"] in ("mentee_already_paired", "mentor_capacity_exceeded")
    winner = first if first.status_code == 200 else second
    tandems = (await client.get(f"/v1/programs/{world['program'].id}/tandems", headers=headers)).json()["items"]
    assert len(tandems) == len(winner.json()["tandem_ids"])  # the loser kept nothing
    per_mentee = Counter(t["mentee_enrollment_id"] for t in tandems if t["status"] in ("proposed", "active", "paused"))
    assert all(count == 1 for count in per_mentee.values())


async def test_roles_tenants_and_program_status(client, bearer, uow_factory, database_url) -> None:
    world = await _world(uow_factory)
    problem(await client.post(_runs(world), headers=bearer(member(world["mentee"]))), 403)
    problem(await client.get(_runs(world), headers=bearer(member(world["mentee"]))), 403)
    _, stranger = await new_org(uow_factory)
    problem(await client.post(_runs(world), headers=bearer(stranger)), 404)
    run = await _completed_run(client, bearer(world["manager"]), world, database_url)
    problem(await client.get(f"{_runs(world)}/{run['id']}", headers=bearer(stranger)), 404)
    problem(await client.post(f"{_runs(world)}/{run['id']}/accept", headers=bearer(stranger)), 404)
    enrolling = await pair_world(uow_factory, status="enrolling")
    problem(await client.post(_runs(enrolling), headers=bearer(enrolling["manager"])), 422, "program_not_matching")
    elsewhere = await pair_world(uow_factory)
    pin = {"mentor_enrollment_id": str(elsewhere["mentor_e"].id), "mentee_enrollment_id": str(world["mentee_e"].id)}
    problem(
        await client.post(_runs(world), json={"pinned": [pin]}, headers=bearer(world["manager"])), 422, "pinned_unknown"
    )


async def test_a_run_the_job_queue_cannot_take_fails_instead_of_waiting_forever(
    app, client, bearer, uow_factory, database_url
) -> None:
    world = await _world(uow_factory)
    headers = bearer(world["manager"])
    original = app.state.jobs
    app.state.jobs = ProcrastinateJobQueue(make_jobs_app(database_url))  # never opened: like a lost connection
    try:
        refused = await client.post(_runs(world), json={}, headers=headers)
    finally:
        app.state.jobs = original
    problem(refused, 503, "job_queue_unavailable")
    assert int(refused.headers["retry-after"]) > 0
    [run] = (await client.get(_runs(world), headers=headers)).json()["items"]
    assert run["status"] == "failed" and "start a new one" in run["error"]
    # with the queue back, a new run goes through
    assert (await _completed_run(client, headers, world, database_url))["status"] == "completed"
