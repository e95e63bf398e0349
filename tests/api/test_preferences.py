"""PUT …/enrollments/{enrollment_id}/preferences/{candidate_enrollment_id}: like or pass.

A mutual like proposes the tandem at once when the program allows self-matching; a pass is a
hard exclusion, for manual pairing too.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from app.domain.access import Caller, Role
from app.domain.enrollment import ParticipantRole
from app.services import enrollments, programs
from app.services.programs import ProgramRevision, RulesRevision
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import proposed
from tests.factories import PLATFORM_ADMIN, UowFactory, member, new_org, new_person, pair_world


def _url(world: dict[str, Any], author: str, candidate: str) -> str:
    program_id, author_id, candidate_id = world["program"].id, world[f"{author}_e"].id, world[f"{candidate}_e"].id
    return f"/v1/programs/{program_id}/enrollments/{author_id}/preferences/{candidate_id}"


async def _choose(
    client: httpx.AsyncClient, bearer: Any, world: dict[str, Any], who: str, choice: str
) -> httpx.Response:
    """``who`` (mentor or mentee) likes or passes on the other side."""
    other = "mentee" if who == "mentor" else "mentor"
    return await client.put(_url(world, who, other), json={"choice": choice}, headers=bearer(member(world[who])))


async def _self_matching(uow: UowFactory, **kw: Any) -> dict[str, Any]:
    world = await pair_world(uow, **kw)
    await programs.update_program(
        uow(), world["manager"], world["program"].id, ProgramRevision(rules=RulesRevision(self_matching=True))
    )
    return world


async def _pair_by_hand(client: httpx.AsyncClient, bearer: Any, world: dict[str, Any]) -> httpx.Response:
    body = {"mentor_enrollment_id": str(world["mentor_e"].id), "mentee_enrollment_id": str(world["mentee_e"].id)}
    return await client.post(f"/v1/programs/{world['program'].id}/tandems", json=body, headers=bearer(world["manager"]))


async def test_a_like_is_stored_and_not_mutual_until_liked_back(client, bearer, uow_factory) -> None:
    world = await _self_matching(uow_factory)
    response = await _choose(client, bearer, world, "mentee", "like")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["enrollment_id"] == str(world["mentee_e"].id)
    assert body["candidate_enrollment_id"] == str(world["mentor_e"].id)
    assert body["choice"] == "like" and body["mutual"] is False
    assert body["tandem_id"] is None and body["proposal_refused"] is None


async def test_a_mutual_like_with_self_matching_proposes_the_tandem_at_once(client, bearer, uow_factory) -> None:
    world = await _self_matching(uow_factory)
    await _choose(client, bearer, world, "mentee", "like")
    answer = (await _choose(client, bearer, world, "mentor", "like")).json()
    assert answer["mutual"] is True and answer["tandem_id"] is not None
    tandem = (await client.get(f"/v1/tandems/{answer['tandem_id']}", headers=bearer(member(world["mentee"])))).json()
    assert tandem["status"] == "proposed"
    assert tandem["mentor_enrollment_id"] == str(world["mentor_e"].id)
    assert tandem["mentee_enrollment_id"] == str(world["mentee_e"].id)
    history = await client.get(f"/v1/tandems/{answer['tandem_id']}/history", headers=bearer(world["manager"]))
    assert "liked" in history.json()["items"][0]["reason"]
    repeated = (await _choose(client, bearer, world, "mentor", "like")).json()
    assert repeated["mutual"] is True and repeated["tandem_id"] is None  # PUT again proposes nothing new


async def test_a_mutual_like_without_self_matching_proposes_nothing(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await _choose(client, bearer, world, "mentor", "like")
    answer = (await _choose(client, bearer, world, "mentee", "like")).json()
    assert answer["mutual"] is True and answer["tandem_id"] is None and answer["proposal_refused"] is None
    listed = await client.get(f"/v1/programs/{world['program'].id}/tandems", headers=bearer(world["manager"]))
    assert listed.json()["items"] == []


async def test_likes_given_at_the_same_moment_propose_exactly_one_tandem(client, bearer, uow_factory) -> None:
    world = await _self_matching(uow_factory)
    answers = await asyncio.gather(
        _choose(client, bearer, world, "mentor", "like"), _choose(client, bearer, world, "mentee", "like")
    )
    assert [a.status_code for a in answers] == [200, 200]
    assert sum(1 for a in answers if a.json()["tandem_id"]) == 1
    listed = await client.get(f"/v1/programs/{world['program'].id}/tandems", headers=bearer(world["manager"]))
    assert len(listed.json()["items"]) == 1


async def test_a_mutual_like_that_breaks_a_pairing_rule_stays_a_like(client, bearer, uow_factory) -> None:
    world = await _self_matching(uow_factory, mentor_capacity=2)
    other_mentor = await new_person(uow_factory, world["manager"], birth_year=2000, department="Sales")
    other_e = await enrollments.enroll_person(
        uow_factory(), world["manager"], world["program"].id, person_id=other_mentor.id, role=ParticipantRole.MENTOR
    )
    await proposed(uow_factory, {**world, "mentor_e": other_e})  # the mentee is paired already
    await _choose(client, bearer, world, "mentee", "like")
    answer = (await _choose(client, bearer, world, "mentor", "like")).json()
    assert answer["mutual"] is True and answer["tandem_id"] is None
    assert answer["proposal_refused"]["code"] == "mentee_already_paired"


async def test_a_pass_makes_manual_pairing_of_that_pair_fail(client, bearer, uow_factory) -> None:
    for who in ("mentor", "mentee"):
        world = await pair_world(uow_factory)
        passed = await _choose(client, bearer, world, who, "pass")
        assert passed.status_code == 200 and passed.json()["choice"] == "pass" and passed.json()["mutual"] is False
        problem(await _pair_by_hand(client, bearer, world), 409, "passed")


async def test_a_pass_taken_back_by_a_like_no_longer_excludes_the_pair(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await _choose(client, bearer, world, "mentor", "pass")
    assert (await _choose(client, bearer, world, "mentor", "like")).json()["choice"] == "like"
    assert (await _pair_by_hand(client, bearer, world)).status_code == 201


async def test_nobody_chooses_for_someone_else(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    url, body = _url(world, "mentee", "mentor"), {"choice": "like"}
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=world["org"].id)
    for caller in (world["manager"], admin, member(world["mentor"])):
        problem(await client.put(url, json=body, headers=bearer(caller)), 403, "not_your_enrollment")
    _, stranger = await new_org(uow_factory)
    problem(await client.put(url, json=body, headers=bearer(stranger)), 404, "program_not_found")
    problem(await client.put(url, json=body, headers=bearer(PLATFORM_ADMIN)), 404, "enrollment_not_found")
    problem(await client.put(url, json=body), 401, "invalid_token")


async def test_a_preference_is_about_the_other_side_of_the_same_program(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    other_world = await pair_world(uow_factory)
    headers, base = bearer(member(world["mentee"])), f"/v1/programs/{world['program'].id}/enrollments"
    own, like = world["mentee_e"].id, {"choice": "like"}
    problem(await client.put(f"{base}/{own}/preferences/{own}", json=like, headers=headers), 422, "wrong_role")
    for missing in (uuid.uuid4(), other_world["mentor_e"].id):
        response = await client.put(f"{base}/{own}/preferences/{missing}", json=like, headers=headers)
        problem(response, 404, "enrollment_not_found")
    await enrollments.withdraw_enrollment(uow_factory(), world["manager"], world["program"].id, world["mentor_e"].id)
    problem(await _choose(client, bearer, world, "mentee", "like"), 422, "enrollment_withdrawn")


async def test_a_bad_choice_is_a_422_naming_the_field(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    url, headers = _url(world, "mentee", "mentor"), bearer(member(world["mentee"]))
    for body, field in (
        ({"choice": "maybe"}, "body.choice"),
        ({"choice": "like", "why": "x"}, "body.why"),
        ({}, "body.choice"),
    ):
        assert field in field_names(
            problem(await client.put(url, json=body, headers=headers), 422, "validation_failed")
        )
    raw = {**headers, "content-type": "application/json"}
    problem(await client.put(url, content=b'{"choice": like}', headers=raw), 400, "malformed_json")
