"""GDPR on /v1/people: the export (right of access) and erasure (DELETE)."""

from __future__ import annotations

import uuid

from app.domain.access import Caller, Role
from app.domain.preference import Choice
from app.services import people, preferences, sessions
from tests.api.helpers import problem
from tests.api.tandem_world import held, running
from tests.factories import PLATFORM_ADMIN, member, new_org, new_person, pair_world


async def test_the_export_holds_everything_stored_about_the_person(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentee, mentor = world["mentee"], world["mentor"]
    session = await held(uow_factory, world, tandem)
    await sessions.give_feedback(uow_factory(), member(mentee), session.id, rating=5, learned="Reels")
    await sessions.give_feedback(uow_factory(), member(mentor), session.id, rating=2, comment="private to the mentor")
    put = {"windows": [{"weekday": 1, "start": "17:00", "end": "19:00"}]}
    await client.put(f"/v1/people/{mentee.id}/availability", json=put, headers=bearer(member(mentee)))

    response = await client.get(f"/v1/people/{mentee.id}/export", headers=bearer(member(mentee)))
    assert response.status_code == 200, response.text
    export = response.json()
    assert export["person"]["id"] == str(mentee.id) and export["person"]["email"] == mentee.email
    assert export["availability"]["windows"] == put["windows"]
    assert [e["id"] for e in export["enrollments"]] == [str(world["mentee_e"].id)]
    [exported_tandem] = export["tandems"]
    assert exported_tandem["id"] == str(tandem.id) and exported_tandem["status"] == "active"
    assert [h["to_status"] for h in exported_tandem["history"]] == ["proposed", "active"]
    [exported_session] = export["sessions"]
    assert exported_session["id"] == str(session.id) and exported_session["status"] == "held"
    assert [(f["rating"], f["learned"], f["side"]) for f in exported_session["feedback"]] == [(5, "Reels", "mentee")]


async def test_the_export_lists_the_persons_own_likes_and_passes(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    await preferences.set_preference(
        uow_factory(),
        member(world["mentee"]),
        world["program"].id,
        world["mentee_e"].id,
        world["mentor_e"].id,
        Choice.PASS,
    )
    mentee_export = await client.get(f"/v1/people/{world['mentee'].id}/export", headers=bearer(world["manager"]))
    assert [(p["candidate_enrollment_id"], p["choice"]) for p in mentee_export.json()["preferences"]] == [
        (str(world["mentor_e"].id), "pass")
    ]
    # the pass is private to its author: it is not in the export of the person passed on
    mentor_export = await client.get(f"/v1/people/{world['mentor'].id}/export", headers=bearer(world["manager"]))
    assert mentor_export.json()["preferences"] == []


async def test_only_the_person_and_managers_export_a_profile(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1970)
    colleague = await new_person(uow_factory, manager, birth_year=1999)
    _, stranger = await new_org(uow_factory)
    url = f"/v1/people/{person.id}/export"
    for caller in (member(person), manager, Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)):
        assert (await client.get(url, headers=bearer(caller))).status_code == 200
    problem(await client.get(url, headers=bearer(member(colleague))), 403, "not_your_profile")
    problem(await client.get(url, headers=bearer(stranger)), 404, "person_not_found")
    problem(await client.get(url, headers=bearer(PLATFORM_ADMIN)), 404, "person_not_found")


async def test_erasure_anonymizes_the_profile_and_ends_the_persons_tandems(client, bearer, uow_factory) -> None:
    world, tandem = await running(uow_factory)
    mentee = world["mentee"]
    url = f"/v1/people/{mentee.id}"
    erased = await client.delete(url, headers=bearer(member(mentee)))
    assert erased.status_code == 200, erased.text
    assert erased.json()["display_name"] == "Erased person" and erased.headers["etag"] == '"2"'

    shown = (await client.get(url, headers=bearer(world["manager"]))).json()
    assert shown["display_name"] == "Erased person" and shown["erased_at"] is not None
    assert shown["email"] is None and shown["bio"] == "" and shown["interests"] == [] and shown["department"] is None
    assert shown["birth_year"] == mentee.birth_year  # kept: anonymous statistics need the generation mix
    tandem_now = (await client.get(f"/v1/tandems/{tandem.id}", headers=bearer(world["manager"]))).json()
    assert tandem_now["status"] == "dissolved"
    enrollment = await client.get(
        f"/v1/programs/{world['program'].id}/enrollments/{world['mentee_e'].id}", headers=bearer(world["manager"])
    )
    assert enrollment.json()["status"] == "withdrawn"
    problem(await client.patch(url, json={"bio": "back"}, headers=bearer(world["manager"])), 422, "person_erased")
    again = await client.delete(url, headers=bearer(world["manager"]))
    assert again.status_code == 200 and again.json()["display_name"] == "Erased person"


async def test_erasure_honours_if_match_roles_and_tenancy(client, bearer, uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1970)
    colleague = await new_person(uow_factory, manager, birth_year=1999)
    _, stranger = await new_org(uow_factory)
    url = f"/v1/people/{person.id}"
    problem(await client.delete(url, headers=bearer(member(colleague))), 403, "not_your_profile")
    problem(await client.delete(url, headers=bearer(stranger)), 404, "person_not_found")
    problem(await client.delete(url, headers=bearer(PLATFORM_ADMIN)), 404, "person_not_found")
    admin = bearer(Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id))
    problem(await client.delete(url, headers={**admin, "If-Match": '"7"'}), 412, "version_mismatch")
    assert (await client.delete(url, headers={**admin, "If-Match": '"1"'})).status_code == 200
    still_there = await people.get_person(uow_factory(), manager, person.id)
    assert still_there.erased


async def test_an_erased_person_cannot_enroll_again(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory, status="enrolling")
    late = await new_person(uow_factory, world["manager"], birth_year=1997)
    await client.delete(f"/v1/people/{late.id}", headers=bearer(world["manager"]))
    response = await client.post(
        f"/v1/programs/{world['program'].id}/enrollments",
        json={"person_id": str(late.id), "role": "mentor"},
        headers=bearer(world["manager"]),
    )
    problem(response, 422, "person_erased")
