"""PUT/GET /v1/people/{person_id}/availability: weekly windows in the person's time zone."""

from __future__ import annotations

import uuid

import pytest

from app.domain.access import Caller, Role
from tests.api.helpers import field_names, problem
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person

TUESDAY_EVENING = {"weekday": 1, "start": "17:00", "end": "19:00"}


async def test_a_person_sets_windows_that_are_merged_and_shown_in_their_time_zone(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1968, timezone="Europe/Berlin")
    windows = [
        {"weekday": 3, "start": "08:00", "end": "09:00"},
        TUESDAY_EVENING,
        {"weekday": 1, "start": "18:30", "end": "20:00"},  # overlaps the first Tuesday window
    ]
    url = f"/v1/people/{person.id}/availability"
    response = await client.put(url, json={"windows": windows}, headers=bearer(member(person)))
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    assert response.json() == {
        "person_id": str(person.id),
        "timezone": "Europe/Berlin",
        "windows": [{"weekday": 1, "start": "17:00", "end": "20:00"}, {"weekday": 3, "start": "08:00", "end": "09:00"}],
    }
    cleared = await client.put(url, json={"windows": []}, headers=bearer(member(person)))
    assert cleared.json()["windows"] == []


async def test_members_of_the_organization_read_availability_and_strangers_do_not(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1968)
    colleague = await new_person(uow_factory, manager, birth_year=1999)
    _, stranger = await new_org(uow_factory)
    url = f"/v1/people/{person.id}/availability"
    await client.put(url, json={"windows": [TUESDAY_EVENING]}, headers=bearer(manager))
    for caller in (member(colleague), member(person), manager, Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)):
        response = await client.get(url, headers=bearer(caller))
        assert response.status_code == 200 and response.json()["windows"] == [TUESDAY_EVENING]
        assert response.headers["etag"] == '"2"'
    problem(await client.get(url, headers=bearer(stranger)), 404, "person_not_found")
    problem(await client.get(url, headers=bearer(PLATFORM_ADMIN)), 404, "person_not_found")


async def test_only_the_person_and_managers_set_availability(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1968)
    colleague = await new_person(uow_factory, manager, birth_year=1999)
    _, stranger = await new_org(uow_factory)
    url, body = f"/v1/people/{person.id}/availability", {"windows": [TUESDAY_EVENING]}
    problem(await client.put(url, json=body, headers=bearer(member(colleague))), 403, "not_your_profile")
    problem(await client.put(url, json=body, headers=bearer(stranger)), 404, "person_not_found")
    problem(await client.put(url, json=body, headers=bearer(PLATFORM_ADMIN)), 404, "person_not_found")
    for caller in (manager, Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)):
        assert (await client.put(url, json=body, headers=bearer(caller))).status_code == 200


async def test_setting_availability_honours_if_match(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1968)
    url, headers = f"/v1/people/{person.id}/availability", bearer(member(person))
    body = {"windows": [TUESDAY_EVENING]}
    assert (await client.put(url, json=body, headers={**headers, "If-Match": '"1"'})).status_code == 200
    problem(await client.put(url, json=body, headers={**headers, "If-Match": '"1"'}), 412, "version_mismatch")


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"weekday": 7, "start": "09:00", "end": "10:00"}, "body.windows.0.weekday"),
        ({"weekday": "monday", "start": "09:00", "end": "10:00"}, "body.windows.0.weekday"),
        ({"weekday": 0, "start": "25:00", "end": "26:00"}, "body.windows.0.start"),
        ({"weekday": 0, "start": "9am", "end": "10:00"}, "body.windows.0.start"),
        ({"weekday": 0, "start": "09:00", "end": "10:00", "tz": "UTC"}, "body.windows.0.tz"),
    ],
)
async def test_a_malformed_window_is_a_422_naming_the_field(client, bearer, uow_factory, window, field) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1968)
    response = await client.put(
        f"/v1/people/{person.id}/availability", json={"windows": [window]}, headers=bearer(manager)
    )
    assert field in field_names(problem(response, 422, "validation_failed"))


async def test_a_window_ending_before_it_starts_or_a_timezone_in_the_body_is_refused(
    client, bearer, uow_factory
) -> None:
    _, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1968)
    url, headers = f"/v1/people/{person.id}/availability", bearer(manager)
    backwards = {"windows": [{"weekday": 0, "start": "10:00", "end": "09:00"}]}
    assert field_names(problem(await client.put(url, json=backwards, headers=headers), 422, "invalid_window")) == {
        "end"
    }
    read_only = {"windows": [], "timezone": "Asia/Tokyo"}
    assert "body.timezone" in field_names(problem(await client.put(url, json=read_only, headers=headers), 422))
    problem(await client.put(url, json={"windows": [TUESDAY_EVENING] * 51}, headers=headers), 422, "validation_failed")
