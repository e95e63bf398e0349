"""/v1/people: profiles, their validation, paging, If-Match, roles and tenancy."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.domain.access import Caller, Role
from tests.api.helpers import field_names, problem
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person


def _admin_of(org_id: uuid.UUID) -> Caller:
    return Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org_id)


def _profile(**overrides: object) -> dict[str, object]:
    return {
        "display_name": "Lena Berger",
        "email": f"lena.{uuid.uuid4().hex[:8]}@example.com",
        "birth_year": 1999,
        "interests": ["TikTok", "Climbing"],
        "languages": ["de", "en"],
        "department": "Digital",
        "city": "Berlin",
        "timezone": "Europe/Berlin",
        "preferred_formats": ["video_call", "on_site"],
        **overrides,
    }


@pytest.mark.parametrize("role", [Role.PROGRAM_MANAGER, Role.ORG_ADMIN])
async def test_a_manager_creates_a_person_whose_generation_is_derived(client, bearer, uow_factory, role) -> None:
    org, _ = await new_org(uow_factory)
    caller = Caller(uuid.uuid4(), role, org_id=org.id)
    response = await client.post("/v1/people", json=_profile(), headers=bearer(caller))
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/people/{body['id']}" and response.headers["etag"] == '"1"'
    assert body["generation"] == "gen_z" and body["digital_native"] is True
    assert body["source"] == "internal" and body["org_id"] == str(org.id) and body["erased_at"] is None
    assert body["preferred_formats"] == ["video_call", "on_site"] and body["timezone"] == "Europe/Berlin"


async def test_a_minimal_profile_gets_the_defaults(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    body = {"display_name": "Hans Vogel", "birth_year": 1962}
    created = (await client.post("/v1/people", json=body, headers=bearer(manager))).json()
    assert created["languages"] == ["en"] and created["timezone"] == "UTC" and created["email"] is None
    assert created["generation"] == "baby_boomers" and created["digital_native"] is False


async def test_members_and_platform_admins_do_not_create_people(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1980)
    problem(await client.post("/v1/people", json=_profile(), headers=bearer(member(person))), 403, "manager_required")
    refused = await client.post("/v1/people", json=_profile(), headers=bearer(PLATFORM_ADMIN))
    problem(refused, 403, "organization_token_required")


async def test_a_birth_year_in_the_future_is_a_422_invalid_birth_year(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    future = _profile(birth_year=date.today().year + 1)
    body = problem(await client.post("/v1/people", json=future, headers=bearer(manager)), 422, "invalid_birth_year")
    assert field_names(body) == {"birth_year"}


async def test_bad_profile_input_is_a_422_naming_each_field(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    bad = _profile(
        display_name="x" * 201,
        birth_year="long ago",
        bio="b" * 5001,
        interests=["i"] * 51,
        languages=["english!"],
        preferred_formats=["carrier_pigeon"],
        nickname="Lenchen",
    )
    body = problem(await client.post("/v1/people", json=bad, headers=bearer(manager)), 422, "validation_failed")
    names = field_names(body)
    for field in ("display_name", "birth_year", "bio", "interests", "languages.0", "preferred_formats.0", "nickname"):
        assert any(name.startswith(f"body.{field}") for name in names), (field, names)


async def test_a_body_that_is_not_json_is_a_400(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = {**bearer(manager), "content-type": "application/json"}
    problem(await client.post("/v1/people", content=b'{"display_name": ', headers=headers), 400, "malformed_json")


async def test_email_and_time_zone_are_checked_by_the_domain(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    headers = bearer(manager)
    problem(await client.post("/v1/people", json=_profile(email="no-at-sign"), headers=headers), 422, "invalid_email")
    problem(
        await client.post("/v1/people", json=_profile(timezone="Mars/Base"), headers=headers), 422, "invalid_timezone"
    )


async def test_an_email_is_unique_in_the_organization(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    profile = _profile()
    assert (await client.post("/v1/people", json=profile, headers=bearer(manager))).status_code == 201
    problem(await client.post("/v1/people", json=profile, headers=bearer(manager)), 409, "email_taken")
    _, other_manager = await new_org(uow_factory)
    assert (await client.post("/v1/people", json=profile, headers=bearer(other_manager))).status_code == 201


async def test_people_are_listed_page_by_page_within_the_tenant(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    created = [await new_person(uow_factory, manager, birth_year=1970 + i) for i in range(3)]
    await new_person(uow_factory, (await new_org(uow_factory))[1], birth_year=1990)  # another tenant's
    first = (await client.get("/v1/people?limit=2", headers=bearer(member(created[0])))).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = await client.get(f"/v1/people?limit=2&cursor={first['next_cursor']}", headers=bearer(member(created[0])))
    assert second.json()["next_cursor"] is None
    seen = [p["id"] for p in first["items"] + second.json()["items"]]
    assert seen == [str(p.id) for p in created]


async def test_bad_paging_parameters_are_refused(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    assert "query.limit" in field_names(problem(await client.get("/v1/people?limit=0", headers=bearer(manager)), 422))
    problem(await client.get("/v1/people?cursor=forged", headers=bearer(manager)), 422, "invalid_cursor")
    problem(await client.get("/v1/people", headers=bearer(PLATFORM_ADMIN)), 403, "organization_token_required")
    problem(await client.get("/v1/people"), 401, "invalid_token")


async def test_members_read_profiles_of_their_organization_only(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1965)
    colleague = await new_person(uow_factory, manager, birth_year=1999)
    _, stranger = await new_org(uow_factory)
    url = f"/v1/people/{person.id}"
    for caller in (member(colleague), manager, _admin_of(org.id)):
        response = await client.get(url, headers=bearer(caller))
        assert response.status_code == 200 and response.headers["etag"] == '"1"'
        assert response.json()["display_name"] == person.display_name
    problem(await client.get(url, headers=bearer(stranger)), 404, "person_not_found")
    problem(await client.get(url, headers=bearer(PLATFORM_ADMIN)), 404, "person_not_found")
    problem(await client.get(f"/v1/people/{uuid.uuid4()}", headers=bearer(manager)), 404, "person_not_found")
    assert "path.person_id" in field_names(problem(await client.get("/v1/people/nope", headers=bearer(manager)), 422))


async def test_a_person_edits_their_own_profile_under_if_match(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1979, city="Köln")
    headers = bearer(member(person))
    url = f"/v1/people/{person.id}"
    edited = await client.patch(url, json={"bio": "Curious", "city": None}, headers={**headers, "If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    assert edited.json()["bio"] == "Curious" and edited.json()["city"] is None and edited.headers["etag"] == '"2"'
    stale = await client.patch(url, json={"bio": "Late"}, headers={**headers, "If-Match": '"1"'})
    problem(stale, 412, "version_mismatch")
    later = await client.patch(url, json={"birth_year": 1985}, headers={**headers, "If-Match": 'W/"2"'})
    assert later.json()["generation"] == "millennials" and later.json()["digital_native"] is True


async def test_a_profile_edit_is_validated_like_a_new_profile(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1979)
    url, headers = f"/v1/people/{person.id}", bearer(manager)
    null_name = problem(await client.patch(url, json={"display_name": None}, headers=headers), 422)
    assert "body.display_name" in field_names(null_name)
    assert "body.source" in field_names(problem(await client.patch(url, json={"source": "x"}, headers=headers), 422))
    future = {"birth_year": date.today().year + 5}
    problem(await client.patch(url, json=future, headers=headers), 422, "invalid_birth_year")
    assert (await client.get(url, headers=headers)).json()["birth_year"] == 1979


async def test_only_the_person_and_managers_edit_a_profile(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1979)
    colleague = await new_person(uow_factory, manager, birth_year=1999)
    _, stranger = await new_org(uow_factory)
    url, change = f"/v1/people/{person.id}", {"department": "Board"}
    problem(await client.patch(url, json=change, headers=bearer(member(colleague))), 403, "not_your_profile")
    problem(await client.patch(url, json=change, headers=bearer(stranger)), 404, "person_not_found")
    problem(await client.patch(url, json=change, headers=bearer(PLATFORM_ADMIN)), 404, "person_not_found")
    for caller in (manager, _admin_of(org.id)):
        assert (await client.patch(url, json=change, headers=bearer(caller))).status_code == 200
