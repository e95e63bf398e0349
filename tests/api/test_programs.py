"""/v1/programs: creation, edits with If-Match, the state machine, tenancy and roles."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from app.domain.access import Caller, Role
from app.services import tandems
from tests.api.helpers import field_names, problem
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person, pair_world

START = date.today() + timedelta(days=30)


def _program(**overrides: object) -> dict[str, object]:
    return {
        "title": "Reverse Mentoring 2027",
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=270)).isoformat(),
        **overrides,
    }


async def test_a_manager_creates_a_draft_program_with_default_rules(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    response = await client.post("/v1/programs", json=_program(), headers=bearer(manager))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "draft" and response.headers["etag"] == '"1"'
    assert body["rules"]["mentor_must_be_digital_native"] is True and body["rules"]["min_generation_gap"] == 1
    assert response.headers["location"] == f"/v1/programs/{body['id']}"


async def test_a_period_outside_six_to_twelve_months_is_refused(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    short = _program(ends_on=(START + timedelta(days=120)).isoformat())
    problem(await client.post("/v1/programs", json=short, headers=bearer(manager)), 422, "invalid_period")
    backwards = _program(ends_on=(START - timedelta(days=1)).isoformat())
    problem(await client.post("/v1/programs", json=backwards, headers=bearer(manager)), 422, "invalid_period")
    impossible = _program(ends_on="2027-02-30")
    assert "body.ends_on" in field_names(
        problem(await client.post("/v1/programs", json=impossible, headers=bearer(manager)), 422)
    )
    bad_rule = _program(rules={"min_generation_gap": 9})
    assert "body.rules.min_generation_gap" in field_names(
        problem(await client.post("/v1/programs", json=bad_rule, headers=bearer(manager)), 422)
    )


async def test_members_and_platform_admins_do_not_create_programs(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1970)
    problem(await client.post("/v1/programs", json=_program(), headers=bearer(member(person))), 403, "manager_required")
    problem(await client.post("/v1/programs", json=_program(), headers=bearer(PLATFORM_ADMIN)), 403)


async def test_the_program_walks_its_state_machine_and_refuses_a_skip(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    program = (await client.post("/v1/programs", json=_program(), headers=headers)).json()
    url = f"/v1/programs/{program['id']}"
    problem(await client.post(f"{url}/launch", headers=headers), 409, "program_invalid_transition")
    for step, status in (
        ("open-enrollment", "enrolling"),
        ("start-matching", "matching"),
        ("launch", "running"),
        ("complete", "completed"),
    ):
        response = await client.post(f"{url}/{step}", headers=headers)
        assert response.status_code == 200 and response.json()["status"] == status, response.text
    problem(await client.post(f"{url}/cancel", headers=headers), 409, "program_invalid_transition")
    problem(await client.patch(url, json={"title": "Too late"}, headers=headers), 422, "program_closed")


async def test_transitions_and_edits_honour_if_match(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    program = (await client.post("/v1/programs", json=_program(), headers=headers)).json()
    url = f"/v1/programs/{program['id']}"
    problem(await client.post(f"{url}/open-enrollment", headers={**headers, "If-Match": '"7"'}), 412)
    opened = await client.post(f"{url}/open-enrollment", headers={**headers, "If-Match": '"1"'})
    assert opened.headers["etag"] == '"2"'
    patched = await client.patch(url, json={"rules": {"self_matching": True}}, headers={**headers, "If-Match": '"2"'})
    assert patched.json()["rules"]["self_matching"] is True
    assert patched.json()["rules"]["min_generation_gap"] == 1  # untouched rules stay
    problem(await client.patch(url, json={"title": "x"}, headers={**headers, "If-Match": 'W/"2"'}), 412)
    problem(await client.patch(url, json={"title": "x"}, headers={**headers, "If-Match": "garbage"}), 412)


async def test_a_rule_change_that_breaks_an_open_tandem_is_a_409(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await tandems.propose_tandem(
        uow_factory(),
        world["manager"],
        world["program"].id,
        mentor_enrollment_id=world["mentor_e"].id,
        mentee_enrollment_id=world["mentee_e"].id,
    )
    response = await client.patch(
        f"/v1/programs/{world['program'].id}",
        json={"rules": {"min_generation_gap": 4}},
        headers=bearer(world["manager"]),
    )
    problem(response, 409, "rules_break_open_tandems")


async def test_another_tenants_program_is_a_404_for_every_verb(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    _, stranger = await new_org(uow_factory)
    url = f"/v1/programs/{world['program'].id}"
    for caller in (stranger, PLATFORM_ADMIN, Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=uuid.uuid4())):
        problem(await client.get(url, headers=bearer(caller)), 404, "program_not_found")
    problem(await client.patch(url, json={"title": "mine"}, headers=bearer(stranger)), 404)
    problem(await client.post(f"{url}/cancel", headers=bearer(stranger)), 404)


async def test_members_read_their_organizations_programs(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    headers = bearer(member(world["mentee"]))
    listing = await client.get("/v1/programs", headers=headers)
    assert [p["id"] for p in listing.json()["items"]] == [str(world["program"].id)]
    problem(await client.post(f"/v1/programs/{world['program'].id}/cancel", headers=headers), 403)
