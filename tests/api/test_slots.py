"""GET /v1/tandems/{tandem_id}/slot-suggestions: common free time of both sides."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.availability import WeeklyWindow
from app.services import programs, sessions, tandems
from tests.api.helpers import field_names, problem
from tests.api.tandem_world import EXPECTED, proposed, running, scheduled, strangers
from tests.factories import active_tandem, enroll, member, new_person, pair_world

LONDON, BERLIN = ZoneInfo("Europe/London"), ZoneInfo("Europe/Berlin")


async def _available(uow_factory, person, timezone: str, start: time, end: time) -> None:
    """Every day from ``start`` to ``end`` in ``timezone``, set through the domain (its route is not ours)."""
    async with uow_factory() as uow:
        stored = await uow.people.get(person.org_id, person.id)
        stored.update(timezone=timezone)
        stored.set_availability(tuple(WeeklyWindow(day, start, end) for day in range(7)))
        await uow.people.save(stored)
        await uow.commit()


async def _london_and_berlin(uow_factory):
    """Mentor free 09-11 London, mentee free 11-13 Berlin: they overlap 10-11 London = 11-12 Berlin."""
    world, tandem = await running(uow_factory)
    await _available(uow_factory, world["mentor"], "Europe/London", time(9), time(11))
    await _available(uow_factory, world["mentee"], "Europe/Berlin", time(11), time(13))
    return world, tandem


def _starts(body) -> list[datetime]:
    return [datetime.fromisoformat(s["starts_at"]) for s in body["items"]]


async def test_slots_lie_in_both_peoples_windows_each_in_their_own_time_zone(client, bearer, uow_factory) -> None:
    world, tandem = await _london_and_berlin(uow_factory)
    response = await client.get(
        f"/v1/tandems/{tandem.id}/slot-suggestions",
        params={"duration_minutes": 60, "days": 14, "limit": 10},
        headers=bearer(member(world["mentee"])),
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["mentor_timezone"], body["mentee_timezone"]) == ("Europe/London", "Europe/Berlin")
    starts = _starts(body)
    assert len(starts) == 10 and starts == sorted(starts)
    assert {s.astimezone(LONDON).time() for s in starts} == {time(10)}
    assert {s.astimezone(BERLIN).time() for s in starts} == {time(11)}
    assert {datetime.fromisoformat(s["mentee_local_start"]).time() for s in body["items"]} == {time(11)}
    lengths = {datetime.fromisoformat(s["ends_at"]) - datetime.fromisoformat(s["starts_at"]) for s in body["items"]}
    assert lengths == {timedelta(hours=1)}


async def test_a_booked_session_is_skipped_and_a_cancelled_one_frees_its_slot(client, bearer, uow_factory) -> None:
    world, tandem = await _london_and_berlin(uow_factory)
    url, headers = f"/v1/tandems/{tandem.id}/slot-suggestions", bearer(world["manager"])
    first = _starts((await client.get(url, params={"limit": 3}, headers=headers)).json())

    booked = await scheduled(uow_factory, world, tandem, first[0])
    after_booking = _starts((await client.get(url, params={"limit": 3}, headers=headers)).json())
    assert first[0] not in after_booking and after_booking[:2] == first[1:]

    await sessions.cancel_session(uow_factory(), world["manager"], booked.id)
    assert _starts((await client.get(url, params={"limit": 3}, headers=headers)).json()) == first


async def test_a_session_in_another_tandem_of_the_mentor_is_skipped_and_slots_wait_for_the_program(
    client, bearer, uow_factory
) -> None:
    world = await pair_world(uow_factory, status="matching", mentor_capacity=2)  # starts in 30 days
    manager, program = world["manager"], world["program"]
    second = await new_person(uow_factory, manager, birth_year=1960, department="Sales", languages=["de"])
    second_e = await enroll(uow_factory, manager, program, second, "mentee")
    tandem = await active_tandem(uow_factory, world)
    other = await tandems.propose_tandem(
        uow_factory(), manager, program.id, mentor_enrollment_id=world["mentor_e"].id, mentee_enrollment_id=second_e.id
    )
    await tandems.accept_tandem(uow_factory(), member(world["mentor"]), other.id)
    other = await tandems.accept_tandem(uow_factory(), member(second), other.id)
    await programs.launch_program(uow_factory(), manager, program.id)
    await _available(uow_factory, world["mentor"], "Europe/London", time(9), time(11))
    await _available(uow_factory, world["mentee"], "Europe/Berlin", time(11), time(13))

    url, params = f"/v1/tandems/{tandem.id}/slot-suggestions", {"days": 45, "limit": 3}
    first = _starts((await client.get(url, params=params, headers=bearer(manager))).json())
    assert first and min(first) >= datetime.combine(program.starts_on, time(), UTC)
    await scheduled(uow_factory, world, other, first[0])
    after_booking = _starts((await client.get(url, params=params, headers=bearer(manager))).json())
    assert first[0] not in after_booking and after_booking[:2] == first[1:]


async def test_without_common_availability_there_are_no_slots(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)  # nobody has given availability yet
    response = await client.get(f"/v1/tandems/{tandem.id}/slot-suggestions", headers=bearer(member(world["mentor"])))
    assert response.status_code == 200 and response.json()["items"] == []


async def test_only_active_tandems_get_slot_suggestions(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="running")
    tandem = await proposed(uow_factory, world)
    response = await client.get(f"/v1/tandems/{tandem.id}/slot-suggestions", headers=bearer(world["manager"]))
    problem(response, 422, "tandem_not_active")


@pytest.mark.parametrize(
    ("param", "value"),
    [("duration_minutes", 10), ("duration_minutes", 481), ("days", 0), ("days", 61), ("limit", 0), ("limit", 51)],
)
async def test_out_of_bounds_parameters_are_422_naming_them(client, bearer, uow_factory, param, value) -> None:
    world, tandem = await running(uow_factory)
    response = await client.get(
        f"/v1/tandems/{tandem.id}/slot-suggestions", params={param: value}, headers=bearer(world["manager"])
    )
    assert field_names(problem(response, 422, "validation_failed")) == {f"query.{param}"}


async def test_slot_suggestions_are_for_the_tandems_people_and_managers(client, bearer, uow_factory) -> None:
    world, tandem = await _london_and_berlin(uow_factory)
    url = f"/v1/tandems/{tandem.id}/slot-suggestions"
    for caller in (world["manager"], member(world["mentor"]), member(world["mentee"])):
        assert (await client.get(url, headers=bearer(caller))).status_code == 200
    for who, caller in (await strangers(uow_factory, world)).items():
        problem(await client.get(url, headers=bearer(caller)), EXPECTED[who])
