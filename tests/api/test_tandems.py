"""/v1/…/tandems over HTTP: manual pairing under the program's rules, lists, reading, roles."""

from __future__ import annotations

import pytest

from app.services import programs
from app.services.programs import ProgramRevision, RulesRevision
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import EXPECTED, pairing, proposed, strangers
from tests.factories import enroll, member, new_person, pair_world


async def test_a_manager_pairs_a_mentor_and_a_mentee_by_hand(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    body = pairing(world, formats=["video_call", "on_site"], reason="both love short video")
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems", json=body, headers=bearer(world["manager"])
    )
    assert response.status_code == 201
    tandem = response.json()
    assert response.headers["location"] == f"/v1/tandems/{tandem['id']}"
    assert response.headers["etag"] == '"1"'
    assert tandem["status"] == "proposed" and tandem["formats"] == ["video_call", "on_site"]
    assert tandem["mentor_person_id"] == str(world["mentor"].id)
    assert tandem["mentor_accepted_at"] is None and tandem["expires_at"] > tandem["created_at"]


async def test_a_mentee_with_an_open_tandem_cannot_be_paired_again(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, mentor_capacity=2)
    await proposed(uow_factory, world)
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems", json=pairing(world), headers=bearer(world["manager"])
    )
    problem(response, 409, "mentee_already_paired")


async def test_a_mentor_at_capacity_cannot_take_another_mentee(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await proposed(uow_factory, world)
    other = await new_person(uow_factory, world["manager"], birth_year=1960, department="Sales", languages=["de"])
    other_e = await enroll(uow_factory, world["manager"], world["program"], other, "mentee")
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems",
        json=pairing(world, mentee=other_e),
        headers=bearer(world["manager"]),
    )
    problem(response, 409, "mentor_capacity_exceeded")


async def test_a_pair_too_close_in_generation_breaks_the_program_rule(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await programs.update_program(
        uow_factory(), world["manager"], world["program"].id, ProgramRevision(rules=RulesRevision(min_generation_gap=3))
    )
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems", json=pairing(world), headers=bearer(world["manager"])
    )
    problem(response, 422, "generation_gap_too_small")


async def test_a_pair_from_one_department_is_refused(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    colleague = await new_person(uow_factory, world["manager"], birth_year=1999, department="board", languages=["de"])
    colleague_e = await enroll(uow_factory, world["manager"], world["program"], colleague, "mentor")
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems",
        json=pairing(world, mentor=colleague_e),
        headers=bearer(world["manager"]),
    )
    problem(response, 422, "same_department")


async def test_an_unknown_format_is_a_422_naming_the_field(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    body = pairing(world, formats=["carrier_pigeon"])
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems", json=body, headers=bearer(world["manager"])
    )
    assert field_names(problem(response, 422, "validation_failed")) == {"body.formats.0"}


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("mentee", 403, "manager_required"),
        ("platform_admin", 404, "program_not_found"),
        ("other_tenant", 404, "program_not_found"),
    ],
)
async def test_only_the_organizations_managers_pair_by_hand(client, bearer, uow_factory, who, status, code) -> None:
    world = await pair_world(uow_factory)
    callers = await strangers(uow_factory, world) | {"mentee": member(world["mentee"])}
    response = await client.post(
        f"/v1/programs/{world['program'].id}/tandems", json=pairing(world), headers=bearer(callers[who])
    )
    problem(response, status, code)


async def test_managers_list_every_tandem_and_members_only_their_own(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    url = f"/v1/programs/{world['program'].id}/tandems"
    others = await strangers(uow_factory, world)

    page = (await client.get(url, params={"limit": 1}, headers=bearer(world["manager"]))).json()
    assert [t["id"] for t in page["items"]] == [str(tandem.id)] and page["next_cursor"] is None
    assert page["items"][0]["health"] == "too_early"  # stored: lists show it as the tandem does
    assert [r["code"] for r in page["items"][0]["health_reasons"]] == ["proposal_pending"]
    mine = (await client.get(url, headers=bearer(member(world["mentee"])))).json()
    assert [t["id"] for t in mine["items"]] == [str(tandem.id)]
    assert (await client.get(url, headers=bearer(others["outsider"]))).json()["items"] == []
    assert (await client.get(url, headers=bearer(others["other_tenant"]))).status_code == 404
    assert (await client.get(url, headers=bearer(others["platform_admin"]))).status_code == 404


async def test_a_tandem_shows_both_answers_its_health_and_expiry(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    await client.post(f"/v1/tandems/{tandem.id}/accept", headers=bearer(member(world["mentor"])))

    response = await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(member(world["mentee"])))
    assert response.status_code == 200 and response.headers["etag"] == '"2"'
    body = response.json()
    assert body["mentor_accepted_at"] is not None and body["mentee_accepted_at"] is None
    assert body["health"] == "too_early" and body["health_reason"] == "the proposal awaits both sides' acceptance"
    assert body["mentor_fits"] is None and body["mentee_fits"] is None and body["rematch_flagged"] is False
    assert body["expires_at"] == tandem.expires_at.isoformat().replace("+00:00", "Z")


async def test_a_tandem_is_visible_to_its_people_and_managers_only(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    tandem = await proposed(uow_factory, world)
    for caller in (world["manager"], member(world["mentor"]), member(world["mentee"])):
        assert (await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(caller))).status_code == 200
    for who, caller in (await strangers(uow_factory, world)).items():
        response = await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(caller))
        assert response.status_code == EXPECTED[who], who
    outsider = (await strangers(uow_factory, world))["outsider"]
    problem(await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(outsider)), 403, "not_your_tandem")


async def test_an_unknown_tandem_is_404(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    response = await client.get("/v1/tandems/00000000-0000-4000-8000-000000000000", headers=bearer(world["manager"]))
    problem(response, 404, "tandem_not_found")
