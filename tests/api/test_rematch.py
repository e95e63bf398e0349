"""Rematch over HTTP: after a dissolve or a failed fit check, both people are free to be matched again.

A dissolve frees both for the next run (``never_pair_again`` keeps only that pair apart); a
failed fit check flags the tandem, which stays active until a manager dissolves it, or until a
matching run in the running program places its participants anew and the accept dissolves it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from app.domain.matching.run import MatchingRun
from app.domain.values import Topic
from app.services import matching_runs, programs
from tests.api.helpers import problem
from tests.api.tandem_world import held, running
from tests.api.test_matching_runs import _completed_run
from tests.factories import active_tandem, enroll, member, new_org, new_person, new_program, pair_world


def _pairs(run: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["mentor_enrollment_id"], p["mentee_enrollment_id"]) for p in run["proposals"]}


def _pair(world: dict[str, Any], mentor: str = "mentor_e", mentee: str = "mentee_e") -> tuple[str, str]:
    return (str(world[mentor].id), str(world[mentee].id))


async def _dissolve(client: httpx.AsyncClient, headers: dict[str, str], tandem_id: object, *, never: bool) -> None:
    response = await client.post(
        f"/v1/tandems/{tandem_id}/dissolve", json={"reason": "no chemistry", "never_pair_again": never}, headers=headers
    )
    assert response.status_code == 200 and response.json()["status"] == "dissolved", response.text


async def test_after_a_dissolve_the_next_run_proposes_both_again(client, bearer, uow_factory, database_url) -> None:
    world = await pair_world(uow_factory)
    headers = bearer(world["manager"])
    tandem = await active_tandem(uow_factory, world)
    busy = await _completed_run(client, headers, world, database_url)
    assert busy["status"] == "completed" and busy["proposals"] == []  # both are taken while the tandem is open

    await _dissolve(client, headers, tandem.id, never=False)
    run = await _completed_run(client, headers, world, database_url)
    assert run["status"] == "completed" and _pairs(run) == {_pair(world)} and run["unmatched"] == []
    accepted = await client.post(
        f"/v1/programs/{world['program'].id}/matching-runs/{run['id']}/accept", headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    assert len(accepted.json()["tandem_ids"]) == 1  # the same pair may form a new tandem


async def test_never_pair_again_keeps_the_pair_apart_but_not_the_people(
    client, bearer, uow_factory, database_url
) -> None:
    world = await pair_world(uow_factory)
    manager, program, headers = world["manager"], world["program"], bearer(world["manager"])
    mentor2 = await new_person(uow_factory, manager, birth_year=1999, department="Sales", languages=["de"])
    world["mentor2_e"] = await enroll(uow_factory, manager, program, mentor2, "mentor", offers=(Topic("Excel"),))
    tandem = await active_tandem(uow_factory, world)

    await _dissolve(client, headers, tandem.id, never=True)
    run = await _completed_run(client, headers, world, database_url)
    assert run["status"] == "completed"
    assert _pairs(run) == {_pair(world, mentor="mentor2_e")}  # the mentee is matched with someone else
    assert _pair(world) not in _pairs(run)
    assert [(u["enrollment_id"], u["reason"]) for u in run["unmatched"]] == [
        (str(world["mentor_e"].id), "no feasible partner")
    ]
    again = await _completed_run(client, headers, world, database_url)
    assert _pair(world) not in _pairs(again)  # for good, not only for one run


async def _run_now(uow_factory: Any, world: dict[str, Any]) -> MatchingRun:
    """A run of a program already running, as the worker computes it (without the job queue)."""
    run = MatchingRun(org_id=world["org"].id, program_id=world["program"].id)
    async with uow_factory() as uow:
        await uow.matching_runs.add(run)
        await uow.commit()
    done = await matching_runs.execute_run(uow_factory, run.id)
    assert done is not None
    return done


async def test_a_failed_fit_check_flags_the_tandem_until_a_manager_dissolves_it(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    manager, mentee = bearer(world["manager"]), bearer(member(world["mentee"]))
    await held(uow_factory, world, tandem)
    answer = await client.put(f"/v1/tandems/{tandem.id}/fit-check", json={"fits": False}, headers=mentee)
    assert answer.status_code == 200, answer.text
    assert answer.json()["rematch_flagged"] is True and answer.json()["status"] == "active"

    suggestions = f"/v1/programs/{world['program'].id}/enrollments/{world['mentee_e'].id}/suggestions"
    shown = (await client.get(f"/v1/tandems/{tandem.id}", headers=manager)).json()
    assert shown["status"] == "active" and shown["rematch_flagged"] is True  # flagged, not ended
    taken = (await client.get(suggestions, headers=mentee)).json()["items"]
    assert [(s["enrollment_id"], s["feasible"]) for s in taken] == [(str(world["mentor_e"].id), False)]
    assert taken[0]["blocked_by"]  # still paired: the rule is named
    assert (await _run_now(uow_factory, world)).proposals == ()

    await _dissolve(client, manager, tandem.id, never=False)
    free = (await client.get(suggestions, headers=mentee)).json()["items"]
    assert [(s["enrollment_id"], s["feasible"]) for s in free] == [(str(world["mentor_e"].id), True)]
    run = await _run_now(uow_factory, world)
    assert [(p.mentor_enrollment_id, p.mentee_enrollment_id) for p in run.proposals] == [
        (world["mentor_e"].id, world["mentee_e"].id)
    ]
    assert run.unmatched == ()


async def _launched_with_a_spare_mentor(uow_factory: Any) -> dict[str, Any]:
    """A program that started two months ago with an active tandem and a second mentor, who
    enrolled before the launch (enrollment closes when a program runs)."""
    org, manager = await new_org(uow_factory)
    start = date.today() - timedelta(days=60)
    program = await new_program(uow_factory, manager, starts_on=start, ends_on=start + timedelta(days=300))
    world: dict[str, Any] = {"org": org, "manager": manager}
    for key, birth_year, department, languages in (
        ("mentor", 1998, "Digital", ["de", "en"]),
        ("mentor2", 1999, "Sales", ["de"]),
        ("mentee", 1966, "Board", ["de"]),
    ):
        world[key] = await new_person(
            uow_factory, manager, birth_year=birth_year, department=department, languages=languages
        )
    offers, needs = (Topic("TikTok"),), (Topic("TikTok", 5),)
    world["mentor_e"] = await enroll(uow_factory, manager, program, world["mentor"], "mentor", offers=offers)
    world["mentor2_e"] = await enroll(uow_factory, manager, program, world["mentor2"], "mentor", offers=offers)
    world["mentee_e"] = await enroll(uow_factory, manager, program, world["mentee"], "mentee", needs=needs)
    world["program"] = await programs.start_matching(uow_factory(), manager, program.id)
    world["tandem"] = await active_tandem(uow_factory, world)
    world["program"] = await programs.launch_program(uow_factory(), manager, program.id)
    return world


async def test_a_failed_fit_check_is_rematched_by_a_run_in_the_running_program(
    client, bearer, uow_factory, database_url
) -> None:
    world = await _launched_with_a_spare_mentor(uow_factory)
    manager, program, tandem = world["manager"], world["program"], world["tandem"]
    headers, mentee = bearer(manager), bearer(member(world["mentee"]))
    await held(uow_factory, world, tandem)
    candidates_url = f"/v1/programs/{program.id}/rematch-candidates"
    assert (await client.get(candidates_url, headers=headers)).json()["items"] == []

    answer = await client.put(f"/v1/tandems/{tandem.id}/fit-check", json={"fits": False}, headers=mentee)
    assert answer.status_code == 200 and answer.json()["rematch_flagged"] is True, answer.text
    listed = (await client.get(candidates_url, headers=headers)).json()["items"]
    assert [(c["enrollment_id"], c["role"], c["tandem_id"]) for c in listed] == [
        (str(world["mentee_e"].id), "mentee", str(tandem.id)),
        (str(world["mentor_e"].id), "mentor", str(tandem.id)),
    ]
    assert listed[0]["display_name"] == world["mentee"].display_name

    run = await _completed_run(client, headers, world, database_url)  # the program is running
    assert run["status"] == "completed", run
    assert _pairs(run) == {_pair(world, mentor="mentor2_e")}  # never the pair whose fit check failed
    assert [u["enrollment_id"] for u in run["unmatched"]] == [str(world["mentor_e"].id)]
    accepted = await client.post(f"/v1/programs/{program.id}/matching-runs/{run['id']}/accept", headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["dissolved_tandem_ids"] == [str(tandem.id)]
    (new_id,) = accepted.json()["tandem_ids"]

    old = (await client.get(f"/v1/tandems/{tandem.id}", headers=headers)).json()
    assert old["status"] == "dissolved" and f"matching run {run['id']}" in old["end_reason"]
    new = (await client.get(f"/v1/tandems/{new_id}", headers=headers)).json()
    assert new["status"] == "proposed"
    assert (new["mentor_enrollment_id"], new["mentee_enrollment_id"]) == _pair(world, mentor="mentor2_e")
    assert (await client.get(candidates_url, headers=headers)).json()["items"] == []

    seen: list[tuple[str, str, Any]] = []
    for _ in range(100):  # events show once older transactions ended
        feed = (await client.get("/v1/events", params={"limit": "200"}, headers=headers)).json()["items"]
        seen = [(e["type"], e["subject_id"], e["data"].get("to")) for e in feed]
        if ("tandem.proposed", new_id, None) in seen:
            break
    assert ("tandem.status_changed", str(tandem.id), "dissolved") in seen
    assert ("tandem.proposed", new_id, None) in seen
    assert ("matching_run.completed", run["id"], None) in seen


async def test_rematch_candidates_are_for_the_programs_managers(client, bearer, uow_factory) -> None:
    world, _ = await running(uow_factory)
    url = f"/v1/programs/{world['program'].id}/rematch-candidates"
    problem(await client.get(url, headers=bearer(member(world["mentee"]))), 403, "manager_required")
    _, other_manager = await new_org(uow_factory)
    problem(await client.get(url, headers=bearer(other_manager)), 404, "program_not_found")
