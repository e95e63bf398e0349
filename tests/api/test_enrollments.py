"""/v1/programs/{program_id}/enrollments: taking part as mentor or mentee, roles and tenancy."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.domain.access import Caller, Role
from app.domain.enrollment import ParticipantRole
from app.services import enrollments
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import proposed
from tests.factories import PLATFORM_ADMIN, UowFactory, member, new_org, new_person, new_program, pair_world


async def _enrolling(uow: UowFactory) -> dict[str, Any]:
    """An organization with an enrolling program, a young and an older person, none enrolled yet."""
    org, manager = await new_org(uow)
    program = await new_program(uow, manager, status="enrolling")
    young = await new_person(uow, manager, birth_year=1999, department="Digital")
    older = await new_person(uow, manager, birth_year=1964, department="Board")
    return {"org": org, "manager": manager, "program": program, "young": young, "older": older}


def _url(world: dict[str, Any], enrollment_id: object | None = None) -> str:
    base = f"/v1/programs/{world['program'].id}/enrollments"
    return base if enrollment_id is None else f"{base}/{enrollment_id}"


@pytest.mark.parametrize("role", [Role.PROGRAM_MANAGER, Role.ORG_ADMIN])
async def test_a_manager_enrolls_a_mentor_with_offers(client, bearer, uow_factory, role) -> None:
    world = await _enrolling(uow_factory)
    caller = Caller(uuid.uuid4(), role, org_id=world["org"].id)
    body = {"person_id": str(world["young"].id), "role": "mentor", "offers": [{"name": "TikTok", "priority": 5}]}
    response = await client.post(_url(world), json=body, headers=bearer(caller))
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == _url(world, created["id"]) and response.headers["etag"] == '"1"'
    assert created["status"] == "active" and created["capacity"] == 1 and created["role"] == "mentor"
    assert created["offers"] == [{"name": "TikTok", "priority": 5}] and created["needs"] == []


async def test_a_member_enrolls_themself_but_nobody_else(client, bearer, uow_factory) -> None:
    world = await _enrolling(uow_factory)
    older = world["older"]
    mine = {
        "person_id": str(older.id),
        "role": "mentee",
        "needs": [{"name": "Instagram"}],
        "key_questions": ["What do young talents expect?"],
    }
    created = await client.post(_url(world), json=mine, headers=bearer(member(older)))
    assert created.status_code == 201 and created.json()["needs"] == [{"name": "Instagram", "priority": 3}]
    theirs = {"person_id": str(world["young"].id), "role": "mentor"}
    problem(await client.post(_url(world), json=theirs, headers=bearer(member(older))), 403, "not_your_profile")


async def test_strangers_cannot_enroll(client, bearer, uow_factory) -> None:
    world = await _enrolling(uow_factory)
    _, stranger = await new_org(uow_factory)
    body = {"person_id": str(world["young"].id), "role": "mentor"}
    problem(await client.post(_url(world), json=body, headers=bearer(stranger)), 404, "program_not_found")
    problem(await client.post(_url(world), json=body, headers=bearer(PLATFORM_ADMIN)), 404, "program_not_found")
    problem(await client.post(_url(world), json=body), 401, "invalid_token")


async def test_enrolling_applies_the_programs_rules(client, bearer, uow_factory) -> None:
    world = await _enrolling(uow_factory)
    headers = bearer(world["manager"])
    young, older = str(world["young"].id), str(world["older"].id)
    cases = [
        ({"person_id": older, "role": "mentor"}, 422, "mentor_not_digital_native"),
        ({"person_id": young, "role": "mentee"}, 422, "mentee_not_digital_immigrant"),
        ({"person_id": older, "role": "mentee", "capacity": 2}, 422, "invalid_capacity"),
        ({"person_id": str(uuid.uuid4()), "role": "mentee"}, 404, "person_not_found"),
    ]
    for body, status, code in cases:
        problem(await client.post(_url(world), json=body, headers=headers), status, code)
    assert (await client.post(_url(world), json={"person_id": young, "role": "mentor"}, headers=headers)).is_success
    again = await client.post(_url(world), json={"person_id": young, "role": "mentor"}, headers=headers)
    problem(again, 409, "already_enrolled")


async def test_enrollment_is_closed_outside_enrolling_and_matching(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    draft = await new_program(uow_factory, manager, status="draft")
    person = await new_person(uow_factory, manager, birth_year=1999)
    response = await client.post(
        f"/v1/programs/{draft.id}/enrollments",
        json={"person_id": str(person.id), "role": "mentor"},
        headers=bearer(manager),
    )
    problem(response, 422, "enrollment_closed")


async def test_bad_enrollment_input_is_a_422_naming_each_field(client, bearer, uow_factory) -> None:
    world = await _enrolling(uow_factory)
    bad = {
        "person_id": "not-a-uuid",
        "role": "observer",
        "needs": [{"name": "TikTok", "priority": 9}] + [{"name": f"t{i}"} for i in range(30)],
        "capacity": "lots",
        "motto": "YOLO",
    }
    body = problem(await client.post(_url(world), json=bad, headers=bearer(world["manager"])), 422, "validation_failed")
    names = field_names(body)
    for field in ("body.person_id", "body.role", "body.needs", "body.capacity", "body.motto"):
        assert any(name.startswith(field) for name in names), (field, names)
    headers = {**bearer(world["manager"]), "content-type": "application/json"}
    problem(await client.post(_url(world), content=b"{role: mentor}", headers=headers), 400, "malformed_json")


async def test_managers_list_every_enrollment_and_members_their_own(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    extra = await new_person(uow_factory, world["manager"], birth_year=1997, department="Sales")
    await client.post(
        _url(world), json={"person_id": str(extra.id), "role": "mentor"}, headers=bearer(world["manager"])
    )
    first = (await client.get(f"{_url(world)}?limit=2", headers=bearer(world["manager"]))).json()
    rest = (await client.get(f"{_url(world)}?cursor={first['next_cursor']}", headers=bearer(world["manager"]))).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    own = (await client.get(_url(world), headers=bearer(member(world["mentee"])))).json()
    assert [e["id"] for e in own["items"]] == [str(world["mentee_e"].id)]
    _, stranger = await new_org(uow_factory)
    problem(await client.get(_url(world), headers=bearer(stranger)), 404, "program_not_found")
    problem(await client.get(_url(world), headers=bearer(PLATFORM_ADMIN)), 404, "program_not_found")


async def test_an_enrollment_is_visible_to_its_person_and_managers(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    url = _url(world, world["mentee_e"].id)
    for caller in (member(world["mentee"]), world["manager"], Caller(uuid.uuid4(), Role.ORG_ADMIN, world["org"].id)):
        response = await client.get(url, headers=bearer(caller))
        assert response.status_code == 200 and response.headers["etag"] == '"1"'
    problem(await client.get(url, headers=bearer(member(world["mentor"]))), 403, "not_your_profile")
    _, stranger = await new_org(uow_factory)
    problem(await client.get(url, headers=bearer(stranger)), 404, "enrollment_not_found")
    problem(await client.get(url, headers=bearer(PLATFORM_ADMIN)), 404, "enrollment_not_found")
    other_program = await new_program(uow_factory, world["manager"])
    wrong_path = f"/v1/programs/{other_program.id}/enrollments/{world['mentee_e'].id}"
    problem(await client.get(wrong_path, headers=bearer(world["manager"])), 404, "enrollment_not_found")


async def test_a_participant_edits_their_enrollment_under_if_match(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    url, headers = _url(world, world["mentor_e"].id), bearer(member(world["mentor"]))
    change = {"offers": [{"name": "LinkedIn", "priority": 4}], "capacity": 2}
    edited = await client.patch(url, json=change, headers={**headers, "If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    assert edited.json()["offers"] == change["offers"] and edited.json()["capacity"] == 2
    assert edited.headers["etag"] == '"2"'
    problem(await client.patch(url, json={"capacity": 3}, headers={**headers, "If-Match": '"1"'}), 412)
    problem(await client.patch(url, json={"capacity": 0}, headers=headers), 422, "validation_failed")
    mentee_url = _url(world, world["mentee_e"].id)
    problem(
        await client.patch(mentee_url, json={"capacity": 2}, headers=bearer(world["manager"])), 422, "invalid_capacity"
    )
    problem(await client.patch(mentee_url, json={"key_questions": ["?"]}, headers=headers), 403, "not_your_profile")
    _, stranger = await new_org(uow_factory)
    problem(await client.patch(url, json={"capacity": 1}, headers=bearer(stranger)), 404, "enrollment_not_found")


async def test_capacity_cannot_drop_below_the_mentors_open_tandems(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, mentor_capacity=2)
    await proposed(uow_factory, world)
    second = await new_person(uow_factory, world["manager"], birth_year=1960, department="Legal")
    second_e = await enrollments.enroll_person(
        uow_factory(), world["manager"], world["program"].id, person_id=second.id, role=ParticipantRole.MENTEE
    )
    await proposed(uow_factory, {**world, "mentee_e": second_e})
    url = _url(world, world["mentor_e"].id)
    refused = await client.patch(url, json={"capacity": 1}, headers=bearer(world["manager"]))
    assert field_names(problem(refused, 409, "capacity_below_open_tandems")) == set()
    assert (await client.patch(url, json={"capacity": 3}, headers=bearer(world["manager"]))).status_code == 200


async def test_withdrawing_keeps_the_enrollment_and_waits_for_open_tandems(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    url, headers = _url(world, world["mentee_e"].id), bearer(member(world["mentee"]))
    problem(await client.delete(url, headers=headers), 409, "enrollment_has_open_tandem")
    await client.post(f"/v1/tandems/{tandem.id}/decline", json={}, headers=headers)
    problem(await client.delete(url, headers={**headers, "If-Match": '"9"'}), 412, "version_mismatch")
    problem(await client.delete(url, headers=bearer(member(world["mentor"]))), 403, "not_your_profile")
    _, stranger = await new_org(uow_factory)
    problem(await client.delete(url, headers=bearer(stranger)), 404, "enrollment_not_found")
    withdrawn = await client.delete(url, headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    problem(await client.patch(url, json={"needs": []}, headers=headers), 422, "enrollment_withdrawn")
    assert (await client.get(url, headers=bearer(world["manager"]))).json()["status"] == "withdrawn"
